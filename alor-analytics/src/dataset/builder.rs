//! [`DatasetBuilder`]: interns keys while rows come in, then sorts once into a [`Dataset`].

use std::collections::HashMap;

use chrono::Datelike;

use super::{Dataset, GatheringInfo, GatheringRow, Outcome, RowInput, NO_TIME, YEARS};
use crate::error::{AnalyticsError, CellProblem, RowError};
use alor_core::{OrgNumber, Role, Sector};

/// Accumulates gatherings and rows, then sorts them once into a [`Dataset`].
#[derive(Debug, Clone, Default)]
pub struct DatasetBuilder {
    networks: Vec<String>,
    network_index: HashMap<String, u32>,
    gatherings: Vec<GatheringRow>,
    gathering_index: HashMap<String, u32>,
    person_keys: Vec<Option<String>>,
    person_index: HashMap<String, u32>,
    organisations: Vec<OrgNumber>,
    organisation_index: HashMap<OrgNumber, u32>,
    gathering: Vec<u32>,
    person: Vec<u32>,
    organisation: Vec<u32>,
    sector: Vec<Sector>,
    role: Vec<Role>,
    outcome: Vec<Outcome>,
    waitlisted: Vec<bool>,
    joined_at: Vec<i64>,
    seated_at: Vec<i64>,
}

fn too_large(what: &'static str) -> AnalyticsError {
    AnalyticsError::TooLarge {
        what,
        limit: u64::from(u32::MAX - 1),
    }
}

fn index_of(len: usize, what: &'static str) -> Result<u32, AnalyticsError> {
    u32::try_from(len)
        .ok()
        .filter(|n| *n < u32::MAX)
        .ok_or_else(|| too_large(what))
}

impl DatasetBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty builder with room for `rows` rows.
    pub fn with_capacity(rows: usize) -> Self {
        let mut b = Self::default();
        b.gathering.reserve(rows);
        b.person.reserve(rows);
        b.organisation.reserve(rows);
        b.sector.reserve(rows);
        b.role.reserve(rows);
        b.outcome.reserve(rows);
        b.waitlisted.reserve(rows);
        b.joined_at.reserve(rows);
        b.seated_at.reserve(rows);
        b
    }

    /// Number of rows so far.
    pub fn len(&self) -> usize {
        self.gathering.len()
    }

    /// Whether no row has been added.
    pub fn is_empty(&self) -> bool {
        self.gathering.is_empty()
    }

    /// The index of a gathering already added, by id.
    pub fn gathering_index(&self, id: &str) -> Option<u32> {
        self.gathering_index.get(id).copied()
    }

    /// The info of a gathering already added.
    pub fn gathering_info(&self, index: u32) -> Option<&GatheringInfo> {
        self.gatherings.get(index as usize).map(|g| &g.info)
    }

    /// Adds a gathering, or returns the index of the one with the same id if it is identical.
    /// A different gathering under an existing id is [`CellProblem::Inconsistent`]; a date
    /// outside the years [`YEARS`] is [`CellProblem::OutOfRange`] (it bounds the year
    /// arithmetic of the reports).
    pub fn add_gathering(&mut self, info: GatheringInfo) -> Result<u32, CellProblem> {
        if !YEARS.contains(&info.date.year()) {
            return Err(CellProblem::OutOfRange);
        }
        if let Some(&g) = self.gathering_index.get(&info.id) {
            return if self.gatherings[g as usize].info == info {
                Ok(g)
            } else {
                Err(CellProblem::Inconsistent)
            };
        }
        let network = match self.network_index.get(&info.network) {
            Some(n) => *n,
            None => {
                let n = index_of(self.networks.len(), "networks")
                    .map_err(|_| CellProblem::OutOfRange)?;
                self.networks.push(info.network.clone());
                self.network_index.insert(info.network.clone(), n);
                n
            }
        };
        let g =
            index_of(self.gatherings.len(), "gatherings").map_err(|_| CellProblem::OutOfRange)?;
        self.gathering_index.insert(info.id.clone(), g);
        let year = info.date.year();
        self.gatherings.push(GatheringRow {
            info,
            network,
            year,
        });
        Ok(g)
    }

    fn person_id(&mut self, key: Option<&str>) -> Result<u32, AnalyticsError> {
        let next = index_of(self.person_keys.len(), "persons")?;
        match key {
            None => {
                self.person_keys.push(None);
                Ok(next)
            }
            Some(key) => {
                if let Some(&p) = self.person_index.get(key) {
                    return Ok(p);
                }
                self.person_keys.push(Some(key.to_owned()));
                self.person_index.insert(key.to_owned(), next);
                Ok(next)
            }
        }
    }

    fn organisation_id(&mut self, number: OrgNumber) -> Result<u32, AnalyticsError> {
        if let Some(&o) = self.organisation_index.get(&number) {
            return Ok(o);
        }
        let next = index_of(self.organisations.len(), "organisations")?;
        self.organisations.push(number);
        self.organisation_index.insert(number, next);
        Ok(next)
    }

    /// Adds one row. Fails only when a key space overflows or the gathering index is unknown.
    pub fn push(&mut self, row: &RowInput<'_>) -> Result<(), AnalyticsError> {
        if row.gathering as usize >= self.gatherings.len() {
            return Err(AnalyticsError::InvalidOption {
                option: "gathering",
            });
        }
        index_of(self.gathering.len(), "rows")?;
        let person = self.person_id(row.person)?;
        let organisation = self.organisation_id(row.organisation)?;
        self.push_raw(
            row.gathering,
            person,
            organisation,
            row.sector,
            row.role,
            row.outcome,
            row.waitlisted,
            row.joined_at.timestamp(),
            row.seated_at.map_or(NO_TIME, |t| t.timestamp()),
        );
        Ok(())
    }

    /// Adds a row with keys already interned (the generator's fast path).
    #[allow(clippy::too_many_arguments)]
    pub fn push_raw(
        &mut self,
        gathering: u32,
        person: u32,
        organisation: u32,
        sector: Sector,
        role: Role,
        outcome: Outcome,
        waitlisted: bool,
        joined_at: i64,
        seated_at: i64,
    ) {
        self.gathering.push(gathering);
        self.person.push(person);
        self.organisation.push(organisation);
        self.sector.push(sector);
        self.role.push(role);
        self.outcome.push(outcome);
        self.waitlisted.push(waitlisted);
        self.joined_at.push(joined_at);
        self.seated_at.push(seated_at);
    }

    /// Interns raw dictionaries (the generator's fast path): persons and organisations are given
    /// whole, and rows refer to them by position.
    pub fn set_dictionaries(
        &mut self,
        person_keys: Vec<Option<String>>,
        organisations: Vec<OrgNumber>,
    ) {
        self.person_keys = person_keys;
        self.organisations = organisations;
    }

    /// Sorts the rows once (gatherings by date and id, rows grouped by gathering, keeping the
    /// order rows were added within a gathering) and checks the invariants.
    pub fn finish(self) -> Result<Dataset, AnalyticsError> {
        let DatasetBuilder {
            networks,
            gatherings,
            person_keys,
            organisations,
            gathering,
            person,
            organisation,
            sector,
            role,
            outcome,
            waitlisted,
            joined_at,
            seated_at,
            ..
        } = self;
        // Chronological rank of each gathering.
        let mut order: Vec<u32> = (0..gatherings.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&gatherings[a as usize].info, &gatherings[b as usize].info);
            (a.date, &a.id).cmp(&(b.date, &b.id))
        });
        let mut rank = vec![0u32; gatherings.len()];
        for (r, &g) in order.iter().enumerate() {
            rank[g as usize] = r as u32;
        }
        let sorted_gatherings: Vec<GatheringRow> = order
            .iter()
            .map(|&g| gatherings[g as usize].clone())
            .collect();
        // Counting sort of the rows by gathering rank: stable, O(n).
        let n = gathering.len();
        let mut offsets = vec![0u32; sorted_gatherings.len() + 1];
        for &g in &gathering {
            offsets[rank[g as usize] as usize + 1] += 1;
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let already_sorted = gathering
            .windows(2)
            .all(|w| rank[w[0] as usize] <= rank[w[1] as usize]);
        let mut original: Option<Vec<u32>> = None;
        let mut ds = if already_sorted {
            Dataset {
                networks,
                gatherings: sorted_gatherings,
                offsets,
                person_keys,
                organisations,
                gathering: gathering.iter().map(|&g| rank[g as usize]).collect(),
                person,
                organisation,
                sector,
                role,
                outcome,
                waitlisted,
                joined_at,
                seated_at,
            }
        } else {
            let mut cursor = offsets.clone();
            let mut position = vec![0u32; n];
            for (i, &g) in gathering.iter().enumerate() {
                let r = rank[g as usize] as usize;
                position[i] = cursor[r];
                cursor[r] += 1;
            }
            fn permute<T: Copy + Default>(values: &[T], position: &[u32]) -> Vec<T> {
                let mut out = vec![T::default(); values.len()];
                for (i, v) in values.iter().enumerate() {
                    out[position[i] as usize] = *v;
                }
                out
            }
            let ranked: Vec<u32> = gathering.iter().map(|&g| rank[g as usize]).collect();
            let mut inverse = vec![0u32; n];
            for (i, &p) in position.iter().enumerate() {
                inverse[p as usize] = i as u32;
            }
            original = Some(inverse);
            Dataset {
                networks,
                gatherings: sorted_gatherings,
                person_keys,
                organisations,
                gathering: permute(&ranked, &position),
                person: permute(&person, &position),
                organisation: permute(&organisation, &position),
                sector: permute_enum(&sector, &position),
                role: permute_enum(&role, &position),
                outcome: permute_enum(&outcome, &position),
                waitlisted: permute(&waitlisted, &position),
                joined_at: permute(&joined_at, &position),
                seated_at: permute(&seated_at, &position),
                offsets,
            }
        };
        let (count, rows) = ds.duplicate_rows();
        if count > 0 {
            let mut errors: Vec<RowError> = rows
                .into_iter()
                .map(|r| RowError {
                    row: original.as_ref().map_or(r, |o| o[r] as usize) + 1,
                    column: "person".into(),
                    problem: CellProblem::Duplicate,
                })
                .collect();
            errors.sort_by_key(|e| e.row);
            return Err(AnalyticsError::InvalidRows { count, errors });
        }
        ds.person_keys.shrink_to_fit();
        Ok(ds)
    }
}

fn permute_enum<T: Copy>(values: &[T], position: &[u32]) -> Vec<T> {
    let mut out: Vec<Option<T>> = vec![None; values.len()];
    for (i, v) in values.iter().enumerate() {
        out[position[i] as usize] = Some(*v);
    }
    out.into_iter().flatten().collect()
}

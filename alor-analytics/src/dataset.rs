//! The columnar participation dataset and its builder.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::error::{AnalyticsError, CellProblem, RowError};
use alor_core::{Event, EventLog, Ledger, Registration, Status};
use alor_core::{OrgNumber, Role, Sector};

/// How a registration ended (or stands, for a ledger still in progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Outcome {
    /// Came to the gathering.
    Attended,
    /// Had a seat and did not come.
    NoShow,
    /// Has a seat; attendance not (yet) recorded.
    Confirmed,
    /// Holds an offered seat (only in a ledger still open).
    Offered,
    /// Cancelled before the cancellation deadline, or while waitlisted.
    Cancelled,
    /// Gave up a seat at or after the cancellation deadline.
    LateCancellation,
    /// Waited and never got a seat (still waiting, cancelled from the waitlist is
    /// [`Outcome::Cancelled`]; declined or let an offer expire counts here).
    WaitlistedNeverSeated,
    /// Handed the seat to a colleague.
    Transferred,
}

impl Outcome {
    /// All outcomes, in a stable order.
    pub const ALL: [Outcome; 8] = [
        Outcome::Attended,
        Outcome::NoShow,
        Outcome::Confirmed,
        Outcome::Offered,
        Outcome::Cancelled,
        Outcome::LateCancellation,
        Outcome::WaitlistedNeverSeated,
        Outcome::Transferred,
    ];

    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Attended => "attended",
            Outcome::NoShow => "no_show",
            Outcome::Confirmed => "confirmed",
            Outcome::Offered => "offered",
            Outcome::Cancelled => "cancelled",
            Outcome::LateCancellation => "late_cancellation",
            Outcome::WaitlistedNeverSeated => "waitlisted_never_seated",
            Outcome::Transferred => "transferred",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(text: &str) -> Option<Self> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }

    /// The outcome of a ledger registration in its current status.
    pub fn of(registration: &Registration) -> Self {
        match registration.status {
            Status::Attended => Outcome::Attended,
            Status::NoShow => Outcome::NoShow,
            Status::Confirmed => Outcome::Confirmed,
            Status::Offered => Outcome::Offered,
            Status::Cancelled if registration.late_cancellation => Outcome::LateCancellation,
            Status::Cancelled => Outcome::Cancelled,
            Status::Waitlisted | Status::Declined | Status::Expired => {
                Outcome::WaitlistedNeverSeated
            }
            Status::Transferred => Outcome::Transferred,
        }
    }

    /// Whether the registration holds a seat at the end (attended, no-show, confirmed, offered).
    pub const fn holds_seat(self) -> bool {
        matches!(
            self,
            Outcome::Attended | Outcome::NoShow | Outcome::Confirmed | Outcome::Offered
        )
    }
}

/// A gathering as the dataset knows it: enough to place it in time and to compute fill rates
/// and waitlist pressure.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GatheringInfo {
    /// The gathering's id (a slug such as `rogaland-2026-host`).
    pub id: String,
    /// The network's id (a slug such as `rogaland`).
    pub network: String,
    /// The day it starts (calendar date in Norway).
    pub date: NaiveDate,
    /// Seats at the end of registration.
    pub capacity: u32,
    /// The longest the waitlist ever was.
    pub peak_waitlist: u32,
}

/// One registration, as handed to [`DatasetBuilder::push`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowInput<'a> {
    /// Index returned by [`DatasetBuilder::add_gathering`].
    pub gathering: u32,
    /// The person key (normalised e-mail, or a pseudonym); `None` for an erased person, who
    /// then counts as a distinct person never seen before or after.
    pub person: Option<&'a str>,
    /// The organisation.
    pub organisation: OrgNumber,
    /// The organisation's sector.
    pub sector: Sector,
    /// The person's role.
    pub role: Role,
    /// How it ended.
    pub outcome: Outcome,
    /// Whether the registration was ever on the waitlist.
    pub waitlisted: bool,
    /// When the person signed up.
    pub joined_at: DateTime<Utc>,
    /// When the person got a seat, if ever.
    pub seated_at: Option<DateTime<Utc>>,
}

/// The years a gathering may fall in.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// Marks "no seat" in the `seated_at` column (seconds since the Unix epoch).
pub const NO_TIME: i64 = i64::MIN;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GatheringRow {
    pub(crate) info: GatheringInfo,
    pub(crate) network: u32,
    pub(crate) year: i32,
}

/// The participation dataset: one row per registration, stored column by column with integer
/// keys, rows grouped by gathering and gatherings in chronological order.
///
/// Build it with a [`DatasetBuilder`], from ledgers ([`DatasetBuilder::add_ledger`],
/// [`DatasetBuilder::add_log`]), from CSV ([`Dataset::from_csv`]), from columns
/// ([`Dataset::from_columns`], used for Arrow tables in Python) or from the synthetic generator
/// ([`super::synthetic`]).
///
/// Invariants (checked when built): every row names a known gathering; a person has at most one
/// attended row per gathering; gatherings are sorted by `(date, id)` and rows by gathering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    pub(crate) networks: Vec<String>,
    pub(crate) gatherings: Vec<GatheringRow>,
    /// Row range of gathering `g` is `offsets[g]..offsets[g + 1]`.
    pub(crate) offsets: Vec<u32>,
    pub(crate) person_keys: Vec<Option<String>>,
    pub(crate) organisations: Vec<OrgNumber>,
    pub(crate) gathering: Vec<u32>,
    pub(crate) person: Vec<u32>,
    pub(crate) organisation: Vec<u32>,
    pub(crate) sector: Vec<Sector>,
    pub(crate) role: Vec<Role>,
    pub(crate) outcome: Vec<Outcome>,
    pub(crate) waitlisted: Vec<bool>,
    pub(crate) joined_at: Vec<i64>,
    pub(crate) seated_at: Vec<i64>,
}

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

    /// Adds every registration of a ledger. Person keys are the normalised e-mail addresses;
    /// erased registrations become anonymous persons. Whether a registration was waitlisted and
    /// the peak waitlist are reconstructed from the registrations' timestamps; use
    /// [`DatasetBuilder::add_log`] when the events are available, which is exact.
    pub fn add_ledger(&mut self, ledger: &Ledger) -> Result<u32, AnalyticsError> {
        let registrations = ledger.registrations();
        let waitlisted: Vec<bool> = registrations.iter().map(was_waitlisted).collect();
        let peak = peak_from_registrations(registrations, &waitlisted);
        self.add_registrations(ledger, &waitlisted, peak)
    }

    /// Adds a gathering from its event log, replaying it (each event checked): exact waitlist
    /// flags and peak waitlist length.
    pub fn add_log(&mut self, log: &EventLog) -> Result<u32, AnalyticsError> {
        if log.schema_version != alor_core::SCHEMA_VERSION {
            return Err(alor_core::DataError::UnsupportedSchemaVersion {
                found: log.schema_version,
                supported: alor_core::SCHEMA_VERSION,
            }
            .into())
            .map_err(AnalyticsError::Core);
        }
        let mut ledger = Ledger::new(log.gathering.clone()).map_err(alor_core::Error::from)?;
        let mut peak = 0usize;
        let mut waitlisted = Vec::new();
        for recorded in &log.events {
            ledger.try_apply(recorded).map_err(alor_core::Error::from)?;
            match &recorded.event {
                Event::Registered { status, .. } => {
                    waitlisted.push(*status == Status::Waitlisted);
                }
                Event::Substituted { .. } => waitlisted.push(false),
                _ => {}
            }
            peak = peak.max(ledger.waitlist_len());
        }
        let peak = u32::try_from(peak).unwrap_or(u32::MAX);
        self.add_registrations(&ledger, &waitlisted, peak)
    }

    fn add_registrations(
        &mut self,
        ledger: &Ledger,
        waitlisted: &[bool],
        peak_waitlist: u32,
    ) -> Result<u32, AnalyticsError> {
        let gathering = ledger.gathering();
        let info = GatheringInfo {
            id: gathering.id.as_str().to_owned(),
            network: gathering.network.as_str().to_owned(),
            date: alor_core::time::oslo_date(gathering.starts_at),
            capacity: gathering.policy.capacity,
            peak_waitlist,
        };
        let g = self
            .add_gathering(info)
            .map_err(|problem| AnalyticsError::InvalidRows {
                count: 1,
                errors: vec![RowError {
                    row: 1,
                    column: "gathering".into(),
                    problem,
                }],
            })?;
        for (reg, &was_waitlisted) in ledger.registrations().iter().zip(waitlisted) {
            let key = reg.contact.as_ref().map(|c| c.email.as_str());
            self.push(&RowInput {
                gathering: g,
                person: key,
                organisation: reg.organisation.number,
                sector: reg.organisation.sector,
                role: reg.role,
                outcome: Outcome::of(reg),
                waitlisted: was_waitlisted,
                joined_at: reg.joined_at,
                seated_at: reg.seated_at,
            })?;
        }
        Ok(g)
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

/// Whether a registration was on the waitlist at some point, from its timestamps alone: it did
/// not get its seat at the instant it signed up.
fn was_waitlisted(reg: &Registration) -> bool {
    if reg.substitute_for.is_some() {
        return false;
    }
    reg.seated_at != Some(reg.joined_at)
        && (reg.seated_at.is_some()
            || reg.offered_at.is_some()
            || matches!(reg.status, Status::Waitlisted | Status::Cancelled))
}

/// The longest the waitlist was, from the intervals each registration spent on it.
fn peak_from_registrations(registrations: &[Registration], waitlisted: &[bool]) -> u32 {
    let mut edges: Vec<(DateTime<Utc>, i32)> = Vec::new();
    for (reg, &w) in registrations.iter().zip(waitlisted) {
        if !w {
            continue;
        }
        edges.push((reg.joined_at, 1));
        let left = reg
            .offered_at
            .or(reg.seated_at)
            .or(if reg.status == Status::Cancelled {
                reg.cancelled_at
            } else {
                None
            });
        if let Some(left) = left {
            edges.push((left, -1));
        }
    }
    // Leaving before joining at the same instant: a seat freed and taken in one step.
    edges.sort();
    let (mut now, mut peak) = (0i32, 0i32);
    for (_, step) in edges {
        now += step;
        peak = peak.max(now);
    }
    u32::try_from(peak).unwrap_or(0)
}

impl Dataset {
    /// Rows that are a second attended row of a person at one gathering: how many, and the
    /// first few (sorted positions).
    fn duplicate_rows(&self) -> (usize, Vec<usize>) {
        let mut last = vec![u32::MAX; self.person_keys.len()];
        let mut rows = Vec::new();
        let mut count = 0;
        for g in 0..self.gatherings.len() {
            for r in self.rows_of(g) {
                if self.outcome[r] != Outcome::Attended {
                    continue;
                }
                let p = self.person[r] as usize;
                if last[p] == g as u32 {
                    count += 1;
                    if rows.len() < AnalyticsError::MAX_LISTED {
                        rows.push(r);
                    }
                }
                last[p] = g as u32;
            }
        }
        rows.sort_unstable();
        (count, rows)
    }

    pub(crate) fn rows_of(&self, g: usize) -> std::ops::Range<usize> {
        self.offsets[g] as usize..self.offsets[g + 1] as usize
    }

    /// Number of rows (registrations).
    pub fn len(&self) -> usize {
        self.gathering.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.gathering.is_empty()
    }

    /// The networks, in the order first seen.
    pub fn networks(&self) -> &[String] {
        &self.networks
    }

    /// The gatherings, in chronological order (by date, then id).
    pub fn gatherings(&self) -> impl ExactSizeIterator<Item = &GatheringInfo> + '_ {
        self.gatherings.iter().map(|g| &g.info)
    }

    /// Number of distinct person keys (erased persons each count once).
    pub fn person_count(&self) -> usize {
        self.person_keys.len()
    }

    /// Number of distinct organisations.
    pub fn organisation_count(&self) -> usize {
        self.organisations.len()
    }

    /// Row `i` as values, for inspection and tests.
    pub fn row(&self, i: usize) -> Option<RowView<'_>> {
        if i >= self.len() {
            return None;
        }
        let g = &self.gatherings[self.gathering[i] as usize];
        Some(RowView {
            network: &g.info.network,
            gathering: &g.info.id,
            date: g.info.date,
            person: self.person_keys[self.person[i] as usize].as_deref(),
            organisation: self.organisations[self.organisation[i] as usize],
            sector: self.sector[i],
            role: self.role[i],
            outcome: self.outcome[i],
            waitlisted: self.waitlisted[i],
            joined_at: DateTime::from_timestamp(self.joined_at[i], 0).unwrap_or_default(),
            seated_at: match self.seated_at[i] {
                NO_TIME => None,
                t => DateTime::from_timestamp(t, 0),
            },
        })
    }

    /// Column access for bindings that export to Arrow: per-row gathering index (into
    /// [`Dataset::gatherings`] order), person index (into [`Dataset::person_key`]), organisation
    /// number, sector, role, outcome, waitlisted, join and seat time in seconds since the Unix
    /// epoch ([`NO_TIME`] for none).
    pub fn columns(&self) -> Columns<'_> {
        Columns {
            gathering: &self.gathering,
            person: &self.person,
            organisation: &self.organisation,
            sector: &self.sector,
            role: &self.role,
            outcome: &self.outcome,
            waitlisted: &self.waitlisted,
            joined_at: &self.joined_at,
            seated_at: &self.seated_at,
        }
    }

    /// The key of a person index (`None` for an erased person).
    pub fn person_key(&self, index: u32) -> Option<&str> {
        self.person_keys
            .get(index as usize)
            .and_then(|k| k.as_deref())
    }

    /// The organisation number of an organisation index.
    pub fn organisation_number(&self, index: u32) -> Option<OrgNumber> {
        self.organisations.get(index as usize).copied()
    }

    /// A copy with each person key replaced by its keyed pseudonym
    /// ([`super::Pseudonymiser::pseudonym`]). Erased persons stay anonymous. All reports give the
    /// same figures on the copy.
    pub fn pseudonymised(&self, pseudonymiser: &super::Pseudonymiser) -> Dataset {
        let mut out = self.clone();
        for key in out.person_keys.iter_mut().flatten() {
            *key = pseudonymiser.pseudonym(key);
        }
        out
    }
}

/// Borrowed columns of a [`Dataset`].
#[derive(Debug, Clone, Copy)]
pub struct Columns<'a> {
    /// Gathering index per row (chronological order).
    pub gathering: &'a [u32],
    /// Person index per row.
    pub person: &'a [u32],
    /// Organisation index per row.
    pub organisation: &'a [u32],
    /// Sector per row.
    pub sector: &'a [Sector],
    /// Role per row.
    pub role: &'a [Role],
    /// Outcome per row.
    pub outcome: &'a [Outcome],
    /// Ever waitlisted, per row.
    pub waitlisted: &'a [bool],
    /// Join time per row, seconds since the epoch.
    pub joined_at: &'a [i64],
    /// Seat time per row, seconds since the epoch, or [`NO_TIME`].
    pub seated_at: &'a [i64],
}

/// One row of a [`Dataset`], as values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowView<'a> {
    /// Network id.
    pub network: &'a str,
    /// Gathering id.
    pub gathering: &'a str,
    /// Gathering date.
    pub date: NaiveDate,
    /// Person key (`None` if erased).
    pub person: Option<&'a str>,
    /// Organisation number.
    pub organisation: OrgNumber,
    /// Sector.
    pub sector: Sector,
    /// Role.
    pub role: Role,
    /// Outcome.
    pub outcome: Outcome,
    /// Ever waitlisted.
    pub waitlisted: bool,
    /// Join time.
    pub joined_at: DateTime<Utc>,
    /// Seat time.
    pub seated_at: Option<DateTime<Utc>>,
}

//! The columnar participation dataset ([`Dataset`], its row and column views, here), its
//! builder (`builder`) and the reading of ledgers and event logs into it (`ledger`).

mod builder;
mod ledger;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::error::AnalyticsError;
use alor_core::{OrgNumber, Registration, Role, Sector, Status};

pub use builder::DatasetBuilder;

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
/// of the `alor-demo` crate (`alor_demo::synthetic`).
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

//! The reports, computed in single passes over the columns, one file per report with its
//! figures, its computation and its table.
//!
//! Definitions (all identity-based: a person is a person key, an organisation an organisation
//! number):
//!
//! - **attendee**: a row with outcome `attended`. A person has at most one per gathering.
//! - **first time in the network**: an attendee with no attended row at an earlier gathering of
//!   the same network (gatherings ordered by date, then id). **Nationally**: at no earlier
//!   gathering of any network. Erased (anonymous) persons are neither first-time nor returning:
//!   shares are taken over identified attendees.
//! - **returning**: an identified attendee who is not first-time in the network.
//! - **cohort**: the calendar year of a person's first attendance (in the dataset, or in one
//!   network); **retention** in year `y` is the share of the cohort attending in `y`.
//! - **seats taken**: rows holding a seat at the end (attended, no-show, confirmed, offered);
//!   **fill rate** = seats taken / capacity.
//! - **waitlist pressure** = peak waitlist / capacity; **seated from the waitlist** = rows
//!   ever waitlisted that got a seat; **wait** = seat time − join time of those rows.
//! - **no-show rate** = no-shows / (attended + no-shows); **late-cancellation rate** = late
//!   cancellations / rows that ever held a seat.
//!
//! Every `*_table` takes the suppression rule; counts of persons and registrations are
//! suppressed, keys, years, capacities and peak waitlists are not.

mod first_time;
mod gathering_stats;
mod mix;
mod reach;
mod retention;

use std::collections::BTreeMap;

use super::dataset::Dataset;
use super::table::Sheet;

pub use first_time::FirstTime;
pub use gathering_stats::GatheringStats;
pub use mix::Mix;
pub use reach::Reach;
pub use retention::Retention;

impl Dataset {
    /// The first and last year with a gathering.
    pub fn years(&self) -> Option<(i32, i32)> {
        let first = self.gatherings.iter().map(|g| g.year).min()?;
        let last = self.gatherings.iter().map(|g| g.year).max()?;
        Some((first, last))
    }

    /// Gatherings grouped by (network, year), networks in id order, years ascending.
    fn network_years(&self) -> BTreeMap<(&str, i32), Vec<usize>> {
        let mut groups: BTreeMap<(&str, i32), Vec<usize>> = BTreeMap::new();
        for (g, info) in self.gatherings.iter().enumerate() {
            groups
                .entry((self.networks[info.network as usize].as_str(), info.year))
                .or_default()
                .push(g);
        }
        groups
    }

    /// The key columns of a per-gathering table: network, gathering, date and year.
    fn gathering_keys(&self, sheet: &mut Sheet, gatherings: &[u32]) {
        let info = |g: &u32| &self.gatherings[*g as usize].info;
        sheet.text(
            "network",
            gatherings.iter().map(|g| info(g).network.clone()).collect(),
        );
        sheet.text(
            "gathering",
            gatherings.iter().map(|g| info(g).id.clone()).collect(),
        );
        sheet.text(
            "date",
            gatherings
                .iter()
                .map(|g| info(g).date.to_string())
                .collect(),
        );
        sheet.int(
            "year",
            gatherings
                .iter()
                .map(|g| Some(i64::from(self.gatherings[*g as usize].year)))
                .collect(),
        );
    }
}

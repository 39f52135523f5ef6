//! Registration figures per gathering: fill rate, waitlist pressure, wait, no-shows and late
//! cancellations.

use crate::catalogue::Report;
use crate::dataset::{Dataset, Outcome, NO_TIME};
use crate::privacy::Suppression;
use crate::table::{Sheet, Table};

/// Registration figures of one gathering.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GatheringStats {
    /// Gathering index.
    pub gathering: u32,
    /// Rows.
    pub registrations: u32,
    /// Rows holding a seat at the end.
    pub seats_taken: u32,
    /// Rows that ever held a seat.
    pub ever_seated: u32,
    /// Attended.
    pub attended: u32,
    /// No-shows.
    pub no_shows: u32,
    /// Cancelled in time (or from the waitlist).
    pub cancellations: u32,
    /// Late cancellations.
    pub late_cancellations: u32,
    /// Rows ever on the waitlist.
    pub waitlisted: u32,
    /// Of those, rows that got a seat.
    pub seated_from_waitlist: u32,
    /// Median wait of those, in hours.
    pub median_wait_hours: Option<f64>,
}

fn ratio(n: u32, d: u32) -> Option<f64> {
    (d > 0).then(|| f64::from(n) / f64::from(d))
}

impl Dataset {
    /// Registration figures per gathering, in chronological order.
    pub fn gathering_stats(&self) -> Vec<GatheringStats> {
        let mut waits: Vec<i64> = Vec::new();
        (0..self.gatherings.len())
            .map(|g| {
                let mut s = GatheringStats {
                    gathering: g as u32,
                    ..GatheringStats::default()
                };
                waits.clear();
                for r in self.rows_of(g) {
                    let o = self.outcome[r];
                    s.registrations += 1;
                    s.seats_taken += u32::from(o.holds_seat());
                    let seated = self.seated_at[r] != NO_TIME;
                    s.ever_seated += u32::from(seated);
                    match o {
                        Outcome::Attended => s.attended += 1,
                        Outcome::NoShow => s.no_shows += 1,
                        Outcome::Cancelled => s.cancellations += 1,
                        Outcome::LateCancellation => s.late_cancellations += 1,
                        _ => {}
                    }
                    if self.waitlisted[r] {
                        s.waitlisted += 1;
                        if seated {
                            s.seated_from_waitlist += 1;
                            waits.push(self.seated_at[r] - self.joined_at[r]);
                        }
                    }
                }
                s.median_wait_hours = median(&mut waits).map(|secs| secs / 3600.0);
                s
            })
            .collect()
    }

    /// Fill rate, waitlist pressure, no-show and late-cancellation rates per gathering.
    pub fn gathering_table(&self, rule: Suppression) -> Table {
        let stats = self.gathering_stats();
        let mut sheet = Sheet::new(Report::GatheringStats.name(), stats.len());
        let gs: Vec<u32> = stats.iter().map(|s| s.gathering).collect();
        self.gathering_keys(&mut sheet, &gs);
        let info = |s: &GatheringStats| &self.gatherings[s.gathering as usize].info;
        sheet.int(
            "capacity",
            stats
                .iter()
                .map(|s| Some(i64::from(info(s).capacity)))
                .collect(),
        );
        sheet.int(
            "peak_waitlist",
            stats
                .iter()
                .map(|s| Some(i64::from(info(s).peak_waitlist)))
                .collect(),
        );
        let col = |f: fn(&GatheringStats) -> u32| stats.iter().map(|s| u64::from(f(s))).collect();
        sheet.count("registrations", col(|s| s.registrations));
        let taken = sheet.count("seats_taken", col(|s| s.seats_taken));
        let attended = sheet.count("attended", col(|s| s.attended));
        let no_shows = sheet.count("no_shows", col(|s| s.no_shows));
        let seated = sheet.count("ever_seated", col(|s| s.ever_seated));
        sheet.count("cancellations", col(|s| s.cancellations));
        let late = sheet.count("late_cancellations", col(|s| s.late_cancellations));
        let waitlisted = sheet.count("waitlisted", col(|s| s.waitlisted));
        let from_wait = sheet.count("seated_from_waitlist", col(|s| s.seated_from_waitlist));
        sheet.derived(
            "fill_rate",
            stats
                .iter()
                .map(|s| ratio(s.seats_taken, info(s).capacity))
                .collect(),
            vec![taken],
        );
        sheet.derived(
            "waitlist_pressure",
            stats
                .iter()
                .map(|s| ratio(info(s).peak_waitlist, info(s).capacity))
                .collect(),
            vec![],
        );
        sheet.ratio("seated_from_waitlist_share", from_wait, waitlisted);
        sheet.derived(
            "median_wait_hours",
            stats.iter().map(|s| s.median_wait_hours).collect(),
            vec![from_wait],
        );
        sheet.derived(
            "no_show_rate",
            stats
                .iter()
                .map(|s| ratio(s.no_shows, s.attended + s.no_shows))
                .collect(),
            vec![no_shows, attended],
        );
        sheet.ratio("late_cancellation_rate", late, seated);
        sheet.finish(rule)
    }
}

/// The median (mean of the two middle values for an even count).
fn median(values: &mut [i64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mid = n / 2;
    let (_, &mut upper, _) = values.select_nth_unstable(mid);
    if n % 2 == 1 {
        return Some(upper as f64);
    }
    let lower = *values[..mid].iter().max().unwrap_or(&upper);
    Some((lower as f64 + upper as f64) / 2.0)
}

//! The report catalogue: every published report under its stable name, defined once. The HTML
//! report, the Python binding (`Dataset.report_csv("first_time")`, `alor.analytics.REPORTS`)
//! and the tables' own `name` all read it from here.

use std::fmt;
use std::str::FromStr;

use super::dataset::Dataset;
use super::error::AnalyticsError;
use super::privacy::Suppression;
use super::table::Table;

/// A published report. Its [`Report::name`] is the [`Table::name`] of its table and the name
/// the bindings take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Report {
    /// `first_time`: first-time share per gathering ([`Dataset::first_time_table`]).
    FirstTime,
    /// `retention`: cohort retention ([`Dataset::retention_table`]), nationally or in one
    /// network.
    Retention,
    /// `reach`: persons and organisations per network and year ([`Dataset::reach_table`]).
    Reach,
    /// `mix`: sector and role mix per network and year ([`Dataset::mix_table`]).
    Mix,
    /// `gatherings`: registration figures per gathering ([`Dataset::gathering_table`]).
    GatheringStats,
    /// `national_report`: one row per network per year and a national row
    /// ([`Dataset::national_report`]).
    NationalReport,
}

impl Report {
    /// Every report, in catalogue order.
    pub const ALL: [Report; 6] = [
        Report::FirstTime,
        Report::Retention,
        Report::Reach,
        Report::Mix,
        Report::GatheringStats,
        Report::NationalReport,
    ];

    /// The stable names, in the order of [`Report::ALL`].
    pub const NAMES: [&'static str; 6] = [
        "first_time",
        "retention",
        "reach",
        "mix",
        "gatherings",
        "national_report",
    ];

    /// The stable snake_case name.
    pub const fn name(self) -> &'static str {
        Report::NAMES[self as usize]
    }

    /// The report of a name; an unknown name is [`AnalyticsError::InvalidReport`] (which does
    /// not echo the name).
    pub fn parse(name: &str) -> Result<Report, AnalyticsError> {
        Report::ALL
            .into_iter()
            .find(|r| r.name() == name)
            .ok_or(AnalyticsError::InvalidReport)
    }

    /// Whether [`Dataset::report`] narrows this report to the `network` it is given: only
    /// retention, computed per cohort. The other reports already have a row per network (or
    /// per gathering) and cover them all.
    pub const fn takes_network(self) -> bool {
        matches!(self, Report::Retention)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Report {
    type Err = AnalyticsError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Report::parse(name)
    }
}

impl Dataset {
    /// The table of a report with the suppression rule applied. `network` narrows the reports
    /// that take one ([`Report::takes_network`]: retention) and is ignored by the others.
    ///
    /// ```
    /// use alor_analytics::{Report, Suppression};
    /// use alor_demo::{synthetic, SyntheticConfig};
    ///
    /// let data = synthetic(&SyntheticConfig { years: 2, ..SyntheticConfig::default() }).unwrap();
    /// let report = Report::parse("gatherings").unwrap();
    /// let table = data.report(report, None, Suppression::default());
    /// assert_eq!(table.name, "gatherings");
    /// assert!(Report::parse("attendance").is_err());
    /// ```
    pub fn report(&self, report: Report, network: Option<&str>, rule: Suppression) -> Table {
        match report {
            Report::FirstTime => self.first_time_table(rule),
            Report::Retention => self.retention_table(network, rule),
            Report::Reach => self.reach_table(rule),
            Report::Mix => self.mix_table(rule),
            Report::GatheringStats => self.gathering_table(rule),
            Report::NationalReport => self.national_report(rule),
        }
    }
}

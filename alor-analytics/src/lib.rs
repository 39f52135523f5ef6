//! # alor-analytics
//!
//! Participation analytics and the national report over alor-core's data.
//!
//! The networks quote "15–30 % new each time"; the national working group (RAG) wants common
//! reporting across networks to the Directorate of Health. This module computes those figures
//! from identities (person keys and organisation numbers), not from names or self-declared
//! check boxes, fast enough for decades of data, and safe to publish.
//!
//! ## The dataset
//!
//! A [`Dataset`] holds one row per registration — network, gathering, date, person key,
//! organisation, sector, role, final [`Outcome`], whether the person was ever waitlisted, join
//! time and seat time — and per gathering its capacity and peak waitlist ([`GatheringInfo`]).
//! It is columnar: every column is a `Vec` of small integers (dictionary-encoded person,
//! organisation, network and gathering keys; one-byte enums), rows sorted once by gathering and
//! gatherings by date, so each report is one or two sequential passes with bitsets or stamp
//! arrays instead of hash joins.
//!
//! Build it from ledgers ([`DatasetBuilder::add_log`], exact; [`DatasetBuilder::add_ledger`]
//! from state), from CSV ([`Dataset::from_csv`], schema documented there), from text columns
//! ([`Dataset::from_columns`], the Arrow path of the Python binding), or generate it with
//! the `alor-demo` crate (`alor_demo::synthetic`). The person key from a ledger is the
//! normalised e-mail address, taken before any pseudonymisation; use
//! [`Dataset::pseudonymised`] before the data leaves the organiser.
//!
//! ## Reports
//!
//! Definitions are in the docs of the report functions; in short:
//! [`Dataset::first_time`] (first attendance in the network and nationally, per gathering),
//! [`Dataset::retention`] (cohort by first year), [`Dataset::reach`] (persons and organisations
//! per network and year, new organisations), [`Dataset::mix`] (sector and role),
//! [`Dataset::gathering_stats`] (fill rate, waitlist pressure, wait, no-shows, late
//! cancellations) and [`Dataset::national_report`] (one row per network per year).
//! The `*_table` functions return a [`Table`] (CSV, JSON, and Arrow in Python) with
//! [`Suppression`] applied; [`Dataset::html_report`] is a self-contained HTML page with
//! SVG charts in bokmål, nynorsk or English.
//!
//! [`Report`] is the catalogue of the published tables, defined once: each report's stable
//! name ([`Report::NAMES`]: `first_time`, `retention`, `reach`, `mix`, `gatherings`,
//! `national_report`), [`Report::parse`] for names from outside, and [`Dataset::report`] to
//! compute any of them. The bindings take their names from it.
//!
//! ## Privacy
//!
//! Published tables hide counts of persons between 1 and 4 by default (`k = 5`, never below 3),
//! with secondary suppression in every additive group so totals do not give them away.
//! [`Pseudonymiser`] replaces person keys with HMAC-SHA-256 pseudonyms under a key the caller
//! keeps: stable for one key, unrelated across keys, and not reversible by trying e-mail
//! addresses without the key.
//!
//! ```
//! use alor_analytics::{Report, Suppression};
//! use alor_demo::{synthetic, SyntheticConfig};
//!
//! let data = synthetic(&SyntheticConfig { years: 3, ..SyntheticConfig::default() }).unwrap();
//! let first = data.first_time();
//! let attendees: u32 = first.iter().map(|g| g.attendees).sum();
//! let new: u32 = first.iter().skip(22).map(|g| g.first_time_network).sum();
//! let later: u32 = first.iter().skip(22).map(|g| g.attendees).sum();
//! assert!(attendees > 0 && (0.10..0.40).contains(&(f64::from(new) / f64::from(later))));
//!
//! let report = data.national_report(Suppression::default());
//! assert_eq!(report.rows(), 3 * (11 + 1)); // 11 networks and the national row, per year
//! assert!(report.to_csv().starts_with("network,year,"));
//! assert_eq!(report, data.report(Report::parse("national_report").unwrap(), None, Suppression::default()));
//! ```

#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod catalogue;
mod csv;
mod dataset;
mod error;
mod html;
mod input;
mod national;
mod privacy;
mod reports;
mod table;

pub use catalogue::Report;
pub use dataset::{
    Columns, Dataset, DatasetBuilder, GatheringInfo, Outcome, RowInput, RowView, NO_TIME, YEARS,
};
pub use error::{AnalyticsError, CellProblem, RowError};
pub use input::{TextColumns, CSV_COLUMNS, DERIVED_COLUMNS};
pub use national::ALL_NETWORKS;
pub use privacy::{Pseudonymiser, Suppression};
pub use reports::{FirstTime, GatheringStats, Mix, Reach, Retention};
pub use table::{Column, Table, Values};

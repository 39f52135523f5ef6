//! The season example, as a library: the account of alor Rogaland's autumn season, played by
//! [`alor_demo::play`] (the one loop: a host that executes each step with the version it last
//! saw, lets holds expire on time and records every refusal with its code).
//!
//! `main.rs` prints [`account`]; `tests/season.rs` checks that it says what the ledger says, and
//! `tests/golden.rs` that the season's log, snapshots and account are byte-identical to the
//! committed golden files.

mod account;
mod lines;

use alor_core::time::{oslo_zone_name, to_oslo};
use chrono::{DateTime, Duration, Utc};

pub use account::account;

/// The README's Rust snippets, compiled and run as doctests of this crate.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

// ---------------------------------------------------------------------------------------------
// Times as people read them

/// A time as people in Norway read it: "Mon 07 Sep 09:02 CEST".
pub fn local(at: DateTime<Utc>) -> String {
    format!(
        "{} {}",
        to_oslo(at).format("%a %d %b %H:%M"),
        oslo_zone_name(at)
    )
}

/// A span in days, hours and minutes: "2 d 3 h", "19 h 5 min", "45 min".
pub fn span(d: Duration) -> String {
    let minutes = d.num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours, mins) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

//! What the core publishes for its bindings and test runners: every error code by area, and
//! the locale names. Python, JavaScript and the scenario runners read these lists from here (the
//! bindings export them), never from a copy, so a new code reaches every surface at once.

use crate::error::{ArgumentError, DataError, ValidationError};
use crate::ledger::LedgerError;
use crate::time::LocalTimeError;

/// One error area: its name (what `Error::area` returns, and what picks an exception class)
/// and every code its errors can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorArea {
    /// `"validation"`, `"ledger"`, `"data"`, `"argument"` or `"time"`.
    pub name: &'static str,
    /// Every code, in a stable order.
    pub codes: &'static [&'static str],
}

/// Every error area of the core with its codes. Crates beside the core publish their own
/// (`alor_analytics::AnalyticsError::CODES`, `alor_store::StoreError::OWN_CODES`).
pub const ERROR_AREAS: &[ErrorArea] = &[
    ErrorArea {
        name: "validation",
        codes: ValidationError::CODES,
    },
    ErrorArea {
        name: "ledger",
        codes: LedgerError::CODES,
    },
    ErrorArea {
        name: "data",
        codes: DataError::CODES,
    },
    ErrorArea {
        name: "argument",
        codes: ArgumentError::CODES,
    },
    ErrorArea {
        name: "time",
        codes: LocalTimeError::CODES,
    },
];

/// The keys of the core's JSON shapes (gatherings, commands, events, registrations, snapshots)
/// whose values are instants, as RFC 3339 strings in UTC. A binding that hands out native date
/// types (Python's aware `datetime`) converts exactly these; a test in `alor-demo` serialises a
/// whole played season and fails when an instant appears under a key missing here.
pub const INSTANT_KEYS: &[&str] = &[
    "as_of",
    "at",
    "cancellation_deadline",
    "cancelled_at",
    "closes_at",
    "ends_at",
    "expires_at",
    "joined_at",
    "last_event_at",
    "offer_expires_at",
    "offered_at",
    "opens_at",
    "seated_at",
    "starts_at",
    "valid_until",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Field;

    #[test]
    fn codes_are_unique_within_and_across_areas_and_snake_case() {
        let mut all: Vec<&str> = ERROR_AREAS
            .iter()
            .flat_map(|a| a.codes.iter().copied())
            .collect();
        for code in &all {
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{code}"
            );
        }
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n, "a code appears twice");
    }

    #[test]
    fn validation_codes_follow_the_fields() {
        let codes: Vec<&str> = Field::ALL
            .iter()
            .map(|f| ValidationError::new(*f, crate::Problem::Required).code())
            .collect();
        assert_eq!(codes, ValidationError::CODES);
    }
}

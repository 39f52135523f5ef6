//! The store's one error enum, with a stable code per variant.

use alor_core::{LedgerError, ValidationError};

/// Anything the store refuses or fails at. Messages name gatherings (ids are not personal data),
/// sequence numbers and SQLite result codes, never a name, e-mail address or phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The ledger refused the command (`conflict`, `gathering_full`, …). Nothing was written.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// An input failed the core's validation, e.g. a gathering given to
    /// [`Store::create_gathering`](crate::Store::create_gathering) with inconsistent dates or
    /// policy; the code is the core's (`invalid_dates`, `invalid_policy`, …).
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// No gathering with this id is stored.
    #[error("no gathering {id} is stored")]
    UnknownGathering {
        /// The id asked for.
        id: String,
    },
    /// A gathering with this id is stored already; it was left as it was.
    #[error("gathering {id} is stored already")]
    GatheringExists {
        /// The id.
        id: String,
    },
    /// SQLite failed (I/O, a full disk, a lock held past the busy timeout). Whatever the
    /// operation would have written was rolled back.
    #[error("database error while {during}: {detail}")]
    Database {
        /// What the store was doing, e.g. `"inserting events"`.
        during: &'static str,
        /// SQLite's result code, never the values involved.
        detail: String,
    },
    /// A stored row cannot be read back: malformed JSON, a sequence gap, an event that cannot
    /// follow the state before it, a snapshot that contradicts itself.
    #[error("corrupt data in gathering {gathering}, {location}: {reason}")]
    CorruptData {
        /// The gathering whose data is bad.
        gathering: String,
        /// Which row, e.g. `"event 12"` or `"snapshot at version 256"`.
        location: String,
        /// What is wrong, in terms of shape, ids and sequence numbers (the core's messages,
        /// which never quote values).
        reason: String,
    },
    /// The database file was written by a newer alor-store.
    #[error(
        "database schema version {found} is not supported (this library reads up to {supported})"
    )]
    UnsupportedSchema {
        /// The `user_version` found in the file.
        found: i64,
        /// The newest schema version this library knows.
        supported: i64,
    },
    /// The file is an SQLite database of another application, or not a database at all.
    /// [`Store::open`](crate::Store::open) left it exactly as it was: no table added, journal
    /// mode untouched.
    #[error("the file is not an alor store; it was left unchanged")]
    NotAnAlorStore,
}

impl StoreError {
    /// Every code of the store's own variants (the pass-through variants use the core's codes).
    pub const OWN_CODES: &'static [&'static str] = &[
        "unknown_gathering",
        "gathering_exists",
        "database",
        "corrupt_data",
        "unsupported_store_schema",
        "not_an_alor_store",
    ];

    /// Stable machine code: the core's code for a refused command or an invalid gathering,
    /// otherwise one of [`StoreError::OWN_CODES`].
    pub const fn code(&self) -> &'static str {
        match self {
            StoreError::Ledger(e) => e.code(),
            StoreError::Validation(e) => e.code(),
            StoreError::UnknownGathering { .. } => "unknown_gathering",
            StoreError::GatheringExists { .. } => "gathering_exists",
            StoreError::Database { .. } => "database",
            StoreError::CorruptData { .. } => "corrupt_data",
            StoreError::UnsupportedSchema { .. } => "unsupported_store_schema",
            StoreError::NotAnAlorStore => "not_an_alor_store",
        }
    }

    /// Wraps an SQLite failure, keeping its result code only: SQLite's own messages can quote
    /// SQL, and rusqlite's conversion errors can quote values.
    pub(crate) fn database(during: &'static str, err: rusqlite::Error) -> Self {
        let detail = match &err {
            rusqlite::Error::SqliteFailure(e, _) => {
                format!("{:?} (extended code {})", e.code, e.extended_code)
            }
            other => match other.sqlite_error_code() {
                Some(code) => format!("{code:?}"),
                None => String::from("unexpected result from SQLite"),
            },
        };
        StoreError::Database { during, detail }
    }

    pub(crate) fn corrupt(
        gathering: &str,
        location: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        StoreError::CorruptData {
            gathering: gathering.into(),
            location: location.into(),
            reason: reason.into(),
        }
    }
}

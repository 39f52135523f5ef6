use std::fmt;

use serde::{Deserialize, Serialize};

/// What is wrong with one cell of an input row (CSV or columns from Arrow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellProblem {
    /// Required and empty.
    Required,
    /// Not of the expected shape (a date that is not `YYYY-MM-DD`, a number with letters).
    Malformed,
    /// Not one of the allowed values (an unknown status, sector or role).
    OutOfRange,
    /// An organisation number whose MOD11 check digit is wrong or that is not nine digits.
    InvalidOrganisationNumber,
    /// Contradicts an earlier row (another date or capacity for the same gathering, another
    /// network for the same gathering id).
    Inconsistent,
    /// A second attended row for the same person at the same gathering.
    Duplicate,
    /// A column the schema does not know (header row only).
    UnknownColumn,
    /// A required column is missing (header row only).
    MissingColumn,
    /// The row has more or fewer fields than the header.
    WrongFieldCount,
}

impl CellProblem {
    /// Stable snake_case code.
    pub const fn code(self) -> &'static str {
        match self {
            CellProblem::Required => "required",
            CellProblem::Malformed => "malformed",
            CellProblem::OutOfRange => "out_of_range",
            CellProblem::InvalidOrganisationNumber => "invalid_organisation_number",
            CellProblem::Inconsistent => "inconsistent",
            CellProblem::Duplicate => "duplicate",
            CellProblem::UnknownColumn => "unknown_column",
            CellProblem::MissingColumn => "missing_column",
            CellProblem::WrongFieldCount => "wrong_field_count",
        }
    }
}

impl fmt::Display for CellProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One bad cell: where it is and what is wrong, never the value itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RowError {
    /// The row number: for CSV the line's record number counting the header as row 1; for
    /// columns, the 1-based row index.
    pub row: usize,
    /// The column: its name from the schema, or for a column the schema does not know its
    /// 1-based position (`column 3`), never its header text (which could be personal data).
    /// Empty for a problem of the whole row ([`CellProblem::WrongFieldCount`]).
    pub column: String,
    /// What is wrong.
    pub problem: CellProblem,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.problem == CellProblem::UnknownColumn {
            // The column is already named by position: `row 1 column 3: unknown_column`.
            write!(f, "row {} {}: {}", self.row, self.column, self.problem)
        } else {
            write!(
                f,
                "row {} column {}: {}",
                self.row, self.column, self.problem
            )
        }
    }
}

/// Errors of the analytics area. Messages name rows, columns and limits, never personal values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalyticsError {
    /// Input rows failed validation. Every bad cell is listed (up to
    /// [`AnalyticsError::MAX_LISTED`]); `count` is the total number of bad cells. Nothing is
    /// dropped silently: a dataset is only built when there are none.
    #[error("{count} invalid cell(s) in the input; first: {}", first_of(.errors))]
    InvalidRows {
        /// Total number of bad cells found.
        count: usize,
        /// The first bad cells, in row order.
        errors: Vec<RowError>,
    },
    /// A small-cell threshold below the floor was asked for.
    #[error("suppression threshold {requested} is below the minimum of {minimum}")]
    SuppressionThresholdTooLow {
        /// The threshold asked for.
        requested: u32,
        /// The lowest threshold allowed.
        minimum: u32,
    },
    /// The pseudonymisation key is empty or too short to be secret.
    #[error("the pseudonymisation key has {length} bytes; at least {minimum} are required")]
    PseudonymKeyTooShort {
        /// Length of the key given, in bytes.
        length: usize,
        /// Minimum length, in bytes.
        minimum: usize,
    },
    /// Input columns have different lengths.
    #[error("column {column} has {found} values, expected {expected}")]
    ColumnLengthMismatch {
        /// The column.
        column: String,
        /// Its length.
        found: usize,
        /// The length of the first column.
        expected: usize,
    },
    /// More rows, persons or gatherings than the dataset's 32-bit keys can hold.
    #[error("the dataset is too large (more than {limit} {what})")]
    TooLarge {
        /// What overflowed (rows, persons, gatherings).
        what: &'static str,
        /// The limit.
        limit: u64,
    },
    /// A generator or report option is out of range.
    #[error("option {option} is out of range")]
    InvalidOption {
        /// The option's name.
        option: &'static str,
    },
    /// A report name that is not in the catalogue ([`crate::Report::NAMES`]). The name given
    /// is not echoed.
    #[error("report must be one of {}", crate::Report::NAMES.join(", "))]
    InvalidReport,
    /// An event log or ledger given as input could not be read (the core's error and code:
    /// `malformed_data`, `sequence_gap`, …).
    #[error(transparent)]
    Core(#[from] alor_core::Error),
}

fn first_of(errors: &[RowError]) -> String {
    errors
        .first()
        .map_or_else(|| String::from("none"), ToString::to_string)
}

impl AnalyticsError {
    /// At most this many bad cells are listed in [`AnalyticsError::InvalidRows`].
    pub const MAX_LISTED: usize = 100;

    /// Every code of this area's own variants, in declaration order ([`AnalyticsError::Core`]
    /// passes the core's codes through).
    pub const CODES: &'static [&'static str] = &[
        "invalid_rows",
        "suppression_threshold_too_low",
        "pseudonym_key_too_short",
        "column_length_mismatch",
        "dataset_too_large",
        "invalid_option",
        "invalid_report",
    ];

    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            AnalyticsError::InvalidRows { .. } => "invalid_rows",
            AnalyticsError::SuppressionThresholdTooLow { .. } => "suppression_threshold_too_low",
            AnalyticsError::PseudonymKeyTooShort { .. } => "pseudonym_key_too_short",
            AnalyticsError::ColumnLengthMismatch { .. } => "column_length_mismatch",
            AnalyticsError::TooLarge { .. } => "dataset_too_large",
            AnalyticsError::InvalidOption { .. } => "invalid_option",
            AnalyticsError::InvalidReport => "invalid_report",
            AnalyticsError::Core(e) => e.code(),
        }
    }
}

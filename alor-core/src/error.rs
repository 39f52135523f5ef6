//! Errors: one enum per area, each variant with a stable machine code.
//!
//! Codes are part of the public contract: every surface (Rust, Python, JavaScript) exposes the same
//! `code` string, and the scenario files in `tests/scenarios` assert them. Messages never contain
//! personal data (names, e-mail addresses, phone numbers): they name the field or the registration id.

use serde::{Deserialize, Serialize};

use crate::ledger::LedgerError;

/// The field of an input that a [`ValidationError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// A person's full name.
    Name,
    /// A person's e-mail address.
    Email,
    /// A person's phone number.
    Phone,
    /// The organisation's name.
    OrganisationName,
    /// The organisation number (*organisasjonsnummer*).
    OrganisationNumber,
    /// The organisation's industry.
    Industry,
    /// The sector (private or public).
    Sector,
    /// The role of a participant.
    Role,
    /// An identifier (of a network or gathering).
    Id,
    /// A title or other descriptive text.
    Title,
    /// A free-text reason given by an organiser.
    Reason,
    /// The registration policy.
    Policy,
    /// The gathering's dates.
    Dates,
}

impl Field {
    /// Every field, in a stable order.
    pub const ALL: [Field; 13] = [
        Field::Name,
        Field::Email,
        Field::Phone,
        Field::OrganisationName,
        Field::OrganisationNumber,
        Field::Industry,
        Field::Sector,
        Field::Role,
        Field::Id,
        Field::Title,
        Field::Reason,
        Field::Policy,
        Field::Dates,
    ];

    /// The stable snake_case name of the field, as used in JSON and in error payloads.
    pub const fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::OrganisationName => "organisation_name",
            Field::OrganisationNumber => "organisation_number",
            Field::Industry => "industry",
            Field::Sector => "sector",
            Field::Role => "role",
            Field::Id => "id",
            Field::Title => "title",
            Field::Reason => "reason",
            Field::Policy => "policy",
            Field::Dates => "dates",
        }
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Problem {
    /// Required and empty (or only white space).
    #[error("is required")]
    Required,
    /// Longer than allowed.
    #[error("is longer than {max} characters")]
    TooLong {
        /// The maximum number of characters.
        max: usize,
    },
    /// Contains control characters.
    #[error("contains control characters")]
    ControlCharacters,
    /// Not of the expected shape (an e-mail address without `@`, a phone number with letters).
    #[error("is not well-formed")]
    Malformed,
    /// An organisation number that is not exactly nine digits.
    #[error("must be exactly nine digits")]
    NotNineDigits,
    /// An organisation number whose MOD11 check digit is wrong.
    #[error("has a wrong check digit (MOD11)")]
    CheckDigit,
    /// A value outside the allowed set or range (an unknown role, an inverted date range).
    #[error("is out of range")]
    OutOfRange,
}

impl Problem {
    /// Stable code of the problem alone (without the field).
    pub const fn code(self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::TooLong { .. } => "too_long",
            Problem::ControlCharacters => "control_characters",
            Problem::Malformed => "malformed",
            Problem::NotNineDigits => "not_nine_digits",
            Problem::CheckDigit => "check_digit",
            Problem::OutOfRange => "out_of_range",
        }
    }
}

/// An input value failed validation. Carries the field and the problem, never the value itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[error("{field} {problem}")]
pub struct ValidationError {
    /// The field that failed.
    pub field: Field,
    /// What is wrong with it.
    pub problem: Problem,
}

impl ValidationError {
    /// Every code: one per [`Field`], in [`Field::ALL`]'s order.
    pub const CODES: &'static [&'static str] = &[
        "invalid_name",
        "invalid_email",
        "invalid_phone",
        "invalid_organisation_name",
        "invalid_organisation_number",
        "invalid_industry",
        "invalid_sector",
        "invalid_role",
        "invalid_id",
        "invalid_title",
        "invalid_reason",
        "invalid_policy",
        "invalid_dates",
    ];

    /// Creates a validation error.
    pub const fn new(field: Field, problem: Problem) -> Self {
        Self { field, problem }
    }

    /// Stable machine code: `invalid_<field>`, e.g. `invalid_email`, `invalid_organisation_number`.
    pub const fn code(&self) -> &'static str {
        match self.field {
            Field::Name => "invalid_name",
            Field::Email => "invalid_email",
            Field::Phone => "invalid_phone",
            Field::OrganisationName => "invalid_organisation_name",
            Field::OrganisationNumber => "invalid_organisation_number",
            Field::Industry => "invalid_industry",
            Field::Sector => "invalid_sector",
            Field::Role => "invalid_role",
            Field::Id => "invalid_id",
            Field::Title => "invalid_title",
            Field::Reason => "invalid_reason",
            Field::Policy => "invalid_policy",
            Field::Dates => "invalid_dates",
        }
    }
}

/// Stored data (a snapshot or an event log) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataError {
    /// The JSON could not be parsed, or did not have the expected shape.
    /// The detail names the position and the expected shape, never a value.
    #[error("malformed data: {detail}")]
    Malformed {
        /// Where and what (from the parser), with values left out.
        detail: String,
    },
    /// The data was written with a schema version this library does not read.
    #[error("unsupported schema version {found} (this library reads {supported})")]
    UnsupportedSchemaVersion {
        /// The version found in the data.
        found: u32,
        /// The version this library reads and writes.
        supported: u32,
    },
    /// Event sequence numbers are not consecutive from the ledger's version.
    #[error("event sequence gap: expected {expected}, found {found}")]
    SequenceGap {
        /// The sequence number that should come next.
        expected: u64,
        /// The sequence number found.
        found: u64,
    },
    /// An event cannot be applied to the state it follows (unknown registration, illegal
    /// transition, time going backwards). The log is corrupt or belongs to another gathering.
    #[error("event {seq} cannot be applied: {reason}")]
    InapplicableEvent {
        /// Sequence number of the event.
        seq: u64,
        /// Why, in terms of ids and statuses.
        reason: crate::ledger::EventProblem,
    },
    /// A snapshot's registrations contradict each other (two active registrations for one
    /// person, counted seats over capacity without an override).
    #[error("inconsistent snapshot: {reason}")]
    InconsistentSnapshot {
        /// Why, in terms of ids and counts.
        reason: crate::ledger::SnapshotProblem,
    },
    /// Events were asked of a [`Journal`](crate::Journal) that started from a snapshot, from
    /// before that snapshot: it never had them.
    #[error(
        "events not kept: this journal started from a snapshot at version {kept_after} \
         and keeps only the events after it"
    )]
    EventsNotKept {
        /// The version of the snapshot: events after it are kept.
        kept_after: u64,
    },
}

impl DataError {
    /// Every code.
    pub const CODES: &'static [&'static str] = &[
        "malformed_data",
        "unsupported_schema_version",
        "sequence_gap",
        "inapplicable_event",
        "inconsistent_snapshot",
        "events_not_kept",
    ];

    /// Stable machine code.
    pub const fn code(&self) -> &'static str {
        match self {
            DataError::Malformed { .. } => "malformed_data",
            DataError::UnsupportedSchemaVersion { .. } => "unsupported_schema_version",
            DataError::SequenceGap { .. } => "sequence_gap",
            DataError::InapplicableEvent { .. } => "inapplicable_event",
            DataError::InconsistentSnapshot { .. } => "inconsistent_snapshot",
            DataError::EventsNotKept { .. } => "events_not_kept",
        }
    }

    /// The stable code of the typed reason, if the error has one: an
    /// [`EventProblem`](crate::ledger::EventProblem)'s or a
    /// [`SnapshotProblem`](crate::ledger::SnapshotProblem)'s (`unknown_registration`,
    /// `over_capacity`, …). Finer than [`DataError::code`], which stays the contract.
    pub const fn reason_code(&self) -> Option<&'static str> {
        match self {
            DataError::InapplicableEvent { reason, .. } => Some(reason.code()),
            DataError::InconsistentSnapshot { reason } => Some(reason.code()),
            _ => None,
        }
    }

    /// Wraps a serde_json error without echoing the input: serde_json's messages quote
    /// unexpected *values* for some errors (`invalid value: string "kari@x.no"`), so only the
    /// category and position are kept.
    pub fn from_json(err: &serde_json::Error) -> Self {
        let category = match err.classify() {
            serde_json::error::Category::Io => "i/o error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected shape or value",
            serde_json::error::Category::Eof => "unexpected end of input",
        };
        let shape = shape_of(&err.to_string());
        let detail = if err.line() == 0 {
            format!("{category}{shape}")
        } else {
            format!(
                "{category} at line {} column {}{shape}",
                err.line(),
                err.column()
            )
        };
        DataError::Malformed { detail }
    }

    /// The error for a message of any serde deserializer (serde-wasm-bindgen's, say), kept to
    /// what it says about the shape, as [`DataError::from_json`] does: never a quoted value.
    pub fn from_serde_message(message: &str) -> Self {
        DataError::Malformed {
            detail: format!("unexpected shape or value{}", shape_of(message)),
        }
    }
}

/// Keeps the parts of a serde message that describe the *shape* (missing field, unknown
/// variant, expected type) and drops anything that quotes the value.
fn shape_of(message: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or("");
    let safe_prefixes = [
        "instant ",
        "missing field",
        "unknown field",
        "unknown variant",
        "duplicate field",
        "invalid type",
        "invalid length",
        "expected",
        "trailing",
        "EOF",
        "key must be",
        "invalid number",
        "number out of range",
        "recursion limit",
        "control character",
        "invalid escape",
        "invalid unicode",
        "lone leading surrogate",
    ];
    if !safe_prefixes.iter().any(|p| message.starts_with(p)) {
        return String::new();
    }
    // "invalid type: string \"kari\", expected u32" -> keep only "invalid type: string, expected u32".
    // Before the word "expected", serde quotes the *value* in "double quotes" (strings) or
    // `backticks` (numbers, chars, unknown names): drop both with what they hold. After it come
    // the names the type expects (`one of \`nb\`, \`en\``): ours, not the input's, so keep them
    // (without their backticks), or the message would read "expected one of,,,".
    let mut out = String::with_capacity(message.len());
    let mut quote: Option<char> = None;
    let mut expected = false; // past the first unquoted "expected"
    let mut rest = message;
    while let Some(c) = rest.chars().next() {
        let next = &rest[c.len_utf8()..];
        match (quote, c) {
            (None, _) if !expected && rest.starts_with("expected") => {
                expected = true;
                out.push(c);
            }
            (None, '"') => quote = Some(c),
            (None, '`') if expected => {} // a name we expect: keep it, drop the backtick
            (None, '`') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (Some('"'), '\\') => {
                // An escaped character inside a quoted value: skip it too.
                let mut after = next.chars();
                after.next();
                rest = after.as_str();
                continue;
            }
            (Some(_), _) => {}
            (None, _) => out.push(c),
        }
        rest = next;
    }
    let out = out.replace(" ,", ",").replace("  ", " ");
    // Values such as `invalid value: integer 12345` are not quoted: cut after the type word.
    let out = match out.find("invalid value:") {
        Some(_) => String::from("invalid value"),
        None => out,
    };
    format!(": {}", out.trim_end())
}

/// What is wrong with a value a binding was handed, before any domain rule looks at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArgumentProblem {
    /// Not of the type the operation takes (a number where an object belongs).
    WrongType,
    /// A date and time without a time zone: which instant it means is unknown.
    NaiveDatetime,
    /// Not a date and time, or one outside the representable range.
    Datetime,
    /// An expected version that is not a whole number from 0 to [`MAX_VERSION`](crate::MAX_VERSION).
    Version,
    /// A registration id that is not a whole number from 1 to 2^32 - 1.
    RegistrationId,
    /// A locale that is not one of [`Locale::ALL`](crate::Locale::ALL) or its aliases.
    Locale,
}

impl ArgumentProblem {
    /// The stable machine code.
    pub const fn code(self) -> &'static str {
        match self {
            ArgumentProblem::WrongType => "invalid_argument",
            ArgumentProblem::NaiveDatetime => "naive_datetime",
            ArgumentProblem::Datetime => "invalid_datetime",
            ArgumentProblem::Version => "invalid_version",
            ArgumentProblem::RegistrationId => "invalid_registration",
            ArgumentProblem::Locale => "invalid_locale",
        }
    }

    const fn expectation(self) -> &'static str {
        match self {
            ArgumentProblem::WrongType => "is not of the type this operation takes",
            ArgumentProblem::NaiveDatetime => "has no time zone; pass an aware date and time",
            ArgumentProblem::Datetime => "is not a date and time that can be expressed in UTC",
            ArgumentProblem::Version => "must be a whole number from 0 to 2^53 - 1",
            ArgumentProblem::RegistrationId => "must be a whole number from 1 to 2^32 - 1",
            ArgumentProblem::Locale => {
                "must be one of \"nb\", \"en\" (or \"no\", \"nb-NO\", \"en-GB\")"
            }
        }
    }
}

/// A value handed to an operation through a binding that is not of the kind it takes. Every
/// surface raises these codes for the same mistakes (see [`ERROR_AREAS`](crate::ERROR_AREAS)).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {argument} {}", .problem.code(), .problem.expectation())]
pub struct ArgumentError {
    /// The argument's name as the surface spells it (`expected_version`, `expectedVersion`).
    pub argument: String,
    /// What is wrong.
    pub problem: ArgumentProblem,
}

impl ArgumentError {
    /// Every code.
    pub const CODES: &'static [&'static str] = &[
        "invalid_argument",
        "naive_datetime",
        "invalid_datetime",
        "invalid_version",
        "invalid_registration",
        "invalid_locale",
    ];

    /// An error about `argument`.
    pub fn new(argument: impl Into<String>, problem: ArgumentProblem) -> Self {
        ArgumentError {
            argument: argument.into(),
            problem,
        }
    }

    /// The stable machine code.
    pub const fn code(&self) -> &'static str {
        self.problem.code()
    }
}

/// Any error of this library. Each area's enum converts into it; `code()` is stable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Bad input value.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// A command the ledger refuses.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// Stored data that cannot be read.
    #[error(transparent)]
    Data(#[from] DataError),
    /// A value handed through a binding that is not of the kind the operation takes.
    #[error(transparent)]
    Argument(#[from] ArgumentError),
}

impl Error {
    /// The stable machine code of the underlying variant.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation(e) => e.code(),
            Error::Ledger(e) => e.code(),
            Error::Data(e) => e.code(),
            Error::Argument(e) => e.code(),
        }
    }

    /// The error area: `"validation"`, `"ledger"`, `"data"` or `"argument"`. Bindings map each
    /// area to its own exception class.
    pub fn area(&self) -> &'static str {
        match self {
            Error::Validation(_) => "validation",
            Error::Ledger(_) => "ledger",
            Error::Data(_) => "data",
            Error::Argument(_) => "argument",
        }
    }
}

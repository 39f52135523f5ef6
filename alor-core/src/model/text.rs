//! Text values parsed once: labels, personal names, e-mail addresses, phone numbers, slugs.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::Problem;

/// Maximum length, in characters, of names and short labels.
pub const MAX_NAME_CHARS: usize = 200;
/// Maximum length, in characters, of an e-mail address (RFC 5321 path limit).
pub const MAX_EMAIL_CHARS: usize = 254;
/// Maximum length, in characters, of an id (network or gathering slug).
pub const MAX_ID_CHARS: usize = 64;

fn clean(text: &str, max: usize) -> Result<String, Problem> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Problem::Required);
    }
    if trimmed.chars().any(char::is_control) {
        return Err(Problem::ControlCharacters);
    }
    // Collapse runs of white space so "Kari  Nordmann" and "Kari Nordmann" are one name.
    let collapsed = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() > max {
        return Err(Problem::TooLong { max });
    }
    Ok(collapsed)
}

// The text is immutable once parsed, so it is shared (`Arc<str>`): cloning a value, as the
// ledger does when an event's person becomes a registration, costs a reference count rather than
// an allocation. Serialised it is the plain string, exactly as a `String` would be.
macro_rules! string_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
        #[serde(try_from = "String")]
        pub struct $name(Arc<str>);

        impl $name {
            /// The value as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = Problem;
            fn try_from(value: String) -> Result<Self, Problem> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                String::from(&*value.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_newtype!(
    /// A short descriptive text (organisation name, title, theme, venue): trimmed, white space
    /// collapsed, 1 to 200 characters, no control characters.
    Label
);

impl Label {
    /// Parses a label.
    pub fn parse(text: &str) -> Result<Self, Problem> {
        clean(text, MAX_NAME_CHARS).map(|text| Label(text.into()))
    }
}

string_newtype!(
    /// A person's name. Any script and emoji are fine; 1 to 200 characters after trimming.
    ///
    /// `Debug` prints `PersonName(..)`: names are personal data and stay out of logs.
    PersonName
);

impl PersonName {
    /// Parses a name.
    pub fn parse(text: &str) -> Result<Self, Problem> {
        clean(text, MAX_NAME_CHARS).map(|text| PersonName(text.into()))
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonName(..)")
    }
}

string_newtype!(
    /// An e-mail address, normalised for identity: trimmed and lower-cased, so
    /// `Kari.Nordmann@Avinor.NO` and `kari.nordmann@avinor.no` are one person.
    ///
    /// The check is deliberately shallow (one `@`, a non-empty local part, a dotted domain, no
    /// white space): deliverability is proven by sending mail, not by a regular expression.
    /// `Debug` hides the address.
    Email
);

impl Email {
    /// Parses and normalises an e-mail address.
    pub fn parse(text: &str) -> Result<Self, Problem> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(Problem::Required);
        }
        if trimmed.chars().count() > MAX_EMAIL_CHARS {
            return Err(Problem::TooLong {
                max: MAX_EMAIL_CHARS,
            });
        }
        if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Problem::Malformed);
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or(Problem::Malformed)?;
        let domain_ok = domain.contains('.')
            && domain
                .split('.')
                .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
            && !domain.contains('@');
        if local.is_empty() || local.contains('@') || local.chars().count() > 64 || !domain_ok {
            return Err(Problem::Malformed);
        }
        Ok(Email(trimmed.to_lowercase().into()))
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(..)")
    }
}

string_newtype!(
    /// A phone number, normalised to digits with an optional leading `+` (spaces, dashes and
    /// dots removed): 8 to 15 digits. `Debug` hides the number.
    Phone
);

impl Phone {
    /// Parses and normalises a phone number.
    pub fn parse(text: &str) -> Result<Self, Problem> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(Problem::Required);
        }
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => ("+", rest),
            None => ("", trimmed),
        };
        let mut digits = String::with_capacity(rest.len());
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' => {}
                _ => return Err(Problem::Malformed),
            }
        }
        if !(8..=15).contains(&digits.len()) {
            return Err(Problem::Malformed);
        }
        Ok(Phone(format!("{plus}{digits}").into()))
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Phone(..)")
    }
}

string_newtype!(
    /// The id of a network or gathering: a slug of 1 to 64 characters from `a-z`, `0-9`, `-`, `_`
    /// (for example `rogaland-2026-host`). Ids are strings on every surface, so they never lose
    /// precision in JavaScript.
    Slug
);

impl Slug {
    /// Parses an id.
    pub fn parse(text: &str) -> Result<Self, Problem> {
        if text.is_empty() {
            return Err(Problem::Required);
        }
        if text.len() > MAX_ID_CHARS {
            return Err(Problem::TooLong { max: MAX_ID_CHARS });
        }
        if !text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            return Err(Problem::Malformed);
        }
        Ok(Slug(text.into()))
    }
}

impl fmt::Debug for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Slug({})", self.0)
    }
}

impl fmt::Debug for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Label({:?})", self.0)
    }
}

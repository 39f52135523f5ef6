//! The domain nouns: networks, organisations, persons, gatherings.
//!
//! Values that come from outside (names, e-mail addresses, organisation numbers) are parsed once,
//! here, into types that cannot hold an invalid value. Deserialising one of these types runs the
//! same parser, so a JSON command with a bad organisation number never reaches the ledger.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Field, Problem, ValidationError};
use crate::policy::RegistrationPolicy;

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

/// A Norwegian organisation number (*organisasjonsnummer*): nine digits whose last digit is a
/// MOD11 check digit over the first eight with weights 3, 2, 7, 6, 5, 4, 3, 2.
///
/// ```
/// use alor_core::OrgNumber;
/// assert_eq!(OrgNumber::parse("985 198 292").unwrap().to_string(), "985198292"); // Avinor AS
/// assert!(OrgNumber::parse("985198293").is_err()); // wrong check digit
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgNumber(u32);

impl OrgNumber {
    const WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

    /// Parses an organisation number. Spaces are allowed between digit groups ("985 198 292").
    pub fn parse(text: &str) -> Result<Self, Problem> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(Problem::Required);
        }
        let mut digits = [0u32; 9];
        let mut n = 0;
        for c in trimmed.chars() {
            match c {
                ' ' => {}
                '0'..='9' if n < 9 => {
                    digits[n] = c as u32 - '0' as u32;
                    n += 1;
                }
                _ => return Err(Problem::NotNineDigits),
            }
        }
        if n != 9 {
            return Err(Problem::NotNineDigits);
        }
        if Self::check_digit(&digits[..8]) != Some(digits[8]) {
            return Err(Problem::CheckDigit);
        }
        Ok(OrgNumber(digits.iter().fold(0, |acc, d| acc * 10 + d)))
    }

    /// The MOD11 check digit for eight leading digits, or `None` when the computed digit would
    /// be 10 (no valid number has those eight digits).
    pub fn check_digit(first_eight: &[u32]) -> Option<u32> {
        let sum: u32 = first_eight
            .iter()
            .zip(Self::WEIGHTS)
            .map(|(d, w)| d * w)
            .sum();
        match 11 - sum % 11 {
            11 => Some(0),
            10 => None,
            d => Some(d),
        }
    }

    /// The number as an integer (000000000 to 999999999).
    pub const fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<String> for OrgNumber {
    type Error = Problem;
    fn try_from(value: String) -> Result<Self, Problem> {
        Self::parse(&value)
    }
}

impl From<OrgNumber> for String {
    fn from(value: OrgNumber) -> String {
        value.to_string()
    }
}

impl fmt::Display for OrgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:09}", self.0)
    }
}

impl fmt::Debug for OrgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OrgNumber({:09})", self.0)
    }
}

/// The language of messages and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Locale {
    /// Norwegian bokmål (the default).
    #[default]
    Nb,
    /// English.
    En,
}

/// Private or public sector (*privat eller offentlig virksomhet*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    /// Private companies (*privat virksomhet*).
    Private,
    /// Public bodies: municipalities, hospitals, state agencies (*offentlig virksomhet*).
    Public,
}

impl Sector {
    /// All sectors, in a stable order.
    pub const ALL: [Sector; 2] = [Sector::Private, Sector::Public];

    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Sector::Private => "private",
            Sector::Public => "public",
        }
    }

    /// A label for people.
    pub const fn label(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Sector::Private, Locale::Nb) => "Privat virksomhet",
            (Sector::Public, Locale::Nb) => "Offentlig virksomhet",
            (Sector::Private, Locale::En) => "Private sector",
            (Sector::Public, Locale::En) => "Public sector",
        }
    }
}

/// Why a participant meets substance-use problems through their job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A manager (*leder*).
    Manager,
    /// HR / personnel department (*personalavdeling*).
    Hr,
    /// Occupational health service (*bedriftshelsetjeneste*, BHT).
    OccupationalHealth,
    /// Health, safety and environment staff (*HMS-personell*).
    Hse,
    /// Akan contact (*Akan-kontakt*).
    AkanContact,
    /// Safety representative (*verneombud*).
    SafetyRepresentative,
    /// Union representative (*tillitsvalgt*).
    UnionRepresentative,
    /// A colleague (*kollega*).
    Colleague,
    /// Anything else (*annet*).
    Other,
}

impl Role {
    /// All roles, in a stable order.
    pub const ALL: [Role; 9] = [
        Role::Manager,
        Role::Hr,
        Role::OccupationalHealth,
        Role::Hse,
        Role::AkanContact,
        Role::SafetyRepresentative,
        Role::UnionRepresentative,
        Role::Colleague,
        Role::Other,
    ];

    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Manager => "manager",
            Role::Hr => "hr",
            Role::OccupationalHealth => "occupational_health",
            Role::Hse => "hse",
            Role::AkanContact => "akan_contact",
            Role::SafetyRepresentative => "safety_representative",
            Role::UnionRepresentative => "union_representative",
            Role::Colleague => "colleague",
            Role::Other => "other",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(text: &str) -> Result<Self, Problem> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Problem::Required);
        }
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == text)
            .ok_or(Problem::OutOfRange)
    }

    /// A label for people.
    pub const fn label(self, locale: Locale) -> &'static str {
        match locale {
            Locale::Nb => match self {
                Role::Manager => "Leder",
                Role::Hr => "HR / personalavdeling",
                Role::OccupationalHealth => "Bedriftshelsetjeneste",
                Role::Hse => "HMS-personell",
                Role::AkanContact => "Akan-kontakt",
                Role::SafetyRepresentative => "Verneombud",
                Role::UnionRepresentative => "Tillitsvalgt",
                Role::Colleague => "Kollega",
                Role::Other => "Annet",
            },
            Locale::En => match self {
                Role::Manager => "Manager",
                Role::Hr => "HR / personnel",
                Role::OccupationalHealth => "Occupational health service",
                Role::Hse => "Health, safety and environment",
                Role::AkanContact => "Akan contact",
                Role::SafetyRepresentative => "Safety representative",
                Role::UnionRepresentative => "Union representative",
                Role::Colleague => "Colleague",
                Role::Other => "Other",
            },
        }
    }
}

impl Sector {
    /// Parses the snake_case name.
    pub fn parse(text: &str) -> Result<Self, Problem> {
        match text.trim() {
            "" => Err(Problem::Required),
            "private" => Ok(Sector::Private),
            "public" => Ok(Sector::Public),
            _ => Err(Problem::OutOfRange),
        }
    }
}

/// An organisation taking part: identified by its organisation number, never by its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// The organisation's name as the participant wrote it (for display only).
    pub name: Label,
    /// The organisation number: the organisation's identity.
    pub number: OrgNumber,
    /// Private or public.
    pub sector: Sector,
    /// Industry, free text (e.g. "Luftfart", "Kommune").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<Label>,
}

/// A person's contact details: the personal data of a registration, removed on erasure.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Full name.
    pub name: PersonName,
    /// E-mail address, normalised: the person's identity within a gathering.
    pub email: Email,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
}

/// A person signing up: contact details, organisation and role.
///
/// Deserialising runs [`PersonDraft::validate`], the one validator of sign-up fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PersonInput")]
pub struct Person {
    /// Full name.
    pub name: PersonName,
    /// E-mail address, normalised.
    pub email: Email,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    /// The organisation the person comes from.
    pub organisation: Organisation,
    /// The person's role at work.
    pub role: Role,
}

/// A person as it arrives in JSON (the shape of [`Person`]), every value still unchecked.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// Full name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// The organisation.
    pub organisation: OrganisationInput,
    /// Role name.
    pub role: String,
}

/// An organisation as it arrives in JSON, every value still unchecked.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    /// Name.
    pub name: String,
    /// Organisation number.
    pub number: String,
    /// `private` or `public`.
    pub sector: String,
    /// Industry.
    #[serde(default)]
    pub industry: Option<String>,
}

impl From<PersonInput> for PersonDraft {
    fn from(input: PersonInput) -> Self {
        PersonDraft {
            name: input.name,
            email: input.email,
            phone: input.phone.unwrap_or_default(),
            organisation_name: input.organisation.name,
            organisation_number: input.organisation.number,
            sector: input.organisation.sector,
            industry: input.organisation.industry.unwrap_or_default(),
            role: input.role,
        }
    }
}

impl TryFrom<PersonInput> for Person {
    type Error = ValidationError;
    fn try_from(input: PersonInput) -> Result<Self, ValidationError> {
        PersonDraft::from(input)
            .validate()
            .map_err(|errors| errors[0])
    }
}

/// A sign-up form as typed: every field a string, nothing validated yet.
///
/// [`PersonDraft::validate`] turns it into a [`Person`] or the list of every field that is wrong,
/// so a form can show all problems at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonDraft {
    /// Full name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Phone number; empty means none.
    pub phone: String,
    /// Organisation name.
    pub organisation_name: String,
    /// Organisation number.
    pub organisation_number: String,
    /// `private` or `public`.
    pub sector: String,
    /// Industry; empty means none.
    pub industry: String,
    /// One of the [`Role`] names, e.g. `manager`.
    pub role: String,
}

impl PersonDraft {
    /// Validates every field and returns the person, or all field errors in form order.
    pub fn validate(&self) -> Result<Person, Vec<ValidationError>> {
        let mut errors = Vec::new();
        fn check<T>(
            errors: &mut Vec<ValidationError>,
            field: Field,
            result: Result<T, Problem>,
        ) -> Option<T> {
            result
                .map_err(|problem| errors.push(ValidationError::new(field, problem)))
                .ok()
        }
        let name = check(&mut errors, Field::Name, PersonName::parse(&self.name));
        let email = check(&mut errors, Field::Email, Email::parse(&self.email));
        let phone = check(
            &mut errors,
            Field::Phone,
            optional(&self.phone, Phone::parse),
        );
        let org_name = check(
            &mut errors,
            Field::OrganisationName,
            Label::parse(&self.organisation_name),
        );
        let number = check(
            &mut errors,
            Field::OrganisationNumber,
            OrgNumber::parse(&self.organisation_number),
        );
        let sector = check(&mut errors, Field::Sector, Sector::parse(&self.sector));
        let industry = check(
            &mut errors,
            Field::Industry,
            optional(&self.industry, Label::parse),
        );
        let role = check(&mut errors, Field::Role, Role::parse(&self.role));
        match (name, email, phone, org_name, number, sector, industry, role) {
            (
                Some(name),
                Some(email),
                Some(phone),
                Some(org_name),
                Some(number),
                Some(sector),
                Some(industry),
                Some(role),
            ) => Ok(Person {
                name,
                email,
                phone,
                organisation: Organisation {
                    name: org_name,
                    number,
                    sector,
                    industry,
                },
                role,
            }),
            _ => Err(errors),
        }
    }
}

fn optional<T>(text: &str, parse: fn(&str) -> Result<T, Problem>) -> Result<Option<T>, Problem> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse(text).map(Some)
    }
}

/// The KORUS region a network belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// KORUS Stavanger.
    Stavanger,
    /// KORUS Vest (Bergen).
    Vest,
    /// KORUS Midt.
    Midt,
    /// KORUS Nord.
    Nord,
    /// KORUS Øst.
    Ost,
    /// KORUS Oslo.
    Oslo,
    /// KORUS Sør.
    Sor,
}

/// What kind of body co-hosts a network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostKind {
    /// A regional competence centre on substance use (KORUS).
    Korus,
    /// A treatment service (A-senter, TSB).
    Treatment,
    /// Akan, the national workplace competence centre.
    Akan,
    /// Anyone else.
    Other,
}

/// An organisation that runs a network.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Host {
    /// Name, e.g. "KORUS Stavanger", "Rogaland A-senter".
    pub name: Label,
    /// What kind of host.
    pub kind: HostKind,
}

/// A regional alor network (*alor-nettverk*).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// Id, e.g. `rogaland`.
    pub id: Slug,
    /// Name, e.g. "alor Rogaland".
    pub name: Label,
    /// The KORUS region.
    pub region: Region,
    /// The organisations that run it.
    pub hosts: Vec<Host>,
    /// Contact persons (*kontaktpersoner*).
    #[serde(default)]
    pub contacts: Vec<Contact>,
}

/// A price in Norwegian kroner, stored in øre so arithmetic is exact.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Nok(pub u64);

impl Nok {
    /// From whole kroner.
    pub const fn kroner(kr: u64) -> Self {
        Nok(kr * 100)
    }
}

/// Where a gathering is held.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Venue {
    /// Name, e.g. "Sola Strand Hotel".
    pub name: Label,
    /// Town, e.g. "Sola".
    pub town: Label,
}

/// A gathering (*samling*) of a network: what, when, where, and the registration rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gathering {
    /// Id, e.g. `rogaland-2026-host`.
    pub id: Slug,
    /// The network that holds it.
    pub network: Slug,
    /// Title, e.g. "Høstsamling 2026".
    pub title: Label,
    /// The theme, e.g. "Fra bekymring til handling".
    pub theme: Label,
    /// When it starts (the registration desk opens). Attendance can be marked from here on.
    pub starts_at: DateTime<Utc>,
    /// When it ends.
    pub ends_at: DateTime<Utc>,
    /// Where.
    pub venue: Venue,
    /// Price per participant (*selvkostpris*).
    pub price: Nok,
    /// The registration rules; the ledger keeps `capacity` current as it changes.
    pub policy: RegistrationPolicy,
}

impl Gathering {
    /// Parses a gathering from JSON and checks it.
    pub fn from_json(json: &str) -> Result<Self, crate::Error> {
        let gathering: Gathering =
            serde_json::from_str(json).map_err(|e| crate::DataError::from_json(&e))?;
        gathering.validate()?;
        Ok(gathering)
    }

    /// Checks the dates and the policy against each other.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.ends_at < self.starts_at {
            return Err(ValidationError::new(Field::Dates, Problem::OutOfRange));
        }
        self.policy.validate(self.starts_at)
    }
}

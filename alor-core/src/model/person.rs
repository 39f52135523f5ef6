//! Participants: their sector, role, organisation and contact, the sign-up form, and the
//! shapes they arrive in as JSON.

use serde::{Deserialize, Serialize};

use crate::error::{Field, Problem, ValidationError};

use super::{Email, Label, OrgNumber, PersonName, Phone};
use crate::check::{text, Locale};

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
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Sector::Private => text("sector.private", locale),
            Sector::Public => text("sector.public", locale),
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
    pub fn label(self, locale: Locale) -> &'static str {
        lookup_role(self, locale)
    }
}

fn lookup_role(role: Role, locale: Locale) -> &'static str {
    match role {
        Role::Manager => text("role.manager", locale),
        Role::Hr => text("role.hr", locale),
        Role::OccupationalHealth => text("role.occupational_health", locale),
        Role::Hse => text("role.hse", locale),
        Role::AkanContact => text("role.akan_contact", locale),
        Role::SafetyRepresentative => text("role.safety_representative", locale),
        Role::UnionRepresentative => text("role.union_representative", locale),
        Role::Colleague => text("role.colleague", locale),
        Role::Other => text("role.other", locale),
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

//! The domain nouns: networks, organisations, persons, gatherings.
//!
//! Values that come from outside (names, e-mail addresses, organisation numbers) are parsed once,
//! here, into types that cannot hold an invalid value. Deserialising one of these types runs the
//! same parser, so a JSON command with a bad organisation number never reaches the ledger.

mod gathering;
mod org_number;
mod person;
mod text;

pub use gathering::{Gathering, Host, HostKind, Network, Nok, Region, Venue};
pub use org_number::OrgNumber;
pub use person::{
    Contact, Organisation, OrganisationInput, Person, PersonDraft, PersonInput, Role, Sector,
};
pub use text::{
    Email, Label, PersonName, Phone, Slug, MAX_EMAIL_CHARS, MAX_ID_CHARS, MAX_NAME_CHARS,
};

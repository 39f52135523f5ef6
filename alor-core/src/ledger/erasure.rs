//! Erasure in an event-sourced store.
//!
//! [`Command::Erase`](super::Command::Erase) removes a registration's contact details from the
//! state, but the stored events that registered the person still hold them. A host that erases
//! must also rewrite its stored log: [`EventLog::redact_erased`] replaces the person in every
//! event of an erased registration with a placeholder. Replaying the redacted log gives exactly
//! the same state as before (erased registrations have no contact either way), so the log stays
//! a valid history. Organisation, role and statuses are kept: they are not personal data and the
//! statistics depend on them.

use std::collections::BTreeSet;

use super::{Event, EventLog, RegistrationId};
use crate::model::{Email, Person, PersonName};

impl EventLog {
    /// Replaces name, e-mail and phone in every event of each erased registration. Returns how
    /// many events were rewritten. Idempotent.
    pub fn redact_erased(&mut self) -> usize {
        let erased: BTreeSet<RegistrationId> = self
            .events
            .iter()
            .filter_map(|r| match r.event {
                Event::Erased { registration } => Some(registration),
                _ => None,
            })
            .collect();
        let mut rewritten = 0;
        for recorded in &mut self.events {
            let (id, person) = match &mut recorded.event {
                Event::Registered {
                    registration,
                    person,
                    ..
                } => (*registration, person),
                Event::Substituted {
                    substitute, person, ..
                } => (*substitute, person),
                _ => continue,
            };
            if erased.contains(&id) && !is_placeholder(person, id) {
                redact(person, id);
                rewritten += 1;
            }
        }
        rewritten
    }
}

/// A placeholder unique per registration, so replaying never sees two "people" as one.
fn placeholder_email(id: RegistrationId) -> Email {
    Email::parse(&format!("erased-{}@erased.invalid", id.0)).expect("placeholder is valid")
}

fn is_placeholder(person: &Person, id: RegistrationId) -> bool {
    person.email == placeholder_email(id)
}

fn redact(person: &mut Person, id: RegistrationId) {
    person.name = PersonName::parse("[slettet]").expect("placeholder is valid");
    person.email = placeholder_email(id);
    person.phone = None;
}

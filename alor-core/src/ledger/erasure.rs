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

use super::{Event, EventLog, Recorded, RegistrationId};
use crate::model::{Email, Person, PersonName};

impl EventLog {
    /// Replaces name, e-mail and phone in every event of each erased registration. Returns how
    /// many events were rewritten. Idempotent.
    pub fn redact_erased(&mut self) -> usize {
        redact_erased(&mut self.events)
    }
}

/// [`EventLog::redact_erased`] on a run of events: the registrations erased in `events` are
/// redacted in `events`.
pub(super) fn redact_erased(events: &mut [Recorded]) -> usize {
    let erased: BTreeSet<RegistrationId> = events
        .iter()
        .filter_map(|r| match r.event {
            Event::Erased { registration } => Some(registration),
            _ => None,
        })
        .collect();
    redact_registrations(events, &erased)
}

/// Redacts the person in every event of `events` that brought one of `erased` in (a sign-up or
/// a substitution); the other events hold no personal data. Returns how many were rewritten.
pub(super) fn redact_registrations(
    events: &mut [Recorded],
    erased: &BTreeSet<RegistrationId>,
) -> usize {
    if erased.is_empty() {
        return 0;
    }
    let mut rewritten = 0;
    for recorded in events {
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

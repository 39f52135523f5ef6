//! Sign-ups and substitutions: the two commands that bring a new person into the ledger.

use chrono::{DateTime, Utc};

use super::Pending;
use crate::ledger::admission::{self, Admission, Placement};
use crate::ledger::{Actor, Event, LedgerError, RegistrationId, Status};
use crate::model::Person;

impl Pending<'_> {
    /// [`Command::Register`](crate::Command::Register): a seat, a waitlist place or a refusal.
    pub(super) fn register(
        &mut self,
        person: &Person,
        first_time: bool,
        by: Actor,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        // The window and the admission rule are shared with `crate::check` (one copy).
        admission::window(self, by, now)?;
        if self.is_active_email(&person.email) {
            return Err(LedgerError::AlreadyRegistered);
        }
        let id = self.next_id()?;
        let Admission {
            placement,
            priority,
        } = admission::admit(self, person.organisation.number, first_time)?;
        let status = match placement {
            Placement::Seat => Status::Confirmed,
            Placement::Waitlist(_) => Status::Waitlisted,
        };
        self.emit(
            now,
            Event::Registered {
                registration: id,
                person: person.clone(),
                first_time,
                priority,
                status,
                by,
            },
        );
        Ok(())
    }

    /// [`Command::Substitute`](crate::Command::Substitute): a colleague from the same
    /// organisation takes over a confirmed seat.
    pub(super) fn substitute(
        &mut self,
        registration: RegistrationId,
        person: &Person,
        first_time: bool,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        self.transition(registration, Status::Transferred)?;
        self.not_started(now)?;
        let original = self.registration(registration)?;
        if original.organisation.number != person.organisation.number {
            return Err(LedgerError::SubstituteOtherOrganisation(registration));
        }
        if self.is_active_email(&person.email) {
            return Err(LedgerError::AlreadyRegistered);
        }
        let substitute = self.next_id()?;
        self.emit(
            now,
            Event::Substituted {
                registration,
                substitute,
                person: person.clone(),
                first_time,
            },
        );
        Ok(())
    }
}

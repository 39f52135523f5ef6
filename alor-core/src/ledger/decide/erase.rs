//! Erasure of a registration's contact details (see `ledger/erasure.rs` for the stored log).

use chrono::{DateTime, Utc};

use super::Pending;
use crate::ledger::{Event, LedgerError, RegistrationId};

impl Pending<'_> {
    /// [`Command::Erase`](crate::Command::Erase): allowed once the registration is no longer
    /// active, or once the gathering has ended.
    pub(super) fn erase(
        &mut self,
        registration: RegistrationId,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        let reg = self.registration(registration)?;
        if reg.contact.is_none() {
            return Err(LedgerError::AlreadyErased(registration));
        }
        if self.status(registration).is_active() && now < self.base.gathering.ends_at {
            return Err(LedgerError::EraseActive(registration));
        }
        self.emit(now, Event::Erased { registration });
        Ok(())
    }
}

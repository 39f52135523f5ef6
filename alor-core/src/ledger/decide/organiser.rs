//! The organiser's controls: capacity, closing and reopening registration, seat overrides.

use chrono::{DateTime, Utc};

use super::Pending;
use crate::ledger::{Event, LedgerError, PromotionCause, RegistrationId, Status};
use crate::model::Label;

impl Pending<'_> {
    /// [`Command::ChangeCapacity`](crate::Command::ChangeCapacity). Never below the seats taken
    /// within capacity (overrides beyond it do not count); added seats go to the waitlist.
    pub(super) fn change_capacity(
        &mut self,
        capacity: u32,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        self.not_started(now)?;
        let taken = self.counted - self.base.index.overridden_counted;
        if capacity < taken {
            return Err(LedgerError::CapacityBelowTaken {
                requested: capacity,
                taken,
            });
        }
        let from = self.capacity;
        if capacity != from {
            self.emit(now, Event::CapacityChanged { from, to: capacity });
            self.capacity = capacity;
            if capacity > from {
                self.fill(now, PromotionCause::CapacityIncreased);
            }
        }
        Ok(())
    }

    /// [`Command::CloseRegistration`](crate::Command::CloseRegistration).
    pub(super) fn close_registration(&mut self, now: DateTime<Utc>) -> Result<(), LedgerError> {
        if self.manually_closed {
            return Err(LedgerError::AlreadyClosed);
        }
        self.emit(now, Event::RegistrationClosed);
        self.manually_closed = true;
        Ok(())
    }

    /// [`Command::ReopenRegistration`](crate::Command::ReopenRegistration): seats freed while
    /// closed go to the waitlist now.
    pub(super) fn reopen_registration(&mut self, now: DateTime<Utc>) -> Result<(), LedgerError> {
        if !self.manually_closed {
            return Err(LedgerError::AlreadyOpen);
        }
        self.emit(now, Event::RegistrationReopened);
        self.manually_closed = false;
        self.fill(now, PromotionCause::RegistrationReopened);
        Ok(())
    }

    /// [`Command::OverrideSeat`](crate::Command::OverrideSeat): a waitlisted person seated by
    /// an organiser, beyond capacity if no seat is free (recorded as such).
    pub(super) fn override_seat(
        &mut self,
        registration: RegistrationId,
        reason: &Label,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        let from = self.transition(registration, Status::Confirmed)?;
        if from != Status::Waitlisted {
            return Err(LedgerError::InvalidTransition {
                registration,
                from,
                to: Status::Confirmed,
            });
        }
        self.not_started(now)?;
        self.emit(
            now,
            Event::SeatOverridden {
                registration,
                reason: reason.clone(),
                beyond_capacity: self.free_seats() == 0,
            },
        );
        self.set_status(registration, Status::Confirmed);
        Ok(())
    }
}

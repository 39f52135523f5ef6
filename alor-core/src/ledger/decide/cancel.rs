//! Cancellation: a seat, an offer or a waitlist place given up, and a freed seat passed on.

use chrono::{DateTime, Utc};

use super::Pending;
use crate::ledger::{
    Actor, CancelReason, Event, LedgerError, PromotionCause, RegistrationId, Status,
};

impl Pending<'_> {
    /// [`Command::Cancel`](crate::Command::Cancel). Late if a counted seat is given up at or
    /// after the cancellation deadline; the freed seat goes to the waitlist in the same step.
    pub(super) fn cancel(
        &mut self,
        registration: RegistrationId,
        by: Actor,
        reason: CancelReason,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        let from = self.transition(registration, Status::Cancelled)?;
        self.not_started(now)?;
        let late = from.counts_against_capacity() && now >= self.policy().cancellation_deadline;
        self.emit(
            now,
            Event::Cancelled {
                registration,
                by,
                reason,
                late,
            },
        );
        self.set_status(registration, Status::Cancelled);
        if from.counts_against_capacity() {
            self.fill(now, PromotionCause::SeatFreed { by: registration });
        }
        Ok(())
    }
}

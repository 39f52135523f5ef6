//! Answers to an offered seat: accepting keeps it, declining passes it on.

use chrono::{DateTime, Utc};

use super::Pending;
use crate::ledger::{Event, LedgerError, PromotionCause, RegistrationId, Status};

impl Pending<'_> {
    /// [`Command::AcceptOffer`](crate::Command::AcceptOffer) (`accept`) or
    /// [`Command::DeclineOffer`](crate::Command::DeclineOffer). Only a live offer can be
    /// answered; one that expired (by `settle`, before this) says so.
    pub(super) fn answer_offer(
        &mut self,
        registration: RegistrationId,
        accept: bool,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        self.registration(registration)?;
        match self.status(registration) {
            Status::Offered => {}
            Status::Expired => return Err(LedgerError::OfferExpired(registration)),
            _ => return Err(LedgerError::NoOffer(registration)),
        }
        if accept {
            self.emit(now, Event::OfferAccepted { registration });
            self.set_status(registration, Status::Confirmed);
        } else {
            self.emit(now, Event::OfferDeclined { registration });
            self.set_status(registration, Status::Declined);
            self.fill(now, PromotionCause::SeatFreed { by: registration });
        }
        Ok(())
    }
}

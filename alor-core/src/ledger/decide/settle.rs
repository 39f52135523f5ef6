//! Time passing: expiring holds at their own instants and giving freed seats to the waitlist.
//! Every decision settles first, so a late timer changes nothing.

use chrono::{DateTime, Utc};

use super::Pending;
use crate::ledger::registration::WaitKey;
use crate::ledger::{Event, PromotionCause, RegistrationId, Status};
use crate::policy::Promotion;

impl Pending<'_> {
    /// Whether freed seats may go to the waitlist at `at`: registration open (window and not
    /// closed by an organiser). No offers or promotions after the deadline or the start.
    fn promotions_allowed(&self, at: DateTime<Utc>) -> bool {
        !self.manually_closed && self.policy().window_open(at) && at < self.base.gathering.starts_at
    }

    /// Gives free seats to the first eligible waitlisted people, in policy order.
    pub(super) fn fill(&mut self, at: DateTime<Utc>, cause: PromotionCause) {
        if !self.promotions_allowed(at) {
            return;
        }
        // Promotions only raise organisation counts, so a person skipped as ineligible cannot
        // become eligible later in the same pass, and each search may start at the last one
        // promoted (see `next_eligible`).
        let mut skip_before: Option<WaitKey> = None;
        while self.free_seats() > 0 {
            let next = self.next_eligible(skip_before);
            let Some(key) = next else { break };
            skip_before = Some(key);
            match self.policy().promotion {
                Promotion::Automatic => {
                    self.emit(
                        at,
                        Event::Promoted {
                            registration: key.id(),
                            cause,
                        },
                    );
                    self.set_status(key.id(), Status::Confirmed);
                }
                Promotion::Offer { hold_minutes } => {
                    let expires_at = self.policy().offer_expiry(at, hold_minutes);
                    self.emit(
                        at,
                        Event::Offered {
                            registration: key.id(),
                            expires_at,
                            cause,
                        },
                    );
                    self.set_status(key.id(), Status::Offered);
                    self.new_holds.insert((expires_at, key.id()));
                }
            }
        }
    }

    /// Lets time pass to `now`. If the window opened since the last event, seats that were freed
    /// or added before it opened go to the waitlist at the opening instant (no hold can exist
    /// before then, offers need an open window). Then expires every hold due at or before `now`,
    /// in expiry order, each at its own instant, and offers each freed seat on.
    pub(super) fn settle(&mut self, now: DateTime<Utc>) {
        let opens_at = self.policy().opens_at;
        if opens_at <= now && self.base.last_event_at.is_none_or(|last| last < opens_at) {
            self.fill(opens_at, PromotionCause::RegistrationOpened);
        }
        loop {
            let live =
                |hold: &&(DateTime<Utc>, RegistrationId)| self.status(hold.1) == Status::Offered;
            let from_base = self.base.index.holds.iter().find(live).copied();
            let from_pending = self.new_holds.iter().find(live).copied();
            let next = match (from_base, from_pending) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            match next {
                Some((expires_at, id)) if expires_at <= now => {
                    self.emit(expires_at, Event::OfferExpired { registration: id });
                    self.set_status(id, Status::Expired);
                    self.fill(expires_at, PromotionCause::SeatFreed { by: id });
                }
                _ => break,
            }
        }
    }
}

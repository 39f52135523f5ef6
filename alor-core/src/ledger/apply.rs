//! Applying events: the ones [`Ledger::decide`] returned (never fails), and stored ones, which
//! [`Ledger::try_apply`] checks first.

use super::email_index::email_hash;
use super::{
    Actor, Event, EventProblem, Ledger, Recorded, Registration, RegistrationId, Status, MAX_VERSION,
};
use crate::error::DataError;
use crate::model::Person;

impl Ledger {
    /// Applies an event that [`Ledger::decide`] returned for this state. Never fails.
    ///
    /// For events from storage use [`Ledger::try_apply`] or [`Ledger::replay`], which check each
    /// event first. Applying an event that was not decided on this state is a bug in the caller
    /// and may panic.
    pub fn apply(&mut self, recorded: &Recorded) {
        self.apply_hashed(recorded, None);
    }

    /// [`Ledger::apply`], given the hash of the e-mail of the person the event registers if the
    /// caller computed it already ([`Ledger::try_apply`] does, to check for a duplicate).
    fn apply_hashed(&mut self, recorded: &Recorded, person_hash: Option<u64>) {
        let at = recorded.at;
        self.version = recorded.seq;
        self.last_event_at = Some(at);
        match &recorded.event {
            Event::Registered {
                registration,
                person,
                first_time,
                priority,
                status,
                by,
            } => {
                let mut reg = Registration::new(*registration, person, at);
                reg.first_time = *first_time;
                reg.priority = *priority;
                reg.status = *status;
                reg.registered_by = *by;
                if *status == Status::Confirmed {
                    reg.seated_at = Some(at);
                }
                self.index.add_new(&reg, person_hash);
                self.registrations.push(reg);
            }
            Event::Promoted { registration, .. } | Event::OfferAccepted { registration } => {
                self.update(*registration, |r| {
                    r.status = Status::Confirmed;
                    r.seated_at = Some(at);
                });
            }
            Event::Offered {
                registration,
                expires_at,
                ..
            } => self.update(*registration, |r| {
                r.status = Status::Offered;
                r.offered_at = Some(at);
                r.offer_expires_at = Some(*expires_at);
            }),
            Event::OfferDeclined { registration } => {
                self.update(*registration, |r| r.status = Status::Declined);
            }
            Event::OfferExpired { registration } => {
                self.update(*registration, |r| r.status = Status::Expired);
            }
            Event::Cancelled {
                registration,
                by,
                reason,
                late,
            } => self.update(*registration, |r| {
                r.status = Status::Cancelled;
                r.cancelled_at = Some(at);
                r.cancelled_by = Some(*by);
                r.cancel_reason = Some(*reason);
                r.late_cancellation = *late;
            }),
            Event::Substituted {
                registration,
                substitute,
                person,
                first_time,
            } => {
                let mut overridden = false;
                self.update(*registration, |r| {
                    r.status = Status::Transferred;
                    r.substituted_by = Some(*substitute);
                    overridden = r.overridden;
                });
                let mut reg = Registration::new(*substitute, person, at);
                reg.first_time = *first_time;
                reg.status = Status::Confirmed;
                // The colleague takes over the very seat: one granted beyond capacity stays so,
                // or the counted seats would exceed capacity with no override to show for it.
                reg.overridden = overridden;
                reg.registered_by = Actor::Participant;
                reg.seated_at = Some(at);
                reg.substitute_for = Some(*registration);
                self.index.add_new(&reg, person_hash);
                self.registrations.push(reg);
            }
            Event::AttendanceMarked {
                registration,
                attended,
            } => self.update(*registration, |r| {
                r.status = if *attended {
                    Status::Attended
                } else {
                    Status::NoShow
                };
            }),
            Event::CapacityChanged { to, .. } => self.gathering.policy.capacity = *to,
            Event::RegistrationClosed => self.manually_closed = true,
            Event::RegistrationReopened => self.manually_closed = false,
            Event::SeatOverridden {
                registration,
                beyond_capacity,
                ..
            } => self.update(*registration, |r| {
                r.status = Status::Confirmed;
                r.seated_at = Some(at);
                r.overridden = *beyond_capacity;
            }),
            Event::Erased { registration } => {
                let reg = (registration.0 as usize)
                    .checked_sub(1)
                    .and_then(|i| self.registrations.get_mut(i))
                    .expect("decided events name existing registrations");
                self.index.withdraw(reg);
                reg.contact = None;
                self.index.email_hashes[registration.0 as usize - 1] = 0;
                self.index.add(reg);
            }
        }
    }

    /// Changes a registration and its contribution to the index. `change` must leave the
    /// contact alone (erasure goes through [`Index::withdraw`]/[`Index::add`] itself).
    ///
    /// The e-mail entry is keyed by a string, the costliest part of the index: it is only
    /// touched when the registration becomes active or inactive, not on a promotion, an
    /// accepted offer or attendance, which keep it active.
    fn update(&mut self, id: RegistrationId, change: impl FnOnce(&mut Registration)) {
        let index = &mut self.index;
        let reg = (id.0 as usize)
            .checked_sub(1)
            .and_then(|i| self.registrations.get_mut(i))
            .expect("decided events name existing registrations");
        let was_active = reg.status.is_active();
        index.contribute(reg, false);
        change(reg);
        index.contribute(reg, true);
        if reg.contact.is_some() {
            let hash = index.email_hash_of(reg.id);
            match (was_active, reg.status.is_active()) {
                (true, false) => index.by_email.remove(hash, reg.id),
                (false, true) => index.by_email.insert(hash, reg.id),
                _ => {}
            }
        }
    }

    /// Checks that an event from storage can follow this state, then applies it.
    ///
    /// Checks: consecutive sequence number, time not going backwards, known registration ids,
    /// transitions allowed by [`Status::TRANSITIONS`], no second active registration of one
    /// person, offers held no later than registration closes, erasure only of what may be
    /// erased, and counted seats within capacity plus overrides after the event. So every
    /// invariant [`Ledger::verify`] checks holds after each applied event, and a refused event
    /// leaves the ledger unchanged. It does not re-decide the command (a log is trusted to
    /// contain decisions: who gets priority, whether a cancellation is late).
    pub fn try_apply(&mut self, recorded: &Recorded) -> Result<(), DataError> {
        let seq = recorded.seq;
        if seq > MAX_VERSION {
            return Err(DataError::InapplicableEvent {
                seq,
                reason: EventProblem::BeyondMaxVersion,
            });
        }
        if seq != self.version + 1 {
            return Err(DataError::SequenceGap {
                expected: self.version + 1,
                found: seq,
            });
        }
        let bad = |reason| DataError::InapplicableEvent { seq, reason };
        if let Some(last_event_at) = self.last_event_at.filter(|last| recorded.at < *last) {
            return Err(bad(EventProblem::TimeGoesBackwards {
                last_event_at,
                at: recorded.at,
            }));
        }
        let status_of = |id: RegistrationId| {
            self.registration(id)
                .map(|r| r.status)
                .ok_or_else(|| bad(EventProblem::UnknownRegistration { registration: id }))
        };
        let transition = |id: RegistrationId, to: Status| {
            let from = status_of(id)?;
            if from.can_become(to) {
                Ok(())
            } else {
                Err(bad(EventProblem::ForbiddenTransition {
                    registration: id,
                    from,
                    to,
                }))
            }
        };
        let next_id = self.registrations.len() as u64 + 1;
        let fresh = |id: RegistrationId, person: &Person| {
            if u64::from(id.0) != next_id {
                return Err(bad(EventProblem::UnexpectedNewId {
                    registration: id,
                    expected: next_id,
                }));
            }
            let hash = email_hash(&person.email);
            let active = self
                .index
                .by_email
                .get(hash, &person.email, &self.registrations);
            if active.is_some() {
                return Err(bad(EventProblem::SecondActiveRegistration {
                    registration: id,
                }));
            }
            Ok(hash)
        };
        // The hash of a new registration's e-mail, computed once for the check and the index.
        let mut person_hash = None;
        match &recorded.event {
            Event::Registered {
                registration,
                person,
                status,
                ..
            } => {
                person_hash = Some(fresh(*registration, person)?);
                if !matches!(status, Status::Confirmed | Status::Waitlisted) {
                    return Err(bad(EventProblem::RegisteredAs {
                        registration: *registration,
                        status: *status,
                    }));
                }
            }
            Event::Promoted { registration, .. } | Event::SeatOverridden { registration, .. } => {
                transition(*registration, Status::Confirmed)?;
                if status_of(*registration)? != Status::Waitlisted {
                    return Err(bad(EventProblem::NotWaitlisted {
                        registration: *registration,
                    }));
                }
            }
            Event::OfferAccepted { registration } => {
                transition(*registration, Status::Confirmed)?;
                if status_of(*registration)? != Status::Offered {
                    return Err(bad(EventProblem::NoOffer {
                        registration: *registration,
                    }));
                }
            }
            Event::Offered {
                registration,
                expires_at,
                ..
            } => {
                transition(*registration, Status::Offered)?;
                if *expires_at < recorded.at {
                    return Err(bad(EventProblem::OfferExpiresBeforeMade {
                        registration: *registration,
                    }));
                }
                if *expires_at > self.gathering.policy.closes_at {
                    return Err(bad(EventProblem::HoldOutlastsWindow {
                        registration: *registration,
                    }));
                }
            }
            Event::OfferDeclined { registration } => transition(*registration, Status::Declined)?,
            Event::OfferExpired { registration } => transition(*registration, Status::Expired)?,
            Event::Cancelled { registration, .. } => transition(*registration, Status::Cancelled)?,
            Event::Substituted {
                registration,
                substitute,
                person,
                ..
            } => {
                transition(*registration, Status::Transferred)?;
                person_hash = Some(fresh(*substitute, person)?);
            }
            Event::AttendanceMarked {
                registration,
                attended,
            } => transition(
                *registration,
                if *attended {
                    Status::Attended
                } else {
                    Status::NoShow
                },
            )?,
            Event::CapacityChanged { from, .. } => {
                if *from != self.capacity() {
                    return Err(bad(EventProblem::CapacityMismatch {
                        recorded: *from,
                        actual: self.capacity(),
                    }));
                }
            }
            Event::RegistrationClosed => {
                if self.manually_closed {
                    return Err(bad(EventProblem::AlreadyClosed));
                }
            }
            Event::RegistrationReopened => {
                if !self.manually_closed {
                    return Err(bad(EventProblem::NotClosed));
                }
            }
            Event::Erased { registration } => {
                let erasable = self.registration(*registration).map(|r| {
                    r.contact.is_some()
                        && (!r.status.is_active() || recorded.at >= self.gathering.ends_at)
                });
                match erasable {
                    None => {
                        return Err(bad(EventProblem::UnknownRegistration {
                            registration: *registration,
                        }))
                    }
                    Some(false) => {
                        return Err(bad(EventProblem::NotErasable {
                            registration: *registration,
                        }))
                    }
                    Some(true) => {}
                }
            }
        }
        if self.registrations.len() >= u32::MAX as usize - 1 {
            return Err(bad(EventProblem::TooManyRegistrations));
        }
        // The invariant an event can break that the checks above do not rule out: a seat
        // recorded on a full gathering (a sign-up as confirmed, an offer, a promotion, a capacity
        // lowered below the seats taken). Only these events raise the counted seats against
        // capacity plus overrides (an override beyond capacity raises both, a cancellation or a
        // substitution neither), so checking them before applying keeps the state untouched on
        // refusal, in O(1), and the error names the first event that breaks the invariant.
        let adds_seat = matches!(
            recorded.event,
            Event::Registered {
                status: Status::Confirmed,
                ..
            } | Event::Promoted { .. }
                | Event::Offered { .. }
                | Event::SeatOverridden {
                    beyond_capacity: false,
                    ..
                }
        );
        let capacity = match recorded.event {
            Event::CapacityChanged { to, .. } => to,
            _ => self.capacity(),
        };
        let counted = self.index.counted + u32::from(adds_seat);
        let overridden = self.index.overridden_counted;
        if counted > capacity.saturating_add(overridden) {
            return Err(bad(EventProblem::OverCapacity {
                counted,
                capacity,
                overridden,
            }));
        }
        self.apply_hashed(recorded, person_hash);
        Ok(())
    }
}

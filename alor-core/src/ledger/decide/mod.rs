//! Deciding a command: [`Ledger::decide`] and the overlay it works in.
//!
//! The overlay ([`Pending`]) lives here with the helpers every command uses; each command family
//! decides in its own file, as methods of [`Pending`]: sign-ups and substitutions
//! (`register.rs`), cancellations (`cancel.rs`), answers to offers (`offers.rs`), attendance
//! (`attendance.rs`), the organiser's controls (`organiser.rs`), erasure (`erase.rs`), and time
//! passing, which every decision does first (`settle.rs`).

mod attendance;
mod cancel;
mod erase;
mod offers;
mod organiser;
mod register;
mod settle;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound::{Excluded, Unbounded};

use chrono::{DateTime, Utc};

use super::admission;
use super::email_index::email_hash;
use super::registration::WaitKey;
use super::{
    Command, Event, Ledger, LedgerError, OrgCount, Recorded, Registration, RegistrationId, Status,
};
use crate::model::{Email, OrgNumber};

impl Ledger {
    /// The events `command` causes at `now`, without changing anything.
    ///
    /// `expected_version`: the version the caller last saw. If given and the ledger has moved on,
    /// the command is refused with [`LedgerError::Conflict`] (optimistic concurrency: a stale
    /// write is rejected, never merged).
    pub fn decide(
        &self,
        command: &Command,
        now: DateTime<Utc>,
        expected_version: Option<u64>,
    ) -> Result<Vec<Recorded>, LedgerError> {
        if let Some(expected) = expected_version {
            if expected != self.version {
                return Err(LedgerError::Conflict {
                    expected,
                    actual: self.version,
                });
            }
        }
        if self.last_event_at.is_some_and(|last| now < last) {
            return Err(LedgerError::TimeWentBackwards);
        }
        let mut pending = Pending::new(self);
        pending.settle(now);
        pending.run(command, now)?;
        Ok(pending.events)
    }

    /// Decides and applies: returns the events recorded. On error nothing changes.
    pub fn execute(
        &mut self,
        command: &Command,
        now: DateTime<Utc>,
        expected_version: Option<u64>,
    ) -> Result<Vec<Recorded>, LedgerError> {
        let events = self.decide(command, now, expected_version)?;
        for event in &events {
            self.apply(event);
        }
        Ok(events)
    }

    /// Lets time pass to `now`: expires due holds and offers their seats on.
    pub fn handle_timeout(&mut self, now: DateTime<Utc>) -> Result<Vec<Recorded>, LedgerError> {
        self.execute(&Command::HandleTimeout, now, None)
    }
}

/// A decision in progress: the base state plus an overlay of what the decision changed so far.
///
/// `decide` must not mutate the ledger and must stay O(log n), so instead of cloning the state
/// the overlay records changed statuses and counts, and consults the base for everything else.
///
/// Every status change goes through [`Pending::set_status`], which records the registration's
/// organisation in `orgs`: so an organisation absent from `orgs` is exactly as in the base
/// (counts, queue, eligible head), and the overlay only tracks the few it touched.
struct Pending<'a> {
    base: &'a Ledger,
    events: Vec<Recorded>,
    statuses: BTreeMap<RegistrationId, Status>,
    orgs: BTreeMap<OrgNumber, Touched>,
    /// The eligible heads (see [`Index::heads`](super::index::Index)) of the organisations in
    /// `orgs`, as the overlay sees them.
    heads: BTreeSet<WaitKey>,
    new_holds: BTreeSet<(DateTime<Utc>, RegistrationId)>,
    counted: u32,
    capacity: u32,
    manually_closed: bool,
}

/// An organisation the decision changed: its counts, and its first waitlisted person as the
/// overlay sees them. Nobody becomes waitlisted within a decision (only a sign-up is, and it is
/// the decision's last event), so that person only moves back in the organisation's queue.
#[derive(Debug, Clone, Copy)]
struct Touched {
    count: OrgCount,
    next: Option<WaitKey>,
}

impl admission::SeatView for Pending<'_> {
    fn policy(&self) -> &crate::RegistrationPolicy {
        Pending::policy(self)
    }
    fn starts_at(&self) -> DateTime<Utc> {
        self.base.gathering.starts_at
    }
    fn manually_closed(&self) -> bool {
        self.manually_closed
    }
    fn free_seats(&self) -> u32 {
        Pending::free_seats(self)
    }
    fn organisation(&self, number: OrgNumber) -> OrgCount {
        self.org(number)
    }
    fn eligible_waiting(&self) -> bool {
        self.first_eligible().is_some()
    }
}

impl<'a> Pending<'a> {
    fn new(base: &'a Ledger) -> Self {
        Pending {
            base,
            events: Vec::new(),
            statuses: BTreeMap::new(),
            orgs: BTreeMap::new(),
            heads: BTreeSet::new(),
            new_holds: BTreeSet::new(),
            counted: base.index.counted,
            capacity: base.capacity(),
            manually_closed: base.manually_closed,
        }
    }

    fn policy(&self) -> &crate::RegistrationPolicy {
        &self.base.gathering.policy
    }

    fn emit(&mut self, at: DateTime<Utc>, event: Event) {
        let seq = self.base.version + self.events.len() as u64 + 1;
        self.events.push(Recorded { seq, at, event });
    }

    fn registration(&self, id: RegistrationId) -> Result<&'a Registration, LedgerError> {
        self.base
            .registration(id)
            .ok_or(LedgerError::UnknownRegistration(id))
    }

    fn status(&self, id: RegistrationId) -> Status {
        match self.statuses.get(&id) {
            Some(status) => *status,
            None => self
                .base
                .registration(id)
                .map_or(Status::Cancelled, |r| r.status),
        }
    }

    fn org(&self, number: OrgNumber) -> OrgCount {
        match self.orgs.get(&number) {
            Some(touched) => touched.count,
            None => self.base.organisation_count(number),
        }
    }

    fn free_seats(&self) -> u32 {
        self.capacity.saturating_sub(self.counted)
    }

    /// Records a status change of an existing registration in the overlay, with what it does to
    /// its organisation's counts, first waitlisted person and eligible head.
    fn set_status(&mut self, id: RegistrationId, to: Status) {
        let from = self.status(id);
        self.statuses.insert(id, to);
        let Some(reg) = self.base.registration(id) else {
            return;
        };
        let number = reg.organisation.number;
        if self.base.index.cap.is_none() {
            // No queues and no heads to keep (see `Index::contribute`).
            let mut count = self.org(number);
            Self::recount(&mut count, &mut self.counted, from, to);
            self.orgs.insert(number, Touched { count, next: None });
            return;
        }
        let queue = self
            .base
            .index
            .orgs
            .get(&number)
            .map(|entry| &entry.waiting);
        // An organisation touched for the first time has no head in the overlay's set yet (its
        // base head stops counting now that it is in `orgs`).
        let (
            Touched {
                mut count,
                mut next,
            },
            head_before,
        ) = match self.orgs.get(&number) {
            Some(touched) => (*touched, self.eligible(touched.count, touched.next)),
            None => {
                let count = self.base.organisation_count(number);
                let next = queue.and_then(|q| q.first().copied());
                (Touched { count, next }, None)
            }
        };
        Self::recount(&mut count, &mut self.counted, from, to);
        if from == Status::Waitlisted && next == Some(reg.wait_key()) {
            // Everyone before `next` in the queue has left the waitlist already, and whoever
            // left after it is skipped here once: amortised O(log n) per change.
            next = queue.and_then(|q| {
                q.range((Excluded(reg.wait_key()), Unbounded))
                    .find(|key| self.status(key.id()) == Status::Waitlisted)
                    .copied()
            });
        }
        let head_after = self.eligible(count, next);
        if head_before != head_after {
            if let Some(key) = head_before {
                self.heads.remove(&key);
            }
            if let Some(key) = head_after {
                self.heads.insert(key);
            }
        }
        self.orgs.insert(number, Touched { count, next });
    }

    /// What a change `from` → `to` does to an organisation's counts and the counted seats.
    fn recount(count: &mut OrgCount, counted: &mut u32, from: Status, to: Status) {
        if from.counts_against_capacity() != to.counts_against_capacity() {
            if to.counts_against_capacity() {
                *counted += 1;
                count.counted += 1;
            } else {
                *counted -= 1;
                count.counted -= 1;
            }
        }
        if from.is_active() != to.is_active() {
            if to.is_active() {
                count.active += 1;
            } else {
                count.active -= 1;
            }
        }
    }

    /// `next`, if its organisation (with `count`) has room.
    fn eligible(&self, count: OrgCount, next: Option<WaitKey>) -> Option<WaitKey> {
        next.filter(|_| admission::org_has_room(self.policy(), count))
    }

    /// The first waitlisted person whose organisation has room, as the overlay sees it, in
    /// O(log n): the earlier of the base's first eligible head among untouched organisations and
    /// the overlay's own. `from`: a key no untouched organisation's eligible head sorts before
    /// (the last one promoted), so that a run of promotions does not skip the same touched heads
    /// again and again.
    fn next_eligible(&self, from: Option<WaitKey>) -> Option<WaitKey> {
        if self.base.index.cap.is_none() {
            // Every organisation has room: the first still waitlisted. Those skipped left the
            // waitlist in this decision, so there are few.
            let waitlist = &self.base.index.waitlist;
            return match from {
                Some(key) => waitlist.range(key..),
                None => waitlist.range(..),
            }
            .find(|key| self.status(key.id()) == Status::Waitlisted)
            .copied();
        }
        let base = &self.base.index.heads;
        let untouched = match from {
            Some(key) => base.range(key..),
            None => base.range(..),
        }
        .find(|key| {
            self.base
                .registration(key.id())
                .is_some_and(|r| !self.orgs.contains_key(&r.organisation.number))
        })
        .copied();
        let touched = self.heads.first().copied();
        match (untouched, touched) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn first_eligible(&self) -> Option<RegistrationId> {
        self.next_eligible(None).map(WaitKey::id)
    }

    fn not_started(&self, now: DateTime<Utc>) -> Result<(), LedgerError> {
        if now >= self.base.gathering.starts_at {
            Err(LedgerError::GatheringStarted)
        } else {
            Ok(())
        }
    }

    fn transition(&self, id: RegistrationId, to: Status) -> Result<Status, LedgerError> {
        self.registration(id)?;
        let from = self.status(id);
        if from.can_become(to) {
            Ok(from)
        } else {
            Err(LedgerError::InvalidTransition {
                registration: id,
                from,
                to,
            })
        }
    }

    fn is_active_email(&self, email: &Email) -> bool {
        self.base
            .index
            .by_email
            .get(email_hash(email), email, &self.base.registrations)
            .is_some_and(|id| self.status(id).is_active())
    }

    fn next_id(&self) -> Result<RegistrationId, LedgerError> {
        u32::try_from(self.base.registrations.len() + 1)
            .ok()
            .filter(|n| *n < u32::MAX)
            .map(RegistrationId)
            .ok_or(LedgerError::RegistrationLimit)
    }

    /// Decides one command on top of the settled state, by its family (one file each).
    fn run(&mut self, command: &Command, now: DateTime<Utc>) -> Result<(), LedgerError> {
        match command {
            Command::Register {
                person,
                first_time,
                by,
            } => self.register(person, *first_time, *by, now),
            Command::Substitute {
                registration,
                person,
                first_time,
            } => self.substitute(*registration, person, *first_time, now),
            Command::Cancel {
                registration,
                by,
                reason,
            } => self.cancel(*registration, *by, *reason, now),
            Command::AcceptOffer { registration } => self.answer_offer(*registration, true, now),
            Command::DeclineOffer { registration } => self.answer_offer(*registration, false, now),
            Command::MarkAttended { registration } => {
                self.mark_attendance(*registration, true, now)
            }
            Command::MarkNoShow { registration } => self.mark_attendance(*registration, false, now),
            Command::ChangeCapacity { capacity } => self.change_capacity(*capacity, now),
            Command::CloseRegistration => self.close_registration(now),
            Command::ReopenRegistration => self.reopen_registration(now),
            Command::OverrideSeat {
                registration,
                reason,
            } => self.override_seat(*registration, reason, now),
            Command::Erase { registration } => self.erase(*registration, now),
            // Time passing is all it asks for, and `settle` has done that.
            Command::HandleTimeout => Ok(()),
        }
    }
}

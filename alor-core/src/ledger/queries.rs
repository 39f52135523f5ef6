//! Read-only questions to a ledger: counts, the waitlist, the next deadline.

use chrono::{DateTime, Utc};

use super::email_index::email_hash;
use super::{Ledger, OrgCount, Registration, RegistrationId, Status};
use crate::model::{Email, Gathering, OrgNumber};

impl Ledger {
    /// The gathering, with its current capacity.
    pub fn gathering(&self) -> &Gathering {
        &self.gathering
    }

    /// The sequence number of the last event applied; 0 before the first.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// When the last event took effect.
    pub fn last_event_at(&self) -> Option<DateTime<Utc>> {
        self.last_event_at
    }

    /// All registrations, in id order.
    pub fn registrations(&self) -> &[Registration] {
        &self.registrations
    }

    /// One registration.
    pub fn registration(&self, id: RegistrationId) -> Option<&Registration> {
        (id.0 as usize)
            .checked_sub(1)
            .and_then(|i| self.registrations.get(i))
    }

    /// The active registration of a person, by e-mail.
    pub fn active_registration(&self, email: &Email) -> Option<&Registration> {
        self.index
            .by_email
            .get(email_hash(email), email, &self.registrations)
            .and_then(|id| self.registration(id))
    }

    /// The current capacity.
    pub fn capacity(&self) -> u32 {
        self.gathering.policy.capacity
    }

    /// Seats that count against capacity (confirmed, offered, attended, no-show).
    pub fn counted_seats(&self) -> u32 {
        self.index.counted
    }

    /// Counted seats that were granted by an override beyond capacity.
    pub fn overridden_seats(&self) -> u32 {
        self.index.overridden_counted
    }

    /// Seats not taken.
    pub fn free_seats(&self) -> u32 {
        self.capacity().saturating_sub(self.index.counted)
    }

    /// Seats and active registrations of one organisation.
    pub fn organisation_count(&self, number: OrgNumber) -> OrgCount {
        self.index
            .orgs
            .get(&number)
            .map_or_else(OrgCount::default, |entry| entry.count)
    }

    /// Every organisation with an active registration, with its counts, by number.
    pub fn organisation_counts(&self) -> impl Iterator<Item = (OrgNumber, OrgCount)> + '_ {
        self.index.orgs.iter().map(|(n, entry)| (*n, entry.count))
    }

    /// The waitlist, in the order it is served.
    pub fn waitlist(&self) -> impl Iterator<Item = &Registration> + '_ {
        self.index
            .waitlist
            .iter()
            .filter_map(|key| self.registration(key.id()))
    }

    /// How many are waitlisted.
    pub fn waitlist_len(&self) -> usize {
        self.index.waitlist.len()
    }

    /// 1-based place on the waitlist, in O(log n) (linear only for a snapshot whose join times
    /// do not rise with the ids, which no ledger writes).
    pub fn waitlist_position(&self, id: RegistrationId) -> Option<usize> {
        let reg = self.registration(id)?;
        if reg.status != Status::Waitlisted {
            return None;
        }
        let key = reg.wait_key();
        let before = if self.index.positions.in_id_order() {
            self.index.positions.before(key)
        } else {
            self.index.waitlist.range(..key).count()
        };
        Some(before + 1)
    }

    /// Whether an organiser has closed registration.
    pub fn manually_closed(&self) -> bool {
        self.manually_closed
    }

    /// Whether participants can sign up at `now`.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        !self.manually_closed && self.gathering.policy.window_open(now)
    }

    /// The next instant at which time alone changes the state, so the host knows when to call
    /// [`Ledger::handle_timeout`]: the earliest hold expiry, or the opening of the window when
    /// seats wait for it (freed or added before it opened, with eligible people waitlisted).
    /// Never at or before the last event: a host that calls `handle_timeout` at the deadline
    /// sees it move on.
    pub fn next_deadline(&self) -> Option<DateTime<Utc>> {
        let hold = self.index.holds.first().map(|(at, _)| *at);
        let policy = &self.gathering.policy;
        let opening = (self
            .last_event_at
            .is_some_and(|last| last < policy.opens_at)
            && !self.manually_closed
            && self.free_seats() > 0
            && match self.index.cap {
                Some(_) => !self.index.heads.is_empty(),
                None => !self.index.waitlist.is_empty(),
            })
        .then_some(policy.opens_at);
        hold.into_iter().chain(opening).min()
    }
}

//! The registration ledger of one gathering: a pure state machine.
//!
//! [`Ledger::decide`] takes the current state, a [`Command`] and the current instant and returns
//! the [`Recorded`] events that the command causes, or a [`LedgerError`]; it changes nothing.
//! [`Ledger::apply`] applies one of those events and never fails. [`Ledger::execute`] does both.
//! The state is always equal to the replay of its events ([`Ledger::replay`]).
//!
//! Every decision first lets time pass: holds that expired before `now` are expired at their own
//! expiry instant (and their seats offered on) before the command is looked at. So the outcome
//! does not depend on how promptly the host called [`Ledger::handle_timeout`].

pub(crate) mod admission;
mod command;
mod erasure;
mod error;
mod event;
mod people;
mod status;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use admission::WaitReason;
pub use command::{Actor, CancelReason, Command};
pub use error::LedgerError;
pub use event::{Event, PromotionCause, Recorded};
pub use status::Status;

use crate::error::DataError;
use crate::model::{Contact, Email, Gathering, OrgNumber, Organisation, Person, Role};
use crate::policy::Promotion;
use people::{email_hash, ActivePeople};

/// The schema version of snapshots and event logs this library reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The highest version (event sequence number) a ledger reaches: 2^53 - 1, the largest integer
/// JavaScript represents exactly, so versions cross into JS as plain numbers without loss.
pub const MAX_VERSION: u64 = (1 << 53) - 1;

/// A registration's id within its gathering: 1, 2, 3, … in the order the ledger received them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RegistrationId(pub u32);

impl fmt::Display for RegistrationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// One person's registration for the gathering, with its whole history in timestamps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// Id.
    pub id: RegistrationId,
    /// Name, e-mail and phone; `None` once erased.
    pub contact: Option<Contact>,
    /// The organisation.
    pub organisation: Organisation,
    /// The role.
    pub role: Role,
    /// Declared new to the network.
    pub first_time: bool,
    /// In the waitlist's priority class.
    pub priority: bool,
    /// Current status.
    pub status: Status,
    /// Who registered.
    pub registered_by: Actor,
    /// When the person signed up. Never changes, whatever happens later.
    pub joined_at: DateTime<Utc>,
    /// When the person got a confirmed seat (at sign-up, by promotion, by accepting an offer,
    /// or by override).
    pub seated_at: Option<DateTime<Utc>>,
    /// When a seat was offered.
    pub offered_at: Option<DateTime<Utc>>,
    /// When the offer's hold ends.
    pub offer_expires_at: Option<DateTime<Utc>>,
    /// When it was cancelled.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Who cancelled it.
    pub cancelled_by: Option<Actor>,
    /// Why it was cancelled.
    pub cancel_reason: Option<CancelReason>,
    /// Whether it was cancelled at or after the cancellation deadline while holding a seat.
    pub late_cancellation: bool,
    /// Seated by an organiser's override beyond capacity.
    pub overridden: bool,
    /// The registration whose seat this one took over.
    pub substitute_for: Option<RegistrationId>,
    /// The registration that took over this one's seat.
    pub substituted_by: Option<RegistrationId>,
}

impl Registration {
    fn new(id: RegistrationId, person: &Person, at: DateTime<Utc>) -> Self {
        Registration {
            id,
            contact: Some(Contact {
                name: person.name.clone(),
                email: person.email.clone(),
                phone: person.phone.clone(),
            }),
            organisation: person.organisation.clone(),
            role: person.role,
            first_time: false,
            priority: false,
            status: Status::Waitlisted,
            registered_by: Actor::Participant,
            joined_at: at,
            seated_at: None,
            offered_at: None,
            offer_expires_at: None,
            cancelled_at: None,
            cancelled_by: None,
            cancel_reason: None,
            late_cancellation: false,
            overridden: false,
            substitute_for: None,
            substituted_by: None,
        }
    }

    fn wait_key(&self) -> WaitKey {
        WaitKey::new(self.priority, self.joined_at, self.id)
    }
}

/// Seats and live registrations of one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OrgCount {
    /// Registrations that count against capacity.
    pub counted: u32,
    /// Active registrations (including the waitlisted).
    pub active: u32,
}

/// Waitlist order: priority class, then join time, then id.
///
/// Packed into one integer that sorts the same way, from the most significant bit: the class
/// (0 for priority), the join time's Unix seconds (sign bit flipped, so negative ones sort first),
/// its nanoseconds (below 2 000 000 000, leap seconds included: 31 bits), the id. The waitlist is
/// a B-tree searched linearly within each node, so one integer comparison instead of four field
/// comparisons makes inserting and finding a place several times cheaper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct WaitKey(u128);

impl WaitKey {
    fn new(priority: bool, joined_at: DateTime<Utc>, id: RegistrationId) -> Self {
        let class = u128::from(!priority);
        let seconds = u128::from(joined_at.timestamp() as u64 ^ (1 << 63));
        let nanos = u128::from(joined_at.timestamp_subsec_nanos());
        debug_assert!(nanos < 1 << 31);
        WaitKey(class << 127 | seconds << 63 | nanos << 32 | u128::from(id.0))
    }

    fn id(self) -> RegistrationId {
        RegistrationId(self.0 as u32)
    }
}

/// Everything derived from the registrations, kept up to date incrementally and rebuilt from
/// scratch on load. Each registration *contributes* to the index according to its status;
/// a change is "withdraw the old contribution, add the new one".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Index {
    active_people: ActivePeople,
    /// The hash of each registration's e-mail, by id (0 once erased), so that a registration
    /// leaving or joining `active_people` costs neither re-reading its address nor re-hashing.
    email_hashes: Vec<u64>,
    waitlist: BTreeSet<WaitKey>,
    holds: BTreeSet<(DateTime<Utc>, RegistrationId)>,
    orgs: BTreeMap<OrgNumber, OrgCount>,
    counted: u32,
    overridden_counted: u32,
}

impl Index {
    fn build(registrations: &[Registration]) -> Result<Self, DataError> {
        let mut index = Index::default();
        for (i, reg) in registrations.iter().enumerate() {
            if reg.id.0 as usize != i + 1 {
                return Err(DataError::Inconsistent {
                    reason: format!("registration at position {} has id {}", i + 1, reg.id),
                });
            }
            let hash = reg.contact.as_ref().map_or(0, |c| email_hash(&c.email));
            index.email_hashes.push(hash);
            if reg.status.is_active() {
                if let Some(contact) = &reg.contact {
                    let earlier = &registrations[..i];
                    if index
                        .active_people
                        .get(hash, &contact.email, earlier)
                        .is_some()
                    {
                        return Err(DataError::Inconsistent {
                            reason: format!(
                                "{} is a second active registration of one person",
                                reg.id
                            ),
                        });
                    }
                }
            }
            if reg.status == Status::Offered && reg.offer_expires_at.is_none() {
                return Err(DataError::Inconsistent {
                    reason: format!("{} is offered without an expiry", reg.id),
                });
            }
            index.add(reg);
        }
        Ok(index)
    }

    fn add(&mut self, reg: &Registration) {
        self.contribute_email(reg, true);
        self.contribute(reg, true);
    }

    /// Adds a new registration (the next id); `hash` is its e-mail's if the caller has it.
    fn add_new(&mut self, reg: &Registration, hash: Option<u64>) {
        debug_assert_eq!(reg.id.0 as usize, self.email_hashes.len() + 1);
        let hash = hash.unwrap_or_else(|| reg.contact.as_ref().map_or(0, |c| email_hash(&c.email)));
        self.email_hashes.push(hash);
        self.add(reg);
    }

    fn email_hash_of(&self, id: RegistrationId) -> u64 {
        self.email_hashes[id.0 as usize - 1]
    }

    fn withdraw(&mut self, reg: &Registration) {
        self.contribute_email(reg, false);
        self.contribute(reg, false);
    }

    fn contribute_email(&mut self, reg: &Registration, add: bool) {
        if reg.status.is_active() && reg.contact.is_some() {
            let hash = self.email_hash_of(reg.id);
            if add {
                self.active_people.insert(hash, reg.id);
            } else {
                self.active_people.remove(hash, reg.id);
            }
        }
    }

    /// Everything but the e-mail entry (see [`Index::contribute_email`]).
    fn contribute(&mut self, reg: &Registration, add: bool) {
        let step = |n: &mut u32| {
            *n = if add { *n + 1 } else { *n - 1 };
        };
        let status = reg.status;
        let (active, counts) = (status.is_active(), status.counts_against_capacity());
        if counts {
            step(&mut self.counted);
            if reg.overridden {
                step(&mut self.overridden_counted);
            }
        }
        // One look-up of the organisation, not three. A count that drops to zero is removed, so
        // nothing changes for an organisation this registration does not count towards.
        if active || counts {
            let number = reg.organisation.number;
            let count = self.orgs.entry(number).or_default();
            if active {
                step(&mut count.active);
            }
            if counts {
                step(&mut count.counted);
            }
            if *count == OrgCount::default() {
                self.orgs.remove(&number);
            }
        }
        match status {
            Status::Waitlisted => {
                if add {
                    self.waitlist.insert(reg.wait_key());
                } else {
                    self.waitlist.remove(&reg.wait_key());
                }
            }
            Status::Offered => {
                if let Some(expires) = reg.offer_expires_at {
                    if add {
                        self.holds.insert((expires, reg.id));
                    } else {
                        self.holds.remove(&(expires, reg.id));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The registrations of one gathering and the rules that govern them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    gathering: Gathering,
    version: u64,
    last_event_at: Option<DateTime<Utc>>,
    manually_closed: bool,
    registrations: Vec<Registration>,
    index: Index,
}

/// A ledger's complete state as data, for storage and transfer. Derived indexes are not stored;
/// they are rebuilt (and the snapshot checked for consistency) on load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Always [`SCHEMA_VERSION`] when written by this library.
    pub schema_version: u32,
    /// The gathering, with the current capacity.
    pub gathering: Gathering,
    /// The sequence number of the last event applied (0 for none).
    pub version: u64,
    /// When the last event took effect.
    pub last_event_at: Option<DateTime<Utc>>,
    /// Whether an organiser has closed registration.
    pub manually_closed: bool,
    /// All registrations, in id order.
    pub registrations: Vec<Registration>,
}

/// A gathering's complete event history, for storage and transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventLog {
    /// Always [`SCHEMA_VERSION`] when written by this library.
    pub schema_version: u32,
    /// The gathering as it was created (before any event).
    pub gathering: Gathering,
    /// The events, in sequence order.
    pub events: Vec<Recorded>,
}

impl EventLog {
    /// The log as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("event logs always serialise")
    }

    /// Parses a log from JSON (shape and schema version only; [`Ledger::from_log`] checks the
    /// events themselves).
    pub fn from_json(json: &str) -> Result<Self, crate::Error> {
        let log: EventLog = serde_json::from_str(json).map_err(|e| DataError::from_json(&e))?;
        check_schema(log.schema_version)?;
        Ok(log)
    }
}

impl Ledger {
    /// A new, empty ledger for a gathering. Fails if the gathering's dates or policy are
    /// inconsistent.
    pub fn new(gathering: Gathering) -> Result<Self, crate::ValidationError> {
        gathering.validate()?;
        Ok(Ledger {
            gathering,
            version: 0,
            last_event_at: None,
            manually_closed: false,
            registrations: Vec::new(),
            index: Index::default(),
        })
    }

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
            .active_people
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
        self.index.orgs.get(&number).copied().unwrap_or_default()
    }

    /// Every organisation with an active registration, with its counts, by number.
    pub fn organisation_counts(&self) -> impl Iterator<Item = (OrgNumber, OrgCount)> + '_ {
        self.index.orgs.iter().map(|(n, c)| (*n, *c))
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

    /// 1-based place on the waitlist (linear in the waitlist's length).
    pub fn waitlist_position(&self, id: RegistrationId) -> Option<usize> {
        let key = self.registration(id)?.wait_key();
        if !self.index.waitlist.contains(&key) {
            return None;
        }
        Some(self.index.waitlist.range(..key).count() + 1)
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
            && self.waitlist().any(|r| {
                policy
                    .max_per_organisation
                    .is_none_or(|cap| self.organisation_count(r.organisation.number).counted < cap)
            }))
        .then_some(policy.opens_at);
        hold.into_iter().chain(opening).min()
    }

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
        let mut draft = Draft::new(self);
        draft.settle(now);
        draft.run(command, now)?;
        Ok(draft.events)
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
                (true, false) => index.active_people.remove(hash, reg.id),
                (false, true) => index.active_people.insert(hash, reg.id),
                _ => {}
            }
        }
    }

    /// Checks that an event from storage can follow this state, then applies it.
    ///
    /// Checks: consecutive sequence number, time not going backwards, known registration ids,
    /// transitions allowed by [`Status::TRANSITIONS`], no second active registration of one
    /// person. It does not re-decide the command (a log is trusted to contain decisions).
    pub fn try_apply(&mut self, recorded: &Recorded) -> Result<(), DataError> {
        let seq = recorded.seq;
        if seq > MAX_VERSION {
            return Err(DataError::InapplicableEvent {
                seq,
                reason: format!("sequence numbers end at {MAX_VERSION}"),
            });
        }
        if seq != self.version + 1 {
            return Err(DataError::SequenceGap {
                expected: self.version + 1,
                found: seq,
            });
        }
        let bad = |reason: String| DataError::InapplicableEvent { seq, reason };
        if self.last_event_at.is_some_and(|last| recorded.at < last) {
            return Err(bad("time goes backwards".into()));
        }
        let status_of = |id: RegistrationId| {
            self.registration(id)
                .map(|r| r.status)
                .ok_or_else(|| bad(format!("unknown registration {id}")))
        };
        let transition = |id: RegistrationId, to: Status| {
            let from = status_of(id)?;
            if from.can_become(to) {
                Ok(())
            } else {
                Err(bad(format!("{id} cannot go from {from} to {to}")))
            }
        };
        let next_id = self.registrations.len() as u64 + 1;
        let fresh = |id: RegistrationId, person: &Person| {
            if u64::from(id.0) != next_id {
                return Err(bad(format!("new registration {id} is not {next_id}")));
            }
            let hash = email_hash(&person.email);
            let active = self
                .index
                .active_people
                .get(hash, &person.email, &self.registrations);
            if active.is_some() {
                return Err(bad(format!(
                    "{id} is a second active registration of one person"
                )));
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
                    return Err(bad(format!("{registration} registered as {status}")));
                }
            }
            Event::Promoted { registration, .. } | Event::SeatOverridden { registration, .. } => {
                transition(*registration, Status::Confirmed)?;
                if status_of(*registration)? != Status::Waitlisted {
                    return Err(bad(format!("{registration} is not waitlisted")));
                }
            }
            Event::OfferAccepted { registration } => {
                transition(*registration, Status::Confirmed)?;
                if status_of(*registration)? != Status::Offered {
                    return Err(bad(format!("{registration} has no offer")));
                }
            }
            Event::Offered {
                registration,
                expires_at,
                ..
            } => {
                transition(*registration, Status::Offered)?;
                if *expires_at < recorded.at {
                    return Err(bad(format!(
                        "offer to {registration} expires before it is made"
                    )));
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
                    return Err(bad(format!("capacity was {}, not {from}", self.capacity())));
                }
            }
            Event::RegistrationClosed => {
                if self.manually_closed {
                    return Err(bad("registration is already closed".into()));
                }
            }
            Event::RegistrationReopened => {
                if !self.manually_closed {
                    return Err(bad("registration is not closed".into()));
                }
            }
            Event::Erased { registration } => {
                status_of(*registration)?;
            }
        }
        if self.registrations.len() >= u32::MAX as usize - 1 {
            return Err(bad("too many registrations".into()));
        }
        self.apply_hashed(recorded, person_hash);
        Ok(())
    }

    /// Rebuilds a ledger from a gathering (as created) and its events, checking each event.
    pub fn replay<'a, I>(gathering: Gathering, events: I) -> Result<Self, crate::Error>
    where
        I: IntoIterator<Item = &'a Recorded>,
        I::IntoIter: Clone,
    {
        let mut ledger = Ledger::new(gathering)?;
        let events = events.into_iter();
        // Every registration comes from a sign-up or a substitution. Counting them first (a
        // quick pass) lets the vectors be reserved exactly, which spares the copies and page
        // faults of growing them step by step on a long log, without over-allocating (in a
        // wasm module, linear memory once grown is never given back). Best effort: if the
        // reservation fails, the vectors grow as usual.
        let bound = events
            .clone()
            .filter(|r| {
                matches!(
                    r.event,
                    Event::Registered { .. } | Event::Substituted { .. }
                )
            })
            .count()
            .min(u32::MAX as usize);
        let _ = ledger.registrations.try_reserve(bound);
        let _ = ledger.index.email_hashes.try_reserve(bound);
        for event in events {
            ledger.try_apply(event)?;
        }
        Ok(ledger)
    }

    /// Rebuilds a ledger from an [`EventLog`].
    pub fn from_log(log: &EventLog) -> Result<Self, crate::Error> {
        check_schema(log.schema_version)?;
        Ledger::replay(log.gathering.clone(), &log.events)
    }

    /// The state as data.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            schema_version: SCHEMA_VERSION,
            gathering: self.gathering.clone(),
            version: self.version,
            last_event_at: self.last_event_at,
            manually_closed: self.manually_closed,
            registrations: self.registrations.clone(),
        }
    }

    /// Restores a ledger from a snapshot, rebuilding and checking every derived count.
    pub fn from_snapshot(snapshot: Snapshot) -> Result<Self, crate::Error> {
        check_schema(snapshot.schema_version)?;
        if snapshot.version > MAX_VERSION {
            return Err(DataError::Inconsistent {
                reason: format!("version {} is above {MAX_VERSION}", snapshot.version),
            }
            .into());
        }
        snapshot.gathering.validate()?;
        let index = Index::build(&snapshot.registrations)?;
        let ledger = Ledger {
            gathering: snapshot.gathering,
            version: snapshot.version,
            last_event_at: snapshot.last_event_at,
            manually_closed: snapshot.manually_closed,
            registrations: snapshot.registrations,
            index,
        };
        ledger.verify()?;
        Ok(ledger)
    }

    /// The snapshot as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.snapshot()).expect("snapshots always serialise")
    }

    /// Restores a ledger from snapshot JSON.
    pub fn from_json(json: &str) -> Result<Self, crate::Error> {
        let snapshot: Snapshot =
            serde_json::from_str(json).map_err(|e| DataError::from_json(&e))?;
        Ledger::from_snapshot(snapshot)
    }

    /// Checks the invariants that must hold after every step:
    /// derived counts equal a rebuild from the registrations; counted seats are within capacity
    /// plus recorded overrides; every open offer has a hold that ends by the registration
    /// deadline. Returns what is wrong, in terms of ids and counts.
    pub fn verify(&self) -> Result<(), DataError> {
        let rebuilt = Index::build(&self.registrations)?;
        let fail = |reason: String| Err(DataError::Inconsistent { reason });
        if rebuilt != self.index {
            return fail("derived counts differ from the registrations".into());
        }
        let counted = self.index.counted;
        if counted
            > self
                .capacity()
                .saturating_add(self.index.overridden_counted)
        {
            return fail(format!(
                "{counted} counted seats exceed capacity {} with {} overrides",
                self.capacity(),
                self.index.overridden_counted
            ));
        }
        if let Some((expiry, id)) = self.index.holds.last() {
            if *expiry > self.gathering.policy.closes_at {
                return fail(format!("the hold of {id} outlasts the registration window"));
            }
        }
        if self.registrations.iter().any(|r| {
            r.seated_at.is_some_and(|s| s < r.joined_at)
                || r.offered_at.is_some_and(|o| o < r.joined_at)
        }) {
            return fail("a seat or offer predates its registration".into());
        }
        Ok(())
    }
}

fn check_schema(found: u32) -> Result<(), DataError> {
    if found == SCHEMA_VERSION {
        Ok(())
    } else {
        Err(DataError::UnsupportedSchemaVersion {
            found,
            supported: SCHEMA_VERSION,
        })
    }
}

/// A decision in progress: the base state plus an overlay of what the decision changed so far.
///
/// `decide` must not mutate the ledger and must stay O(log n), so instead of cloning the state
/// the draft records changed statuses and counts, and consults the base for everything else.
struct Draft<'a> {
    base: &'a Ledger,
    events: Vec<Recorded>,
    statuses: BTreeMap<RegistrationId, Status>,
    orgs: BTreeMap<OrgNumber, OrgCount>,
    new_holds: BTreeSet<(DateTime<Utc>, RegistrationId)>,
    counted: u32,
    capacity: u32,
    manually_closed: bool,
}

impl admission::SeatView for Draft<'_> {
    fn policy(&self) -> &crate::RegistrationPolicy {
        Draft::policy(self)
    }
    fn starts_at(&self) -> DateTime<Utc> {
        self.base.gathering.starts_at
    }
    fn manually_closed(&self) -> bool {
        self.manually_closed
    }
    fn free_seats(&self) -> u32 {
        Draft::free_seats(self)
    }
    fn organisation(&self, number: OrgNumber) -> OrgCount {
        self.org(number)
    }
    fn eligible_waiting(&self) -> bool {
        self.first_eligible().is_some()
    }
}

impl<'a> Draft<'a> {
    fn new(base: &'a Ledger) -> Self {
        Draft {
            base,
            events: Vec::new(),
            statuses: BTreeMap::new(),
            orgs: BTreeMap::new(),
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
            Some(count) => *count,
            None => self.base.organisation_count(number),
        }
    }

    fn free_seats(&self) -> u32 {
        self.capacity.saturating_sub(self.counted)
    }

    fn org_has_room(&self, number: OrgNumber) -> bool {
        admission::org_has_room(self.policy(), self.org(number))
    }

    /// Whether freed seats may go to the waitlist at `at`: registration open (window and not
    /// closed by an organiser). No offers or promotions after the deadline or the start.
    fn promotions_allowed(&self, at: DateTime<Utc>) -> bool {
        !self.manually_closed && self.policy().window_open(at) && at < self.base.gathering.starts_at
    }

    /// Records a status change of an existing registration in the overlay.
    fn set_status(&mut self, id: RegistrationId, to: Status) {
        let from = self.status(id);
        let number = self.base.registration(id).map(|r| r.organisation.number);
        if let Some(number) = number {
            let mut count = self.org(number);
            if from.counts_against_capacity() != to.counts_against_capacity() {
                if to.counts_against_capacity() {
                    self.counted += 1;
                    count.counted += 1;
                } else {
                    self.counted -= 1;
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
            self.orgs.insert(number, count);
        }
        self.statuses.insert(id, to);
    }

    /// The waitlisted registrations, in order, as the draft sees them.
    fn waiting(&self) -> impl Iterator<Item = RegistrationId> + '_ {
        self.base
            .index
            .waitlist
            .iter()
            .map(|key| key.id())
            .filter(|id| self.status(*id) == Status::Waitlisted)
    }

    fn first_eligible(&self) -> Option<RegistrationId> {
        self.waiting().find(|id| {
            self.base
                .registration(*id)
                .is_some_and(|r| self.org_has_room(r.organisation.number))
        })
    }

    /// Gives free seats to the first eligible waitlisted people, in policy order.
    fn fill(&mut self, at: DateTime<Utc>, cause: PromotionCause) {
        if !self.promotions_allowed(at) {
            return;
        }
        // One pass suffices: promotions only raise organisation counts, so a person skipped as
        // ineligible cannot become eligible later in the same pass.
        let mut skip_before: Option<WaitKey> = None;
        while self.free_seats() > 0 {
            let next = {
                let mut range = match skip_before {
                    Some(key) => self.base.index.waitlist.range(key..),
                    None => self.base.index.waitlist.range(..),
                };
                range
                    .find(|key| {
                        self.status(key.id()) == Status::Waitlisted
                            && self
                                .base
                                .registration(key.id())
                                .is_some_and(|r| self.org_has_room(r.organisation.number))
                    })
                    .copied()
            };
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
    fn settle(&mut self, now: DateTime<Utc>) {
        let opens_at = self.policy().opens_at;
        if opens_at <= now && self.base.last_event_at.is_none_or(|last| last < opens_at) {
            self.fill(opens_at, PromotionCause::RegistrationOpened);
        }
        loop {
            let live =
                |hold: &&(DateTime<Utc>, RegistrationId)| self.status(hold.1) == Status::Offered;
            let from_base = self.base.index.holds.iter().find(live).copied();
            let from_draft = self.new_holds.iter().find(live).copied();
            let next = match (from_base, from_draft) {
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
            .active_people
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

    fn run(&mut self, command: &Command, now: DateTime<Utc>) -> Result<(), LedgerError> {
        match command {
            Command::Register {
                person,
                first_time,
                by,
            } => {
                // The window and the admission rule are shared with `crate::check` (one copy).
                admission::window(self, *by, now)?;
                if self.is_active_email(&person.email) {
                    return Err(LedgerError::AlreadyRegistered);
                }
                let id = self.next_id()?;
                let admission::Admission {
                    placement,
                    priority,
                } = admission::admit(self, person.organisation.number, *first_time)?;
                let status = match placement {
                    admission::Placement::Seat => Status::Confirmed,
                    admission::Placement::Waitlist(_) => Status::Waitlisted,
                };
                self.emit(
                    now,
                    Event::Registered {
                        registration: id,
                        person: person.clone(),
                        first_time: *first_time,
                        priority,
                        status,
                        by: *by,
                    },
                );
            }
            Command::Cancel {
                registration,
                by,
                reason,
            } => {
                let from = self.transition(*registration, Status::Cancelled)?;
                self.not_started(now)?;
                let late =
                    from.counts_against_capacity() && now >= self.policy().cancellation_deadline;
                self.emit(
                    now,
                    Event::Cancelled {
                        registration: *registration,
                        by: *by,
                        reason: *reason,
                        late,
                    },
                );
                self.set_status(*registration, Status::Cancelled);
                if from.counts_against_capacity() {
                    self.fill(now, PromotionCause::SeatFreed { by: *registration });
                }
            }
            Command::AcceptOffer { registration } | Command::DeclineOffer { registration } => {
                self.registration(*registration)?;
                match self.status(*registration) {
                    Status::Offered => {}
                    Status::Expired => return Err(LedgerError::OfferExpired(*registration)),
                    _ => return Err(LedgerError::NoOffer(*registration)),
                }
                if matches!(command, Command::AcceptOffer { .. }) {
                    self.emit(
                        now,
                        Event::OfferAccepted {
                            registration: *registration,
                        },
                    );
                    self.set_status(*registration, Status::Confirmed);
                } else {
                    self.emit(
                        now,
                        Event::OfferDeclined {
                            registration: *registration,
                        },
                    );
                    self.set_status(*registration, Status::Declined);
                    self.fill(now, PromotionCause::SeatFreed { by: *registration });
                }
            }
            Command::Substitute {
                registration,
                person,
                first_time,
            } => {
                self.transition(*registration, Status::Transferred)?;
                self.not_started(now)?;
                let original = self.registration(*registration)?;
                if original.organisation.number != person.organisation.number {
                    return Err(LedgerError::SubstituteOtherOrganisation(*registration));
                }
                if self.is_active_email(&person.email) {
                    return Err(LedgerError::AlreadyRegistered);
                }
                let substitute = self.next_id()?;
                self.emit(
                    now,
                    Event::Substituted {
                        registration: *registration,
                        substitute,
                        person: person.clone(),
                        first_time: *first_time,
                    },
                );
            }
            Command::MarkAttended { registration } | Command::MarkNoShow { registration } => {
                let attended = matches!(command, Command::MarkAttended { .. });
                let to = if attended {
                    Status::Attended
                } else {
                    Status::NoShow
                };
                self.transition(*registration, to)?;
                if now < self.base.gathering.starts_at {
                    return Err(LedgerError::AttendanceNotOpen);
                }
                self.emit(
                    now,
                    Event::AttendanceMarked {
                        registration: *registration,
                        attended,
                    },
                );
            }
            Command::ChangeCapacity { capacity } => {
                self.not_started(now)?;
                let taken = self.counted - self.base.index.overridden_counted;
                if *capacity < taken {
                    return Err(LedgerError::CapacityBelowTaken {
                        requested: *capacity,
                        taken,
                    });
                }
                let from = self.capacity;
                if *capacity != from {
                    self.emit(
                        now,
                        Event::CapacityChanged {
                            from,
                            to: *capacity,
                        },
                    );
                    self.capacity = *capacity;
                    if *capacity > from {
                        self.fill(now, PromotionCause::CapacityIncreased);
                    }
                }
            }
            Command::CloseRegistration => {
                if self.manually_closed {
                    return Err(LedgerError::AlreadyClosed);
                }
                self.emit(now, Event::RegistrationClosed);
                self.manually_closed = true;
            }
            Command::ReopenRegistration => {
                if !self.manually_closed {
                    return Err(LedgerError::AlreadyOpen);
                }
                self.emit(now, Event::RegistrationReopened);
                self.manually_closed = false;
                self.fill(now, PromotionCause::RegistrationReopened);
            }
            Command::OverrideSeat {
                registration,
                reason,
            } => {
                let from = self.transition(*registration, Status::Confirmed)?;
                if from != Status::Waitlisted {
                    return Err(LedgerError::InvalidTransition {
                        registration: *registration,
                        from,
                        to: Status::Confirmed,
                    });
                }
                self.not_started(now)?;
                self.emit(
                    now,
                    Event::SeatOverridden {
                        registration: *registration,
                        reason: reason.clone(),
                        beyond_capacity: self.free_seats() == 0,
                    },
                );
                self.set_status(*registration, Status::Confirmed);
            }
            Command::Erase { registration } => {
                let reg = self.registration(*registration)?;
                if reg.contact.is_none() {
                    return Err(LedgerError::AlreadyErased(*registration));
                }
                if self.status(*registration).is_active() && now < self.base.gathering.ends_at {
                    return Err(LedgerError::EraseActive(*registration));
                }
                self.emit(
                    now,
                    Event::Erased {
                        registration: *registration,
                    },
                );
            }
            Command::HandleTimeout => {}
        }
        Ok(())
    }
}

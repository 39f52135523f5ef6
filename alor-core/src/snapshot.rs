//! What a web page may know about a gathering: the public snapshot.
//!
//! A [`PublicSnapshot`] carries exactly what [`check()`](crate::check()) needs to predict the
//! ledger's answer to a sign-up — capacity, counted seats, the waitlist's length and priority
//! class, the window, a manual close, the policy, the start — and nothing about any person:
//! no names, e-mail addresses, phone numbers, roles, join times or registration ids.
//!
//! ## Organisations
//!
//! Two policies depend on an organisation's own counts: a seat cap per organisation
//! (`max_per_organisation`) and [`WaitlistOrder::NewOrganisationsFirst`]. Only when the policy
//! has one of them does the snapshot list the organisations with an active registration
//! (organisation number → counted seats and active registrations). Organisation numbers are
//! public register data (Brønnøysund), so hashing them would hide nothing: the whole register
//! is small enough to hash in a second. Be aware that for a sole proprietorship
//! (*enkeltpersonforetak*) the organisation stands for one person; a network that wants no
//! organisation list in public pages should use neither policy.
//!
//! ## Duplicate sign-ups: the page cannot know, by design
//!
//! The ledger refuses a second active registration of one person (`already_registered`, by
//! normalised e-mail). The snapshot does not let a page predict that, and this is deliberate:
//!
//! - A list of e-mail addresses, even hashed, tells anyone who loads the page who takes part
//!   in a network about substance use at work. Unkeyed or salted hashes fall to a dictionary
//!   attack in seconds: work addresses follow `first.last@employer.no`, and a staff list is
//!   enough to test every colleague.
//! - A keyed hash (HMAC with a server secret) resists the dictionary only while the key stays
//!   on the server — and then the page cannot compute it, so it predicts nothing.
//! - A Bloom filter leaks the same membership, with false positives on top.
//!
//! So the server's decision at submit is authoritative for duplicates: it answers
//! `already_registered` (the page shows that message then), and the check's prediction is
//! "what you get if you are not registered already". Everything else the check predicts
//! exactly, as the property test in `alor-core/tests/check.rs` shows.
//!
//! ## Freshness
//!
//! A snapshot describes the ledger at one instant ([`PublicSnapshot::as_of`]); other people's
//! sign-ups after that are unknown to the page. Build it with [`Ledger::public_snapshot_at`]
//! when serving it, so offers whose hold ran out are already settled;
//! [`PublicSnapshot::valid_until`] is the next instant time alone changes the state (a hold
//! expiring), after which the check reports the snapshot as stale.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{DataError, Error};
use crate::ledger::admission::{self, SeatView};
use crate::ledger::{Command, Ledger, OrgCount, SCHEMA_VERSION};
use crate::model::{Gathering, OrgNumber};
use crate::policy::{RegistrationPolicy, WaitlistOrder};

/// What a web page may know about a gathering: counts, no personal data. See the
/// [module docs](self) for what is left out and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicSnapshot {
    /// Always [`SCHEMA_VERSION`] when written by this library.
    pub schema_version: u32,
    /// The gathering: title, dates, venue, price and the policy with the current capacity.
    pub gathering: Gathering,
    /// The ledger version the snapshot was taken at.
    pub version: u64,
    /// The instant the state is settled to (`None` for a ledger with no events, snapshotted
    /// without a time).
    #[serde(default, deserialize_with = "crate::time::rfc3339::optional::as_of")]
    pub as_of: Option<DateTime<Utc>>,
    /// When time alone changes the state next (an offer's hold running out); a check at or
    /// after this instant is marked stale.
    #[serde(
        default,
        deserialize_with = "crate::time::rfc3339::optional::valid_until"
    )]
    pub valid_until: Option<DateTime<Utc>>,
    /// Whether an organiser has closed registration.
    pub manually_closed: bool,
    /// Seats that count against capacity (confirmed, offered, attended, no-show).
    pub counted_seats: u32,
    /// How many are on the waitlist.
    pub waitlist: u32,
    /// How many of them are in the priority class (first-timers or new organisations,
    /// depending on the policy's [`WaitlistOrder`]).
    pub priority_waitlist: u32,
    /// Whether someone on the waitlist could take a free seat (their organisation has room).
    /// True only in the short time registration is closed while seats free up.
    pub eligible_waiting: bool,
    /// Counts per organisation number, only when the policy needs them (a cap per
    /// organisation, or new organisations first); otherwise empty.
    #[serde(default)]
    pub organisations: BTreeMap<OrgNumber, OrgCount>,
}

impl PublicSnapshot {
    /// The current capacity.
    pub fn capacity(&self) -> u32 {
        self.gathering.policy.capacity
    }

    /// Seats not taken.
    pub fn free_seats(&self) -> u32 {
        self.capacity().saturating_sub(self.counted_seats)
    }

    /// The counts of one organisation (zero if it has no active registration).
    pub fn organisation_count(&self, number: OrgNumber) -> OrgCount {
        self.organisations.get(&number).copied().unwrap_or_default()
    }

    /// Whether participants can sign up at `now` (window, manual close, not started).
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        admission::window(self, crate::Actor::Participant, now).is_ok()
    }

    /// The 1-based waitlist place a newcomer would get, in the priority class or not.
    ///
    /// The waitlist is ordered by priority class, then join time, then registration id. A
    /// newcomer joins at `now`, which is never before anyone's join time, and gets the highest
    /// id, so everyone in its own class and in better classes is ahead of it.
    pub fn waitlist_place(&self, priority: bool) -> u32 {
        let ahead = if priority {
            self.priority_waitlist
        } else {
            self.waitlist
        };
        ahead.saturating_add(1)
    }

    /// The snapshot as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("public snapshots always serialise")
    }

    /// Parses a public snapshot from JSON and checks it: schema version, the gathering's dates
    /// and policy, and that the counts agree with each other.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        let snapshot: PublicSnapshot =
            serde_json::from_str(json).map_err(|e| DataError::from_json(&e))?;
        snapshot.validate()?;
        Ok(snapshot)
    }

    /// Checks the snapshot's consistency (see [`PublicSnapshot::from_json`]).
    pub fn validate(&self) -> Result<(), Error> {
        if self.schema_version != SCHEMA_VERSION {
            return Err(DataError::UnsupportedSchemaVersion {
                found: self.schema_version,
                supported: SCHEMA_VERSION,
            }
            .into());
        }
        self.gathering.validate()?;
        use crate::ledger::SnapshotProblem;
        let inconsistent = |reason| Err(DataError::InconsistentSnapshot { reason }.into());
        if self.priority_waitlist > self.waitlist {
            return inconsistent(SnapshotProblem::PriorityBeyondWaitlist);
        }
        if self.eligible_waiting && self.waitlist == 0 {
            return inconsistent(SnapshotProblem::EligibleWaitingOnEmptyWaitlist);
        }
        if self.organisations.values().any(|c| c.counted > c.active) {
            return inconsistent(SnapshotProblem::OrganisationSeatsBeyondActive);
        }
        Ok(())
    }
}

impl SeatView for PublicSnapshot {
    fn policy(&self) -> &RegistrationPolicy {
        &self.gathering.policy
    }
    fn starts_at(&self) -> DateTime<Utc> {
        self.gathering.starts_at
    }
    fn manually_closed(&self) -> bool {
        self.manually_closed
    }
    fn free_seats(&self) -> u32 {
        PublicSnapshot::free_seats(self)
    }
    fn organisation(&self, number: OrgNumber) -> OrgCount {
        self.organisation_count(number)
    }
    fn eligible_waiting(&self) -> bool {
        self.eligible_waiting
    }
}

/// Whether a policy's admission depends on organisations' own counts.
fn needs_organisations(policy: &RegistrationPolicy) -> bool {
    policy.max_per_organisation.is_some()
        || policy.waitlist_order == WaitlistOrder::NewOrganisationsFirst
}

impl Ledger {
    /// The public snapshot of the current state (see [`PublicSnapshot`]).
    ///
    /// Holds that have run out by the time of a check are not settled here; serve
    /// [`Ledger::public_snapshot_at`] instead, which settles them first.
    pub fn public_snapshot(&self) -> PublicSnapshot {
        let policy = &self.gathering().policy;
        let waitlist = self.waitlist();
        let (mut total, mut priority, mut eligible) = (0u32, 0u32, false);
        for reg in waitlist {
            total = total.saturating_add(1);
            priority = priority.saturating_add(u32::from(reg.priority));
            eligible = eligible
                || admission::org_has_room(
                    policy,
                    self.organisation_count(reg.organisation.number),
                );
        }
        PublicSnapshot {
            schema_version: SCHEMA_VERSION,
            gathering: self.gathering().clone(),
            version: self.version(),
            as_of: self.last_event_at(),
            valid_until: self.next_deadline(),
            manually_closed: self.manually_closed(),
            counted_seats: self.counted_seats(),
            waitlist: total,
            priority_waitlist: priority,
            eligible_waiting: eligible,
            organisations: if needs_organisations(policy) {
                self.organisation_counts().collect()
            } else {
                BTreeMap::new()
            },
        }
    }

    /// The public snapshot of the state as it is at `now`: holds that ran out by `now` are
    /// expired and their seats offered on, exactly as the next decision would do, without
    /// changing this ledger. A check at `now` against it predicts [`Ledger::decide`] exactly
    /// (duplicates aside, see the [module docs](crate::snapshot)).
    ///
    /// If `now` is before the last event, the current state is used as is.
    pub fn public_snapshot_at(&self, now: DateTime<Utc>) -> PublicSnapshot {
        let mut snapshot = match self.decide(&Command::HandleTimeout, now, None) {
            Ok(events) if !events.is_empty() => {
                let mut settled = self.clone();
                for event in &events {
                    settled.apply(event);
                }
                settled.public_snapshot()
            }
            _ => self.public_snapshot(),
        };
        if snapshot.as_of.is_none_or(|at| at < now) {
            snapshot.as_of = Some(now);
        }
        snapshot
    }
}

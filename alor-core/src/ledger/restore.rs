//! Restoring a ledger from storage, and the forms it is stored in: replaying an [`EventLog`],
//! loading a [`Snapshot`] (both checked), and [`Ledger::verify`], the invariant check.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::index::Index;
use super::{
    Event, Ledger, Recorded, Registration, RegistrationId, SnapshotProblem, Status, MAX_VERSION,
    SCHEMA_VERSION,
};
use crate::error::DataError;
use crate::model::Gathering;

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
    #[serde(
        default,
        deserialize_with = "crate::time::rfc3339::optional::last_event_at"
    )]
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
        verify_schema_version(log.schema_version)?;
        Ok(log)
    }
}

impl Ledger {
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
        // `try_apply` keeps every invariant `verify` checks, event by event, so the full check
        // (a second build of the whole index) is not repeated at the end; debug builds repeat
        // it, so that the tests would catch a check gone missing.
        for event in events {
            ledger.try_apply(event)?;
        }
        debug_assert_eq!(ledger.verify(), Ok(()), "replay kept the invariants");
        Ok(ledger)
    }

    /// Rebuilds a ledger from an [`EventLog`].
    pub fn from_log(log: &EventLog) -> Result<Self, crate::Error> {
        verify_schema_version(log.schema_version)?;
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
        verify_schema_version(snapshot.schema_version)?;
        if snapshot.version > MAX_VERSION {
            return Err(DataError::InconsistentSnapshot {
                reason: SnapshotProblem::VersionTooHigh {
                    version: snapshot.version,
                },
            }
            .into());
        }
        snapshot.gathering.validate()?;
        let index = Index::build(
            &snapshot.registrations,
            snapshot.gathering.policy.max_per_organisation,
        )?;
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
    /// deadline; no seat or offer predates its registration; and the history agrees with the
    /// version. Returns what is wrong, in terms of ids and counts.
    ///
    /// The version is the number of events, so it must be at least the number of distinct
    /// events the registrations imply: one that created each registration, plus, per
    /// registration, `offered` if it was ever offered a seat, `offer_accepted` if it held a
    /// seat after an offer, the event that ended it or marked attendance (attended, no-show,
    /// cancelled, declined, expired), `seat_overridden` for an override beyond capacity not
    /// inherited as a substitute, `erased` if its contact details are gone; plus
    /// `registration_closed` if registration is closed. (Promotions, capacity changes and
    /// reopenings leave no count behind, so the version may be higher by any amount.) There is
    /// an instant of the last event exactly when the version is above 0, and no registration's
    /// instant (joined, seated, offered, cancelled: each an event's) is after it.
    pub fn verify(&self) -> Result<(), DataError> {
        let rebuilt = Index::build(&self.registrations, self.index.cap)?;
        let fail = |reason| Err(DataError::InconsistentSnapshot { reason });
        if rebuilt != self.index {
            return fail(SnapshotProblem::DerivedCountsDiffer);
        }
        let counted = self.index.counted;
        if counted
            > self
                .capacity()
                .saturating_add(self.index.overridden_counted)
        {
            return fail(SnapshotProblem::OverCapacity {
                counted,
                capacity: self.capacity(),
                overridden: self.index.overridden_counted,
            });
        }
        if let Some((expiry, id)) = self.index.holds.last() {
            if *expiry > self.gathering.policy.closes_at {
                return fail(SnapshotProblem::HoldOutlastsWindow { registration: *id });
            }
        }
        if let Some(reg) = self.registrations.iter().find(|r| {
            r.seated_at.is_some_and(|s| s < r.joined_at)
                || r.offered_at.is_some_and(|o| o < r.joined_at)
        }) {
            return fail(SnapshotProblem::SeatBeforeRegistration {
                registration: reg.id,
            });
        }
        self.verify_history()
    }

    /// The part of [`Ledger::verify`] that compares the registrations with the version and the
    /// instant of the last event.
    fn verify_history(&self) -> Result<(), DataError> {
        let fail = |reason| Err(DataError::InconsistentSnapshot { reason });
        let implied = implied_events(&self.registrations, self.manually_closed);
        if self.version < implied {
            return fail(SnapshotProblem::VersionBelowHistory {
                version: self.version,
                implied,
            });
        }
        let Some(last) = self.last_event_at else {
            if self.version == 0 {
                return Ok(());
            }
            return fail(SnapshotProblem::InstantAfterLastEvent {
                registration: RegistrationId(0),
            });
        };
        if self.version == 0 {
            return fail(SnapshotProblem::InstantAfterLastEvent {
                registration: RegistrationId(0),
            });
        }
        let late = |at: Option<DateTime<Utc>>| at.is_some_and(|at| at > last);
        if let Some(reg) = self.registrations.iter().find(|r| {
            r.joined_at > last || late(r.seated_at) || late(r.offered_at) || late(r.cancelled_at)
        }) {
            return fail(SnapshotProblem::InstantAfterLastEvent {
                registration: reg.id,
            });
        }
        Ok(())
    }
}

/// The fewest events that give these registrations, a lower bound of any ledger's version.
///
/// Each counted event is distinct from every other counted one, as it names one registration
/// and plays one part in its history:
/// - the event that created it (`registered`, or `substituted` for a substitute; the same
///   `substituted` event transfers the original, which therefore costs nothing more);
/// - `offered`, if it was ever offered a seat (`offered_at` is set, and stays set);
/// - `offer_accepted`, if it was offered and later held a seat (confirmed, attended, no-show or
///   transferred: an offered registration gets a seat no other way);
/// - the event that ended it or marked attendance (attended, no-show, cancelled, declined,
///   expired: none of these is a status a registration is created in);
/// - `seat_overridden`, if its seat is an override beyond capacity that it did not inherit as
///   a substitute;
/// - `erased`, if its contact details are gone;
/// - and `registration_closed`, if registration is closed now.
///
/// Promotions cannot be told from seats given at sign-up, and capacity changes and reopenings
/// leave no trace in the registrations, so the version may exceed this bound by any amount.
fn implied_events(registrations: &[Registration], manually_closed: bool) -> u64 {
    let per_registration = |r: &Registration| {
        let offered = r.offered_at.is_some();
        let seated_after_offer = offered
            && matches!(
                r.status,
                Status::Confirmed | Status::Attended | Status::NoShow | Status::Transferred
            );
        let ended = matches!(
            r.status,
            Status::Attended
                | Status::NoShow
                | Status::Cancelled
                | Status::Declined
                | Status::Expired
        );
        let overridden = r.overridden && r.substitute_for.is_none();
        1 + u64::from(offered)
            + u64::from(seated_after_offer)
            + u64::from(ended)
            + u64::from(overridden)
            + u64::from(r.contact.is_none())
    };
    registrations.iter().map(per_registration).sum::<u64>() + u64::from(manually_closed)
}

pub(super) fn verify_schema_version(found: u32) -> Result<(), DataError> {
    if found == SCHEMA_VERSION {
        Ok(())
    } else {
        Err(DataError::UnsupportedSchemaVersion {
            found,
            supported: SCHEMA_VERSION,
        })
    }
}

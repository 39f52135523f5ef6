//! Restoring a ledger from storage, and the forms it is stored in: replaying an [`EventLog`],
//! loading a [`Snapshot`] (both checked), and [`Ledger::verify`], the invariant check.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::index::Index;
use super::{Event, Ledger, Recorded, Registration, SnapshotProblem, MAX_VERSION, SCHEMA_VERSION};
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
    #[serde(default, deserialize_with = "crate::time::rfc3339::deserialize_option")]
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
        for event in events {
            ledger.try_apply(event)?;
        }
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
    /// deadline. Returns what is wrong, in terms of ids and counts.
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
        Ok(())
    }
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

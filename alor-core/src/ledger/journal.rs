//! A ledger together with the events it has recorded.
//!
//! Every host that keeps a ledger in memory also has to answer "what happened since version n?"
//! and "give me the log", and has to keep erased people out of the events it holds. The
//! bindings used to do that in their own wrappers, each its own copy; the [`Journal`] is the one
//! copy, in the core.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::erasure::{redact_erased, redact_registrations};
use super::{Command, Event, EventLog, Ledger, LedgerError, Recorded, Snapshot, SCHEMA_VERSION};
use crate::error::DataError;
use crate::model::Gathering;

/// A [`Ledger`] and the events it recorded, kept free of erased people's contact details.
///
/// Started from a gathering or an event log, a journal keeps the whole history and can hand out
/// the [`EventLog`]. Started from a [`Snapshot`] (or a [`Ledger`]), it keeps only the events
/// after that point: asking for older ones, or for the whole log, is
/// [`DataError::EventsNotKept`] (`events_not_kept`).
///
/// When a command erases a registration, the stored events that brought the person in are
/// redacted at once ([`EventLog::redact_erased`]), so the journal holds no personal data of an
/// erased person. The redacted events still replay to the same state.
///
/// ```
/// use alor_core::*;
/// use chrono::{TimeZone, Utc};
///
/// let at = |d, h| Utc.with_ymd_and_hms(2026, 9, d, h, 0, 0).unwrap();
/// let gathering = Gathering {
///     id: Slug::parse("rogaland-2026-host").unwrap(),
///     network: Slug::parse("rogaland").unwrap(),
///     title: Label::parse("Høstsamling 2026").unwrap(),
///     theme: Label::parse("Pårørende").unwrap(),
///     starts_at: at(29, 8),
///     ends_at: at(29, 15),
///     venue: Venue { name: Label::parse("Sola Strand Hotel").unwrap(), town: Label::parse("Sola").unwrap() },
///     price: Nok::kroner(1_450),
///     retention_days: None,
///     policy: RegistrationPolicy {
///         capacity: 70,
///         opens_at: at(1, 8),
///         closes_at: at(20, 22),
///         cancellation_deadline: at(15, 22),
///         max_per_organisation: None,
///         waitlist: true,
///         waitlist_order: WaitlistOrder::JoinTime,
///         promotion: Promotion::Automatic,
///     },
/// };
/// let person = PersonDraft {
///     name: "Åse Ødegård".into(),
///     email: "ase@avinor.no".into(),
///     organisation_name: "Avinor AS".into(),
///     organisation_number: "985 198 292".into(),
///     sector: "public".into(),
///     role: "akan_contact".into(),
///     ..PersonDraft::default()
/// }.validate().unwrap();
///
/// let mut journal = Journal::new(gathering).unwrap();
/// let register = Command::Register { person, first_time: false, by: Actor::Participant };
/// let recorded = journal.execute(&register, at(2, 9), Some(0)).unwrap();
/// assert_eq!(journal.events(), &recorded[..]);
///
/// // The log replays to the same ledger.
/// let log = journal.to_log().unwrap();
/// assert_eq!(&Ledger::from_log(&log).unwrap(), journal.ledger());
///
/// // After an erasure, the kept events no longer hold the person's address either.
/// let cancel = Command::Cancel {
///     registration: RegistrationId(1),
///     by: Actor::Participant,
///     reason: CancelReason::Illness,
/// };
/// journal.execute(&cancel, at(3, 9), None).unwrap();
/// journal.execute(&Command::Erase { registration: RegistrationId(1) }, at(3, 10), None).unwrap();
/// assert!(!journal.to_json().unwrap().contains("ase@avinor.no"));
/// assert_eq!(journal.events_since(2).unwrap().len(), 1);
///
/// // A journal restored from a snapshot has no history before it.
/// let restored = Journal::from_snapshot(journal.ledger().snapshot()).unwrap();
/// assert_eq!(restored.events_since(0).unwrap_err().code(), "events_not_kept");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    ledger: Ledger,
    /// The gathering as created, before any event: what an [`EventLog`] starts from. Unknown
    /// when the journal started from a snapshot.
    initial: Option<Gathering>,
    /// The version the kept events start after: 0, or the version of the snapshot.
    kept_after: u64,
    /// Every event after `kept_after`, in order.
    events: Vec<Recorded>,
}

impl Journal {
    /// A new journal with an empty ledger for a gathering. Fails if the gathering's dates or
    /// policy are inconsistent.
    pub fn new(gathering: Gathering) -> Result<Self, crate::ValidationError> {
        let ledger = Ledger::new(gathering.clone())?;
        Ok(Journal {
            ledger,
            initial: Some(gathering),
            kept_after: 0,
            events: Vec::new(),
        })
    }

    /// Rebuilds a journal from an [`EventLog`], checking every event ([`Ledger::from_log`]).
    /// Events of registrations erased in the log are kept redacted.
    pub fn from_log(log: &EventLog) -> Result<Self, crate::Error> {
        let ledger = Ledger::from_log(log)?;
        Ok(Journal::with_history(
            ledger,
            log.gathering.clone(),
            log.events.clone(),
        ))
    }

    /// Rebuilds a journal from the gathering as created and its events, checking every event
    /// ([`Ledger::replay`]). Events of registrations erased among them are kept redacted.
    pub fn replay(gathering: Gathering, events: Vec<Recorded>) -> Result<Self, crate::Error> {
        let ledger = Ledger::replay(gathering.clone(), &events)?;
        Ok(Journal::with_history(ledger, gathering, events))
    }

    /// Rebuilds a journal from event log JSON ([`Journal::to_json`], [`EventLog::to_json`]).
    pub fn from_json(json: &str) -> Result<Self, crate::Error> {
        let log = EventLog::from_json(json)?;
        Journal::replay(log.gathering, log.events)
    }

    /// Restores a journal from a snapshot ([`Ledger::from_snapshot`], checked). It keeps the
    /// events recorded from then on; the history before the snapshot is not kept.
    pub fn from_snapshot(snapshot: Snapshot) -> Result<Self, crate::Error> {
        Ok(Journal::from_ledger(Ledger::from_snapshot(snapshot)?))
    }

    /// A journal that starts at a ledger's current state, keeping the events recorded from then
    /// on (as [`Journal::from_snapshot`]; for a ledger already restored, e.g. by
    /// [`Ledger::from_json`]).
    pub fn from_ledger(ledger: Ledger) -> Self {
        Journal {
            kept_after: ledger.version(),
            ledger,
            initial: None,
            events: Vec::new(),
        }
    }

    /// A journal with the whole history, its events redacted as the log's erasures require.
    fn with_history(ledger: Ledger, initial: Gathering, mut events: Vec<Recorded>) -> Self {
        redact_erased(&mut events);
        Journal {
            ledger,
            initial: Some(initial),
            kept_after: 0,
            events,
        }
    }

    /// Decides and applies a command ([`Ledger::execute`]) and keeps the events recorded,
    /// which it returns. On error nothing changes and nothing is kept. If the command erased a
    /// registration, the kept events that brought the person in are redacted before this returns.
    pub fn execute(
        &mut self,
        command: &Command,
        now: DateTime<Utc>,
        expected_version: Option<u64>,
    ) -> Result<Vec<Recorded>, LedgerError> {
        let recorded = self.ledger.execute(command, now, expected_version)?;
        self.keep(&recorded);
        Ok(recorded)
    }

    /// Lets time pass to `now` ([`Ledger::handle_timeout`]) and keeps the events recorded.
    pub fn handle_timeout(&mut self, now: DateTime<Utc>) -> Result<Vec<Recorded>, LedgerError> {
        self.execute(&Command::HandleTimeout, now, None)
    }

    /// The events `command` would cause at `now`, without changing or keeping anything
    /// ([`Ledger::decide`]).
    pub fn decide(
        &self,
        command: &Command,
        now: DateTime<Utc>,
        expected_version: Option<u64>,
    ) -> Result<Vec<Recorded>, LedgerError> {
        self.ledger.decide(command, now, expected_version)
    }

    fn keep(&mut self, recorded: &[Recorded]) {
        self.events.extend_from_slice(recorded);
        let erased: BTreeSet<_> = recorded
            .iter()
            .filter_map(|r| match r.event {
                Event::Erased { registration } => Some(registration),
                _ => None,
            })
            .collect();
        redact_registrations(&mut self.events, &erased);
    }

    /// The ledger.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The ledger, without the events.
    pub fn into_ledger(self) -> Ledger {
        self.ledger
    }

    /// The kept events, in order: every event after [`Journal::kept_after`].
    pub fn events(&self) -> &[Recorded] {
        &self.events
    }

    /// The version the kept events start after: 0 for a journal with the whole history, the
    /// snapshot's version for one restored from a snapshot.
    pub fn kept_after(&self) -> u64 {
        self.kept_after
    }

    /// The gathering as created, before any event; `None` for a journal restored from a
    /// snapshot.
    pub fn initial_gathering(&self) -> Option<&Gathering> {
        self.initial.as_ref()
    }

    /// The events recorded after `version` (0 for all); none if `version` is the current one or
    /// later. [`DataError::EventsNotKept`] if `version` is before [`Journal::kept_after`].
    pub fn events_since(&self, version: u64) -> Result<&[Recorded], DataError> {
        if version < self.kept_after {
            return Err(DataError::EventsNotKept {
                kept_after: self.kept_after,
            });
        }
        let skip = (version - self.kept_after).min(self.events.len() as u64) as usize;
        Ok(&self.events[skip..])
    }

    /// The gathering as created and every event, as an [`EventLog`];
    /// [`DataError::EventsNotKept`] for a journal restored from a snapshot.
    pub fn to_log(&self) -> Result<EventLog, DataError> {
        match &self.initial {
            Some(gathering) if self.kept_after == 0 => Ok(EventLog {
                schema_version: SCHEMA_VERSION,
                gathering: gathering.clone(),
                events: self.events.clone(),
            }),
            _ => Err(DataError::EventsNotKept {
                kept_after: self.kept_after,
            }),
        }
    }

    /// [`Journal::to_log`] as JSON (the [`EventLog`] format).
    pub fn to_json(&self) -> Result<String, DataError> {
        self.to_log().map(|log| log.to_json())
    }
}

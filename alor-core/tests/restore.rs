//! Restore refuses corrupt history: stored logs and snapshots with one field edited.
//!
//! # The property
//!
//! A seeded generator (SplitMix64, so a failure names its seed and replays exactly) executes
//! random command sequences on a ledger under random policies, as the model-based test does but
//! shorter (tens of events), and keeps the event log. Then it edits **one leaf** of the log's
//! JSON: a field of one random event (its `seq`, `at`, type tag, registration id, status,
//! person's name, e-mail, organisation number, capacity, cause, actor, flag…) or the gathering's
//! capacity. The replacement is another value of the same kind: a number one off, an instant
//! shifted by a minute to days, another status, another value found under the same key elsewhere
//! in the log (another person's e-mail, another organisation's number), a flipped flag. Each
//! edited log must then either be refused with a [`alor_core::Error`] (parse or replay), or load
//! to a ledger that
//!
//! 1. passes [`Ledger::verify`] (no invariant broken),
//! 2. reloads from its own snapshot to an equal ledger (the measured bug: a ledger whose own
//!    snapshot was refused),
//! 3. goes on deciding random commands without panicking or failing `verify`, and
//! 4. equals the ledger got by **re-deciding the edited log's commands afresh**, unless the edit
//!    is of a recorded decision that replay trusts (see below).
//!
//! # What "the edited log's commands" means here
//!
//! A log holds events, not commands, so the commands are read back from it: each event a
//! command causes directly (`registered` → `register`, `cancelled` → `cancel`, `substituted` →
//! `substitute`, `offer_accepted`, `capacity_changed` → `change_capacity { to }`, …) becomes
//! that command at the event's instant, and an event that only time causes (`promoted`,
//! `offered`, `offer_expired`) not already produced by the command before it becomes a
//! `handle_timeout` at its instant (the ledger settles holds at their own instants, so this is
//! the same as the later command that settled them). Re-deciding must then produce exactly the
//! log's events, in order; for every unedited log it does (checked below).
//!
//! Replay does not re-decide (a log is trusted to contain decisions, `Ledger::try_apply`), so an
//! edit that changes a decision into another *consistent* one loads but re-decides differently:
//! who got waitlist priority, whether a cancellation was late, the cause given for a promotion,
//! an instant moved within its neighbours' (a sign-up moved out of the window), a sign-up recorded
//! as waitlisted while a seat was free, an override recorded as beyond capacity, a field of the
//! person (another name, another organisation), the by/reason of a command, a capacity raised
//! without the promotions it gives, the second in line promoted instead of the first, an offer
//! declined instead of expired. The keys are in `TRUSTED_DECISIONS`; about one loaded edit in
//! four is of that kind (the test prints the counts per key with `--nocapture`). For those, the
//! test requires (1) to (3) only, and counts them. Every other loaded edit must re-decide to
//! the same ledger.
//!
//! Snapshots get the same treatment: one leaf of a snapshot's JSON is edited, and whatever
//! [`Ledger::from_json`] loads must pass `verify`, survive its own round trip and go on
//! deciding (1 to 3; a snapshot holds no commands to re-decide).
//!
//! 500 logs × 20 edits = 10 000 edited logs, and 500 × 10 edited snapshots, per run.
//!
//! The second part holds the two cases of the issue as named tests.

use std::collections::{BTreeMap, BTreeSet};

use alor_core::{
    Actor, CancelReason, Command, DataError, Error, Event, EventLog, EventProblem, Gathering,
    Label, Ledger, Nok, Person, PersonDraft, Promotion, RegistrationId, RegistrationPolicy, Slug,
    SnapshotProblem, Status, Venue, WaitlistOrder, SCHEMA_VERSION,
};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// A seeded generator

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// Test data

const ORGS: [(&str, &str); 3] = [
    ("Avinor AS", "985198292"),
    ("Sola kommune", "964965404"),
    ("Brønnøysundregistrene", "974760673"),
];

fn people() -> Vec<Person> {
    [
        "Åse Ødegård",
        "Tormod Fjeld",
        "Ingrid 🌿 Nilsen",
        "Kari Nordmann",
        "Per Hansen",
        "Siri Dahl",
    ]
    .iter()
    .enumerate()
    .map(|(i, name)| {
        let (org_name, number) = ORGS[i % ORGS.len()];
        PersonDraft {
            name: (*name).into(),
            email: format!("person{i}@org{}.no", i % ORGS.len()),
            organisation_name: org_name.into(),
            organisation_number: number.into(),
            sector: "public".into(),
            role: "manager".into(),
            ..PersonDraft::default()
        }
        .validate()
        .expect("test people are valid")
    })
    .collect()
}

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 28, 20, 0, 0).unwrap()
}

fn minutes(n: i64) -> Duration {
    Duration::minutes(n)
}

fn gathering(capacity: u32, cap: Option<u32>, offers: bool, order: usize) -> Gathering {
    let opens_at = base() + minutes(100);
    let closes_at = opens_at + minutes(480);
    let starts_at = closes_at + minutes(60);
    Gathering {
        id: Slug::parse("rogaland-2026-var").unwrap(),
        network: Slug::parse("rogaland").unwrap(),
        title: Label::parse("Vårsamling 2026").unwrap(),
        theme: Label::parse("Fra bekymring til handling").unwrap(),
        starts_at,
        ends_at: starts_at + minutes(120),
        venue: Venue {
            name: Label::parse("Sola Strand Hotel").unwrap(),
            town: Label::parse("Sola").unwrap(),
        },
        price: Nok::kroner(1_450),
        retention_days: None,
        policy: RegistrationPolicy {
            capacity,
            opens_at,
            closes_at,
            cancellation_deadline: opens_at + minutes(240),
            max_per_organisation: cap,
            waitlist: true,
            waitlist_order: [
                WaitlistOrder::JoinTime,
                WaitlistOrder::FirstTimeFirst,
                WaitlistOrder::NewOrganisationsFirst,
            ][order],
            promotion: if offers {
                Promotion::Offer { hold_minutes: 30 }
            } else {
                Promotion::Automatic
            },
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Random valid logs

/// A random id among the ledger's (or 1 on an empty one), preferring the given statuses.
fn target(rng: &mut Rng, ledger: &Ledger, fitting: &[Status]) -> RegistrationId {
    let fit: Vec<RegistrationId> = ledger
        .registrations()
        .iter()
        .filter(|r| fitting.contains(&r.status))
        .map(|r| r.id)
        .collect();
    if !fit.is_empty() && rng.chance(85) {
        return *rng.pick(&fit);
    }
    RegistrationId(rng.below(ledger.registrations().len().max(1)) as u32 + 1)
}

fn random_command(rng: &mut Rng, ledger: &Ledger, people: &[Person]) -> Command {
    let by = if rng.chance(20) {
        Actor::Organiser
    } else {
        Actor::Participant
    };
    match rng.below(20) {
        0..=6 => Command::Register {
            person: rng.pick(people).clone(),
            first_time: rng.chance(50),
            by,
        },
        7..=9 => Command::Cancel {
            registration: target(rng, ledger, &[Status::Confirmed, Status::Offered]),
            by,
            reason: *rng.pick(&[CancelReason::Illness, CancelReason::Travel]),
        },
        10 => Command::Substitute {
            registration: target(rng, ledger, &[Status::Confirmed]),
            person: rng.pick(people).clone(),
            first_time: rng.chance(50),
        },
        11 => Command::AcceptOffer {
            registration: target(rng, ledger, &[Status::Offered]),
        },
        12 => Command::DeclineOffer {
            registration: target(rng, ledger, &[Status::Offered]),
        },
        13 => Command::MarkAttended {
            registration: target(rng, ledger, &[Status::Confirmed, Status::NoShow]),
        },
        14 => Command::MarkNoShow {
            registration: target(rng, ledger, &[Status::Confirmed]),
        },
        15 => Command::ChangeCapacity {
            capacity: rng.below(5) as u32,
        },
        16 => {
            if ledger.manually_closed() {
                Command::ReopenRegistration
            } else {
                Command::CloseRegistration
            }
        }
        17 => Command::OverrideSeat {
            registration: target(rng, ledger, &[Status::Waitlisted]),
            reason: Label::parse("Innleder").unwrap(),
        },
        18 => Command::Erase {
            registration: target(rng, ledger, &[Status::Cancelled, Status::Declined]),
        },
        _ => Command::HandleTimeout,
    }
}

/// A random valid log of tens of events, and the ledger it gives.
fn random_log(rng: &mut Rng, people: &[Person]) -> (EventLog, Ledger) {
    let g = gathering(
        rng.below(4) as u32,
        if rng.chance(40) { Some(1) } else { None },
        rng.chance(50),
        rng.below(3),
    );
    let mut ledger = Ledger::new(g.clone()).expect("valid gathering");
    let mut events = Vec::new();
    let mut now = g.policy.opens_at - minutes(5);
    let steps = 15 + rng.below(25);
    for _ in 0..steps {
        now += minutes(*rng.pick(&[0, 0, 1, 7, 20, 45]));
        if rng.chance(3) {
            now = now.max(g.ends_at + minutes(1));
        }
        let command = random_command(rng, &ledger, people);
        if let Ok(recorded) = ledger.execute(&command, now, None) {
            events.extend(recorded);
        }
    }
    let log = EventLog {
        schema_version: SCHEMA_VERSION,
        gathering: g,
        events,
    };
    (log, ledger)
}

// ---------------------------------------------------------------------------------------------
// Re-deciding a log's commands

/// The command that caused an event directly, or `None` for one that time causes.
fn command_of(event: &Event) -> Option<Command> {
    Some(match event {
        Event::Registered {
            person,
            first_time,
            by,
            ..
        } => Command::Register {
            person: person.clone(),
            first_time: *first_time,
            by: *by,
        },
        Event::Cancelled {
            registration,
            by,
            reason,
            ..
        } => Command::Cancel {
            registration: *registration,
            by: *by,
            reason: *reason,
        },
        Event::Substituted {
            registration,
            person,
            first_time,
            ..
        } => Command::Substitute {
            registration: *registration,
            person: person.clone(),
            first_time: *first_time,
        },
        Event::OfferAccepted { registration } => Command::AcceptOffer {
            registration: *registration,
        },
        Event::OfferDeclined { registration } => Command::DeclineOffer {
            registration: *registration,
        },
        Event::AttendanceMarked {
            registration,
            attended: true,
        } => Command::MarkAttended {
            registration: *registration,
        },
        Event::AttendanceMarked {
            registration,
            attended: false,
        } => Command::MarkNoShow {
            registration: *registration,
        },
        Event::CapacityChanged { to, .. } => Command::ChangeCapacity { capacity: *to },
        Event::RegistrationClosed => Command::CloseRegistration,
        Event::RegistrationReopened => Command::ReopenRegistration,
        Event::SeatOverridden {
            registration,
            reason,
            ..
        } => Command::OverrideSeat {
            registration: *registration,
            reason: reason.clone(),
        },
        Event::Erased { registration } => Command::Erase {
            registration: *registration,
        },
        Event::Promoted { .. } | Event::Offered { .. } | Event::OfferExpired { .. } => return None,
    })
}

/// Re-decides the log's commands on a fresh ledger; `Some` if that gives exactly its events.
fn redecide(log: &EventLog) -> Option<Ledger> {
    let mut ledger = Ledger::new(log.gathering.clone()).ok()?;
    let mut i = 0;
    while i < log.events.len() {
        let recorded = &log.events[i];
        let command = command_of(&recorded.event).unwrap_or(Command::HandleTimeout);
        let events = ledger.execute(&command, recorded.at, None).ok()?;
        if events.is_empty() || log.events.get(i..i + events.len())? != events.as_slice() {
            return None;
        }
        i += events.len();
    }
    Some(ledger)
}

// ---------------------------------------------------------------------------------------------
// Editing one leaf of a JSON document

/// Every leaf of `value`, as a path of keys and indexes, with the key it sits under.
fn leaves(value: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                path.push(Value::String(k.clone()));
                leaves(v, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Value::from(i));
                leaves(v, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn at_path<'a>(value: &'a mut Value, path: &[Value]) -> &'a mut Value {
    path.iter().fold(value, |v, step| match step {
        Value::String(k) => &mut v[k.as_str()],
        Value::Number(i) => &mut v[i.as_u64().unwrap() as usize],
        _ => unreachable!(),
    })
}

fn last_key(path: &[Value]) -> String {
    path.iter()
        .rev()
        .find_map(|s| s.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Every value under each key anywhere in the document, for replacements of the same kind.
fn values_by_key(value: &Value, key: &str, out: &mut BTreeMap<String, BTreeSet<String>>) {
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| values_by_key(v, k, out)),
        Value::Array(items) => items.iter().for_each(|v| values_by_key(v, key, out)),
        leaf => {
            out.entry(key.to_owned())
                .or_default()
                .insert(leaf.to_string());
        }
    }
}

const STATUSES: [&str; 9] = [
    "waitlisted",
    "offered",
    "confirmed",
    "attended",
    "no_show",
    "cancelled",
    "declined",
    "expired",
    "transferred",
];

/// Another value for a leaf: of the same kind, and never the same.
fn replacement(
    rng: &mut Rng,
    key: &str,
    old: &Value,
    seen: &BTreeMap<String, BTreeSet<String>>,
) -> Value {
    for _ in 0..8 {
        let new = match old {
            Value::Bool(b) => Value::Bool(!b),
            Value::Number(n) => {
                let n = n.as_i64().unwrap_or(0);
                Value::from((n + *rng.pick(&[-2i64, -1, 1, 1, 2, 5])).max(0))
            }
            Value::String(_) if key == "status" => Value::from(*rng.pick(&STATUSES)),
            Value::String(s) if s.len() > 18 && DateTime::parse_from_rfc3339(s).is_ok() => {
                let at = DateTime::parse_from_rfc3339(s).unwrap();
                let shift = *rng.pick(&[-1440i64, -60, -1, 1, 1, 30, 60, 600, 1440]);
                Value::from((at + minutes(shift)).to_rfc3339())
            }
            Value::String(_) => match seen.get(key) {
                Some(values) if values.len() > 1 && rng.chance(80) => {
                    let values: Vec<&String> = values.iter().collect();
                    serde_json::from_str(rng.pick(&values).as_str()).unwrap()
                }
                _ => Value::from(format!("{}x", old.as_str().unwrap())),
            },
            other => other.clone(),
        };
        if new != *old {
            return new;
        }
    }
    Value::Null
}

/// The log with one leaf edited, and the key of the leaf.
fn edit_log(rng: &mut Rng, log: &Value) -> (Value, String) {
    let mut doc = log.clone();
    let mut paths = Vec::new();
    let events = log["events"].as_array().unwrap();
    if events.is_empty() || rng.chance(4) {
        paths.push(vec![
            Value::from("gathering"),
            Value::from("policy"),
            Value::from("capacity"),
        ]);
    } else {
        let i = rng.below(events.len());
        let mut prefix = vec![Value::from("events"), Value::from(i)];
        leaves(&events[i], &mut prefix, &mut paths);
    }
    let path = rng.pick(&paths).clone();
    let mut seen = BTreeMap::new();
    values_by_key(log, "", &mut seen);
    let key = last_key(&path);
    let leaf = at_path(&mut doc, &path);
    *leaf = replacement(rng, &key, leaf, &seen);
    (doc, key)
}

// ---------------------------------------------------------------------------------------------
// The property

fn check_loaded(ledger: &Ledger, what: &str) {
    if let Err(e) = ledger.verify() {
        panic!("{what} loads to a ledger that fails verify: {e}");
    }
    match Ledger::from_json(&ledger.to_json()) {
        Ok(again) => assert!(again == *ledger, "{what}: snapshot round trip differs"),
        Err(e) => panic!("{what} loads, but its own snapshot is refused: {e}"),
    }
}

/// A loaded ledger goes on deciding: a few random commands after the last event never panic
/// (a decision on a state it could not reach might) and leave `verify` passing.
fn keeps_working(rng: &mut Rng, mut ledger: Ledger, people: &[Person], what: &str) {
    let mut now = ledger
        .last_event_at()
        .unwrap_or(ledger.gathering().policy.opens_at);
    for _ in 0..3 {
        now += minutes(*rng.pick(&[0, 1, 20]));
        let command = random_command(rng, &ledger, people);
        if ledger.execute(&command, now, None).is_ok() {
            if let Err(e) = ledger.verify() {
                panic!("{what}: after {command:?} the ledger fails verify: {e}");
            }
        }
    }
}

/// Keys whose edit may change a decision that replay trusts (see the module docs).
const TRUSTED_DECISIONS: &[&str] = &[
    "at",
    "priority",
    "late",
    "kind",
    "by",
    "reason",
    "first_time",
    "status",
    "beyond_capacity",
    "name",
    "email",
    "phone",
    "number",
    "sector",
    "industry",
    "role",
    "expires_at",
    "capacity",
    // A capacity change's new value: the log says seats were added without the promotions
    // that re-deciding gives.
    "to",
    // Another registration that can take the same step: the second in line promoted instead
    // of the first, another seat holder cancelled.
    "registration",
    // An event type with the same fields that the state allows (an offer declined instead of
    // expired).
    "type",
];

#[test]
fn edited_logs_are_refused_or_load_to_a_sound_ledger() {
    let people = people();
    let mut rng = Rng(0x5EED_2026_1204);
    let (mut edited, mut refused, mut redecided, mut trusted) = (0, 0, 0, 0);
    let mut trusted_by_key: BTreeMap<String, u32> = BTreeMap::new();
    for n in 0..500 {
        let (log, live) = random_log(&mut rng, &people);
        assert!(
            redecide(&log).as_ref() == Some(&live),
            "log {n}: an unedited log re-decides to its own ledger"
        );
        let doc: Value = serde_json::from_str(&log.to_json()).unwrap();
        for m in 0..20 {
            let (doc, key) = edit_log(&mut rng, &doc);
            edited += 1;
            let loaded = EventLog::from_json(&doc.to_string())
                .and_then(|log| Ledger::from_log(&log).map(|ledger| (log, ledger)));
            let Ok((log, ledger)) = loaded else {
                refused += 1;
                continue;
            };
            let what = format!("log {n} edit {m} (of `{key}`)");
            check_loaded(&ledger, &what);
            keeps_working(&mut rng, ledger.clone(), &people, &what);
            match redecide(&log) {
                Some(fresh) if fresh == ledger => redecided += 1,
                _ => {
                    assert!(
                        std::env::var_os("RESTORE_SURVEY").is_some()
                            || TRUSTED_DECISIONS.contains(&key.as_str()),
                        "{what} loads, but re-deciding its commands does not give it"
                    );
                    trusted += 1;
                    *trusted_by_key.entry(key).or_default() += 1;
                }
            }
        }
    }
    eprintln!(
        "{edited} edited logs: {refused} refused, {redecided} loaded and re-decided alike, \
         {trusted} loaded with a trusted decision changed {trusted_by_key:?}"
    );
    assert!(edited >= 10_000);
}

#[test]
fn edited_snapshots_are_refused_or_load_to_a_sound_ledger() {
    let people = people();
    let mut rng = Rng(0x5EED_5A45);
    let (mut edited, mut refused) = (0, 0);
    for n in 0..500 {
        let (_, live) = random_log(&mut rng, &people);
        let doc: Value = serde_json::from_str(&live.to_json()).unwrap();
        let mut seen = BTreeMap::new();
        values_by_key(&doc, "", &mut seen);
        let mut paths = Vec::new();
        leaves(&doc, &mut Vec::new(), &mut paths);
        for m in 0..10 {
            let path = rng.pick(&paths).clone();
            let key = last_key(&path);
            let mut doc = doc.clone();
            let leaf = at_path(&mut doc, &path);
            *leaf = replacement(&mut rng, &key, leaf, &seen);
            edited += 1;
            match Ledger::from_json(&doc.to_string()) {
                Ok(ledger) => {
                    let what = format!("snapshot {n} edit {m} (`{key}`)");
                    check_loaded(&ledger, &what);
                    keeps_working(&mut rng, ledger, &people, &what);
                }
                Err(_) => refused += 1,
            }
        }
    }
    eprintln!("{edited} edited snapshots: {refused} refused");
}

// ---------------------------------------------------------------------------------------------
// The two cases of the issue, by name (the scenario files hold commands, not stored logs)

/// Capacity 1: the first sign-up gets the seat, the second is waitlisted.
fn full_gathering_log() -> (EventLog, Ledger) {
    let people = people();
    let g = gathering(1, None, false, 0);
    let mut ledger = Ledger::new(g.clone()).unwrap();
    let now = g.policy.opens_at + minutes(1);
    let mut events = Vec::new();
    for person in &people[..2] {
        let register = Command::Register {
            person: person.clone(),
            first_time: false,
            by: Actor::Participant,
        };
        events.extend(ledger.execute(&register, now, None).unwrap());
    }
    assert!(matches!(
        events[1].event,
        Event::Registered {
            status: Status::Waitlisted,
            ..
        }
    ));
    let log = EventLog {
        schema_version: SCHEMA_VERSION,
        gathering: g,
        events,
    };
    (log, ledger)
}

#[test]
fn a_waitlisted_sign_up_edited_to_confirmed_is_refused_at_its_seq() {
    let (log, _) = full_gathering_log();
    let json = log
        .to_json()
        .replacen("\"status\":\"waitlisted\"", "\"status\":\"confirmed\"", 1);
    let edited = EventLog::from_json(&json).expect("the shape is fine");
    let error = Ledger::from_log(&edited).unwrap_err();
    assert_eq!(error.code(), "inapplicable_event");
    assert_eq!(
        error,
        Error::Data(DataError::InapplicableEvent {
            seq: 2,
            reason: EventProblem::OverCapacity {
                counted: 2,
                capacity: 1,
                overridden: 0,
            },
        })
    );
    let Error::Data(data) = &error else {
        unreachable!()
    };
    assert_eq!(data.reason_code(), Some("over_capacity"));
    // No personal data in the message.
    let message = error.to_string();
    assert!(
        !message.contains("person") && !message.contains('@'),
        "{message}"
    );
}

#[test]
fn a_snapshot_with_a_version_below_its_registrations_is_refused() {
    let (_, ledger) = full_gathering_log();
    assert_eq!(ledger.version(), 2);
    for version in [0, 1] {
        let json = ledger
            .to_json()
            .replacen("\"version\":2", &format!("\"version\":{version}"), 1);
        let error = Ledger::from_json(&json).unwrap_err();
        assert_eq!(error.code(), "inconsistent_snapshot");
        assert_eq!(
            error,
            Error::Data(DataError::InconsistentSnapshot {
                reason: SnapshotProblem::VersionBelowHistory {
                    version,
                    implied: 2,
                },
            })
        );
    }
    // The version may be above what the registrations imply (capacity changes, reopenings and
    // promotions leave no count behind), and then loads.
    let json = ledger
        .to_json()
        .replacen("\"version\":2", "\"version\":9", 1);
    Ledger::from_json(&json).expect("a higher version is consistent");
}

#[test]
fn a_snapshot_instant_after_the_last_event_is_refused() {
    let (_, ledger) = full_gathering_log();
    let mut snapshot = ledger.snapshot();
    snapshot.last_event_at = Some(snapshot.registrations[1].joined_at - minutes(1));
    assert_eq!(
        Ledger::from_snapshot(snapshot.clone()).unwrap_err(),
        Error::Data(DataError::InconsistentSnapshot {
            reason: SnapshotProblem::InstantAfterLastEvent {
                registration: RegistrationId(1),
            },
        })
    );
    snapshot.last_event_at = None;
    let Error::Data(error) = Ledger::from_snapshot(snapshot).unwrap_err() else {
        panic!("a data error")
    };
    assert_eq!(error.reason_code(), Some("instant_after_last_event"));
}

//! Model-based test of the registration ledger.
//!
//! Random policies and random sequences of every command (bad ids, duplicate e-mails, stale
//! versions, time jumping across every deadline and going backwards) are run against the ledger
//! and against the naive reference model in `tests/reference_model`. After every step the outcome
//! (error code, or the events and the resulting state) must agree, and the ledger's invariants
//! must hold. At the end the live ledger must equal its replay and its snapshot round trip.

#[path = "reference_model/mod.rs"]
mod reference;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use alor_core::{
    Actor, CancelReason, Command, Event, Gathering, Label, Ledger, Nok, OrgNumber, Person,
    PersonDraft, Promotion, Recorded, RegistrationId, RegistrationPolicy, Slug, Status, Venue,
    WaitlistOrder,
};
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use proptest::test_runner::Config;

use reference::{EventSummary, Model};

// ---------------------------------------------------------------------------------------------
// Test data

/// Three organisations (valid MOD11 numbers), so per-organisation caps and substitutions bite.
const ORGS: [(&str, &str, &str); 3] = [
    ("Avinor AS", "985198292", "public"),
    ("Sola kommune", "964965404", "public"),
    ("Brønnøysundregistrene", "974760673", "public"),
];

/// A pool of people small enough that the same person signs up again often.
static PEOPLE: LazyLock<Vec<[Person; 2]>> = LazyLock::new(|| {
    let names = [
        "Åse Ødegård",
        "Tormod Fjeld",
        "Ingrid 🌿 Nilsen",
        "Øyvind Æsøy",
        "Kari Nordmann",
        "Per Hansen",
        "Siri Dahl",
        "Jon Ås",
        "Liv Berg",
    ];
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let (org_name, number, sector) = ORGS[i % ORGS.len()];
            let person = |email: String| {
                PersonDraft {
                    name: (*name).into(),
                    email,
                    organisation_name: org_name.into(),
                    organisation_number: number.into(),
                    sector: sector.into(),
                    role: "manager".into(),
                    ..PersonDraft::default()
                }
                .validate()
                .expect("test people are valid")
            };
            // The same address typed in another case is the same person.
            let email = format!("person{i}@org{}.no", i % ORGS.len());
            [person(email.clone()), person(email.to_uppercase())]
        })
        .collect()
});

fn base() -> DateTime<Utc> {
    // The window spans the Europe/Oslo switch to summer time (2026-03-29 01:00 UTC); the ledger
    // works in UTC, so nothing may change there.
    Utc.with_ymd_and_hms(2026, 3, 28, 20, 0, 0).unwrap()
}

fn minutes(n: i64) -> Duration {
    Duration::minutes(n)
}

// ---------------------------------------------------------------------------------------------
// Generated input

#[derive(Debug, Clone)]
struct Setup {
    capacity: u32,
    max_per_organisation: Option<u32>,
    waitlist: bool,
    order: u8,
    hold_minutes: Option<u32>,
    window_minutes: i64,
    deadline_quarters: i64,
    start_gap_minutes: i64,
    duration_minutes: i64,
}

impl Setup {
    fn gathering(&self) -> Gathering {
        let opens_at = base() + minutes(100);
        let closes_at = opens_at + minutes(self.window_minutes);
        let starts_at = closes_at + minutes(self.start_gap_minutes);
        let policy = RegistrationPolicy {
            capacity: self.capacity,
            opens_at,
            closes_at,
            // In quarters of the window: from before it opens (every seat cancellation is late)
            // to after it closes (capped at the start).
            cancellation_deadline: (opens_at
                + minutes(self.window_minutes * self.deadline_quarters / 4))
            .min(starts_at),
            max_per_organisation: self.max_per_organisation,
            waitlist: self.waitlist,
            waitlist_order: match self.order {
                0 => WaitlistOrder::JoinTime,
                1 => WaitlistOrder::FirstTimeFirst,
                _ => WaitlistOrder::NewOrganisationsFirst,
            },
            promotion: match self.hold_minutes {
                None => Promotion::Automatic,
                Some(hold_minutes) => Promotion::Offer { hold_minutes },
            },
        };
        Gathering {
            id: Slug::parse("rogaland-2026-var").unwrap(),
            network: Slug::parse("rogaland").unwrap(),
            title: Label::parse("Vårsamling 2026").unwrap(),
            theme: Label::parse("Fra bekymring til handling").unwrap(),
            starts_at,
            ends_at: starts_at + minutes(self.duration_minutes),
            venue: Venue {
                name: Label::parse("Sola Strand Hotel").unwrap(),
                town: Label::parse("Sola").unwrap(),
            },
            price: Nok::kroner(1_450),
            retention_days: None,
            policy,
        }
    }
}

fn setup() -> impl Strategy<Value = Setup> {
    (
        prop_oneof![1 => Just(0u32), 6 => 1u32..=3, 1 => 4u32..=5],
        prop_oneof![Just(None), (1u32..=2).prop_map(Some)],
        prop_oneof![3 => Just(true), 1 => Just(false)],
        0u8..3,
        prop_oneof![
            1 => Just(None),
            2 => prop::sample::select(vec![1u32, 10, 30, 90, 600, 5_000]).prop_map(Some)
        ],
        prop::sample::select(vec![120i64, 480, 1_440]),
        -1i64..=5,
        prop::sample::select(vec![0i64, 60, 600]),
        prop::sample::select(vec![0i64, 60, 480]),
    )
        .prop_map(
            |(
                capacity,
                max_per_organisation,
                waitlist,
                order,
                hold_minutes,
                window_minutes,
                deadline_quarters,
                start_gap_minutes,
                duration_minutes,
            )| Setup {
                capacity,
                max_per_organisation,
                waitlist,
                order,
                hold_minutes,
                window_minutes,
                deadline_quarters,
                start_gap_minutes,
                duration_minutes,
            },
        )
}

#[derive(Debug, Clone, Copy)]
enum Landmark {
    Opens,
    Closes,
    Deadline,
    Starts,
    Ends,
}

#[derive(Debug, Clone)]
enum Time {
    Same,
    Plus(i64),
    /// A landmark plus -1, 0 or +1 minutes (if that is not in the past).
    To(Landmark, i64),
    /// The ledger's next deadline, exactly (if any).
    NextDeadline,
    Back(i64),
}

/// Which registration a command names.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// Id 0 or one past the last: unknown.
    Bad(bool),
    /// Any registration, by position.
    Any(u16),
    /// A registration in the status this command is meant for, if any (else any).
    Fitting(u16),
}

#[derive(Debug, Clone)]
enum Op {
    Register {
        person: usize,
        upper: bool,
        first_time: bool,
        organiser: bool,
    },
    Cancel {
        target: Target,
        organiser: bool,
    },
    Substitute {
        target: Target,
        person: usize,
        first_time: bool,
    },
    Accept(Target),
    Decline(Target),
    Attended(Target),
    NoShow(Target),
    Capacity(u32),
    Close,
    Reopen,
    Override(Target),
    Erase(Target),
    Timeout {
        as_command: bool,
    },
}

#[derive(Debug, Clone, Copy)]
enum Version {
    Unstated,
    Current,
    Stale(i64),
}

#[derive(Debug, Clone)]
struct Step {
    time: Time,
    op: Op,
    version: Version,
}

fn time() -> impl Strategy<Value = Time> {
    // Small steps, so that most of a sequence happens while registration is open; jumps to the
    // landmarks (and one minute either side) to hit every edge exactly.
    let landmark = prop_oneof![
        4 => Just(Landmark::Opens),
        2 => Just(Landmark::Closes),
        3 => Just(Landmark::Deadline),
        1 => Just(Landmark::Starts),
        1 => Just(Landmark::Ends),
    ];
    prop_oneof![
        8 => Just(Time::Same),
        10 => prop::sample::select(vec![1i64, 5, 15, 45]).prop_map(Time::Plus),
        2 => (landmark, -1i64..=1).prop_map(|(l, d)| Time::To(l, d)),
        2 => Just(Time::NextDeadline),
        1 => (1i64..=5).prop_map(Time::Back),
    ]
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        1 => any::<bool>().prop_map(Target::Bad),
        2 => any::<u16>().prop_map(Target::Any),
        8 => any::<u16>().prop_map(Target::Fitting),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let person = 0..PEOPLE.len();
    prop_oneof![
        14 => (person.clone(), prop::bool::weighted(0.2), any::<bool>(), prop::bool::weighted(0.2))
            .prop_map(|(person, upper, first_time, organiser)| Op::Register {
                person,
                upper,
                first_time,
                organiser,
            }),
        7 => (target(), any::<bool>()).prop_map(|(target, organiser)| Op::Cancel { target, organiser }),
        2 => (target(), person, any::<bool>()).prop_map(|(target, person, first_time)| {
            Op::Substitute { target, person, first_time }
        }),
        4 => target().prop_map(Op::Accept),
        3 => target().prop_map(Op::Decline),
        1 => target().prop_map(Op::Attended),
        1 => target().prop_map(Op::NoShow),
        2 => (0u32..=6).prop_map(Op::Capacity),
        1 => Just(Op::Close),
        3 => Just(Op::Reopen),
        2 => target().prop_map(Op::Override),
        1 => target().prop_map(Op::Erase),
        2 => any::<bool>().prop_map(|as_command| Op::Timeout { as_command }),
    ]
}

fn version() -> impl Strategy<Value = Version> {
    prop_oneof![
        12 => Just(Version::Unstated),
        6 => Just(Version::Current),
        1 => prop_oneof![Just(-1i64), Just(1), Just(5)].prop_map(Version::Stale),
    ]
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        (time(), op(), version()).prop_map(|(time, op, version)| Step { time, op, version }),
        1..=60,
    )
}

// ---------------------------------------------------------------------------------------------
// Running a step

fn resolve(target: Target, ledger: &Ledger, fitting: &[Status]) -> RegistrationId {
    let regs = ledger.registrations();
    let n = regs.len() as u32;
    match target {
        Target::Bad(zero) => RegistrationId(if zero { 0 } else { n + 1 }),
        Target::Any(_) | Target::Fitting(_) if n == 0 => RegistrationId(1),
        Target::Any(raw) => RegistrationId(u32::from(raw) % n + 1),
        Target::Fitting(raw) => {
            let fit: Vec<RegistrationId> = regs
                .iter()
                .filter(|r| fitting.contains(&r.status))
                .map(|r| r.id)
                .collect();
            if fit.is_empty() {
                RegistrationId(u32::from(raw) % n + 1)
            } else {
                fit[usize::from(raw) % fit.len()]
            }
        }
    }
}

fn command(op: &Op, ledger: &Ledger) -> Command {
    let actor = |organiser: bool| {
        if organiser {
            Actor::Organiser
        } else {
            Actor::Participant
        }
    };
    match op {
        Op::Register {
            person,
            upper,
            first_time,
            organiser,
        } => Command::Register {
            person: PEOPLE[*person][usize::from(*upper)].clone(),
            first_time: *first_time,
            by: actor(*organiser),
        },
        Op::Cancel { target, organiser } => Command::Cancel {
            // Mostly seat holders, whose seat goes on; `Any` reaches the waitlisted too.
            registration: resolve(*target, ledger, &[Status::Confirmed, Status::Offered]),
            by: actor(*organiser),
            reason: if *organiser {
                CancelReason::OrganiserDecision
            } else {
                CancelReason::Illness
            },
        },
        Op::Substitute {
            target,
            person,
            first_time,
        } => Command::Substitute {
            registration: resolve(*target, ledger, &[Status::Confirmed]),
            person: PEOPLE[*person][0].clone(),
            first_time: *first_time,
        },
        Op::Accept(target) => Command::AcceptOffer {
            registration: resolve(*target, ledger, &[Status::Offered]),
        },
        Op::Decline(target) => Command::DeclineOffer {
            registration: resolve(*target, ledger, &[Status::Offered]),
        },
        Op::Attended(target) => Command::MarkAttended {
            registration: resolve(*target, ledger, &[Status::Confirmed, Status::NoShow]),
        },
        Op::NoShow(target) => Command::MarkNoShow {
            registration: resolve(*target, ledger, &[Status::Confirmed, Status::Attended]),
        },
        Op::Capacity(capacity) => Command::ChangeCapacity {
            capacity: *capacity,
        },
        Op::Close => Command::CloseRegistration,
        Op::Reopen => Command::ReopenRegistration,
        Op::Override(target) => Command::OverrideSeat {
            registration: resolve(*target, ledger, &[Status::Waitlisted]),
            reason: Label::parse("Innleder").unwrap(),
        },
        Op::Erase(target) => Command::Erase {
            registration: resolve(
                *target,
                ledger,
                &[Status::Cancelled, Status::Declined, Status::Expired],
            ),
        },
        Op::Timeout { .. } => Command::HandleTimeout,
    }
}

fn next_now(time: &Time, now: DateTime<Utc>, g: &Gathering, ledger: &Ledger) -> DateTime<Utc> {
    let p = &g.policy;
    match time {
        Time::Same => now,
        Time::Plus(n) => now + minutes(*n),
        Time::To(landmark, offset) => {
            let at = match landmark {
                Landmark::Opens => p.opens_at,
                Landmark::Closes => p.closes_at,
                Landmark::Deadline => p.cancellation_deadline,
                Landmark::Starts => g.starts_at,
                Landmark::Ends => g.ends_at,
            } + minutes(*offset);
            at.max(now)
        }
        Time::NextDeadline => ledger.next_deadline().map_or(now, |at| at.max(now)),
        Time::Back(n) => now - minutes(*n),
    }
}

fn summary(recorded: &Recorded) -> EventSummary {
    let (kind, id) = match &recorded.event {
        Event::Registered { registration, .. } => ("registered", Some(*registration)),
        Event::Promoted { registration, .. } => ("promoted", Some(*registration)),
        Event::Offered { registration, .. } => ("offered", Some(*registration)),
        Event::OfferAccepted { registration } => ("offer_accepted", Some(*registration)),
        Event::OfferDeclined { registration } => ("offer_declined", Some(*registration)),
        Event::OfferExpired { registration } => ("offer_expired", Some(*registration)),
        Event::Cancelled { registration, .. } => ("cancelled", Some(*registration)),
        Event::Substituted { registration, .. } => ("substituted", Some(*registration)),
        Event::AttendanceMarked { registration, .. } => ("attendance_marked", Some(*registration)),
        Event::CapacityChanged { .. } => ("capacity_changed", None),
        Event::RegistrationClosed => ("registration_closed", None),
        Event::RegistrationReopened => ("registration_reopened", None),
        Event::SeatOverridden { registration, .. } => ("seat_overridden", Some(*registration)),
        Event::Erased { registration } => ("erased", Some(*registration)),
    };
    (recorded.seq, recorded.at, kind, id.map(|id| id.0))
}

/// What the test keeps across steps, to check history-dependent invariants.
#[derive(Default)]
struct History {
    events: Vec<Recorded>,
    joined: BTreeMap<RegistrationId, DateTime<Utc>>,
    /// Registrations seated by an override, and the colleagues who took over those seats.
    override_seats: BTreeSet<RegistrationId>,
}

/// The ledger's state must be the model's, field by field.
fn assert_same_state(ledger: &Ledger, model: &Model) -> Result<(), TestCaseError> {
    prop_assert_eq!(ledger.version(), model.version, "version");
    prop_assert_eq!(ledger.last_event_at(), model.last_at, "last event instant");
    prop_assert_eq!(ledger.capacity(), model.capacity, "capacity");
    prop_assert_eq!(ledger.manually_closed(), model.closed, "closed flag");
    prop_assert_eq!(ledger.counted_seats(), model.counted(), "counted seats");
    prop_assert_eq!(
        ledger.registrations().len(),
        model.regs.len(),
        "registrations"
    );
    for (reg, expected) in ledger.registrations().iter().zip(&model.regs) {
        let id = reg.id;
        prop_assert_eq!(reg.status, expected.status, "status of {}", id);
        prop_assert_eq!(reg.joined_at, expected.joined_at, "join time of {}", id);
        prop_assert_eq!(reg.priority, expected.priority, "priority of {}", id);
        prop_assert_eq!(reg.organisation.number.get(), expected.org, "org of {}", id);
        prop_assert_eq!(
            reg.contact.as_ref().map(|c| c.email.as_str().to_owned()),
            expected.email.clone(),
            "e-mail of {}",
            id
        );
        prop_assert_eq!(
            reg.offer_expires_at,
            expected.offer_expires_at,
            "hold of {}",
            id
        );
        prop_assert_eq!(reg.late_cancellation, expected.late, "late flag of {}", id);
        prop_assert_eq!(
            reg.overridden,
            expected.beyond_capacity,
            "override of {}",
            id
        );
    }
    Ok(())
}

/// Invariants of the ledger alone, after every step.
fn assert_invariants(
    ledger: &Ledger,
    g: &Gathering,
    history: &History,
) -> Result<(), TestCaseError> {
    if let Err(e) = ledger.verify() {
        return Err(TestCaseError::fail(format!("verify: {e}")));
    }
    prop_assert!(
        ledger.counted_seats() <= ledger.capacity() + ledger.overridden_seats(),
        "counted {} > capacity {} + overrides {}",
        ledger.counted_seats(),
        ledger.capacity(),
        ledger.overridden_seats()
    );
    let mut active = BTreeSet::new();
    let mut per_org: BTreeMap<OrgNumber, u32> = BTreeMap::new();
    for reg in ledger.registrations() {
        if reg.status.is_active() {
            if let Some(contact) = &reg.contact {
                prop_assert!(
                    active.insert(contact.email.clone()),
                    "second active registration: {}",
                    reg.id
                );
            }
        }
        if reg.status.counts_against_capacity() && !history.override_seats.contains(&reg.id) {
            *per_org.entry(reg.organisation.number).or_default() += 1;
        }
        prop_assert_eq!(
            Some(&reg.joined_at),
            history.joined.get(&reg.id),
            "join time of {} changed",
            reg.id
        );
    }
    if let Some(cap) = g.policy.max_per_organisation {
        for (org, counted) in &per_org {
            prop_assert!(
                *counted <= cap,
                "{:?} holds {} seats, cap {}",
                org,
                counted,
                cap
            );
        }
    }
    // Sequence numbers are 1, 2, 3, … and the ledger's version is the last one.
    for (i, e) in history.events.iter().enumerate() {
        prop_assert_eq!(e.seq, i as u64 + 1);
    }
    prop_assert_eq!(ledger.version(), history.events.len() as u64);
    Ok(())
}

/// After an accepted command at `now`, with time settled: no deadline is overdue, and nobody
/// eligible waits while a seat is free, if seats may go to the waitlist at all.
fn assert_settled(ledger: &Ledger, now: DateTime<Utc>) -> Result<(), TestCaseError> {
    let g = ledger.gathering();
    // Nothing due is left pending, so a host looping on `next_deadline` moves on.
    if let Some(deadline) = ledger.next_deadline() {
        prop_assert!(deadline > now, "deadline {} is not after {}", deadline, now);
    }
    if ledger.is_open(now) && now < g.starts_at && ledger.free_seats() > 0 {
        let cap = g.policy.max_per_organisation;
        let eligible = ledger.waitlist().find(|r| {
            cap.is_none_or(|cap| ledger.organisation_count(r.organisation.number).counted < cap)
        });
        prop_assert!(
            eligible.is_none(),
            "{} free seats while {:?} waits",
            ledger.free_seats(),
            eligible.map(|r| r.id)
        );
    }
    Ok(())
}

fn run_case(setup: &Setup, steps: &[Step]) -> Result<(), TestCaseError> {
    let g = setup.gathering();
    let mut ledger = Ledger::new(g.clone()).expect("generated gatherings are valid");
    let mut model = Model::new(&g);
    let mut history = History::default();
    let mut now = g.policy.opens_at - minutes(1);

    for (n, step) in steps.iter().enumerate() {
        now = next_now(&step.time, now, &g, &ledger);
        let command = command(&step.op, &ledger);
        let expected = match step.version {
            Version::Unstated => None,
            Version::Current => Some(ledger.version()),
            Version::Stale(d) => Some(ledger.version().saturating_add_signed(d)),
        };
        let before = ledger.clone();
        let outcome = match step.op {
            Op::Timeout { as_command: false } if expected.is_none() => ledger.handle_timeout(now),
            _ => ledger.execute(&command, now, expected),
        };
        let predicted = model.step(&command, now, expected);
        let context = || format!("step {n}: {command:?} at {now} (expected version {expected:?})");
        match (&outcome, predicted) {
            (Err(e), Err(code)) => {
                prop_assert_eq!(e.code(), code, "{}", context());
                prop_assert!(
                    ledger == before,
                    "an error changed the ledger: {}",
                    context()
                );
            }
            (Ok(events), Ok(())) => {
                let got: Vec<EventSummary> = events.iter().map(summary).collect();
                prop_assert_eq!(&got, &model.last_events, "events of {}", context());
                for e in events {
                    match &e.event {
                        Event::Registered { registration, .. } => {
                            history.joined.insert(*registration, e.at);
                        }
                        Event::Substituted {
                            registration,
                            substitute,
                            ..
                        } => {
                            history.joined.insert(*substitute, e.at);
                            if history.override_seats.contains(registration) {
                                history.override_seats.insert(*substitute);
                            }
                        }
                        Event::SeatOverridden { registration, .. } => {
                            history.override_seats.insert(*registration);
                        }
                        Event::Offered { expires_at, .. } => {
                            prop_assert!(
                                e.at < g.policy.closes_at && e.at < g.starts_at,
                                "offer at {} after the deadline or the start",
                                e.at
                            );
                            prop_assert!(
                                *expires_at > e.at && *expires_at <= g.policy.closes_at,
                                "hold until {} of an offer at {}",
                                expires_at,
                                e.at
                            );
                        }
                        _ => {}
                    }
                }
                history.events.extend(events.iter().cloned());
                assert_settled(&ledger, now)?;
            }
            (outcome, predicted) => {
                return Err(TestCaseError::fail(format!(
                    "{}: ledger {:?}, model {:?}",
                    context(),
                    outcome
                        .as_ref()
                        .map(|e| e.iter().map(summary).collect::<Vec<_>>()),
                    predicted.map(|()| &model.last_events)
                )));
            }
        }
        assert_same_state(&ledger, &model)?;
        assert_invariants(&ledger, &g, &history)?;
    }

    // The state is the replay of its events, also after a JSON round trip of the log.
    let replayed = Ledger::replay(g.clone(), &history.events).expect("the log replays");
    prop_assert!(replayed == ledger, "replay differs from the live ledger");
    let json = serde_json::to_string(&history.events).unwrap();
    let events: Vec<Recorded> = serde_json::from_str(&json).unwrap();
    prop_assert_eq!(&events, &history.events);
    // The snapshot survives JSON.
    let restored = Ledger::from_json(&ledger.to_json()).expect("the snapshot loads");
    prop_assert!(
        restored == ledger,
        "snapshot round trip differs from the live ledger"
    );
    Ok(())
}

proptest! {
    #![proptest_config(Config {
        cases: 10_000,
        // Failures are shrunk and printed; no regression files are written into the tree.
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn ledger_agrees_with_the_reference_model(setup in setup(), steps in steps()) {
        run_case(&setup, &steps)?;
    }
}

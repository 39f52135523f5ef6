//! Ledger benchmarks: `cargo bench -p alor-core --bench ledger`.
//!
//! - Commands on a full gathering (70 seats) with 1 000, 10 000 and 100 000 people waitlisted,
//!   to show each command costs O(log n):
//!   - `register_and_cancel_waitlisted`: sign one more person up (waitlisted), cancel them;
//!   - `cancel_promote_register`: cancel a seat (the first in line is promoted automatically),
//!     sign one more person up (waitlisted);
//!   - `cancel_offer_accept_register`: offer mode: cancel a seat (the first in line is offered
//!     it), they accept, one more person signs up;
//!   - `decide_register`: deciding a sign-up alone, without applying it;
//!   - `capped_free_register`: with a cap of 10 seats per organisation and every waitlisted
//!     person's organisation at its cap, cancel a seat of the one organisation with nobody
//!     waiting (no one on the waitlist may take it), then sign one more person from it up
//!     (a seat): 2 commands, the case in which `fill` and the admission rule used to scan the
//!     whole waitlist;
//!   - `waitlist_position`: the place of the person in the middle of the waitlist.
//!
//!   Each loop leaves the waitlist as long as it found it, so every iteration sees the same n.
//! - `replay`: rebuilding a ledger from 1 000 000 events (read back from JSON and checked, as
//!   from storage).
//! - `reference_model/cancel_promote_register`: the same workload on the naive reference model
//!   of `tests/reference_model`, for the speed ratio.
//!
//! Results and the machine they were measured on are in BENCHMARKS.md.

#[path = "../tests/reference_model/mod.rs"]
mod reference;

use std::collections::VecDeque;
use std::hint::black_box;
use std::time::{Duration, Instant};

use alor_core::{
    Actor, CancelReason, Command, Email, Event, EventLog, Gathering, Label, Ledger, Nok, OrgNumber,
    Organisation, Person, PersonName, Promotion, Recorded, RegistrationId, RegistrationPolicy,
    Role, Sector, Slug, Status, Venue, WaitlistOrder, SCHEMA_VERSION,
};
use chrono::{DateTime, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const SEATS: u32 = 70;
const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, day, hour, 0, 0).unwrap()
}

fn gathering(promotion: Promotion) -> Gathering {
    Gathering {
        id: Slug::parse("rogaland-2026-host").unwrap(),
        network: Slug::parse("rogaland").unwrap(),
        title: Label::parse("Høstsamling 2026").unwrap(),
        theme: Label::parse("Fra bekymring til handling").unwrap(),
        starts_at: at(29, 8),
        ends_at: at(29, 15),
        venue: Venue {
            name: Label::parse("Sola Strand Hotel").unwrap(),
            town: Label::parse("Sola").unwrap(),
        },
        price: Nok::kroner(1_450),
        retention_days: None,
        policy: RegistrationPolicy {
            capacity: SEATS,
            opens_at: at(1, 8),
            closes_at: at(20, 22),
            cancellation_deadline: at(15, 22),
            max_per_organisation: None,
            waitlist: true,
            waitlist_order: WaitlistOrder::JoinTime,
            promotion,
        },
    }
}

/// Every command runs at this instant: inside the window, before the cancellation deadline.
fn now() -> DateTime<Utc> {
    at(10, 12)
}

/// Sign-up commands for distinct people from a handful of organisations.
fn registrations(count: usize) -> Vec<Command> {
    let orgs: Vec<Organisation> = ["985198292", "964965404", "974760673"]
        .iter()
        .map(|number| Organisation {
            name: Label::parse("Virksomhet AS").unwrap(),
            number: OrgNumber::parse(number).unwrap(),
            sector: Sector::Public,
            industry: None,
        })
        .collect();
    (0..count)
        .map(|i| Command::Register {
            person: Person {
                name: PersonName::parse("Åse Ødegård").unwrap(),
                email: Email::parse(&format!("person{i}@example.no")).unwrap(),
                phone: None,
                organisation: orgs[i % orgs.len()].clone(),
                role: Role::Manager,
            },
            first_time: i % 5 == 0,
            by: Actor::Participant,
        })
        .collect()
}

/// The first `count` valid organisation numbers from 910 000 000 on (MOD11).
fn org_numbers(count: usize) -> Vec<OrgNumber> {
    (91_000_000u32..)
        .filter_map(|base| {
            OrgNumber::parse(&format!("{base}0"))
                .ok()
                .or_else(|| (1..10).find_map(|d| OrgNumber::parse(&format!("{base}{d}")).ok()))
        })
        .take(count)
        .collect()
}

fn cancel(id: RegistrationId) -> Command {
    Command::Cancel {
        registration: id,
        by: Actor::Participant,
        reason: CancelReason::Illness,
    }
}

/// A workload: a ledger with `SEATS` taken and `waiting` people waitlisted, the sign-ups that
/// built it followed by as many fresh ones (plus a margin), and the seated ids in the order
/// they will be cancelled.
#[derive(Clone)]
struct Workload {
    ledger: Ledger,
    people: std::sync::Arc<Vec<Command>>,
    first_fresh: usize,
    next_person: usize,
    seated: VecDeque<RegistrationId>,
}

impl Workload {
    fn new(waiting: usize, promotion: Promotion) -> Self {
        let taken = waiting + SEATS as usize;
        let people = registrations(2 * taken + 16);
        let mut ledger = Ledger::new(gathering(promotion)).unwrap();
        for command in &people[..taken] {
            ledger.execute(command, now(), None).unwrap();
        }
        assert_eq!(ledger.waitlist_len(), waiting);
        Workload {
            ledger,
            people: std::sync::Arc::new(people),
            first_fresh: taken,
            next_person: taken,
            seated: (1..=SEATS).map(RegistrationId).collect(),
        }
    }

    /// The capped workload: 7 organisations with 10 seats each (the cap), the waitlisted from the
    /// first six only, so every waitlisted person's organisation is at its cap. The seventh's
    /// seats are ids 61..=70; `people` from `first_fresh` on are fresh people of the seventh.
    fn capped(waiting: usize) -> Self {
        const CAP: u32 = 10;
        let orgs = org_numbers(7);
        let person = |i: usize, org: OrgNumber| Command::Register {
            person: Person {
                name: PersonName::parse("Åse Ødegård").unwrap(),
                email: Email::parse(&format!("person{i}@example.no")).unwrap(),
                phone: None,
                organisation: Organisation {
                    name: Label::parse("Virksomhet AS").unwrap(),
                    number: org,
                    sector: Sector::Public,
                    industry: None,
                },
                role: Role::Manager,
            },
            first_time: false,
            by: Actor::Participant,
        };
        let seated = 60 + waiting;
        let mut people: Vec<Command> = (0..seated).map(|i| person(i, orgs[i % 6])).collect();
        // The seventh's 10 seats, then 64 fresh people of it, cycled: only 10 hold a seat at a
        // time, so one comes round again long after their last registration was cancelled.
        people.splice(60..60, (seated..seated + 10).map(|i| person(i, orgs[6])));
        people.extend((seated + 10..seated + 74).map(|i| person(i, orgs[6])));
        let mut g = gathering(Promotion::Automatic);
        g.policy.max_per_organisation = Some(CAP);
        let mut ledger = Ledger::new(g).unwrap();
        for command in &people[..seated + 10] {
            ledger.execute(command, now(), None).unwrap();
        }
        assert_eq!(ledger.waitlist_len(), waiting);
        assert_eq!(ledger.free_seats(), 0);
        Workload {
            ledger,
            people: std::sync::Arc::new(people),
            first_fresh: seated + 10,
            next_person: seated + 10,
            seated: (61..=70).map(RegistrationId).collect(),
        }
    }

    /// Capped: cancel a seat nobody waiting may take, one more of the same organisation signs
    /// up and gets it: 2 commands.
    fn capped_free_register(&mut self) {
        let id = self.seated.pop_front().unwrap();
        let events = self.ledger.execute(&cancel(id), now(), None).unwrap();
        debug_assert_eq!(events.len(), 1);
        let events = self.register();
        let Event::Registered {
            registration,
            status: Status::Confirmed,
            ..
        } = events[0].event
        else {
            unreachable!()
        };
        self.seated.push_back(registration);
    }

    fn register(&mut self) -> Vec<Recorded> {
        let command = &self.people[self.next_person];
        // The fresh people in turn; by the time one comes round again (after `taken + 16`
        // sign-ups) the loops have cancelled them.
        self.next_person += 1;
        if self.next_person == self.people.len() {
            self.next_person = self.first_fresh;
        }
        self.ledger.execute(command, now(), None).unwrap()
    }

    /// Sign up, then cancel the new (waitlisted) registration: 2 commands.
    fn register_and_cancel_waitlisted(&mut self) {
        let events = self.register();
        let Event::Registered { registration, .. } = events[0].event else {
            unreachable!()
        };
        self.ledger
            .execute(&cancel(registration), now(), None)
            .unwrap();
    }

    /// Cancel the longest-held seat (automatic promotion of the first in line), sign one more
    /// person up: 2 commands.
    fn cancel_promote_register(&mut self) {
        let id = self.seated.pop_front().unwrap();
        let events = self.ledger.execute(&cancel(id), now(), None).unwrap();
        let Event::Promoted { registration, .. } = events[1].event else {
            unreachable!()
        };
        self.seated.push_back(registration);
        self.register();
    }

    /// Offer mode: cancel a seat, the first in line accepts the offer, one more signs up:
    /// 3 commands.
    fn cancel_offer_accept_register(&mut self) {
        let id = self.seated.pop_front().unwrap();
        let events = self.ledger.execute(&cancel(id), now(), None).unwrap();
        let Event::Offered { registration, .. } = events[1].event else {
            unreachable!()
        };
        self.ledger
            .execute(&Command::AcceptOffer { registration }, now(), None)
            .unwrap();
        self.seated.push_back(registration);
        self.register();
    }
}

/// Runs `step` `iters` times on a copy of the workload that persists across samples, and starts
/// over from the pristine copy (outside the timing) once it has grown by many registrations, so
/// memory stays bounded.
fn timed(
    pristine: &Workload,
    current: &mut Option<Workload>,
    iters: u64,
    step: fn(&mut Workload),
) -> Duration {
    let grown = current.as_ref().is_none_or(|w| {
        w.ledger.registrations().len() > pristine.ledger.registrations().len() + 400_000
    });
    if grown {
        *current = Some(pristine.clone());
    }
    let work = current.as_mut().unwrap();
    let start = Instant::now();
    for _ in 0..iters {
        step(work);
    }
    start.elapsed()
}

fn commands(c: &mut Criterion) {
    type Step = (&'static str, u64, Promotion, fn(&mut Workload));
    let steps: [Step; 3] = [
        (
            "register_and_cancel_waitlisted",
            2,
            Promotion::Automatic,
            Workload::register_and_cancel_waitlisted,
        ),
        (
            "cancel_promote_register",
            2,
            Promotion::Automatic,
            Workload::cancel_promote_register,
        ),
        (
            "cancel_offer_accept_register",
            3,
            Promotion::Offer {
                hold_minutes: 525_600,
            },
            Workload::cancel_offer_accept_register,
        ),
    ];
    for (name, per_iteration, promotion, step) in steps {
        let mut group = c.benchmark_group(format!("ledger/{name}"));
        group.throughput(Throughput::Elements(per_iteration));
        for waiting in SIZES {
            let pristine = Workload::new(waiting, promotion);
            let mut current = None;
            group.bench_with_input(BenchmarkId::from_parameter(waiting), &waiting, |b, _| {
                b.iter_custom(|iters| timed(&pristine, &mut current, iters, step));
            });
        }
        group.finish();
    }

    let mut group = c.benchmark_group("ledger/capped_free_register");
    group.throughput(Throughput::Elements(2));
    for waiting in SIZES {
        let pristine = Workload::capped(waiting);
        let mut current = None;
        group.bench_with_input(BenchmarkId::from_parameter(waiting), &waiting, |b, _| {
            b.iter_custom(|iters| {
                timed(
                    &pristine,
                    &mut current,
                    iters,
                    Workload::capped_free_register,
                )
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("ledger/waitlist_position");
    group.throughput(Throughput::Elements(1));
    for waiting in SIZES {
        let workload = Workload::new(waiting, Promotion::Automatic);
        let middle = RegistrationId(SEATS + waiting as u32 / 2);
        assert_eq!(workload.ledger.waitlist_position(middle), Some(waiting / 2));
        group.bench_with_input(BenchmarkId::from_parameter(waiting), &waiting, |b, _| {
            b.iter(|| black_box(workload.ledger.waitlist_position(black_box(middle))));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("ledger/decide_register");
    group.throughput(Throughput::Elements(1));
    for waiting in SIZES {
        let workload = Workload::new(waiting, Promotion::Automatic);
        let command = &workload.people[workload.next_person];
        group.bench_with_input(BenchmarkId::from_parameter(waiting), &waiting, |b, _| {
            b.iter(|| black_box(workload.ledger.decide(command, now(), None).unwrap()));
        });
    }
    group.finish();
}

/// A log of about 1 000 000 events: 400 000 sign-ups (70 seated, the rest waitlisted), then
/// 300 000 cancellations of seats, each promoting the first in line.
fn million_events() -> (Gathering, Vec<Recorded>) {
    let g = gathering(Promotion::Automatic);
    let mut ledger = Ledger::new(g.clone()).unwrap();
    let mut log = Vec::with_capacity(1_000_000);
    let people = registrations(400_000);
    for command in &people {
        log.extend(ledger.execute(command, now(), None).unwrap());
    }
    let mut seated: VecDeque<RegistrationId> = (1..=SEATS).map(RegistrationId).collect();
    while log.len() < 1_000_000 {
        let id = seated.pop_front().unwrap();
        let events = ledger.execute(&cancel(id), now(), None).unwrap();
        if let Event::Promoted { registration, .. } = events[1].event {
            seated.push_back(registration);
        }
        log.extend(events);
    }
    (g, log)
}

fn replay(c: &mut Criterion) {
    let (g, log) = million_events();
    // Through JSON and back, as a log comes from storage: every event then owns its strings,
    // rather than sharing them with the commands and with each other as built above.
    let json = EventLog {
        schema_version: SCHEMA_VERSION,
        gathering: g.clone(),
        events: log,
    }
    .to_json();
    let log = EventLog::from_json(&json).unwrap().events;
    drop(json);
    let live = Ledger::replay(g.clone(), &log).unwrap();
    assert_eq!(live.version(), log.len() as u64);
    let mut group = c.benchmark_group("ledger/replay");
    group.throughput(Throughput::Elements(log.len() as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function(BenchmarkId::from_parameter(log.len()), |b| {
        // Times the rebuild only: freeing the rebuilt ledger is not part of it.
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let ledger = black_box(Ledger::replay(g.clone(), &log).unwrap());
                total += start.elapsed();
                drop(ledger);
            }
            total
        });
    });
    group.finish();
}

/// The reference model, built directly (registering 100 000 people through it one by one would
/// take quadratic time), in the same state as `Workload::new`.
#[derive(Clone)]
struct ModelWorkload {
    model: reference::Model,
    people: Vec<Command>,
    first_fresh: usize,
    next_person: usize,
    seated: VecDeque<u32>,
}

impl ModelWorkload {
    fn new(waiting: usize) -> Self {
        let taken = waiting + SEATS as usize;
        let people = registrations(2 * taken + 16);
        let mut model = reference::Model::new(&gathering(Promotion::Automatic));
        for (i, command) in people[..taken].iter().enumerate() {
            let Command::Register { person, .. } = command else {
                unreachable!()
            };
            model.regs.push(reference::Reg {
                email: Some(person.email.as_str().to_owned()),
                org: person.organisation.number.get(),
                priority: false,
                status: if i < SEATS as usize {
                    Status::Confirmed
                } else {
                    Status::Waitlisted
                },
                joined_at: now(),
                offer_expires_at: None,
                late: false,
                beyond_capacity: false,
            });
        }
        model.version = taken as u64;
        model.last_at = Some(now());
        ModelWorkload {
            model,
            people,
            first_fresh: taken,
            next_person: taken,
            seated: (1..=SEATS).collect(),
        }
    }

    fn cancel_promote_register(&mut self) {
        let id = self.seated.pop_front().unwrap();
        self.model
            .step(&cancel(RegistrationId(id)), now(), None)
            .unwrap();
        let (_, _, kind, Some(promoted)) = self.model.last_events[1] else {
            unreachable!()
        };
        assert_eq!(kind, "promoted");
        self.seated.push_back(promoted);
        let command = &self.people[self.next_person];
        self.next_person += 1;
        if self.next_person == self.people.len() {
            self.next_person = self.first_fresh;
        }
        self.model.step(command, now(), None).unwrap();
    }
}

fn reference_model(c: &mut Criterion) {
    let mut group = c.benchmark_group("reference_model/cancel_promote_register");
    group.throughput(Throughput::Elements(2));
    group.sample_size(10);
    for waiting in SIZES {
        let pristine = ModelWorkload::new(waiting);
        let mut workload = pristine.clone();
        // The model scans every registration ever made, cancelled ones included: start over
        // (untimed) before they outgrow the waitlist by a tenth, so it is measured at `waiting`.
        let limit = pristine.model.regs.len() + waiting / 10 + 16;
        group.bench_with_input(BenchmarkId::from_parameter(waiting), &waiting, |b, _| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    if workload.model.regs.len() > limit {
                        workload = pristine.clone();
                    }
                    let start = Instant::now();
                    workload.cancel_promote_register();
                    total += start.elapsed();
                }
                total
            });
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = commands, replay, reference_model
}
criterion_main!(benches);

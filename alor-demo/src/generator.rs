//! The generator of the demo season's steps: sign-ups drawn from a seeded generator, and
//! everything the ledger's answers lead people to do next.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use alor_core::{
    Actor, CancelReason, Command, Email, Event, Gathering, Ledger, Locale, Person, PersonDraft,
    RegistrationId, Role, Status,
};

use crate::plan::{waking, Answer, Plan};
use crate::rng::SplitMix64;
use crate::rogaland::{ascii_fold, opens_at, oslo, FIRST_NAMES, LAST_NAMES, ORGS, ROLES};
use crate::{DemoStep, SEED};

pub(crate) struct Generator {
    ledger: Ledger,
    rng: SplitMix64,
    people: Vec<(Person, bool)>,
    /// The registration each person got, by person index.
    registered: Vec<Option<RegistrationId>>,
    /// The duplicate registration made with a private address (see `Plan::SignUpPrivateAddress`).
    duplicate: Option<RegistrationId>,
    plans: BTreeMap<(DateTime<Utc>, u32), Plan>,
    next_plan: u32,
    offers_seen: u32,
    steps: Vec<DemoStep>,
}

impl Generator {
    pub(crate) fn new(gathering: &Gathering) -> Self {
        Generator {
            ledger: Ledger::new(gathering.clone()).expect("the demo gathering is valid"),
            rng: SplitMix64::new(SEED),
            people: Vec::new(),
            registered: Vec::new(),
            duplicate: None,
            plans: BTreeMap::new(),
            next_plan: 0,
            offers_seen: 0,
            steps: Vec::new(),
        }
    }

    fn plan(&mut self, at: DateTime<Utc>, plan: Plan) {
        self.plans.insert((at, self.next_plan), plan);
        self.next_plan += 1;
    }

    fn make_person(&mut self, used_emails: &mut Vec<String>) -> (Person, bool) {
        let org = &ORGS[self.rng.weighted(ORGS.iter().map(|o| o.weight))];
        let first = FIRST_NAMES[self.rng.below(FIRST_NAMES.len() as u64) as usize];
        let last = LAST_NAMES[self.rng.below(LAST_NAMES.len() as u64) as usize];
        let role = if org.is_health_service() {
            Role::OccupationalHealth
        } else {
            ROLES[self.rng.weighted(ROLES.iter().map(|(_, w)| *w))].0
        };
        let base = format!("{}.{}", ascii_fold(first), ascii_fold(last));
        let mut local = base.clone();
        let mut n = 2;
        while used_emails.contains(&format!("{local}@{}", org.domain)) {
            local = format!("{base}{n}");
            n += 1;
        }
        used_emails.push(format!("{local}@{}", org.domain));
        // One participant writes an emoji after their name; the ledger keeps it as written.
        let name = if self.people.len() == 23 {
            format!("{first} {last} 🌻")
        } else {
            format!("{first} {last}")
        };
        let draft = PersonDraft {
            name,
            email: format!("{local}@{}.example", org.domain),
            organisation_name: org.name.into(),
            organisation_number: org.number(),
            sector: if org.public { "public" } else { "private" }.into(),
            industry: org.industry.into(),
            role: role.as_str().into(),
            ..PersonDraft::default()
        };
        let person = draft.validate().expect("demo people are valid");
        // 15–30 % of participants are new each time; here about one in five.
        let first_time = self.rng.percent(24);
        (person, first_time)
    }

    /// A sign-up instant in week `week` (0-based) of the window: weekdays mostly, working hours
    /// mostly, a rush on the opening morning.
    fn sign_up_time(&mut self, week: u64, rush: bool) -> DateTime<Utc> {
        let opens = opens_at();
        if rush {
            return opens + Duration::minutes(2 + self.rng.below(180) as i64);
        }
        let day_weights = [22u32, 20, 20, 18, 14, 3, 3];
        let day = week * 7 + self.rng.weighted(day_weights.iter().copied()) as u64;
        let minute_of_day = if self.rng.percent(78) {
            8 * 60 + self.rng.below(8 * 60)
        } else {
            7 * 60 + 30 + self.rng.below(14 * 60 + 30)
        };
        let midnight = self.local_midnight(day as i64);
        (midnight + Duration::minutes(minute_of_day as i64)).max(opens + Duration::minutes(1))
    }

    /// Local midnight, `day` days after the opening day (the window is all in summer time).
    fn local_midnight(&self, day: i64) -> DateTime<Utc> {
        opens_at() - Duration::hours(9) + Duration::days(day)
    }

    pub(crate) fn run(mut self) -> Vec<DemoStep> {
        // ~110 people sign up over six weeks, most in the first two.
        let per_week: [u64; 6] = [52, 22, 14, 10, 7, 5];
        let mut times = Vec::new();
        for (week, count) in per_week.iter().enumerate() {
            for i in 0..*count {
                let rush = week == 0 && i < 24;
                times.push(self.sign_up_time(week as u64, rush));
            }
        }
        times.sort();
        let mut used_emails = Vec::new();
        for at in &times {
            let person = self.make_person(&mut used_emails);
            self.people.push(person);
            self.registered.push(None);
            let index = self.people.len() - 1;
            self.plan(*at, Plan::SignUp { person: index });
            // Some will cancel before registration closes: plans change, work gets in the way.
            // They do it on a later day, at a waking hour.
            let day = (*at - self.local_midnight(0)).num_days();
            if self.rng.percent(17) && day < 41 {
                let cancel_day = day + 1 + self.rng.below((41 - day) as u64) as i64;
                let minute = 7 * 60 + 30 + self.rng.below(15 * 60) as i64;
                let when = self.local_midnight(cancel_day) + Duration::minutes(minute);
                let reasons = [
                    CancelReason::WorkConflict,
                    CancelReason::Illness,
                    CancelReason::Travel,
                    CancelReason::Other,
                ];
                let reason = reasons[self.rng.below(4) as usize];
                self.plan(
                    when,
                    Plan::Cancel {
                        person: index,
                        reason,
                    },
                );
            }
        }

        // One person signs up again with the same address in capitals; another a second time
        // with a private address, which the organisers cancel the next morning.
        self.plan(oslo(9, 16, 13, 5), Plan::SignUpAgain);
        self.plan(
            oslo(9, 17, 20, 30),
            Plan::SignUpPrivateAddress { person: 11 },
        );
        self.plan(oslo(9, 18, 9, 10), Plan::CancelDuplicate);
        // The organisers pause registration while the hotel confirms the room for 70; a seat
        // freed meanwhile is offered when they reopen.
        self.plan(oslo(9, 23, 12, 0), Plan::Close);
        self.plan(
            oslo(9, 24, 10, 30),
            Plan::CancelSomeSeat {
                reason: CancelReason::WorkConflict,
                note: "cancels while registration is paused",
            },
        );
        self.plan(oslo(9, 25, 9, 0), Plan::Reopen);
        // After the deadline: a sign-up is refused, a seat is given up (not yet late), a seat
        // is handed to a colleague, and three seats are given up late.
        let latecomer = self.extra_person("Vilde", "Tengesdal", 5, true);
        self.plan(
            oslo(10, 20, 8, 15),
            Plan::SignUpAfterClose { person: latecomer },
        );
        self.plan(
            oslo(10, 20, 14, 0),
            Plan::CancelSomeSeat {
                reason: CancelReason::Travel,
                note: "cancels after registration closed (before the cancellation deadline)",
            },
        );
        self.plan(oslo(10, 22, 11, 0), Plan::Substitute);
        for (at, reason) in [
            (oslo(10, 26, 7, 45), CancelReason::Illness),
            (oslo(10, 26, 16, 10), CancelReason::WorkConflict),
            (oslo(10, 27, 21, 30), CancelReason::Illness),
        ] {
            self.plan(
                at,
                Plan::CancelSomeSeat {
                    reason,
                    note: "late cancellation (after the deadline)",
                },
            );
        }
        let starts = self.ledger.gathering().starts_at;
        self.plan(starts, Plan::CheckIn);

        while let Some(((at, _), plan)) = self.next_due() {
            self.carry_out(at, plan);
        }
        self.steps
    }

    /// A named person outside the random population (ORGS index `org`).
    fn extra_person(&mut self, first: &str, last: &str, org: usize, first_time: bool) -> usize {
        let org = &ORGS[org];
        let draft = PersonDraft {
            name: format!("{first} {last}"),
            email: format!(
                "{}.{}@{}.example",
                ascii_fold(first),
                ascii_fold(last),
                org.domain
            ),
            organisation_name: org.name.into(),
            organisation_number: org.number(),
            sector: if org.public { "public" } else { "private" }.into(),
            industry: org.industry.into(),
            role: Role::Hr.as_str().into(),
            ..PersonDraft::default()
        };
        self.people
            .push((draft.validate().expect("valid demo person"), first_time));
        self.registered.push(None);
        self.people.len() - 1
    }

    /// The next plan, after letting time pass to it: holds that expire first are expired at
    /// their own instant (as a host would, through `next_deadline`/`handle_timeout`), and the
    /// offers that follow are answered in turn.
    fn next_due(&mut self) -> Option<((DateTime<Utc>, u32), Plan)> {
        loop {
            let (&key, _) = self.plans.first_key_value()?;
            match self.ledger.next_deadline() {
                Some(deadline) if deadline <= key.0 => {
                    let events = self
                        .ledger
                        .handle_timeout(deadline)
                        .expect("time only moves forward in the demo");
                    self.react(&events);
                }
                _ => return self.plans.pop_first(),
            }
        }
    }

    /// Schedules answers to new offers.
    fn react(&mut self, events: &[alor_core::Recorded]) {
        for recorded in events {
            if let Event::Offered {
                registration,
                expires_at,
                ..
            } = &recorded.event
            {
                self.offers_seen += 1;
                // The first three offers show each outcome; the rest are chance.
                let answer = match self.offers_seen {
                    1 => Answer::Accept,
                    2 => Answer::Silence,
                    3 => Answer::Decline,
                    _ => match self.rng.below(100) {
                        0..=59 => Answer::Accept,
                        60..=79 => Answer::Decline,
                        _ => Answer::Silence,
                    },
                };
                let window = (*expires_at - recorded.at).num_minutes();
                if answer == Answer::Silence {
                    if self.offers_seen == 2 {
                        // Comes back three hours after the hold ran out: refused.
                        self.plan(
                            *expires_at + Duration::hours(3),
                            Plan::AcceptTooLate {
                                registration: *registration,
                            },
                        );
                    }
                    continue;
                }
                if window < 30 {
                    continue; // offered minutes before close: no time to answer
                }
                let upto = (window - 20).min(40 * 60) as u64;
                let after = Duration::minutes(15 + self.rng.below(upto - 10) as i64);
                let jitter = self.rng.below(150) as i64;
                let at = waking(
                    recorded.at + after,
                    *expires_at - Duration::minutes(5),
                    jitter,
                );
                self.plan(
                    at,
                    Plan::Answer {
                        registration: *registration,
                        answer,
                    },
                );
            }
        }
    }

    fn step(&mut self, at: DateTime<Utc>, command: Command, note: String) {
        let result = self
            .ledger
            .execute(&command, at, Some(self.ledger.version()));
        let expected_error = match result {
            Ok(events) => {
                for recorded in &events {
                    match &recorded.event {
                        Event::Registered {
                            registration,
                            person,
                            ..
                        }
                        | Event::Substituted {
                            substitute: registration,
                            person,
                            ..
                        } => {
                            if let Some(i) = self.people.iter().position(|(p, _)| p == person) {
                                if self.registered[i].is_none() {
                                    self.registered[i] = Some(*registration);
                                }
                            }
                        }
                        _ => {}
                    }
                }
                self.react(&events);
                None
            }
            Err(error) => Some(error.code().to_string()),
        };
        self.steps.push(DemoStep {
            at,
            command,
            note,
            expected_error,
        });
    }

    fn status_of_person(&self, person: usize) -> Option<(RegistrationId, Status)> {
        let id = self.registered[person]?;
        Some((id, self.ledger.registration(id)?.status))
    }

    fn describe(&self, person: usize) -> String {
        let (p, first_time) = &self.people[person];
        let new = if *first_time { ", first time" } else { "" };
        format!("{}, {}{new}", p.organisation.name, p.role.label(Locale::En))
    }

    /// A confirmed registration chosen by chance (ids in order, so the choice is stable).
    fn some_confirmed(
        &mut self,
        filter: impl Fn(&alor_core::Registration) -> bool,
    ) -> Option<RegistrationId> {
        let candidates: Vec<RegistrationId> = self
            .ledger
            .registrations()
            .iter()
            .filter(|r| r.status == Status::Confirmed && filter(r))
            .map(|r| r.id)
            .collect();
        if candidates.is_empty() {
            return None;
        }
        Some(candidates[self.rng.below(candidates.len() as u64) as usize])
    }

    fn register(&mut self, at: DateTime<Utc>, person: usize, note: String) {
        let (p, first_time) = self.people[person].clone();
        self.step(
            at,
            Command::Register {
                person: p,
                first_time,
                by: Actor::Participant,
            },
            note,
        );
    }

    fn carry_out(&mut self, at: DateTime<Utc>, plan: Plan) {
        match plan {
            Plan::SignUp { person } => {
                let note = format!("sign-up: {}", self.describe(person));
                self.register(at, person, note);
                if self.steps.last().and_then(|s| s.expected_error.as_deref())
                    == Some("registration_closed")
                {
                    // Paused: tries again after the organisers reopen.
                    let reopen =
                        oslo(9, 25, 9, 0) + Duration::minutes(20 + self.rng.below(600) as i64);
                    self.plan(reopen.max(at), Plan::SignUp { person });
                }
            }
            Plan::SignUpAgain => {
                // Someone already registered (the first still active) signs up once more.
                let Some(person) = (0..self.people.len()).find(|i| {
                    self.status_of_person(*i)
                        .is_some_and(|(_, status)| status.is_active())
                }) else {
                    return;
                };
                let (mut p, first_time) = self.people[person].clone();
                let upper = p.email.as_str().to_uppercase();
                p.email = Email::parse(&upper).expect("valid e-mail");
                self.step(
                    at,
                    Command::Register {
                        person: p,
                        first_time,
                        by: Actor::Participant,
                    },
                    "signs up again with the same address in capitals".into(),
                );
            }
            Plan::SignUpPrivateAddress { person } => {
                let (mut p, first_time) = self.people[person].clone();
                let local = p
                    .email
                    .as_str()
                    .split('@')
                    .next()
                    .unwrap_or("x")
                    .to_string();
                p.email = Email::parse(&format!("{local}@privat.example")).expect("valid e-mail");
                let before = self.ledger.registrations().len();
                self.step(
                    at,
                    Command::Register {
                        person: p,
                        first_time,
                        by: Actor::Participant,
                    },
                    "signs up a second time with a private address".into(),
                );
                if self.ledger.registrations().len() > before {
                    self.duplicate = self.ledger.registrations().last().map(|r| r.id);
                }
            }
            Plan::CancelDuplicate => {
                if let Some(registration) = self.duplicate {
                    self.step(
                        at,
                        Command::Cancel {
                            registration,
                            by: Actor::Organiser,
                            reason: CancelReason::Duplicate,
                        },
                        "organisers cancel the duplicate registration".into(),
                    );
                }
            }
            Plan::Cancel { person, reason } => {
                if let Some((registration, status)) = self.status_of_person(person) {
                    if matches!(
                        status,
                        Status::Waitlisted | Status::Offered | Status::Confirmed
                    ) {
                        let what = match status {
                            Status::Waitlisted => "leaves the waitlist",
                            Status::Offered => "cancels while holding an offer",
                            _ => "cancels a seat",
                        };
                        let note = format!("{what}: {}", self.describe(person));
                        self.step(
                            at,
                            Command::Cancel {
                                registration,
                                by: Actor::Participant,
                                reason,
                            },
                            note,
                        );
                    }
                }
            }
            Plan::Answer {
                registration,
                answer,
            } => {
                let live = self
                    .ledger
                    .registration(registration)
                    .is_some_and(|r| r.status == Status::Offered);
                if live {
                    let (command, note) = match answer {
                        Answer::Accept => (
                            Command::AcceptOffer { registration },
                            "accepts the offered seat",
                        ),
                        _ => (
                            Command::DeclineOffer { registration },
                            "declines the offered seat",
                        ),
                    };
                    self.step(at, command, note.into());
                }
            }
            Plan::AcceptTooLate { registration } => self.step(
                at,
                Command::AcceptOffer { registration },
                "tries to accept after the hold ran out".into(),
            ),
            Plan::Close => self.step(
                at,
                Command::CloseRegistration,
                "organisers pause registration while the hotel confirms the room".into(),
            ),
            Plan::Reopen => self.step(
                at,
                Command::ReopenRegistration,
                "organisers reopen registration".into(),
            ),
            Plan::CancelSomeSeat { reason, note } => {
                if let Some(registration) = self.some_confirmed(|_| true) {
                    self.step(
                        at,
                        Command::Cancel {
                            registration,
                            by: Actor::Participant,
                            reason,
                        },
                        note.into(),
                    );
                }
            }
            Plan::SignUpAfterClose { person } => {
                let note = format!("sign-up after the deadline: {}", self.describe(person));
                self.register(at, person, note);
            }
            Plan::Substitute => {
                let helse = ORGS[5].number();
                let pick = self.some_confirmed(|r| r.organisation.number.to_string() == helse);
                if let Some(registration) = pick {
                    let colleague = self.extra_person("Åshild", "Bjørheim", 5, true);
                    let (person, first_time) = self.people[colleague].clone();
                    self.step(
                        at,
                        Command::Substitute {
                            registration,
                            person,
                            first_time,
                        },
                        "hands the seat to a colleague from the same organisation".into(),
                    );
                }
            }
            Plan::CheckIn => self.check_in(at),
        }
    }

    /// At the registration desk: most come, a few do not.
    fn check_in(&mut self, starts: DateTime<Utc>) {
        let mut seated: Vec<RegistrationId> = self
            .ledger
            .registrations()
            .iter()
            .filter(|r| r.status == Status::Confirmed)
            .map(|r| r.id)
            .collect();
        // Arrival order: a deterministic shuffle (Fisher–Yates).
        for i in (1..seated.len()).rev() {
            let j = self.rng.below(i as u64 + 1) as usize;
            seated.swap(i, j);
        }
        let mut no_shows = Vec::new();
        for (i, registration) in seated.into_iter().enumerate() {
            if self.rng.percent(7) {
                no_shows.push(registration);
                continue;
            }
            let at = starts + Duration::seconds(25 * i as i64);
            self.step(
                at,
                Command::MarkAttended { registration },
                "checks in at the desk".into(),
            );
        }
        let desk_closes = starts + Duration::minutes(50);
        for registration in no_shows {
            self.step(
                desk_closes,
                Command::MarkNoShow { registration },
                "did not come".into(),
            );
        }
    }
}

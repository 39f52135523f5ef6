//! A realistic, deterministic demo season: alor Rogaland's autumn gathering 2026.
//!
//! [`rogaland_autumn_season`] returns the network, the gathering and a time-ordered list of
//! [`DemoStep`]s — about 110 sign-ups over a six-week registration window and everything that
//! follows from them: cancellations (a few late), offers of freed seats that are accepted,
//! declined or left to expire, a seat handed to a colleague, a pause and reopening of
//! registration, refused commands, and check-in on the day with a few no-shows.
//!
//! The same season feeds every surface: the Rust example (`examples/season`), the Python
//! analyst example and the web page, so all of them show the same numbers. It is built from a
//! fixed-seed generator (splitmix64) and the ledger itself — no clock, no OS randomness — so
//! every call returns exactly the same steps.
//!
//! A host replays the season by executing each step's [`command`](DemoStep::command) at its
//! instant [`at`](DemoStep::at), letting time pass in between with
//! [`Ledger::next_deadline`] and [`Ledger::handle_timeout`] (holds expire on their own). A step
//! whose [`expected_error`](DemoStep::expected_error) is set is one the ledger refuses, with that
//! code: a duplicate sign-up, a sign-up while registration is paused or closed, an accept after
//! the hold ran out.
//!
//! ```
//! use alor_core::demo::rogaland_autumn_season;
//! use alor_core::Ledger;
//!
//! let season = rogaland_autumn_season();
//! let mut ledger = Ledger::new(season.gathering.clone()).unwrap();
//! for step in &season.steps {
//!     while let Some(deadline) = ledger.next_deadline().filter(|d| *d <= step.at) {
//!         ledger.handle_timeout(deadline).unwrap();
//!     }
//!     let result = ledger.execute(&step.command, step.at, Some(ledger.version()));
//!     assert_eq!(result.err().map(|e| e.code().to_string()), step.expected_error);
//!     assert!(ledger.counted_seats() <= 70);
//! }
//! ```
//!
//! The people are invented; their e-mail addresses use the reserved `.example` domain. The
//! organisation numbers are MOD11-valid, computed with [`OrgNumber::check_digit`] from eight
//! leading digits (Avinor AS's is its real number, 985 198 292); they are demo data, not a
//! register lookup.
//!
//! Times: the season runs in Europe/Oslo local time, across the end of summer time (the
//! gathering is after the last Sunday of October). [`to_oslo`] and [`oslo_to_utc`] implement
//! the EU rule (summer time from the last Sunday of March, 01:00 UTC, to the last Sunday of
//! October, 01:00 UTC) so examples can print local times without a time-zone database.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    Actor, CancelReason, Command, Contact, Email, Event, Gathering, Host, HostKind, Label, Ledger,
    Locale, Network, Nok, OrgNumber, Person, PersonDraft, PersonName, Promotion, Region,
    RegistrationId, RegistrationPolicy, Role, Slug, Status, Venue, WaitlistOrder,
};

/// A whole registration season: who runs it, the gathering, and what happens, in time order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoSeason {
    /// The network holding the gathering (alor Rogaland).
    pub network: Network,
    /// The gathering as created, before any registration.
    pub gathering: Gathering,
    /// What happens, in time order (equal instants keep their order).
    pub steps: Vec<DemoStep>,
}

/// One thing a participant or organiser does, at one instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoStep {
    /// When it happens.
    pub at: DateTime<Utc>,
    /// What is asked of the ledger.
    pub command: Command,
    /// Why, in a few words, without personal data (e.g. "sign-up: Equinor ASA, HSE").
    pub note: String,
    /// The error code the ledger answers with, when it refuses the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_error: Option<String>,
}

/// The seed of the season's generator. Changing it changes every step.
pub const SEED: u64 = 0x00a1_0e20_2610_28ff;

/// alor Rogaland's autumn gathering 2026 at Sola Strand Hotel: 70 seats, registration open for
/// six weeks (7 September 09:00 to 19 October 09:00), cancellations free until 21 October 09:00,
/// freed seats offered with a 48-hour hold, at most 4 seats per organisation, waitlist served by
/// join time. The gathering itself is 28–29 October. See the [module docs](self).
pub fn rogaland_autumn_season() -> DemoSeason {
    let network = rogaland_network();
    let gathering = autumn_gathering();
    let steps = Generator::new(&gathering).run();
    DemoSeason {
        network,
        gathering,
        steps,
    }
}

// ---------------------------------------------------------------------------------------------
// Europe/Oslo time

/// The last Sunday of a month, at 01:00 UTC (when EU summer time starts or ends).
fn last_sunday_0100_utc(year: i32, month: u32) -> Option<DateTime<Utc>> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_of_next.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    let sunday = last - Duration::days(i64::from(back));
    Some(sunday.and_hms_opt(1, 0, 0)?.and_utc())
}

/// Whether Norway is on summer time (CEST, UTC+2) at `at`.
pub fn is_oslo_summer_time(at: DateTime<Utc>) -> bool {
    match (
        last_sunday_0100_utc(at.year(), 3),
        last_sunday_0100_utc(at.year(), 10),
    ) {
        (Some(start), Some(end)) => start <= at && at < end,
        _ => false,
    }
}

/// `at` in Europe/Oslo local time (UTC+1, or UTC+2 in summer time).
pub fn to_oslo(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    let hours = if is_oslo_summer_time(at) { 2 } else { 1 };
    let offset = FixedOffset::east_opt(hours * 3600).unwrap_or(FixedOffset::east_opt(0).unwrap());
    at.with_timezone(&offset)
}

/// "CEST" or "CET": the abbreviation of Oslo's offset at `at`.
pub fn oslo_zone_name(at: DateTime<Utc>) -> &'static str {
    if is_oslo_summer_time(at) {
        "CEST"
    } else {
        "CET"
    }
}

/// The instant of an Oslo wall-clock time. `None` for a time that does not exist (skipped when
/// summer time starts); for a time that occurs twice (when it ends) the first, in summer time.
pub fn oslo_to_utc(local: NaiveDateTime) -> Option<DateTime<Utc>> {
    for hours in [2, 1] {
        let at = local.checked_sub_signed(Duration::hours(hours))?.and_utc();
        if is_oslo_summer_time(at) == (hours == 2) {
            return Some(at);
        }
    }
    None
}

/// People answer between 07:30 and 22:30 local time: a night-time instant moves to the next
/// morning (`jitter` minutes after 07:30), unless that would be at or after `limit` (then the
/// night owl answers at once).
fn waking(at: DateTime<Utc>, limit: DateTime<Utc>, jitter: i64) -> DateTime<Utc> {
    let local = to_oslo(at);
    let minute = i64::from(local.hour() * 60 + local.minute());
    let shift = if minute < 7 * 60 + 30 {
        7 * 60 + 30 - minute
    } else if minute > 22 * 60 + 30 {
        24 * 60 + 7 * 60 + 30 - minute
    } else {
        0
    };
    let moved = at + Duration::minutes(if shift > 0 { shift + jitter } else { 0 });
    if moved < limit {
        moved
    } else {
        at
    }
}

/// An Oslo wall-clock time in 2026 that exists (the demo's own constants).
fn oslo(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2026, month, day)
        .and_then(|d| d.and_hms_opt(hour, minute, 0))
        .and_then(oslo_to_utc)
        .expect("the demo's dates are real Oslo times")
}

// ---------------------------------------------------------------------------------------------
// The network and the gathering

fn label(text: &str) -> Label {
    Label::parse(text).expect("demo labels are valid")
}

fn rogaland_network() -> Network {
    Network {
        id: Slug::parse("rogaland").expect("valid slug"),
        name: label("alor Rogaland"),
        region: Region::Stavanger,
        hosts: vec![
            Host {
                name: label("KORUS Stavanger"),
                kind: HostKind::Korus,
            },
            Host {
                name: label("Rogaland A-senter"),
                kind: HostKind::Treatment,
            },
            Host {
                name: label("Akan kompetansesenter"),
                kind: HostKind::Akan,
            },
        ],
        contacts: vec![Contact {
            name: PersonName::parse("Tone Vik Ødegaard").expect("valid name"),
            email: Email::parse("tone.odegaard@korus-stavanger.example").expect("valid e-mail"),
            phone: None,
        }],
    }
}

/// Registration opens Monday 7 September 09:00 (Oslo).
fn opens_at() -> DateTime<Utc> {
    oslo(9, 7, 9, 0)
}

fn autumn_gathering() -> Gathering {
    Gathering {
        id: Slug::parse("rogaland-2026-host").expect("valid slug"),
        network: Slug::parse("rogaland").expect("valid slug"),
        title: label("Høstsamling 2026"),
        theme: label("Perspektiver på spillavhengighet og unge arbeidstakere"),
        // After summer time ends (Sunday 25 October): the gathering is in CET.
        starts_at: oslo(10, 28, 10, 0),
        ends_at: oslo(10, 29, 14, 0),
        venue: Venue {
            name: label("Sola Strand Hotel"),
            town: label("Sola"),
        },
        price: Nok::kroner(2_950),
        policy: RegistrationPolicy {
            capacity: 70,
            opens_at: opens_at(),
            // Six weeks after opening.
            closes_at: oslo(10, 19, 9, 0),
            // A week before the gathering.
            cancellation_deadline: oslo(10, 21, 10, 0),
            max_per_organisation: Some(4),
            waitlist: true,
            waitlist_order: WaitlistOrder::JoinTime,
            promotion: Promotion::Offer {
                hold_minutes: 48 * 60,
            },
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Organisations and people

/// An organisation of the demo: name, first eight digits of its number, public sector?,
/// industry, e-mail domain (under `.example`), and how many of its people tend to sign up.
struct Org {
    name: &'static str,
    first_eight: &'static str,
    public: bool,
    industry: &'static str,
    domain: &'static str,
    weight: u32,
}

const fn org(
    name: &'static str,
    first_eight: &'static str,
    public: bool,
    industry: &'static str,
    domain: &'static str,
    weight: u32,
) -> Org {
    Org {
        name,
        first_eight,
        public,
        industry,
        domain,
        weight,
    }
}

#[rustfmt::skip]
const ORGS: &[Org] = &[
    org("Avinor AS", "98519829", true, "Luftfart", "avinor", 5),
    org("Equinor ASA", "92360901", false, "Olje og gass", "equinor", 5),
    org("Stavanger kommune", "96496522", true, "Kommune", "stavanger-kommune", 5),
    org("Sola kommune", "96496578", true, "Kommune", "sola-kommune", 4),
    org("Sandnes kommune", "96496455", true, "Kommune", "sandnes-kommune", 4),
    org("Helse Stavanger HF", "98397467", true, "Spesialisthelsetjeneste", "helse-stavanger", 5),
    org("NAV Rogaland", "88964078", true, "Offentlig forvaltning", "nav", 3),
    org("Lyse AS", "98000169", true, "Energi", "lyse", 3),
    org("Rogaland fylkeskommune", "97104550", true, "Fylkeskommune", "rogfk", 3),
    org("Universitetet i Stavanger", "97154641", true, "Utdanning", "uis", 3),
    org("Sør-Vest politidistrikt", "97431782", true, "Politi", "politiet", 3),
    org("Posten Norge AS", "98446751", true, "Post og logistikk", "posten", 3),
    org("Kolumbus AS", "98597153", true, "Kollektivtransport", "kolumbus", 2),
    org("Randaberg kommune", "96496512", true, "Kommune", "randaberg-kommune", 2),
    org("Klepp kommune", "95260181", true, "Kommune", "klepp-kommune", 2),
    org("Time kommune", "95908301", true, "Kommune", "time-kommune", 2),
    org("Hå kommune", "96613186", true, "Kommune", "ha-kommune", 2),
    org("Strand kommune", "90913909", true, "Kommune", "strand-kommune", 1),
    org("Karmøy kommune", "99603082", true, "Kommune", "karmoy-kommune", 2),
    org("Haugesund kommune", "94628194", true, "Kommune", "haugesund-kommune", 2),
    org("Statens vegvesen", "98219935", true, "Samferdsel", "vegvesen", 2),
    org("Skatteetaten", "91819093", true, "Offentlig forvaltning", "skatteetaten", 2),
    org("Helse Fonna HF", "97865797", true, "Spesialisthelsetjeneste", "helse-fonna", 2),
    org("Kriminalomsorgen region sørvest", "95432319", true, "Justis", "kriminalomsorgen", 1),
    org("Aker BP ASA", "98978314", false, "Olje og gass", "akerbp", 3),
    org("SpareBank 1 Sør-Norge ASA", "93725441", false, "Bank og finans", "sparebank1", 3),
    org("Skanska Norge AS", "91358282", false, "Bygg og anlegg", "skanska", 3),
    org("Veidekke Entreprenør AS", "98495916", false, "Bygg og anlegg", "veidekke", 3),
    org("Norled AS", "98545732", false, "Sjøtransport", "norled", 3),
    org("Halliburton AS", "91535443", false, "Oljeservice", "halliburton", 3),
    org("Stamina Helse AS", "98643011", false, "Bedriftshelsetjeneste", "stamina", 3),
    org("Avonova Helse AS", "99063752", false, "Bedriftshelsetjeneste", "avonova", 3),
    org("Kverneland Group Operations Norway AS", "98720311", false, "Industri", "kverneland", 2),
    org("Tine SA", "91211184", false, "Næringsmiddel", "tine", 2),
    org("Nortura SA", "98844722", false, "Næringsmiddel", "nortura", 2),
    org("ISS Facility Services AS", "93970313", false, "Renhold og drift", "iss", 2),
    org("Aibel AS", "94875749", false, "Oljeservice", "aibel", 3),
    org("Subsea7 Norway AS", "91186252", false, "Oljeservice", "subsea7", 2),
    org("ConocoPhillips Skandinavia AS", "97601895", false, "Olje og gass", "conocophillips", 3),
    org("Fjord Line AS", "95597971", false, "Sjøtransport", "fjordline", 2),
    org("Øglænd System AS", "91471049", false, "Industri", "oglaend", 2),
    org("Bravida Norge AS", "97465075", false, "Bygg og anlegg", "bravida", 2),
    org("Norsk Gjenvinning AS", "92917034", false, "Avfall og gjenvinning", "norskgjenvinning", 2),
];

impl Org {
    fn number(&self) -> String {
        let digits: Vec<u32> = self
            .first_eight
            .chars()
            .filter_map(|c| c.to_digit(10))
            .collect();
        let check = OrgNumber::check_digit(&digits).expect("the demo's numbers have a check digit");
        format!("{}{check}", self.first_eight)
    }

    fn is_health_service(&self) -> bool {
        self.industry == "Bedriftshelsetjeneste"
    }
}

#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Kari", "Ola", "Åse", "Øystein", "Bjørn", "Sigrid", "Tormod", "Ingrid", "Håkon", "Solveig",
    "Magnus", "Marte", "Jørgen", "Siv", "Eirik", "Randi", "Torunn", "Gunnar", "Liv", "Trond",
    "Hilde", "Kjetil", "Anne", "Geir", "Tone", "Sindre", "Ragnhild", "Lars", "Mette", "Frode",
    "Nina", "Arild", "Kristin", "Espen", "Astrid", "Øyvind", "Åsmund", "Terje", "Berit", "Stian",
    "Hege", "Amund", "Synnøve", "Mathias", "Camilla", "Fatima", "Ahmed", "Jonas", "Sunniva", "Ægir",
    "Mari", "Per", "Agnieszka", "Tomasz",
];

#[rustfmt::skip]
const LAST_NAMES: &[&str] = &[
    "Ødegård", "Åsland", "Sæther", "Hægeland", "Bø", "Tjøstheim", "Haugland", "Kvalheim", "Eriksen",
    "Larsen", "Håland", "Skjæveland", "Bjørheim", "Løland", "Næss", "Oftedal", "Tveit", "Aarsheim",
    "Egeland", "Vatne", "Rasmussen", "Sørensen", "Hetland", "Stangeland", "Søyland", "Ueland",
    "Gjerde", "Jæger", "Fosså", "Nilsen", "Berge", "Kowalska", "Hussain", "Lunde",
];

/// Roles by weight; occupational-health providers send occupational-health staff.
const ROLES: &[(Role, u32)] = &[
    (Role::Manager, 25),
    (Role::Hr, 18),
    (Role::OccupationalHealth, 10),
    (Role::Hse, 12),
    (Role::AkanContact, 11),
    (Role::SafetyRepresentative, 8),
    (Role::UnionRepresentative, 9),
    (Role::Colleague, 4),
    (Role::Other, 3),
];

/// E-mail local parts are ASCII: æ → ae, ø → o, å → a, anything else non-alphanumeric dropped.
fn ascii_fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.to_lowercase().chars() {
        match c {
            'æ' => out.push_str("ae"),
            'ø' => out.push('o'),
            'å' => out.push('a'),
            'é' | 'è' => out.push('e'),
            c if c.is_ascii_alphanumeric() => out.push(c),
            '-' | ' ' => out.push('-'),
            _ => {}
        }
    }
    out.trim_matches('-').to_string()
}

// ---------------------------------------------------------------------------------------------
// The generator

/// splitmix64: a tiny, well-mixed, fixed-seed generator. Plenty for demo data.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// An index chosen by weight.
    fn weighted(&mut self, weights: impl Iterator<Item = u32> + Clone) -> usize {
        let total: u64 = weights.clone().map(u64::from).sum();
        let mut pick = self.below(total);
        for (i, w) in weights.enumerate() {
            if pick < u64::from(w) {
                return i;
            }
            pick -= u64::from(w);
        }
        0
    }
}

/// How a person answers an offer of a freed seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Accept,
    Decline,
    /// Says nothing; the hold expires.
    Silence,
}

/// Something planned for an instant. Some plans resolve to no step (a person cannot cancel a
/// registration that has already ended), so steps are made only when a plan comes due.
#[derive(Debug, Clone)]
enum Plan {
    SignUp {
        person: usize,
    },
    Cancel {
        person: usize,
        reason: CancelReason,
    },
    Answer {
        registration: RegistrationId,
        answer: Answer,
    },
    AcceptTooLate {
        registration: RegistrationId,
    },
    SignUpAgain,
    SignUpPrivateAddress {
        person: usize,
    },
    CancelDuplicate,
    Close,
    Reopen,
    CancelSomeSeat {
        reason: CancelReason,
        note: &'static str,
    },
    SignUpAfterClose {
        person: usize,
    },
    Substitute,
    CheckIn,
}

struct Generator {
    ledger: Ledger,
    rng: Rng,
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
    fn new(gathering: &Gathering) -> Self {
        Generator {
            ledger: Ledger::new(gathering.clone()).expect("the demo gathering is valid"),
            rng: Rng(SEED),
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
        let first_time = self.rng.chance(24);
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
        let minute_of_day = if self.rng.chance(78) {
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

    fn run(mut self) -> Vec<DemoStep> {
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
            if self.rng.chance(17) && day < 41 {
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
    fn react(&mut self, events: &[crate::Recorded]) {
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
        filter: impl Fn(&crate::Registration) -> bool,
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
            if self.rng.chance(7) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oslo_time_follows_the_eu_rule() {
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        let utc = |m, d, h, min| {
            NaiveDate::from_ymd_opt(2026, m, d)
                .unwrap()
                .and_hms_opt(h, min, 0)
                .unwrap()
                .and_utc()
        };
        assert!(!is_oslo_summer_time(utc(3, 29, 0, 59)));
        assert!(is_oslo_summer_time(utc(3, 29, 1, 0)));
        assert!(is_oslo_summer_time(utc(10, 25, 0, 59)));
        assert!(!is_oslo_summer_time(utc(10, 25, 1, 0)));
        assert_eq!(oslo_zone_name(utc(7, 1, 12, 0)), "CEST");
        assert_eq!(
            to_oslo(utc(10, 28, 9, 0)).to_string(),
            "2026-10-28 10:00:00 +01:00"
        );
        let local = |m, d, h, min| {
            NaiveDate::from_ymd_opt(2026, m, d)
                .unwrap()
                .and_hms_opt(h, min, 0)
                .unwrap()
        };
        // 02:30 on 29 March does not exist; 02:30 on 25 October happens twice (first: CEST).
        assert_eq!(oslo_to_utc(local(3, 29, 2, 30)), None);
        assert_eq!(oslo_to_utc(local(10, 25, 2, 30)), Some(utc(10, 25, 0, 30)));
        assert_eq!(oslo_to_utc(local(10, 25, 3, 30)), Some(utc(10, 25, 2, 30)));
        assert_eq!(oslo_to_utc(local(1, 15, 9, 0)), Some(utc(1, 15, 8, 0)));
    }

    #[test]
    fn organisation_numbers_are_mod11_valid_and_avinor_is_real() {
        for org in ORGS {
            let number = org.number();
            assert!(OrgNumber::parse(&number).is_ok(), "{}", org.name);
        }
        assert_eq!(ORGS[0].number(), "985198292");
    }

    #[test]
    fn the_season_is_deterministic_and_serialisable() {
        let a = rogaland_autumn_season();
        let b = rogaland_autumn_season();
        assert_eq!(a, b);
        let json = serde_json::to_string(&a).unwrap();
        let back: DemoSeason = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn the_season_plays_out_as_described() {
        let season = rogaland_autumn_season();
        let mut ledger = Ledger::new(season.gathering.clone()).unwrap();
        let mut expired = 0;
        let mut all = Vec::new();
        for pair in season.steps.windows(2) {
            assert!(pair[0].at <= pair[1].at, "steps are in time order");
        }
        for step in &season.steps {
            while let Some(deadline) = ledger.next_deadline().filter(|d| *d <= step.at) {
                let events = ledger.handle_timeout(deadline).unwrap();
                expired += events
                    .iter()
                    .filter(|e| matches!(e.event, Event::OfferExpired { .. }))
                    .count();
                all.extend(events);
            }
            let result = ledger.execute(&step.command, step.at, Some(ledger.version()));
            assert_eq!(
                result.as_ref().err().map(|e| e.code().to_string()),
                step.expected_error,
                "{}",
                step.note
            );
            all.extend(result.unwrap_or_default());
            assert!(ledger.counted_seats() <= 70);
            ledger.verify().unwrap();
        }
        let count = |f: &dyn Fn(&Event) -> bool| all.iter().filter(|e| f(&e.event)).count();
        let sign_ups = season
            .steps
            .iter()
            .filter(|s| matches!(s.command, Command::Register { .. }) && s.expected_error.is_none())
            .count();
        assert!((100..=120).contains(&sign_ups), "{sign_ups} sign-ups");
        assert!(expired >= 1, "a hold expired");
        assert!(count(&|e| matches!(e, Event::OfferAccepted { .. })) >= 1);
        assert!(count(&|e| matches!(e, Event::OfferDeclined { .. })) >= 1);
        assert_eq!(count(&|e| matches!(e, Event::Substituted { .. })), 1);
        assert_eq!(count(&|e| matches!(e, Event::RegistrationClosed)), 1);
        assert_eq!(count(&|e| matches!(e, Event::RegistrationReopened)), 1);
        assert_eq!(
            count(&|e| matches!(e, Event::Cancelled { late: true, .. })),
            3
        );
        assert!(
            count(&|e| matches!(
                e,
                Event::AttendanceMarked {
                    attended: false,
                    ..
                }
            )) >= 1
        );
        assert!(count(&|e| matches!(e, Event::AttendanceMarked { attended: true, .. })) >= 50);
        assert!(
            ledger.waitlist_len() >= 1,
            "some are still waiting at the end"
        );
        for code in ["already_registered", "registration_closed", "offer_expired"] {
            assert!(
                season
                    .steps
                    .iter()
                    .any(|s| s.expected_error.as_deref() == Some(code)),
                "a step refused with {code}"
            );
        }
        // 15–30 % first-time participants among those who signed up.
        let regs = ledger.registrations();
        let first = regs.iter().filter(|r| r.first_time).count() as f64 / regs.len() as f64;
        assert!((0.15..=0.30).contains(&first), "first-time share {first}");
        // The per-organisation cap held, and sent someone to the waitlist.
        assert!(ledger.organisation_counts().all(|(_, c)| c.counted <= 4));
        // Non-ASCII names: Ø, Å, Æ and an emoji.
        let names: String = regs
            .iter()
            .filter_map(|r| r.contact.as_ref().map(|c| c.name.as_str().to_string()))
            .collect();
        for needle in ["Ø", "Å", "Æ"] {
            assert!(names.contains(needle), "a name with {needle}");
        }
        assert!(
            names.chars().any(|c| c as u32 >= 0x1F300),
            "a name with an emoji"
        );
    }
}

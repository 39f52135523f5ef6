//! The season example, as a library: a host that drives the registration ledger through
//! alor Rogaland's autumn season ([`alor_core::demo`]) and the account it prints.
//!
//! The host does what a registration back end does: it executes each command with the version
//! it last saw (`expected_version`), keeps the event log, lets time pass between commands
//! through [`Ledger::next_deadline`] and [`Ledger::handle_timeout`] (holds expire on their own),
//! and records every refusal with its code — nothing is dropped silently. `main.rs` prints
//! [`account`]; `tests/season.rs` checks the run step by step.

use std::fmt::Write as _;

use alor_core::demo::{oslo_zone_name, to_oslo, DemoSeason, DemoStep};
use alor_core::{
    CancelReason, Event, Gathering, Ledger, LedgerError, Nok, Promotion, PromotionCause, Recorded,
    Registration, RegistrationId, Status, WaitlistOrder,
};
use chrono::{DateTime, Duration, Utc};

/// The README's Rust snippets, compiled and run as doctests of this crate.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// What the host saw happen: time passing, or a step decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// The host let time pass to a deadline the ledger named; holds expired.
    Timeout {
        /// The deadline.
        at: DateTime<Utc>,
        /// The events it caused (expiries, and the offers that followed).
        events: Vec<Recorded>,
    },
    /// A step of the season was executed.
    Step {
        /// Its index in the season.
        index: usize,
        /// When.
        at: DateTime<Utc>,
        /// The events recorded, or the refusal.
        result: Result<Vec<Recorded>, LedgerError>,
        /// For a sign-up that went to the waitlist: the place it got.
        waitlist_place: Option<usize>,
    },
}

/// A registration back end in miniature: the ledger, its event log, and what happened.
#[derive(Debug, Clone)]
pub struct Host {
    ledger: Ledger,
    log: Vec<Recorded>,
    records: Vec<Record>,
}

impl Host {
    /// A host for a new gathering.
    pub fn new(gathering: Gathering) -> Result<Self, alor_core::Error> {
        Ok(Host {
            ledger: Ledger::new(gathering)?,
            log: Vec::new(),
            records: Vec::new(),
        })
    }

    /// The live ledger.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Every event recorded so far, in sequence order (what a host would store).
    pub fn log(&self) -> &[Recorded] {
        &self.log
    }

    /// What happened, in order.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// Lets time pass to `now`: calls `handle_timeout` at each deadline the ledger names, as a
    /// timer would.
    pub fn pass_time(&mut self, now: DateTime<Utc>) -> Result<(), LedgerError> {
        while let Some(deadline) = self.ledger.next_deadline().filter(|d| *d <= now) {
            let events = self.ledger.handle_timeout(deadline)?;
            if events.is_empty() {
                break; // nothing due after all: never spin
            }
            self.log.extend(events.iter().cloned());
            self.records.push(Record::Timeout {
                at: deadline,
                events,
            });
        }
        Ok(())
    }

    /// Executes one step at its instant, stating the version last seen. A refusal is recorded
    /// with its code, like any other outcome; only a failure to let time pass is an error.
    pub fn step(&mut self, index: usize, step: &DemoStep) -> Result<&Record, LedgerError> {
        self.pass_time(step.at)?;
        let expected = Some(self.ledger.version());
        let result = self.ledger.execute(&step.command, step.at, expected);
        let mut waitlist_place = None;
        if let Ok(events) = &result {
            self.log.extend(events.iter().cloned());
            for recorded in events {
                if let Event::Registered {
                    registration,
                    status: Status::Waitlisted,
                    ..
                } = recorded.event
                {
                    waitlist_place = self.ledger.waitlist_position(registration);
                }
            }
        }
        self.records.push(Record::Step {
            index,
            at: step.at,
            result,
            waitlist_place,
        });
        Ok(self.records.last().expect("just pushed"))
    }
}

/// A season played to the end.
#[derive(Debug, Clone)]
pub struct Run {
    /// The host after the last step.
    pub host: Host,
    /// The most seats counted at once.
    pub max_counted: u32,
    /// How many were on the waitlist when registration closed.
    pub waitlist_at_close: usize,
    /// Seats taken when registration closed.
    pub seats_at_close: u32,
    /// Whether replaying the stored log rebuilt exactly the live ledger.
    pub replay_matches: bool,
    /// Whether the snapshot survived a JSON round trip unchanged.
    pub snapshot_round_trips: bool,
}

/// Plays the whole season through a [`Host`].
pub fn run(season: &DemoSeason) -> Result<Run, alor_core::Error> {
    let mut host = Host::new(season.gathering.clone())?;
    let closes_at = season.gathering.policy.closes_at;
    let mut max_counted = 0;
    let mut waitlist_at_close = None;
    for (index, step) in season.steps.iter().enumerate() {
        if waitlist_at_close.is_none() && step.at >= closes_at {
            host.pass_time(closes_at)?;
            waitlist_at_close = Some((host.ledger().waitlist_len(), host.ledger().counted_seats()));
        }
        host.step(index, step)?;
        max_counted = max_counted.max(host.ledger().counted_seats());
    }
    let (waitlist_at_close, seats_at_close) = match waitlist_at_close {
        Some(at_close) => at_close,
        None => {
            host.pass_time(closes_at)?;
            (host.ledger().waitlist_len(), host.ledger().counted_seats())
        }
    };
    let replayed = Ledger::replay(season.gathering.clone(), host.log())?;
    let restored = Ledger::from_json(&host.ledger().to_json())?;
    Ok(Run {
        replay_matches: &replayed == host.ledger(),
        snapshot_round_trips: &restored == host.ledger(),
        host,
        max_counted,
        waitlist_at_close,
        seats_at_close,
    })
}

// ---------------------------------------------------------------------------------------------
// The account

/// A time as people in Norway read it: "Mon 07 Sep 09:02 CEST".
pub fn local(at: DateTime<Utc>) -> String {
    format!(
        "{} {}",
        to_oslo(at).format("%a %d %b %H:%M"),
        oslo_zone_name(at)
    )
}

/// A span in days, hours and minutes: "2 d 3 h", "19 h 5 min", "45 min".
pub fn span(d: Duration) -> String {
    let minutes = d.num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours, mins) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

struct Names<'a>(&'a Ledger);

impl Names<'_> {
    fn reg(&self, id: RegistrationId) -> Option<&Registration> {
        self.0.registration(id)
    }

    /// "#12 Kari Ødegård (Avinor AS)"; the name is left out once erased.
    fn who(&self, id: RegistrationId) -> String {
        match self.reg(id) {
            Some(r) => {
                let name = r.contact.as_ref().map_or("(erased)", |c| c.name.as_str());
                format!("{id} {name} ({})", r.organisation.name)
            }
            None => id.to_string(),
        }
    }

    /// "#12 Kari Ødegård — Avinor AS, Akan contact, first time"
    fn long(&self, id: RegistrationId) -> String {
        match self.reg(id) {
            Some(r) => {
                let name = r.contact.as_ref().map_or("(erased)", |c| c.name.as_str());
                let new = if r.first_time { ", first time" } else { "" };
                format!(
                    "{id} {name} — {}, {}{new}",
                    r.organisation.name,
                    r.role.label(alor_core::Locale::En)
                )
            }
            None => id.to_string(),
        }
    }
}

fn cause_text(names: &Names, cause: PromotionCause) -> String {
    match cause {
        PromotionCause::SeatFreed { by } => {
            let how = match names.reg(by).map(|r| r.status) {
                Some(Status::Cancelled) => "cancelled",
                Some(Status::Declined) => "declined an offer",
                Some(Status::Expired) => "let a hold expire",
                _ => "gave up a seat",
            };
            format!("seat freed: {by} {how}")
        }
        PromotionCause::CapacityIncreased => "capacity raised".into(),
        PromotionCause::RegistrationReopened => "registration reopened with a seat free".into(),
        PromotionCause::RegistrationOpened => "registration opened with a seat free".into(),
    }
}

/// One timeline line per event (check-in is summed up separately).
fn event_line(names: &Names, gathering: &Gathering, recorded: &Recorded) -> Option<String> {
    let cap = gathering.policy.max_per_organisation;
    Some(match &recorded.event {
        Event::Registered {
            registration,
            status,
            ..
        } => match status {
            Status::Confirmed => format!("seat       {}", names.long(*registration)),
            _ => {
                let capped = names.reg(*registration).is_some_and(|r| {
                    cap.is_some_and(|cap| {
                        names.0.organisation_count(r.organisation.number).counted >= cap
                    })
                });
                let why = if capped {
                    "organisation at its cap"
                } else {
                    "full"
                };
                format!("waitlist   {} [{why}]", names.long(*registration))
            }
        },
        Event::Promoted {
            registration,
            cause,
        } => format!(
            "promoted   {} ({})",
            names.who(*registration),
            cause_text(names, *cause)
        ),
        Event::Offered {
            registration,
            expires_at,
            cause,
        } => format!(
            "offered    {} until {} ({})",
            names.who(*registration),
            local(*expires_at),
            cause_text(names, *cause)
        ),
        Event::OfferAccepted { registration } => {
            format!("accepted   {}", names.who(*registration))
        }
        Event::OfferDeclined { registration } => {
            format!("declined   {}", names.who(*registration))
        }
        Event::OfferExpired { registration } => {
            format!("expired    hold of {}", names.who(*registration))
        }
        Event::Cancelled {
            registration,
            by,
            reason,
            late,
        } => {
            let by = match by {
                alor_core::Actor::Organiser => ", by the organisers",
                alor_core::Actor::Participant => "",
            };
            let late = if *late { ", LATE" } else { "" };
            format!(
                "cancelled  {} ({}{by}{late})",
                names.who(*registration),
                reason_text(*reason)
            )
        }
        Event::Substituted {
            registration,
            substitute,
            ..
        } => format!(
            "substitute {} hands the seat to {}",
            names.who(*registration),
            names.long(*substitute)
        ),
        Event::AttendanceMarked { .. } => return None,
        Event::CapacityChanged { from, to } => format!("capacity   {from} → {to} seats"),
        Event::RegistrationClosed => "closed     registration paused by the organisers".into(),
        Event::RegistrationReopened => "reopened   registration open again".into(),
        Event::SeatOverridden {
            registration,
            reason,
            beyond_capacity,
        } => format!(
            "override   {} seated by the organisers ({reason}{})",
            names.who(*registration),
            if *beyond_capacity {
                ", beyond capacity"
            } else {
                ""
            }
        ),
        Event::Erased { registration } => format!("erased     personal data of {registration}"),
    })
}

fn reason_text(reason: CancelReason) -> &'static str {
    match reason {
        CancelReason::Illness => "illness",
        CancelReason::WorkConflict => "work got in the way",
        CancelReason::Travel => "travel",
        CancelReason::Duplicate => "duplicate",
        CancelReason::OrganiserDecision => "organisers' decision",
        CancelReason::Other => "other reason",
    }
}

/// Whole kroner with a space between thousands, as written in Norway: "2 950".
fn kroner(nok: Nok) -> String {
    let digits = (nok.0 / 100).to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn heading(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n== {title} ==");
}

/// The account of a season: timeline, promotions and offers with their causes, expired holds,
/// the substitution, refusals, final seats, the waitlist's outcome and the first-time share.
pub fn account(season: &DemoSeason, run: &Run) -> String {
    let ledger = run.host.ledger();
    let names = Names(ledger);
    let g = &season.gathering;
    let p = &g.policy;
    let mut out = String::new();

    // --- header
    let _ = writeln!(out, "{} — {}", season.network.name, g.title);
    let _ = writeln!(out, "Theme:  {}", g.theme);
    let _ = writeln!(
        out,
        "Where:  {}, {} · {} – {} · NOK {} per participant (self-cost)",
        g.venue.name,
        g.venue.town,
        local(g.starts_at),
        local(g.ends_at),
        kroner(g.price)
    );
    let hosts: Vec<&str> = season
        .network
        .hosts
        .iter()
        .map(|h| h.name.as_str())
        .collect();
    let _ = writeln!(out, "Hosts:  {}", hosts.join(", "));
    let hold = match p.promotion {
        Promotion::Offer { hold_minutes } => {
            if hold_minutes % 60 == 0 {
                format!("freed seats offered with a {} h hold", hold_minutes / 60)
            } else {
                format!(
                    "freed seats offered with a {} hold",
                    span(Duration::minutes(i64::from(hold_minutes)))
                )
            }
        }
        Promotion::Automatic => "freed seats go to the next in line at once".into(),
    };
    let cap = p
        .max_per_organisation
        .map_or("no cap per organisation".into(), |c| {
            format!("at most {c} seats per organisation")
        });
    let _ = writeln!(
        out,
        "Rules:  {} seats · registration {} – {} · free cancellation until {} · {cap} · \
         waitlist by {} · {hold}",
        ledger.gathering().policy.capacity,
        local(p.opens_at),
        local(p.closes_at),
        local(p.cancellation_deadline),
        match p.waitlist_order {
            WaitlistOrder::JoinTime => "join time (first come, first served)",
            WaitlistOrder::FirstTimeFirst => "first-time participants first",
            WaitlistOrder::NewOrganisationsFirst => "organisations not yet present first",
        },
    );
    let _ = writeln!(
        out,
        "All times Europe/Oslo; summer time ends Sunday 25 October, so the gathering is in CET."
    );

    // --- timeline
    heading(&mut out, "Timeline");
    let mut phase_shown = String::new();
    let mut check_in: Vec<(DateTime<Utc>, bool)> = Vec::new();
    for record in run.host.records() {
        let (at, lines, refused) = match record {
            Record::Timeout { at, events } => (*at, events.clone(), None),
            Record::Step {
                index, at, result, ..
            } => match result {
                Ok(events) => (*at, events.clone(), None),
                Err(error) => (
                    *at,
                    Vec::new(),
                    Some((error.code(), season.steps[*index].note.clone())),
                ),
            },
        };
        let phase = if at < p.opens_at {
            "Before registration opened".to_string()
        } else if at < p.closes_at {
            let days = to_oslo(at).date_naive() - to_oslo(p.opens_at).date_naive();
            // The last morning (before the 09:00 deadline) still belongs to week 6.
            let week = (days.num_days() / 7 + 1).min(6);
            format!("Registration, week {week}")
        } else if at < g.starts_at {
            "After registration closed".to_string()
        } else {
            "The gathering".to_string()
        };
        if phase != phase_shown && at < g.starts_at {
            let _ = writeln!(out, "{phase}");
            phase_shown = phase;
        }
        if let Some((code, note)) = refused {
            let _ = writeln!(out, "  {}  REFUSED    {code}: {note}", local(at));
            continue;
        }
        let place = match record {
            Record::Step {
                waitlist_place: Some(n),
                ..
            } => format!(" (place {n})"),
            _ => String::new(),
        };
        for (i, recorded) in lines.iter().enumerate() {
            if let Event::AttendanceMarked { attended, .. } = recorded.event {
                check_in.push((recorded.at, attended));
                continue;
            }
            if let Some(mut line) = event_line(&names, g, recorded) {
                if i == 0 && matches!(recorded.event, Event::Registered { .. }) {
                    line.push_str(&place);
                }
                let stamp = if i == 0 || recorded.at != at {
                    local(recorded.at)
                } else {
                    " ".repeat(local(recorded.at).chars().count())
                };
                let arrow = if i == 0 { " " } else { "→" };
                let _ = writeln!(out, "  {stamp} {arrow}{line}");
            }
        }
    }
    if let (Some(first), Some(last)) = (check_in.first(), check_in.last()) {
        let came = check_in.iter().filter(|(_, a)| *a).count();
        let _ = writeln!(out, "The gathering");
        let _ = writeln!(
            out,
            "  {} – {}  check-in: {} attended, {} no-shows",
            local(first.0),
            to_oslo(last.0).format("%H:%M"),
            came,
            check_in.len() - came
        );
    }

    // --- promotions and offers
    heading(&mut out, "Promotions and offers (who, when, why, outcome)");
    let mut offers = 0;
    for recorded in run.host.log() {
        let (id, cause, expires) = match &recorded.event {
            Event::Offered {
                registration,
                cause,
                expires_at,
            } => (*registration, *cause, Some(*expires_at)),
            Event::Promoted {
                registration,
                cause,
            } => (*registration, *cause, None),
            _ => continue,
        };
        offers += 1;
        let outcome = outcome_of(run.host.log(), id, recorded.seq);
        let _ = writeln!(
            out,
            "  {} {} {} — {}{}; {}",
            local(recorded.at),
            if expires.is_some() {
                "offered"
            } else {
                "promoted"
            },
            names.who(id),
            cause_text(&names, cause),
            expires.map_or(String::new(), |e| format!(", held until {}", local(e))),
            outcome
        );
    }
    if offers == 0 {
        let _ = writeln!(out, "  none");
    }

    // --- expired holds
    heading(&mut out, "Holds that expired");
    let mut expired = 0;
    for recorded in run.host.log() {
        if let Event::OfferExpired { registration } = recorded.event {
            expired += 1;
            let offered = names.reg(registration).and_then(|r| r.offered_at);
            let cut = if recorded.at == p.closes_at {
                " — cut short: holds never outlast registration"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  {} hold of {} ran out after {}{cut}",
                local(recorded.at),
                names.who(registration),
                offered.map_or("?".into(), |o| span(recorded.at - o)),
            );
        }
    }
    if expired == 0 {
        let _ = writeln!(out, "  none");
    }

    // --- substitution
    heading(&mut out, "Substitution");
    let mut substitutions = 0;
    for recorded in run.host.log() {
        if let Event::Substituted {
            registration,
            substitute,
            ..
        } = recorded.event
        {
            substitutions += 1;
            let _ = writeln!(
                out,
                "  {} {} handed the seat to {} (same organisation; the seat count did not change)",
                local(recorded.at),
                names.who(registration),
                names.long(substitute)
            );
        }
    }
    if substitutions == 0 {
        let _ = writeln!(out, "  none");
    }

    // --- refusals
    heading(
        &mut out,
        "Refused commands (nothing recorded, each reported with its code)",
    );
    let mut refusals = 0;
    for record in run.host.records() {
        if let Record::Step {
            index,
            at,
            result: Err(error),
            ..
        } = record
        {
            refusals += 1;
            let _ = writeln!(
                out,
                "  {} {:<22} {}",
                local(*at),
                error.code(),
                season.steps[*index].note
            );
        }
    }
    if refusals == 0 {
        let _ = writeln!(out, "  none");
    }

    // --- final seats
    let regs = ledger.registrations();
    let count = |s: Status| regs.iter().filter(|r| r.status == s).count();
    let late = regs.iter().filter(|r| r.late_cancellation).count();
    heading(&mut out, "Final seats");
    let _ = writeln!(
        out,
        "  Capacity {} · counted seats {} (never more than {} at any step)",
        ledger.capacity(),
        ledger.counted_seats(),
        run.max_counted
    );
    let _ = writeln!(
        out,
        "  Attended {} · no-shows {} · cancelled {} ({} late) · declined {} · expired {} · transferred {}",
        count(Status::Attended),
        count(Status::NoShow),
        count(Status::Cancelled),
        late,
        count(Status::Declined),
        count(Status::Expired),
        count(Status::Transferred)
    );
    let seated: Vec<&Registration> = regs
        .iter()
        .filter(|r| r.status.counts_against_capacity())
        .collect();
    let mut orgs: Vec<_> = seated
        .iter()
        .map(|r| (r.organisation.number, r.organisation.sector))
        .collect();
    orgs.sort();
    orgs.dedup();
    let public = orgs
        .iter()
        .filter(|(_, s)| *s == alor_core::Sector::Public)
        .count();
    let _ = writeln!(
        out,
        "  Organisations with a seat: {} ({} public, {} private)",
        orgs.len(),
        public,
        orgs.len() - public
    );

    // --- waitlist
    heading(&mut out, "Waitlist outcome");
    // Who joined the waitlist is in the log: sign-ups recorded as waitlisted.
    let ever_waited: Vec<&Registration> = run
        .host
        .log()
        .iter()
        .filter_map(|e| match e.event {
            Event::Registered {
                registration,
                status: Status::Waitlisted,
                ..
            } => ledger.registration(registration),
            _ => None,
        })
        .collect();
    let from_waitlist: Vec<&Registration> = ever_waited
        .iter()
        .copied()
        .filter(|r| r.seated_at.is_some())
        .collect();
    let left = ever_waited
        .iter()
        .filter(|r| r.status == Status::Cancelled && r.seated_at.is_none())
        .count();
    let mut waits: Vec<Duration> = from_waitlist
        .iter()
        .filter_map(|r| r.seated_at.map(|s| s - r.joined_at))
        .collect();
    waits.sort();
    let median = match waits.len() {
        0 => "—".to_string(),
        n if n % 2 == 1 => span(waits[n / 2]),
        n => span((waits[n / 2 - 1] + waits[n / 2]) / 2),
    };
    let _ = writeln!(out, "  Joined the waitlist:         {}", ever_waited.len());
    let _ = writeln!(
        out,
        "  Seated from the waitlist:    {} (median wait from sign-up to seat: {median})",
        from_waitlist.len()
    );
    let _ = writeln!(
        out,
        "  Offers declined / expired:   {} / {}",
        count(Status::Declined),
        count(Status::Expired)
    );
    let _ = writeln!(out, "  Left the waitlist:           {left}");
    let _ = writeln!(
        out,
        "  Still waiting at close:      {} (with {} of {} seats taken; no offers after close)",
        run.waitlist_at_close,
        run.seats_at_close,
        ledger.capacity()
    );
    let _ = writeln!(
        out,
        "  Still waiting at the gathering: {}",
        ledger.waitlist_len()
    );

    // --- first-time share
    heading(&mut out, "First-time participants");
    let signed_up: Vec<&Registration> = regs.iter().collect();
    let first = signed_up.iter().filter(|r| r.first_time).count();
    let attended: Vec<&Registration> = regs
        .iter()
        .filter(|r| r.status == Status::Attended)
        .collect();
    let first_attended = attended.iter().filter(|r| r.first_time).count();
    let _ = writeln!(
        out,
        "  Among sign-ups:  {first} of {} ({:.0} %)",
        signed_up.len(),
        percent(first, signed_up.len())
    );
    let _ = writeln!(
        out,
        "  Among attendees: {first_attended} of {} ({:.0} %)",
        attended.len(),
        percent(first_attended, attended.len())
    );

    // --- checks
    heading(&mut out, "Checks");
    let yes = |b: bool| if b { "yes" } else { "NO" };
    let _ = writeln!(
        out,
        "  Replaying the {} stored events rebuilds the live ledger: {}",
        run.host.log().len(),
        yes(run.replay_matches)
    );
    let _ = writeln!(
        out,
        "  Snapshot survives a JSON round trip: {}",
        yes(run.snapshot_round_trips)
    );
    let _ = writeln!(
        out,
        "  Ledger invariants hold: {}",
        yes(ledger.verify().is_ok())
    );
    out
}

/// What became of an offer or promotion made at event `seq`.
fn outcome_of(log: &[Recorded], id: RegistrationId, seq: u64) -> String {
    for later in log.iter().filter(|e| e.seq > seq) {
        let text = match &later.event {
            Event::OfferAccepted { registration } if *registration == id => "accepted",
            Event::OfferDeclined { registration } if *registration == id => "declined",
            Event::OfferExpired { registration } if *registration == id => "expired",
            Event::Cancelled { registration, .. } if *registration == id => "cancelled",
            _ => continue,
        };
        return format!("{text} {}", local(later.at));
    }
    "kept the seat".into()
}

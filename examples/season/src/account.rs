//! The account the season example prints.

use std::fmt::Write as _;

use alor_core::time::to_oslo;
use alor_core::{Event, Promotion, Recorded, Registration, RegistrationId, Status, WaitlistOrder};
use alor_demo::{DemoSeason, Played, Record};
use chrono::{DateTime, Duration, Utc};

use crate::lines::{cause_text, event_line, heading, kroner, percent, Names};
use crate::{local, span};

/// The account of a season: timeline, promotions and offers with their causes, expired holds,
/// the substitution, refusals, final seats, the waitlist's outcome and the first-time share.
pub fn account(season: &DemoSeason, run: &Played) -> String {
    let ledger = run.player.ledger();
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
    for record in run.player.records() {
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
    for recorded in run.player.log() {
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
        let outcome = outcome_of(run.player.log(), id, recorded.seq);
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
    for recorded in run.player.log() {
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
    for recorded in run.player.log() {
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
    for record in run.player.records() {
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
        .player
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
        run.player.log().len(),
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

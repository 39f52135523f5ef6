//! The season example, checked step by step: the host keeps every invariant while it plays the
//! demo season, the stored log rebuilds the live ledger, and the printed account says what the
//! ledger says.

use alor_core::demo::rogaland_autumn_season;
use alor_core::{Event, EventLog, Ledger, Status, SCHEMA_VERSION};
use alor_season::{account, run, Host, Record};

#[test]
fn every_step_keeps_seats_within_capacity_and_refusals_match_the_season() {
    let season = rogaland_autumn_season();
    let capacity = season.gathering.policy.capacity;
    assert_eq!(capacity, 70);
    let mut host = Host::new(season.gathering.clone()).unwrap();
    let mut refused = 0;
    for (index, step) in season.steps.iter().enumerate() {
        // Time passes first (holds may expire); then the step itself.
        host.pass_time(step.at).unwrap();
        let version_before = host.ledger().version();
        let record = host.step(index, step).unwrap().clone();
        let Record::Step { result, .. } = record else {
            panic!("a step is recorded as a step");
        };
        match &result {
            Ok(events) => {
                // Consecutive sequence numbers, right after what the host had seen.
                for (i, e) in events.iter().enumerate() {
                    assert_eq!(e.seq, version_before + 1 + i as u64);
                }
            }
            Err(_) => {
                refused += 1;
                assert_eq!(
                    host.ledger().version(),
                    version_before,
                    "a refusal records nothing"
                );
            }
        }
        assert_eq!(
            result.as_ref().err().map(|e| e.code().to_string()),
            step.expected_error,
            "step {index}: {}",
            step.note
        );
        let ledger = host.ledger();
        assert!(
            ledger.counted_seats() <= capacity,
            "step {index}: {} seats counted",
            ledger.counted_seats()
        );
        ledger.verify().unwrap();
    }
    assert!(refused >= 3, "the season includes refused commands");
    // The log is gap-free from 1.
    for (i, e) in host.log().iter().enumerate() {
        assert_eq!(e.seq, i as u64 + 1);
    }
}

#[test]
fn replaying_the_stored_log_equals_the_live_ledger() {
    let season = rogaland_autumn_season();
    let played = run(&season).unwrap();
    assert!(played.replay_matches);
    assert!(played.snapshot_round_trips);
    // Independently of the example's own check: through the JSON a host would store.
    let log = EventLog {
        schema_version: SCHEMA_VERSION,
        gathering: season.gathering.clone(),
        events: played.host.log().to_vec(),
    };
    let restored = Ledger::from_log(&EventLog::from_json(&log.to_json()).unwrap()).unwrap();
    assert_eq!(&restored, played.host.ledger());
}

#[test]
fn the_season_has_expired_holds_a_substitution_and_check_in() {
    let season = rogaland_autumn_season();
    let played = run(&season).unwrap();
    let log = played.host.log();
    // Holds expired through the host's timer (handle_timeout at next_deadline), not only
    // inside later commands.
    let timer_expiries = played
        .host
        .records()
        .iter()
        .filter_map(|r| match r {
            Record::Timeout { events, .. } => Some(events),
            _ => None,
        })
        .flatten()
        .filter(|e| matches!(e.event, Event::OfferExpired { .. }))
        .count();
    assert!(timer_expiries >= 1, "a hold expired at its deadline");
    let substitutions: Vec<_> = log
        .iter()
        .filter_map(|e| match e.event {
            Event::Substituted {
                registration,
                substitute,
                ..
            } => Some((registration, substitute)),
            _ => None,
        })
        .collect();
    assert_eq!(substitutions.len(), 1);
    let ledger = played.host.ledger();
    let (from, to) = substitutions[0];
    assert_eq!(
        ledger.registration(from).unwrap().status,
        Status::Transferred
    );
    let taker = ledger.registration(to).unwrap();
    assert_eq!(taker.substitute_for, Some(from));
    assert_eq!(
        taker.organisation.number,
        ledger.registration(from).unwrap().organisation.number
    );
    // Everyone seated at the start was checked in one way or the other.
    assert!(ledger
        .registrations()
        .iter()
        .all(|r| r.status != Status::Confirmed && r.status != Status::Offered));
    assert!(played.max_counted <= 70);
}

#[test]
fn the_account_reports_what_the_ledger_says() {
    let season = rogaland_autumn_season();
    let played = run(&season).unwrap();
    let text = account(&season, &played);
    for section in [
        "== Timeline ==",
        "== Promotions and offers",
        "== Holds that expired ==",
        "== Substitution ==",
        "== Refused commands",
        "== Final seats ==",
        "== Waitlist outcome ==",
        "== First-time participants ==",
        "== Checks ==",
    ] {
        assert!(text.contains(section), "missing section {section}");
    }
    // Local times on both sides of the end of summer time.
    assert!(text.contains("CEST") && text.contains(" CET"));
    // Figures in the account equal the ledger's own counts.
    let ledger = played.host.ledger();
    let count = |s: Status| {
        ledger
            .registrations()
            .iter()
            .filter(|r| r.status == s)
            .count()
    };
    let attended = format!(
        "Attended {} · no-shows {}",
        count(Status::Attended),
        count(Status::NoShow)
    );
    assert!(text.contains(&attended), "expected «{attended}»");
    assert!(text.contains(&format!("counted seats {}", ledger.counted_seats())));
    assert!(text.contains(&format!(
        "Still waiting at the gathering: {}",
        ledger.waitlist_len()
    )));
    for code in ["already_registered", "registration_closed", "offer_expired"] {
        assert!(text.contains(code), "refusal {code} is reported");
    }
    assert!(text.contains("rebuilds the live ledger: yes"));
    // No e-mail addresses or other contact data in the account; names only.
    assert!(!text.contains('@'));
    assert!(!text.contains(".example"));
}

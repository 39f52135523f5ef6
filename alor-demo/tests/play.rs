//! The one loop, checked step by step: the player keeps every invariant while it plays the demo
//! season, and the stored log rebuilds the live ledger.

use alor_core::{Event, EventLog, Ledger, Status, SCHEMA_VERSION};
use alor_demo::{play, rogaland_autumn_season, Player, Record};

#[test]
fn every_step_keeps_seats_within_capacity_and_refusals_match_the_season() {
    let season = rogaland_autumn_season();
    let capacity = season.gathering.policy.capacity;
    assert_eq!(capacity, 70);
    let mut host = Player::new(season.gathering.clone()).unwrap();
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
    let played = play(&season, None).unwrap();
    assert!(played.replay_matches);
    assert!(played.snapshot_round_trips);
    // Independently of the example's own check: through the JSON a host would store.
    let log = EventLog {
        schema_version: SCHEMA_VERSION,
        gathering: season.gathering.clone(),
        events: played.player.log().to_vec(),
    };
    let restored = Ledger::from_log(&EventLog::from_json(&log.to_json()).unwrap()).unwrap();
    assert_eq!(&restored, played.player.ledger());
}

#[test]
fn the_season_has_expired_holds_a_substitution_and_check_in() {
    let season = rogaland_autumn_season();
    let played = play(&season, None).unwrap();
    let log = played.player.log();
    // Holds expired through the host's timer (handle_timeout at next_deadline), not only
    // inside later commands.
    let timer_expiries = played
        .player
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
    let ledger = played.player.ledger();
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

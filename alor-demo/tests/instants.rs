//! `alor_core::INSTANT_KEYS` names every key under which the core's JSON holds an instant: a
//! whole played season (gathering, every command and event, the ledger snapshot, the public
//! snapshot) is serialised and every RFC 3339 value's key must be in the list, and every key in
//! the list must occur.

use std::collections::BTreeSet;

use alor_core::INSTANT_KEYS;
use alor_demo::{play, rogaland_autumn_season};
use serde_json::Value;

fn is_instant(text: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

fn collect(value: &Value, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if v.as_str().is_some_and(is_instant) {
                    found.insert(key.clone());
                }
                collect(v, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, found)),
        _ => {}
    }
}

#[test]
fn instant_keys_are_exactly_the_keys_that_hold_instants() {
    let season = rogaland_autumn_season();
    let played = play(&season, None).unwrap();
    let mut found = BTreeSet::new();
    collect(&serde_json::to_value(&season).unwrap(), &mut found);
    collect(
        &serde_json::to_value(played.player.log()).unwrap(),
        &mut found,
    );
    let ledger = played.player.ledger().clone();
    collect(
        &serde_json::from_str(&ledger.to_json()).unwrap(),
        &mut found,
    );
    let at = season.gathering.policy.opens_at + chrono::Duration::days(20);
    collect(
        &serde_json::to_value(ledger.public_snapshot_at(at)).unwrap(),
        &mut found,
    );
    // A snapshot that will change by itself (a hold running out) names its valid_until.
    let mut player = alor_demo::Player::new(season.gathering.clone()).unwrap();
    for (index, step) in season.steps.iter().enumerate() {
        player.step(index, step).unwrap();
        let snapshot = player.ledger().public_snapshot();
        if snapshot.valid_until.is_some() {
            collect(&serde_json::to_value(snapshot).unwrap(), &mut found);
            break;
        }
    }
    let listed: BTreeSet<String> = INSTANT_KEYS.iter().map(|k| k.to_string()).collect();
    assert_eq!(found, listed);
}

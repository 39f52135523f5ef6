//! The cross-surface scenario files (`tests/scenarios/*.json`, format in `tests/README.md`),
//! played through a `Store` beside an in-memory `Ledger`: every step must give the same events
//! or the same refusal code, and at the end the stored gathering must load to the same ledger.
//! (What each step should decide is checked by alor-core's own runner; this one checks that
//! storing changes nothing.) Erase commands go through `Store::erase`, so every erasure
//! scenario also exercises the rewriting of stored events.

use std::path::Path;

use alor_core::{Command, Gathering, Ledger};
use alor_store::{Store, StoreError};
use chrono::{DateTime, Utc};
use serde_json::Value;

fn run(path: &Path) -> Result<(), String> {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let gathering = Gathering::from_json(&doc["gathering"].to_string()).unwrap();
    let id = gathering.id.clone();
    let mut ledger = Ledger::new(gathering.clone()).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    store.create_gathering(&gathering).unwrap();

    for (i, step) in doc["steps"].as_array().unwrap().iter().enumerate() {
        let fail = |msg: String| format!("step {}: {msg}", i + 1);
        let at: DateTime<Utc> = DateTime::parse_from_rfc3339(step["at"].as_str().unwrap())
            .unwrap()
            .into();
        let expected_version = step.get("expected_version").and_then(Value::as_u64);
        // Input the core refuses to parse never reaches a ledger or a store.
        let Ok(command) = Command::from_json(&step["command"].to_string()) else {
            continue;
        };
        let in_memory = ledger.execute(&command, at, expected_version);
        let stored = match (&command, expected_version) {
            (Command::Erase { registration }, None) => {
                store.erase(&id, *registration, at).map(|e| e.events)
            }
            _ => store.execute(&id, &command, at, expected_version),
        };
        match (in_memory, stored) {
            (Ok(a), Ok(b)) if a == b => {}
            (Err(a), Err(StoreError::Ledger(b))) if a == b => {}
            (a, b) => return Err(fail(format!("in memory {a:?}, stored {b:?}"))),
        }
    }
    let loaded = store.load(&id).map_err(|e| format!("load: {e}"))?;
    if loaded != ledger {
        return Err("the stored gathering loads to another ledger".into());
    }
    let replayed = Ledger::from_log(&store.event_log(&id).unwrap()).unwrap();
    if replayed != ledger {
        return Err("the stored events replay to another ledger".into());
    }
    Ok(())
}

#[test]
fn every_scenario_gives_the_same_ledger_through_the_store() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 25,
        "scenario files missing in {}",
        dir.display()
    );
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|path| {
            run(path)
                .err()
                .map(|e| format!("{}: {e}", path.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

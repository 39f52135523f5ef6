//! The demo season's outputs, byte for byte, against files committed before a refactor.
//!
//! The season is the one fixture every surface shows; a change to its event log, snapshot or
//! public snapshot is a change of behaviour, never a side effect of moving code. To accept an
//! intended change, run with `ALOR_BLESS=1` and commit the rewritten files with a reason.

use std::path::PathBuf;

use alor_core::{EventLog, SCHEMA_VERSION};
use alor_demo::{play, rogaland_autumn_season};

fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/golden")
        .join(name);
    if std::env::var_os("ALOR_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (write it with ALOR_BLESS=1)", path.display()));
    assert!(expected == actual, "{name} differs from {}", path.display());
}

#[test]
fn the_demo_season_is_byte_identical_to_the_golden_files() {
    let season = rogaland_autumn_season();
    let run = play(&season, None).unwrap();
    let ledger = run.player.ledger();
    let log = EventLog {
        schema_version: SCHEMA_VERSION,
        gathering: season.gathering.clone(),
        events: run.player.log().to_vec(),
    };
    golden(
        "season-steps.json",
        &serde_json::to_string_pretty(&season).unwrap(),
    );
    golden("season-event-log.json", &log.to_json());
    golden("season-snapshot.json", &ledger.to_json());
    let public = ledger.public_snapshot();
    golden(
        "season-public-snapshot.json",
        &serde_json::to_string(&public).unwrap(),
    );
    golden("season-account.txt", &alor_season::account(&season, &run));
}

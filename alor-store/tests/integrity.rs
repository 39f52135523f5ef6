//! Integrity on load (no gap, the core's invariants), handles that keep their ledger in memory
//! seeing each other's writes, schema migrations of the golden files, and foreign files.

mod common;

use std::path::Path;

use alor_core::{Ledger, Promotion, RegistrationId, Slug};
use alor_store::{Store, StoreError, APPLICATION_ID, STORE_SCHEMA_VERSION};
use common::{at, gathering, participant, store_file};
use rusqlite::Connection;

fn corrupt_location(err: &StoreError) -> &str {
    match err {
        StoreError::CorruptData { location, .. } => location,
        other => panic!("expected corrupt_data, got {other:?}"),
    }
}

#[test]
fn two_handles_on_one_file_see_each_others_writes() {
    let g = gathering("sola-2026", 2, true, Promotion::Automatic);
    let (_dir, path, mut a) = store_file(&[&g]);
    let mut b = Store::open(&path).unwrap();
    a.execute(&g.id, &participant(1), at(8, 2, 9), Some(0))
        .unwrap();
    // b loads at version 1 and keeps it; a writes twice more; b catches up inside its write.
    b.execute(&g.id, &participant(2), at(8, 2, 10), Some(1))
        .unwrap();
    a.execute(&g.id, &participant(3), at(8, 2, 11), Some(2))
        .unwrap();
    a.execute(&g.id, &participant(4), at(8, 2, 12), Some(3))
        .unwrap();
    let stale = b.execute(&g.id, &participant(5), at(8, 2, 13), Some(2));
    assert_eq!(stale.unwrap_err().code(), "conflict");
    let events = b.execute(&g.id, &participant(1), at(8, 2, 13), None);
    assert_eq!(events.unwrap_err().code(), "already_registered");
    let events = b
        .execute(&g.id, &participant(5), at(8, 2, 13), Some(4))
        .unwrap();
    assert_eq!(events[0].seq, 5);
    let loaded = a.load(&g.id).unwrap();
    assert_eq!(loaded.counted_seats(), 2);
    assert_eq!(loaded.waitlist_len(), 3);
    assert_eq!(
        loaded,
        Ledger::from_log(&a.event_log(&g.id).unwrap()).unwrap()
    );
}

/// The damaged file: a snapshot at a late version, with early events gone. Loading
/// used to succeed; now it names the first missing sequence number, and so does an export.
#[test]
fn a_gap_before_the_snapshot_is_corrupt_data_naming_it() {
    let g = gathering("sola-2026", 10, true, Promotion::Automatic);
    let (_dir, path, mut store) = store_file(&[&g]);
    for n in 1..=6 {
        store
            .execute(&g.id, &participant(n), at(8, 2, 9), None)
            .unwrap();
    }
    store.save_snapshot(&g.id).unwrap();
    store
        .execute(&g.id, &participant(7), at(8, 2, 9), None)
        .unwrap();
    Connection::open(&path)
        .unwrap()
        .execute_batch("DELETE FROM events WHERE seq IN (2, 3)")
        .unwrap();
    let reopened = Store::open(&path).unwrap();
    let err = reopened.load(&g.id).unwrap_err();
    assert_eq!(err.code(), "corrupt_data");
    assert_eq!(corrupt_location(&err), "events");
    assert!(
        err.to_string().contains("sequence number 2 is missing"),
        "{err}"
    );
    let err = reopened.events_since(&g.id, 0).unwrap_err();
    assert_eq!(corrupt_location(&err), "event 4");
    assert!(
        err.to_string().contains("sequence number 2 is missing"),
        "{err}"
    );
    // A handle that has the gathering in memory already is not fooled either when it reopens.
    drop(store);
    let mut store = Store::open(&path).unwrap();
    let err = store
        .execute(&g.id, &participant(8), at(8, 3, 9), None)
        .unwrap_err();
    assert_eq!(err.code(), "corrupt_data");
}

/// The edited row: a waitlisted registration turned into a seat, overbooking the
/// gathering. The events still apply one by one; the core's invariant check refuses it.
#[test]
fn an_edited_row_that_overbooks_is_refused_on_load() {
    let g = gathering("sola-2026", 1, true, Promotion::Automatic);
    let (_dir, path, mut store) = store_file(&[&g]);
    store
        .execute(&g.id, &participant(1), at(8, 2, 9), None)
        .unwrap();
    store
        .execute(&g.id, &participant(2), at(8, 2, 10), None)
        .unwrap();
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "UPDATE events SET event = replace(event, '\"waitlisted\"', '\"confirmed\"') \
             WHERE seq = 2",
        )
        .unwrap();
    let reopened = Store::open(&path).unwrap();
    let err = reopened.load(&g.id).unwrap_err();
    assert_eq!(err.code(), "corrupt_data", "{err:?}");
    let mut writer = Store::open(&path).unwrap();
    let refused = writer.execute(&g.id, &participant(3), at(8, 3, 9), None);
    assert_eq!(refused.unwrap_err().code(), "corrupt_data");
}

fn golden(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/golden/stores")
        .join(name)
}

/// Every golden file (written by an older alor-store) opens, migrates to the current schema and
/// loads to the ledger its events replay to; then it takes new commands.
#[test]
fn golden_store_files_migrate_and_load() {
    let mut files: Vec<_> = std::fs::read_dir(golden(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sqlite3"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for file in files {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("copy.sqlite3");
        std::fs::copy(&file, &path).unwrap();
        let mut store = Store::open(&path).unwrap();
        let (version, app): (i64, i32) = {
            let conn = Connection::open(&path).unwrap();
            (
                conn.query_row("PRAGMA user_version", [], |r| r.get(0))
                    .unwrap(),
                conn.query_row("PRAGMA application_id", [], |r| r.get(0))
                    .unwrap(),
            )
        };
        assert_eq!((version, app), (STORE_SCHEMA_VERSION, APPLICATION_ID));
        let ids: Vec<String> = store
            .gathering_ids()
            .unwrap()
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect();
        assert_eq!(ids, ["bergen-2026", "sola-2026"], "{}", file.display());
        let sola = Slug::parse("sola-2026").unwrap();
        let ledger = store.load(&sola).unwrap();
        assert_eq!(ledger.version(), 8);
        assert_eq!(
            ledger,
            Ledger::from_log(&store.event_log(&sola).unwrap()).unwrap()
        );
        assert_eq!(
            ledger.registration(RegistrationId(1)).unwrap().contact,
            None
        );
        assert_eq!(ledger.counted_seats(), 2);
        let events = store
            .execute(&sola, &participant(9), at(8, 6, 9), Some(8))
            .unwrap();
        assert_eq!(events[0].seq, 9);
        drop(store);
        // Opening again finds nothing to migrate.
        assert_eq!(
            Store::open(&path).unwrap().load(&sola).unwrap().version(),
            9
        );
    }
}

fn every_byte(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_foreign_file_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &str); 4] = [
        (
            "notes",
            "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hei');",
        ),
        // The case: schema version 0 with a `gatherings` table of its own.
        (
            "gatherings",
            "CREATE TABLE gatherings (id TEXT, place TEXT);",
        ),
        (
            "versioned",
            "CREATE TABLE gatherings (id TEXT); PRAGMA user_version = 1;",
        ),
        (
            "app",
            "CREATE TABLE t (x); PRAGMA application_id = 42; PRAGMA user_version = 2;",
        ),
    ];
    for (name, sql) in cases {
        let sub = dir.path().join(name);
        std::fs::create_dir(&sub).unwrap();
        let path = sub.join("other.db");
        Connection::open(&path).unwrap().execute_batch(sql).unwrap();
        let before = every_byte(&sub);
        let err = Store::open(&path).unwrap_err();
        assert_eq!(err.code(), "not_an_alor_store", "{name}: {err:?}");
        assert_eq!(every_byte(&sub), before, "{name}: the file changed");
        let conn = Connection::open(&path).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete", "{name}");
    }
    // Not a database at all.
    let path = dir.path().join("text.db");
    std::fs::write(
        &path,
        "Dette er ikke en database, men en ganske lang tekst. ".repeat(100),
    )
    .unwrap();
    let before = std::fs::read(&path).unwrap();
    assert_eq!(Store::open(&path).unwrap_err().code(), "not_an_alor_store");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // An empty file is a new store.
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    Store::open(&path).unwrap();
}

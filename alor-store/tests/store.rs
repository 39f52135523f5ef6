//! The store's contract: what it writes, what it refuses, what survives a reopen, and that bad
//! rows are reported, never panicked on.

mod common;

use alor_core::{Actor, CancelReason, Command, Ledger, Promotion, RegistrationId, Slug, Status};
use alor_store::{Store, StoreError, SNAPSHOT_INTERVAL, STORE_SCHEMA_VERSION};
use common::{at, gathering, held_offers, participant, store_file};
use rusqlite::Connection;

fn slug(id: &str) -> Slug {
    Slug::parse(id).unwrap()
}

fn cancel(registration: u32) -> Command {
    Command::Cancel {
        registration: RegistrationId(registration),
        by: Actor::Participant,
        reason: CancelReason::Illness,
    }
}

fn row_count(path: &std::path::Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row("SELECT count(*) FROM events", [], |row| row.get(0))
        .unwrap()
}

#[test]
fn gatherings_are_created_once_and_unknown_ids_are_refused() {
    let mut store = Store::open_in_memory().unwrap();
    let g = gathering("sola-2026", 2, true, Promotion::Automatic);
    store.create_gathering(&g).unwrap();
    let again = store.create_gathering(&g).unwrap_err();
    assert_eq!(
        again,
        StoreError::GatheringExists {
            id: "sola-2026".into()
        }
    );
    assert_eq!(again.code(), "gathering_exists");
    assert_eq!(store.gathering_ids().unwrap(), vec![slug("sola-2026")]);
    assert_eq!(store.gathering(&g.id).unwrap(), g);

    let unknown = slug("bergen-2026");
    for err in [
        store.load(&unknown).unwrap_err(),
        store.events_since(&unknown, 0).unwrap_err(),
        store.next_deadline(&unknown).unwrap_err(),
        store
            .execute(&unknown, &participant(1), at(8, 2, 9), None)
            .unwrap_err(),
    ] {
        assert_eq!(err.code(), "unknown_gathering");
    }

    // An inconsistent gathering is refused with the core's code.
    let mut bad = gathering("tromso-2026", 2, true, Promotion::Automatic);
    bad.ends_at = bad.starts_at - chrono::Duration::hours(1);
    assert_eq!(
        store.create_gathering(&bad).unwrap_err().code(),
        "invalid_dates"
    );
    assert_eq!(store.gathering_ids().unwrap().len(), 1);
}

#[test]
fn data_survives_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alor.sqlite3");
    let g = gathering("sola-2026", 1, true, Promotion::Automatic);
    let expected = {
        let mut store = Store::open(&path).unwrap();
        store.create_gathering(&g).unwrap();
        store
            .execute(&g.id, &participant(1), at(8, 2, 9), Some(0))
            .unwrap();
        store
            .execute(&g.id, &participant(2), at(8, 2, 10), Some(1))
            .unwrap();
        store.load(&g.id).unwrap()
    };
    let mut store = Store::open(&path).unwrap();
    let ledger = store.load(&g.id).unwrap();
    assert_eq!(ledger, expected);
    assert_eq!(ledger.waitlist_len(), 1);
    // The reopened store goes on from where the first left off.
    let events = store
        .execute(&g.id, &cancel(1), at(8, 3, 9), Some(2))
        .unwrap();
    assert_eq!(events.iter().map(|r| r.seq).collect::<Vec<_>>(), [3, 4]);
    assert_eq!(
        store
            .load(&g.id)
            .unwrap()
            .registration(RegistrationId(2))
            .unwrap()
            .status,
        Status::Confirmed
    );
    let user_version: i64 = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(user_version, STORE_SCHEMA_VERSION);
}

#[test]
fn a_refused_command_writes_nothing() {
    let g = gathering("sola-2026", 1, false, Promotion::Automatic);
    let (_dir, path, mut store) = store_file(&[&g]);
    store
        .execute(&g.id, &participant(1), at(8, 2, 9), None)
        .unwrap();
    let before = store.event_log(&g.id).unwrap();

    let refusals = [
        (participant(2), None, "gathering_full"),
        (participant(1), None, "already_registered"),
        (participant(3), Some(0), "conflict"),
        (cancel(7), None, "unknown_registration"),
    ];
    for (command, expected_version, code) in refusals {
        let err = store
            .execute(&g.id, &command, at(8, 3, 9), expected_version)
            .unwrap_err();
        assert_eq!(err.code(), code);
        assert!(matches!(err, StoreError::Ledger(_)));
    }
    // Time going backwards is the core's refusal too.
    let err = store
        .execute(&g.id, &cancel(1), at(8, 1, 9), None)
        .unwrap_err();
    assert_eq!(err.code(), "time_went_backwards");

    assert_eq!(store.event_log(&g.id).unwrap(), before);
    assert_eq!(row_count(&path), 1);
}

/// A command whose second event cannot be written (here: a trigger standing in for a full disk)
/// leaves no trace of its first event either.
#[test]
fn a_failed_write_is_rolled_back_whole() {
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
            "CREATE TRIGGER fail_fourth BEFORE INSERT ON events WHEN NEW.seq = 4
             BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
        )
        .unwrap();

    // The cancellation records two events: cancelled (3) and promoted (4).
    let before = store.load(&g.id).unwrap();
    let err = store
        .execute(&g.id, &cancel(1), at(8, 3, 9), Some(2))
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Database {
                during: "inserting events",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.code(), "database");
    // Only SQLite's result code is kept: its messages are free text.
    assert!(!err.to_string().contains("disk full"), "{err}");
    assert_eq!(row_count(&path), 2);
    assert_eq!(store.load(&g.id).unwrap(), before);

    // Once the cause is gone, the same command succeeds from the same version.
    Connection::open(&path)
        .unwrap()
        .execute_batch("DROP TRIGGER fail_fourth")
        .unwrap();
    let events = store
        .execute(&g.id, &cancel(1), at(8, 3, 9), Some(2))
        .unwrap();
    assert_eq!(events.len(), 2);
}

#[test]
fn loading_from_a_snapshot_and_its_tail_equals_a_full_replay() {
    let mut store = Store::open_in_memory().unwrap();
    let g = gathering("sola-2026", 40, true, Promotion::Automatic);
    store.create_gathering(&g).unwrap();
    let mut now = at(8, 2, 9);
    let mut register_and_cancel = |store: &mut Store, n: usize| {
        now += chrono::Duration::minutes(1);
        store.execute(&g.id, &participant(n), now, None).unwrap();
        if n.is_multiple_of(3) {
            let id = RegistrationId(n as u32 + 1);
            store.execute(&g.id, &cancel(id.0), now, None).unwrap();
        }
    };
    for n in 0..30 {
        register_and_cancel(&mut store, n);
    }
    assert_eq!(store.save_snapshot(&g.id).unwrap(), 40);
    for n in 30..60 {
        register_and_cancel(&mut store, n);
    }

    let log = store.event_log(&g.id).unwrap();
    let replayed = Ledger::from_log(&log).unwrap();
    let loaded = store.load(&g.id).unwrap();
    assert_eq!(loaded, replayed);
    assert!(loaded.version() > 40);
    assert_eq!(
        store.events_since(&g.id, 40).unwrap(),
        log.events[40..].to_vec()
    );
    assert!(store
        .events_since(&g.id, loaded.version())
        .unwrap()
        .is_empty());
}

/// Commands never write a snapshot (that would cost the whole gathering inside the write
/// lock); `compact`, run off the command path, writes one for each gathering that has
/// `SNAPSHOT_INTERVAL` events after its last, and only for those.
#[test]
fn snapshots_are_written_by_compaction_not_by_commands() {
    let g = gathering("sola-2026", 1000, false, Promotion::Automatic);
    let quiet = gathering("quiet-2026", 10, false, Promotion::Automatic);
    let (_dir, path, mut store) = store_file(&[&g, &quiet]);
    let count = SNAPSHOT_INTERVAL as usize + 3;
    for n in 0..count {
        store
            .execute(&g.id, &participant(n), at(8, 2, 9), None)
            .unwrap();
    }
    store
        .execute(&quiet.id, &participant(1), at(8, 2, 9), None)
        .unwrap();
    let versions = |path: &std::path::Path| -> Vec<(String, i64)> {
        let conn = Connection::open(path).unwrap();
        let mut statement = conn
            .prepare("SELECT gathering_id, version FROM snapshots ORDER BY gathering_id")
            .unwrap();
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap();
        rows.map(Result::unwrap).collect()
    };
    assert_eq!(versions(&path), []);
    let compaction = store.compact().unwrap();
    assert_eq!(compaction.snapshots, std::slice::from_ref(&g.id));
    assert!(compaction.checkpointed);
    assert_eq!(versions(&path), [("sola-2026".to_owned(), count as i64)]);
    // Nothing new since: nothing to do.
    assert!(store.compact().unwrap().snapshots.is_empty());
    let loaded = Store::open(&path).unwrap().load(&g.id).unwrap();
    assert_eq!(loaded.counted_seats(), count as u32);
    assert_eq!(
        loaded,
        Ledger::from_log(&store.event_log(&g.id).unwrap()).unwrap()
    );
}

#[test]
fn hosts_drive_timers_through_the_store() {
    let mut store = Store::open_in_memory().unwrap();
    let g = gathering("sola-2026", 1, true, held_offers());
    store.create_gathering(&g).unwrap();
    store
        .execute(&g.id, &participant(1), at(8, 2, 9), None)
        .unwrap();
    store
        .execute(&g.id, &participant(2), at(8, 2, 10), None)
        .unwrap();
    assert_eq!(store.next_deadline(&g.id).unwrap(), None);

    // The seat freed is offered to number 2, held 48 hours.
    store.execute(&g.id, &cancel(1), at(8, 3, 9), None).unwrap();
    let deadline = store.next_deadline(&g.id).unwrap().unwrap();
    assert_eq!(deadline, at(8, 5, 9));
    assert!(store
        .handle_timeout(&g.id, deadline - chrono::Duration::minutes(1))
        .unwrap()
        .is_empty());
    let expired = store.handle_timeout(&g.id, deadline).unwrap();
    assert_eq!(expired.len(), 1);
    assert_eq!(
        store
            .load(&g.id)
            .unwrap()
            .registration(RegistrationId(2))
            .unwrap()
            .status,
        Status::Expired
    );
    assert_eq!(store.next_deadline(&g.id).unwrap(), None);
}

/// Every way a row can be bad gives `corrupt_data` (with no value quoted), on load and on
/// execute, and nothing is written.
#[test]
fn corrupt_rows_are_reported_not_panicked_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alor.sqlite3");
    let g = gathering("sola-2026", 5, true, Promotion::Automatic);
    {
        let mut store = Store::open(&path).unwrap();
        store.create_gathering(&g).unwrap();
        for n in 1..=3 {
            store
                .execute(&g.id, &participant(n), at(8, 2, 9), None)
                .unwrap();
        }
    }
    let sabotage: &[(&str, &str)] = &[
        ("UPDATE events SET event = '{\"type\":' WHERE seq = 2", "event 2"),
        (
            "UPDATE events SET event = '{\"type\":\"teleported\"}' WHERE seq = 2",
            "event 2",
        ),
        (
            "UPDATE events SET event = replace(event, 'deltaker2@', 'not an address ') WHERE seq = 2",
            "event 2",
        ),
        ("UPDATE events SET event = CAST(x'ff00' AS TEXT) WHERE seq = 2", "event 2"),
        ("UPDATE events SET at = 'yesterday' WHERE seq = 2", "event 2"),
        ("UPDATE events SET at = '2026-07-01T00:00:00Z' WHERE seq = 3", "event 3"),
        ("DELETE FROM events WHERE seq = 2", "event 3"),
        ("UPDATE events SET seq = 9 WHERE seq = 3", "event 9"),
        ("UPDATE gatherings SET gathering = '[]'", "gathering"),
        ("UPDATE gatherings SET core_schema = 99", "gathering"),
        (
            "INSERT INTO snapshots VALUES ('sola-2026', 3, '{\"schema_version\":1}')",
            "snapshot at version 3",
        ),
    ];
    for (sql, location) in sabotage {
        let copy = dir.path().join("copy.sqlite3");
        std::fs::copy(&path, &copy).unwrap();
        Connection::open(&copy).unwrap().execute_batch(sql).unwrap();
        let rows = row_count(&copy);
        let mut store = Store::open(&copy).unwrap();
        let err = store.load(&g.id).unwrap_err();
        assert_eq!(err.code(), "corrupt_data", "{sql}: {err:?}");
        let StoreError::CorruptData {
            location: found, ..
        } = &err
        else {
            unreachable!()
        };
        assert_eq!(found, location, "{sql}");
        let message = err.to_string();
        assert!(!message.to_lowercase().contains("deltaker"), "{message}");
        let refused = store
            .execute(&g.id, &participant(9), at(8, 3, 9), None)
            .unwrap_err();
        assert_eq!(refused.code(), "corrupt_data");
        drop(store);
        assert_eq!(row_count(&copy), rows, "{sql}: nothing was appended");
        std::fs::remove_file(&copy).unwrap();
        let _ = std::fs::remove_file(dir.path().join("copy.sqlite3-wal"));
        let _ = std::fs::remove_file(dir.path().join("copy.sqlite3-shm"));
    }
}

#[test]
fn a_file_from_a_newer_store_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alor.sqlite3");
    Store::open(&path).unwrap();
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", STORE_SCHEMA_VERSION + 1)
        .unwrap();
    let err = Store::open(&path).unwrap_err();
    assert_eq!(err.code(), "unsupported_store_schema");
}

#[test]
fn own_codes_are_listed_and_distinct() {
    let own = [
        StoreError::UnknownGathering { id: "a".into() },
        StoreError::GatheringExists { id: "a".into() },
        StoreError::Database {
            during: "reading",
            detail: "DatabaseBusy".into(),
        },
        StoreError::CorruptData {
            gathering: "a".into(),
            location: "event 1".into(),
            reason: "expected text".into(),
        },
        StoreError::UnsupportedSchema {
            found: 2,
            supported: 1,
        },
        StoreError::NotAnAlorStore,
    ];
    let codes: Vec<&str> = own.iter().map(StoreError::code).collect();
    assert_eq!(codes, StoreError::OWN_CODES);
    // The pass-through variants keep the core's codes.
    let conflict = alor_core::LedgerError::Conflict {
        expected: 1,
        actual: 2,
    };
    assert_eq!(StoreError::from(conflict).code(), "conflict");
}

//! Erasure with a concurrent reader, and shredding by retention policy.

mod common;

use alor_analytics::{DatasetBuilder, Report, Suppression};
use alor_core::{Actor, CancelReason, Command, RegistrationId};
use alor_store::{ErasureStatus, Store};
use common::{at, gathering, participant, store_file};
use rusqlite::Connection;

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn file_bytes(path: &std::path::Path, suffix: &str) -> Vec<u8> {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    std::fs::read(name).unwrap_or_default()
}

#[test]
fn an_erasure_with_a_reader_is_pending_until_the_next_write_finishes_it() {
    let g = gathering("sola-2026", 1, true, alor_core::Promotion::Automatic);
    let (_dir, path, mut store) = store_file(&[&g]);
    let email = "deltaker1@helse-stavanger.example";
    store
        .execute(&g.id, &participant(1), at(8, 2, 9), None)
        .unwrap();
    for n in 2..=20 {
        store
            .execute(&g.id, &participant(n), at(8, 2, 10), None)
            .unwrap();
    }
    let cancel = Command::Cancel {
        registration: RegistrationId(1),
        by: Actor::Participant,
        reason: CancelReason::Illness,
    };
    store.execute(&g.id, &cancel, at(8, 3, 9), None).unwrap();

    // A reader in the middle of a transaction, on a state that still has her address.
    let reader = Connection::open(&path).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let seen: i64 = reader
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert!(seen > 0);

    let erasure = store.erase(&g.id, RegistrationId(1), at(8, 4, 9)).unwrap();
    assert_eq!(erasure.status, ErasureStatus::Pending);
    assert!(!erasure.checkpointed);
    assert!(store.erasure_pending().unwrap());
    // Another handle sees it pending too (the flag is in the file).
    assert!(Store::open(&path).unwrap().erasure_pending().unwrap());
    let on_disk = [file_bytes(&path, ""), file_bytes(&path, "-wal")].concat();
    assert!(
        contains(&on_disk, email),
        "the reader's copy is still there"
    );

    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    // The next write, from another handle, finishes it.
    let mut other = Store::open(&path).unwrap();
    other
        .execute(&g.id, &participant(30), at(8, 4, 10), None)
        .unwrap();
    assert!(!store.erasure_pending().unwrap());
    for suffix in ["", "-wal"] {
        assert!(
            !contains(&file_bytes(&path, suffix), email),
            "in {suffix:?}"
        );
    }
    assert!(contains(
        &file_bytes(&path, ""),
        "deltaker2@helse-stavanger.example"
    ));
}

fn counts(store: &Store, id: &alor_core::Slug) -> String {
    let mut builder = DatasetBuilder::new();
    builder.add_log(&store.event_log(id).unwrap()).unwrap();
    let dataset = builder.finish().unwrap();
    [Report::GatheringStats, Report::Mix, Report::FirstTime]
        .map(|r| format!("{:?}", dataset.report(r, None, Suppression::off())))
        .join("\n")
}

#[test]
fn shredding_erases_what_is_due_keeps_the_counts_and_is_idempotent() {
    let mut due = gathering("sola-2026", 3, true, alor_core::Promotion::Automatic);
    due.retention_days = Some(30);
    let mut later = gathering("bergen-2026", 3, true, alor_core::Promotion::Automatic);
    later.retention_days = Some(365);
    let never = gathering("tromso-2026", 3, true, alor_core::Promotion::Automatic);
    let (_dir, path, mut store) = store_file(&[&due, &later, &never]);
    for g in [&due, &later, &never] {
        for n in 1..=5 {
            store
                .execute(&g.id, &participant(n), at(8, 2, 9), None)
                .unwrap();
        }
    }
    let before = counts(&store, &due.id);
    assert_eq!(due.shred_due_at(), Some(at(10, 31, 15)));
    let too_early = store.shred_due(at(10, 31, 14)).unwrap();
    assert!(too_early.gatherings.is_empty());

    let shredded = store.shred_due(at(11, 1, 9)).unwrap();
    assert_eq!(shredded.gatherings, std::slice::from_ref(&due.id));
    assert_eq!(shredded.erased, 5);
    assert_eq!(shredded.status, ErasureStatus::Complete);
    assert_eq!(counts(&store, &due.id), before);
    let ledger = store.load(&due.id).unwrap();
    assert!(ledger.registrations().iter().all(|r| r.contact.is_none()));
    assert!(store
        .load(&later.id)
        .unwrap()
        .registrations()
        .iter()
        .all(|r| r.contact.is_some()));
    let bytes = [file_bytes(&path, ""), file_bytes(&path, "-wal")].concat();
    // The same people are in the other two gatherings, so look for the shredded rows only.
    let conn = Connection::open(&path).unwrap();
    let rows: String = conn
        .query_row(
            "SELECT group_concat(event) FROM events WHERE gathering_id = 'sola-2026'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!rows.contains("helse-stavanger.example"));
    assert!(contains(&bytes, "deltaker1@helse-stavanger.example"));

    // Again: nothing to do, nothing changes.
    let version = ledger.version();
    let again = store.shred_due(at(11, 2, 9)).unwrap();
    assert!(again.gatherings.is_empty());
    assert_eq!(store.load(&due.id).unwrap().version(), version);
}

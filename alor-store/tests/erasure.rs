//! Erasure reaches the disk: after `Store::erase`, the person's name, e-mail address and phone
//! number are in no row and in no byte of the database files.

mod common;

use alor_core::{Actor, CancelReason, Command, Ledger, PersonDraft, Promotion, RegistrationId};
use alor_store::Store;
use common::{at, gathering, participant, register, store_file};
use rusqlite::Connection;

const NAME: &str = "Ingeborg Sæther-Åsheim";
const EMAIL: &str = "ingeborg.saether@helse-stavanger.example";
const PHONE: &str = "+4798765432"; // as the core stores "+47 987 65 432"

/// Every file of the database (main file, write-ahead log, shared memory), concatenated.
fn bytes_on_disk(dir: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

fn stored_text(path: &std::path::Path) -> String {
    let conn = Connection::open(path).unwrap();
    let mut text = String::new();
    for sql in [
        "SELECT event FROM events",
        "SELECT snapshot FROM snapshots",
        "SELECT gathering FROM gatherings",
    ] {
        let mut statement = conn.prepare(sql).unwrap();
        let rows = statement
            .query_map([], |row| row.get::<_, String>(0))
            .unwrap();
        for row in rows {
            text.push_str(&row.unwrap());
        }
    }
    text
}

#[test]
fn erased_personal_data_is_gone_from_the_database_file() {
    let g = gathering("sola-2026", 1, true, Promotion::Automatic);
    let (dir, path, mut store) = store_file(&[&g]);

    let ingeborg = PersonDraft {
        name: NAME.into(),
        email: EMAIL.into(),
        phone: "+47 987 65 432".into(),
        organisation_name: "Helse Stavanger HF".into(),
        organisation_number: "983974678".into(),
        sector: "public".into(),
        role: "hr".into(),
        ..PersonDraft::default()
    }
    .validate()
    .unwrap();
    store
        .execute(&g.id, &register(ingeborg), at(8, 2, 9), None)
        .unwrap();
    // Enough others that her rows share pages with theirs: without `secure_delete` the old
    // bytes would survive in the pages' free space (this test fails if it is turned off).
    for n in 1..=40 {
        store
            .execute(&g.id, &participant(n), at(8, 2, 10), None)
            .unwrap();
    }
    // A snapshot taken while she was registered holds her data too.
    store.save_snapshot(&g.id).unwrap();

    // Still active: the core refuses, and nothing is written.
    let refused = store
        .erase(&g.id, RegistrationId(1), at(8, 3, 9))
        .unwrap_err();
    assert_eq!(refused.code(), "erase_active");
    assert_eq!(store.load(&g.id).unwrap().version(), 41);

    let cancel = Command::Cancel {
        registration: RegistrationId(1),
        by: Actor::Participant,
        reason: CancelReason::WorkConflict,
    };
    store.execute(&g.id, &cancel, at(8, 3, 9), None).unwrap();
    store.checkpoint().unwrap();
    let before = bytes_on_disk(dir.path());
    assert!(contains(&before, EMAIL) && contains(&before, NAME));

    let before_erasure = store.load(&g.id).unwrap();
    let erasure = store.erase(&g.id, RegistrationId(1), at(8, 4, 9)).unwrap();
    assert_eq!(erasure.events.len(), 1);
    assert_eq!(erasure.rewritten, 1);
    assert!(erasure.checkpointed);

    // In the ledger: no contact, everything else as it was.
    let ledger = store.load(&g.id).unwrap();
    let erased = ledger.registration(RegistrationId(1)).unwrap();
    assert_eq!(erased.contact, None);
    assert_eq!(
        erased.status,
        before_erasure
            .registration(RegistrationId(1))
            .unwrap()
            .status
    );
    assert_eq!(
        ledger,
        Ledger::from_log(&store.event_log(&g.id).unwrap()).unwrap()
    );

    // In the rows...
    let rows = stored_text(&path);
    for secret in [NAME, EMAIL, PHONE] {
        assert!(!rows.contains(secret), "{secret} is still in a row");
    }
    assert!(rows.contains("deltaker1@helse-stavanger.example"));

    // ... and in the bytes of the files, free pages and write-ahead log included.
    let after = bytes_on_disk(dir.path());
    for secret in [NAME, EMAIL, PHONE, "ingeborg", "Sæther"] {
        assert!(!contains(&after, secret), "{secret} is still on disk");
    }
    // The check can see what is there: the other participant is.
    assert!(contains(&after, "deltaker1@helse-stavanger.example"));

    // Erasing again is the core's refusal; reopening finds the erased state.
    assert_eq!(
        store
            .erase(&g.id, RegistrationId(1), at(8, 4, 10))
            .unwrap_err()
            .code(),
        "already_erased"
    );
    drop(store);
    let reopened = Store::open(&path).unwrap();
    assert_eq!(reopened.load(&g.id).unwrap(), ledger);
}

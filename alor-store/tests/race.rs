//! Many writers, one file: each thread has its own `Store` (its own SQLite connection), as
//! separate processes would. The last seats must go to exactly `capacity` people.
//!
//! `processes_race_for_the_last_seats` does the same with separate processes (this test binary,
//! started again to run `writer_process` only).
//!
//! No timing is asserted: the threads are only lined up at a barrier, and whatever order the
//! scheduler picks, the outcome counts must be the same.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::thread;

use alor_core::{Event, Ledger, Promotion, Recorded, Slug, Status};
use alor_store::{Store, StoreError};
use common::{at, gathering, participant, store_file};

const WRITERS: usize = 8;
const CAPACITY: u32 = 3;

/// Runs `work(store, writer)` on `WRITERS` threads at once, each with its own connection.
fn race<T: Send + 'static>(
    path: &Path,
    work: impl Fn(&mut Store, usize) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let barrier = Arc::new(Barrier::new(WRITERS));
    let work = Arc::new(work);
    let handles: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let (barrier, work, path) = (barrier.clone(), work.clone(), path.to_owned());
            thread::spawn(move || {
                // Every thread reaches the barrier, even one whose open failed: a failure must
                // fail the test, never leave the others waiting for ever.
                let opened = Store::open(&path);
                barrier.wait();
                let mut store = opened.unwrap_or_else(|e| panic!("open: {e} ({})", e.code()));
                work(&mut store, writer)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

/// The stored log is gap-free from 1, loads to the same ledger as its full replay, and is
/// exactly the union of what the writers were told they recorded.
fn check_log(store: &Store, id: &Slug, told: &[Recorded]) -> Ledger {
    let log = store.event_log(id).unwrap();
    let seqs: Vec<u64> = log.events.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, (1..=log.events.len() as u64).collect::<Vec<_>>());
    let mut told: Vec<Recorded> = told.to_vec();
    told.sort_by_key(|r| r.seq);
    assert_eq!(told, log.events);
    let loaded = store.load(id).unwrap();
    assert_eq!(loaded, Ledger::from_log(&log).unwrap());
    loaded.verify().unwrap();
    loaded
}

#[test]
fn the_last_seats_go_to_exactly_capacity_writers() {
    let with_waitlist = gathering("waitlist-2026", CAPACITY, true, Promotion::Automatic);
    let without = gathering("no-waitlist-2026", CAPACITY, false, Promotion::Automatic);
    let (_dir, path, store) = store_file(&[&with_waitlist, &without]);
    let now = at(8, 2, 9);

    let (waitlist_id, full_id) = (with_waitlist.id.clone(), without.id.clone());
    let outcomes = race(&path, move |store, writer| {
        let a = store.execute(&waitlist_id, &participant(writer), now, None);
        let b = store.execute(&full_id, &participant(writer), now, None);
        (a, b)
    });

    // With a waitlist: everyone is recorded, `CAPACITY` of them with a seat.
    let recorded: Vec<Recorded> = outcomes
        .iter()
        .flat_map(|(a, _)| a.clone().unwrap())
        .collect();
    let statuses: Vec<Status> = recorded
        .iter()
        .map(|r| match &r.event {
            Event::Registered { status, .. } => *status,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    let seated = statuses.iter().filter(|&&s| s == Status::Confirmed).count();
    assert_eq!(seated, CAPACITY as usize);
    assert_eq!(statuses.len(), WRITERS);
    let ledger = check_log(&store, &with_waitlist.id, &recorded);
    assert_eq!(ledger.counted_seats(), CAPACITY);
    assert_eq!(ledger.waitlist_len(), WRITERS - CAPACITY as usize);

    // Without: `CAPACITY` writers get a seat, the others `gathering_full`, and nothing else
    // is written.
    let (won, lost): (Vec<_>, Vec<_>) = outcomes
        .into_iter()
        .map(|(_, b)| b)
        .partition(Result::is_ok);
    assert_eq!(won.len(), CAPACITY as usize);
    assert!(lost
        .iter()
        .all(|r| r.as_ref().unwrap_err().code() == "gathering_full"));
    let recorded: Vec<Recorded> = won.into_iter().flat_map(Result::unwrap).collect();
    let ledger = check_log(&store, &without.id, &recorded);
    assert_eq!(ledger.counted_seats(), CAPACITY);
    assert_eq!(ledger.version(), u64::from(CAPACITY));
}

/// Writers that state the version they saw: each lost race is a `conflict`, never a lost or
/// merged write; retrying from a fresh load always gets through.
#[test]
fn stale_writers_get_conflict_and_retry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alor.sqlite3");
    let g = gathering("sola-2026", CAPACITY, true, Promotion::Automatic);
    Store::open(&path).unwrap().create_gathering(&g).unwrap();
    let now = at(8, 2, 9);

    let id = g.id.clone();
    let outcomes = race(&path, move |store, writer| {
        let mut conflicts = 0;
        loop {
            let seen = store.load(&id).unwrap().version();
            match store.execute(&id, &participant(writer), now, Some(seen)) {
                Ok(events) => return (events, conflicts),
                Err(StoreError::Ledger(e)) if e.code() == "conflict" => conflicts += 1,
                Err(other) => panic!("{other:?}"),
            }
        }
    });
    let recorded: Vec<Recorded> = outcomes.iter().flat_map(|(e, _)| e.clone()).collect();
    let store = Store::open(&path).unwrap();
    let ledger = check_log(&store, &g.id, &recorded);
    assert_eq!(ledger.counted_seats(), CAPACITY);
    assert_eq!(ledger.registrations().len(), WRITERS);
    let people: BTreeSet<_> = ledger
        .registrations()
        .iter()
        .map(|r| r.contact.as_ref().unwrap().email.clone())
        .collect();
    assert_eq!(people.len(), WRITERS);
}

/// Opening a new file from several connections at once migrates it once, and one gathering id
/// is created once.
#[test]
fn concurrent_opens_and_creates_of_a_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.sqlite3");
    let g = gathering("sola-2026", CAPACITY, true, Promotion::Automatic);
    let outcomes = race(&path, move |store, _| {
        store.create_gathering(&g).map_err(|e| e.code())
    });
    assert_eq!(outcomes.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(outcomes
        .iter()
        .filter_map(|r| r.err())
        .all(|code| code == "gathering_exists"));
}

const WRITER_DB: &str = "ALOR_STORE_WRITER_DB";
const WRITER: &str = "ALOR_STORE_WRITER";
const PER_PROCESS: usize = 5;

/// Only does something when started by `processes_race_for_the_last_seats`: one writer
/// process signing `PER_PROCESS` people up to both gatherings.
#[test]
fn writer_process() {
    let Ok(path) = std::env::var(WRITER_DB) else {
        return;
    };
    let writer: usize = std::env::var(WRITER).unwrap().parse().unwrap();
    let mut store = Store::open(path).unwrap();
    for n in writer * PER_PROCESS..(writer + 1) * PER_PROCESS {
        for id in ["waitlist-2026", "no-waitlist-2026"] {
            let id = Slug::parse(id).unwrap();
            match store.execute(&id, &participant(n), at(8, 2, 9), None) {
                Ok(_) => {}
                Err(e) => assert_eq!(e.code(), "gathering_full"),
            }
        }
    }
}

#[test]
fn processes_race_for_the_last_seats() {
    let with_waitlist = gathering("waitlist-2026", CAPACITY, true, Promotion::Automatic);
    let without = gathering("no-waitlist-2026", CAPACITY, false, Promotion::Automatic);
    let (_dir, path, store) = store_file(&[&with_waitlist, &without]);

    let processes = 4;
    let children: Vec<_> = (0..processes)
        .map(|writer| {
            std::process::Command::new(std::env::current_exe().unwrap())
                .args(["writer_process", "--exact", "--quiet", "--test-threads=1"])
                .env(WRITER_DB, &path)
                .env(WRITER, writer.to_string())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a writer process failed");
    }

    let log = store.event_log(&with_waitlist.id).unwrap();
    let ledger = check_log(&store, &with_waitlist.id, &log.events);
    assert_eq!(ledger.registrations().len(), processes * PER_PROCESS);
    assert_eq!(ledger.counted_seats(), CAPACITY);

    let log = store.event_log(&without.id).unwrap();
    let ledger = check_log(&store, &without.id, &log.events);
    assert_eq!(ledger.registrations().len(), CAPACITY as usize);
    assert_eq!(ledger.version(), u64::from(CAPACITY));
}

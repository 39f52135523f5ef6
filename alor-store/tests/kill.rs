//! Kill -9: a writer process (this test binary, started again) is killed with SIGKILL
//! (`Child::kill`) at a random moment, over and over. After each kill the file must reopen,
//! every command the writer acknowledged must be there, and the core's invariants must hold.
//! Shredding is killed midway too: each gathering is shredded whole or not at all.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use alor_core::{Ledger, Promotion, Slug};
use alor_store::Store;
use common::{at, gathering, participant, store_file};

const DB: &str = "ALOR_KILL_DB";
const MODE: &str = "ALOR_KILL_MODE";
const START: &str = "ALOR_KILL_START";
const ROUNDS: usize = 20;
const SHRED_ROUNDS: usize = 5;

/// Only does something when started by the tests below.
#[test]
fn writer_process() {
    let Ok(path) = std::env::var(DB) else {
        return;
    };
    let mut store = Store::open(path).unwrap();
    let mut out = std::io::stdout().lock();
    if std::env::var(MODE).unwrap() == "shred" {
        store.shred_due(at(11, 1, 9)).unwrap();
        writeln!(out, "shredded").unwrap();
        return;
    }
    let start: usize = std::env::var(START).unwrap().parse().unwrap();
    let id = Slug::parse("sola-2026").unwrap();
    for n in start.. {
        store
            .execute(&id, &participant(n), at(8, 2, 9), None)
            .unwrap();
        // Acknowledged only once `execute` returned: the command is committed.
        writeln!(out, "{n}").unwrap();
        out.flush().unwrap();
    }
}

/// A small generator seeded from the clock: each run kills at other moments.
struct Random(u64);
impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn spawn(path: &std::path::Path, mode: &str, start: usize) -> std::process::Child {
    Process::new(std::env::current_exe().unwrap())
        .args(["--exact", "writer_process", "--nocapture", "--quiet"])
        .env(DB, path)
        .env(MODE, mode)
        .env(START, start.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn acknowledged(child: &mut std::process::Child) -> Vec<String> {
    let out = BufReader::new(child.stdout.take().unwrap());
    out.lines()
        .map_while(Result::ok)
        .filter(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric()))
        .collect()
}

fn checked(store: &Store, id: &Slug) -> Ledger {
    let ledger = store.load(id).unwrap();
    ledger.verify().unwrap();
    assert_eq!(
        ledger,
        Ledger::from_log(&store.event_log(id).unwrap()).unwrap()
    );
    ledger
}

#[test]
fn killed_writers_lose_nothing_they_acknowledged() {
    let g = gathering("sola-2026", 30, true, Promotion::Automatic);
    let (_dir, path, _store) = store_file(&[&g]);
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut random = Random(seed);
    let mut acked = Vec::new();
    let mut killed_with_work = 0;
    for round in 0..ROUNDS {
        let mut child = spawn(&path, "write", round * 10_000);
        std::thread::sleep(Duration::from_millis(5 + random.below(60)));
        child.kill().unwrap();
        child.wait().unwrap();
        let told = acknowledged(&mut child);
        killed_with_work += usize::from(!told.is_empty());
        acked.extend(told);
        let store = Store::open(&path).unwrap();
        let ledger = checked(&store, &g.id);
        let emails: std::collections::BTreeSet<String> = ledger
            .registrations()
            .iter()
            .map(|r| r.contact.as_ref().unwrap().email.to_string())
            .collect();
        for n in &acked {
            let email = format!("deltaker{n}@helse-stavanger.example");
            assert!(
                emails.contains(&email),
                "seed {seed}: acknowledged {n} is lost"
            );
        }
    }
    assert!(
        killed_with_work >= ROUNDS / 2,
        "seed {seed}: the writers hardly ran"
    );
}

#[test]
fn a_killed_shredding_is_whole_or_not_at_all() {
    let mut g = gathering("sola-2026", 50, true, Promotion::Automatic);
    g.retention_days = Some(0);
    let (_dir, path, mut store) = store_file(&[&g]);
    for n in 0..300 {
        store
            .execute(&g.id, &participant(n), at(8, 2, 9), None)
            .unwrap();
    }
    drop(store);
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut random = Random(seed);
    for _ in 0..SHRED_ROUNDS {
        let mut child = spawn(&path, "shred", 0);
        std::thread::sleep(Duration::from_millis(random.below(40)));
        child.kill().unwrap();
        child.wait().unwrap();
        let store = Store::open(&path).unwrap();
        let ledger = checked(&store, &g.id);
        let with_contact = ledger
            .registrations()
            .iter()
            .filter(|r| r.contact.is_some())
            .count();
        assert!(
            with_contact == 0 || with_contact == 300,
            "seed {seed}: {with_contact} of 300 still have contact details"
        );
    }
    let mut store = Store::open(&path).unwrap();
    store.shred_due(at(11, 1, 9)).unwrap();
    let ledger = checked(&store, &g.id);
    assert!(ledger.registrations().iter().all(|r| r.contact.is_none()));
    assert_eq!(ledger.registrations().len(), 300);
}

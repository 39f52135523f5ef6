//! The store's cost per command, beside a bare SQLite commit of one row on the same file.
//!
//! Prints a table (a script, not a timed test): for 1 000, 10 000 and 100 000 waitlisted
//! registrations, the median cost of one more sign-up with 1 writer process and with 4 writer
//! processes sharing the file, the median of a bare one-row `BEGIN IMMEDIATE` commit on the
//! same file, and opening the store plus its first command at each size.
//!
//! Run: `cargo bench -p alor-store --bench store` (ALOR_BENCH_SIZES=1000,10000 for fewer).
//! The gathering is filled by writing its events straight into the `events` table (decided
//! by an in-memory ledger), so the set-up does not depend on the store's speed.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use alor_core::{Actor, Command, Gathering, Ledger, PersonDraft};
use alor_store::Store;
use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use rusqlite::{params, Connection};

const CHILD_DB: &str = "ALOR_BENCH_CHILD_DB";
const CHILD_BASE: &str = "ALOR_BENCH_CHILD_BASE";
const CHILD_COUNT: &str = "ALOR_BENCH_CHILD_COUNT";
const CAPACITY: u32 = 50;

fn at(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, 0, 0).unwrap()
}

fn gathering() -> Gathering {
    serde_json::from_value(serde_json::json!({
        "id": "bench-2026",
        "network": "rogaland",
        "title": "Høstsamling 2026",
        "theme": "Fra bekymring til handling",
        "starts_at": "2026-10-01T08:00:00Z",
        "ends_at": "2026-10-01T15:00:00Z",
        "venue": {"name": "Sola Strand Hotel", "town": "Sola"},
        "price": 145000,
        "policy": {
            "capacity": CAPACITY,
            "opens_at": "2026-08-01T08:00:00Z",
            "closes_at": "2026-09-20T22:00:00Z",
            "cancellation_deadline": "2026-09-24T22:00:00Z",
            "waitlist": true,
        },
    }))
    .unwrap()
}

fn register(n: usize) -> Command {
    let person = PersonDraft {
        name: format!("Deltaker Nummer {n}"),
        email: format!("deltaker{n}@helse-stavanger.example"),
        phone: "+47 912 34 567".into(),
        organisation_name: "Helse Stavanger HF".into(),
        organisation_number: "983974678".into(),
        sector: "public".into(),
        role: "occupational_health".into(),
        ..PersonDraft::default()
    }
    .validate()
    .unwrap();
    Command::Register {
        person,
        first_time: false,
        by: Actor::Participant,
    }
}

/// A file with the gathering and `waitlisted` people on its waitlist (plus `CAPACITY` seated).
fn filled(dir: &Path, waitlisted: usize) -> PathBuf {
    let path = dir.join(format!("bench-{waitlisted}.sqlite3"));
    let g = gathering();
    Store::open(&path).unwrap().create_gathering(&g).unwrap();
    let mut ledger = Ledger::new(g.clone()).unwrap();
    let mut conn = Connection::open(&path).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare("INSERT INTO events (gathering_id, seq, at, event) VALUES (?1, ?2, ?3, ?4)")
            .unwrap();
        for n in 0..waitlisted + CAPACITY as usize {
            for r in ledger.execute(&register(n), at(8, 2, 9), None).unwrap() {
                insert
                    .execute(params![
                        g.id.as_str(),
                        r.seq as i64,
                        r.at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
                        serde_json::to_string(&r.event).unwrap()
                    ])
                    .unwrap();
            }
        }
    }
    tx.commit().unwrap();
    drop(conn);
    path
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

/// One writer process: `count` sign-ups numbered from `base`, each timed; prints microseconds.
fn child(path: &str, base: usize, count: usize) {
    let mut store = Store::open(path).unwrap();
    let id = gathering().id;
    // The first command loads the gathering: not what is measured here.
    store
        .execute(&id, &register(base), at(8, 3, 9), None)
        .unwrap();
    let mut out = std::io::stdout().lock();
    for n in base + 1..base + count {
        let start = Instant::now();
        store.execute(&id, &register(n), at(8, 3, 9), None).unwrap();
        writeln!(out, "{}", start.elapsed().as_micros()).unwrap();
    }
}

fn commands(path: &Path, processes: usize, per_process: usize, base: usize) -> Duration {
    let children: Vec<_> = (0..processes)
        .map(|p| {
            Process::new(std::env::current_exe().unwrap())
                .env(CHILD_DB, path)
                .env(CHILD_BASE, (base + p * per_process).to_string())
                .env(CHILD_COUNT, per_process.to_string())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut samples = Vec::new();
    for mut child in children {
        let out = BufReader::new(child.stdout.take().unwrap());
        for line in out.lines() {
            samples.push(Duration::from_micros(line.unwrap().parse().unwrap()));
        }
        assert!(child.wait().unwrap().success());
    }
    median(samples)
}

fn bare_commit(path: &Path, count: usize) -> Duration {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.execute_batch("CREATE TABLE IF NOT EXISTS bench_bare (x INTEGER)")
        .unwrap();
    let samples = (0..count)
        .map(|i| {
            let start = Instant::now();
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE; INSERT INTO bench_bare VALUES ({i}); COMMIT;"
            ))
            .unwrap();
            start.elapsed()
        })
        .collect();
    median(samples)
}

fn open_and_first(path: &Path, n: usize) -> Duration {
    let start = Instant::now();
    let mut store = Store::open(path).unwrap();
    store
        .execute(&gathering().id, &register(n), at(8, 3, 8), None)
        .unwrap();
    start.elapsed()
}

fn main() {
    if let Ok(path) = std::env::var(CHILD_DB) {
        let base = std::env::var(CHILD_BASE).unwrap().parse().unwrap();
        let count = std::env::var(CHILD_COUNT).unwrap().parse().unwrap();
        return child(&path, base, count);
    }
    let sizes: Vec<usize> = std::env::var("ALOR_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000,100000".into())
        .split(',')
        .map(|s| s.trim().parse().unwrap())
        .collect();
    // A real file on disk (not tmpfs) is what the figures are about.
    let dir = match std::env::var("ALOR_BENCH_DIR") {
        Ok(d) => tempfile::tempdir_in(d).unwrap(),
        Err(_) => tempfile::tempdir().unwrap(),
    };
    println!("| waitlisted | 1 process: median command (ms) | 4 processes: median command (ms) | bare commit (ms) | open + first command (ms) |");
    println!("|---:|---:|---:|---:|---:|");
    for &size in &sizes {
        let path = filled(dir.path(), size);
        // Fewer samples where a command is slow, so a run stays within minutes.
        let per = if size >= 100_000 { 12 } else { 40 };
        let mut next = size + CAPACITY as usize + 1;
        let open = open_and_first(&path, next);
        next += 1;
        let one = commands(&path, 1, per, next);
        next += per;
        let four = commands(&path, 4, per / 2, next);
        let bare = bare_commit(&path, 200);
        println!(
            "| {size} | {} | {} | {} | {} |",
            ms(one),
            ms(four),
            ms(bare),
            ms(open)
        );
    }
}

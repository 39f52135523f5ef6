//! [`Store`]: gatherings and their events in one SQLite database.

use std::path::Path;
use std::time::Duration;

use alor_core::{
    Command, Event, EventLog, Gathering, Ledger, Recorded, RegistrationId, Slug, SCHEMA_VERSION,
};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction, TransactionBehavior};

use crate::{schema, StoreError};

/// How long a writer waits for another connection's write transaction before giving up with
/// `database`. Commands take milliseconds; this only runs out if a writer hangs.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// A snapshot is written after a command once this many events have been stored since the
/// last one, so loading replays at most about this many events.
pub const SNAPSHOT_INTERVAL: u64 = 256;

/// What [`Store::erase`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    /// The events the erasure recorded (`erased`, after any holds that were due).
    pub events: Vec<Recorded>,
    /// How many stored events had the person's data replaced by the core's placeholder.
    pub rewritten: usize,
    /// Whether the write-ahead log was checkpointed into the database file and emptied, so no
    /// copy of the old rows is left in it. `false` when another connection was reading at the
    /// time; the next checkpoint (SQLite runs one automatically) completes it.
    pub checkpointed: bool,
}

/// A connection to an alor database: the gatherings, their event logs and snapshots.
///
/// Every state change runs in one `BEGIN IMMEDIATE` transaction that loads the ledger, lets
/// alor-core decide, and appends the events; so any number of `Store`s, in threads or
/// processes, can share one file without double-booking a seat. Open one `Store` per thread.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (or creates) a database file, in WAL mode, and migrates it to the current schema.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        let conn = Connection::open(path).map_err(|e| StoreError::database("opening", e))?;
        Store::setup(conn, true)
    }

    /// A private database in memory, gone when the `Store` is dropped (tests, one-off tools).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory().map_err(|e| StoreError::database("opening", e))?;
        Store::setup(conn, false)
    }

    fn setup(mut conn: Connection, file: bool) -> Result<Store, StoreError> {
        let failed = |e| StoreError::database("configuring the connection", e);
        // First, so that everything after it waits for other connections instead of failing.
        conn.busy_timeout(BUSY_TIMEOUT).map_err(failed)?;
        // Deleted and overwritten content is zeroed, so an erased person's data does not
        // linger in free pages or in the unused part of a page.
        conn.pragma_update(None, "secure_delete", true)
            .map_err(failed)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(failed)?;
        if file {
            // WAL: readers do not block the writer, and a commit is one append. FULL syncs the
            // log on every commit: a recorded registration survives a power cut.
            let mode: String = conn
                .pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0))
                .map_err(failed)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Database {
                    during: "configuring the connection",
                    detail: String::from("the file cannot be put in WAL mode"),
                });
            }
            conn.pragma_update(None, "synchronous", "FULL")
                .map_err(failed)?;
        }
        schema::migrate(&mut conn)?;
        Ok(Store { conn })
    }

    /// Stores a new gathering, with no events. Refuses an id that is stored already
    /// (`gathering_exists`) and an inconsistent gathering (the core's `invalid_*` code).
    pub fn create_gathering(&mut self, gathering: &Gathering) -> Result<(), StoreError> {
        gathering.validate()?;
        let id = gathering.id.as_str();
        let json = serde_json::to_string(gathering).expect("gatherings always serialise");
        let tx = self.write("creating a gathering")?;
        let exists = tx
            .query_row("SELECT 1 FROM gatherings WHERE id = ?1", [id], |_| Ok(()))
            .optional()
            .map_err(|e| StoreError::database("creating a gathering", e))?
            .is_some();
        if exists {
            return Err(StoreError::GatheringExists { id: id.into() });
        }
        tx.execute(
            "INSERT INTO gatherings (id, core_schema, gathering) VALUES (?1, ?2, ?3)",
            params![id, SCHEMA_VERSION, json],
        )
        .map_err(|e| StoreError::database("creating a gathering", e))?;
        commit(tx)
    }

    /// The ids of the stored gatherings, in order.
    pub fn gathering_ids(&self) -> Result<Vec<Slug>, StoreError> {
        let failed = |e| StoreError::database("listing gatherings", e);
        let mut statement = self
            .conn
            .prepare("SELECT id FROM gatherings ORDER BY id")
            .map_err(failed)?;
        let mut rows = statement.query([]).map_err(failed)?;
        let mut ids = Vec::new();
        while let Some(row) = rows.next().map_err(failed)? {
            let id = text(row, 0, "?", "gathering id")?;
            let slug = Slug::parse(&id)
                .map_err(|problem| StoreError::corrupt("?", "gathering id", problem.to_string()))?;
            ids.push(slug);
        }
        Ok(ids)
    }

    /// The gathering as it was created (the ledger's copy keeps the current capacity).
    pub fn gathering(&self, id: &Slug) -> Result<Gathering, StoreError> {
        let tx = self.read()?;
        stored_gathering(&tx, id.as_str())
    }

    /// The gathering's current state: the latest snapshot and the events stored after it, each
    /// checked as it is applied ([`Ledger::try_apply`]). Bad rows give `corrupt_data`.
    pub fn load(&self, id: &Slug) -> Result<Ledger, StoreError> {
        let tx = self.read()?;
        Ok(load_in(&tx, id.as_str())?.0)
    }

    /// The events after `version`, in order: what a host that has seen `version` missed.
    pub fn events_since(&self, id: &Slug, version: u64) -> Result<Vec<Recorded>, StoreError> {
        let tx = self.read()?;
        let id = id.as_str();
        stored_gathering(&tx, id)?;
        let mut events = Vec::new();
        each_event(&tx, id, version, |recorded| {
            events.push(recorded);
            Ok(())
        })?;
        Ok(events)
    }

    /// The gathering as created and all its events: everything needed to rebuild the ledger
    /// elsewhere ([`Ledger::from_log`]), or to export it.
    pub fn event_log(&self, id: &Slug) -> Result<EventLog, StoreError> {
        let tx = self.read()?;
        log_in(&tx, id.as_str())
    }

    /// Executes a command against the stored gathering and stores the events it records, all in
    /// one `BEGIN IMMEDIATE` transaction: no other writer can come between the decision and
    /// the write, so the last seat is never sold twice, across threads or processes.
    ///
    /// `expected_version` is the version the caller last saw; if another writer got there
    /// first the command is refused with `conflict`. A refused or failed command writes nothing.
    pub fn execute(
        &mut self,
        id: &Slug,
        command: &Command,
        now: DateTime<Utc>,
        expected_version: Option<u64>,
    ) -> Result<Vec<Recorded>, StoreError> {
        let tx = self.write("executing a command")?;
        let (mut ledger, snapshot_version) = load_in(&tx, id.as_str())?;
        let events = ledger.execute(command, now, expected_version)?;
        append(&tx, id.as_str(), &events)?;
        if ledger.version() - snapshot_version >= SNAPSHOT_INTERVAL {
            write_snapshot(&tx, &ledger)?;
        }
        commit(tx)?;
        Ok(events)
    }

    /// Lets time pass to `now` (expired holds free their seats), like
    /// [`Ledger::handle_timeout`], and stores the events. Call it at [`Store::next_deadline`].
    pub fn handle_timeout(
        &mut self,
        id: &Slug,
        now: DateTime<Utc>,
    ) -> Result<Vec<Recorded>, StoreError> {
        self.execute(id, &Command::HandleTimeout, now, None)
    }

    /// When time alone will next change the gathering ([`Ledger::next_deadline`]).
    pub fn next_deadline(&self, id: &Slug) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(self.load(id)?.next_deadline())
    }

    /// Writes a snapshot of the current state and drops older ones, so loading starts from
    /// here. Done automatically every [`SNAPSHOT_INTERVAL`] events. Returns its version.
    pub fn save_snapshot(&mut self, id: &Slug) -> Result<u64, StoreError> {
        let tx = self.write("writing a snapshot")?;
        let (ledger, _) = load_in(&tx, id.as_str())?;
        write_snapshot(&tx, &ledger)?;
        commit(tx)?;
        Ok(ledger.version())
    }

    /// Erases a registration's personal data, from the ledger and from the database file.
    ///
    /// Runs the core's [`Command::Erase`] (with its rules: `erase_active`, `already_erased`), then,
    /// in the same transaction, rewrites every stored event of the registration with the core's
    /// placeholder ([`EventLog::redact_erased`]) and replaces the snapshots by one written after
    /// the erasure. `secure_delete` zeroes the old bytes in the file; then the write-ahead log
    /// is checkpointed and truncated, so no old copy is left there either.
    pub fn erase(
        &mut self,
        id: &Slug,
        registration: RegistrationId,
        now: DateTime<Utc>,
    ) -> Result<Erasure, StoreError> {
        let gathering = id.as_str();
        let tx = self.write("erasing")?;
        let (mut ledger, _) = load_in(&tx, gathering)?;
        let events = ledger.execute(&Command::Erase { registration }, now, None)?;
        append(&tx, gathering, &events)?;
        let mut log = log_in(&tx, gathering)?;
        let before = log.events.clone();
        let rewritten = log.redact_erased();
        let failed = |e| StoreError::database("rewriting erased events", e);
        {
            let mut update = tx
                .prepare("UPDATE events SET event = ?3 WHERE gathering_id = ?1 AND seq = ?2")
                .map_err(failed)?;
            for (old, new) in before.iter().zip(&log.events) {
                if old != new {
                    update
                        .execute(params![
                            gathering,
                            seq_column(new.seq),
                            event_json(&new.event)
                        ])
                        .map_err(failed)?;
                }
            }
        }
        tx.execute("DELETE FROM snapshots WHERE gathering_id = ?1", [gathering])
            .map_err(failed)?;
        write_snapshot(&tx, &ledger)?;
        commit(tx)?;
        let checkpointed = self.checkpoint()?;
        Ok(Erasure {
            events,
            rewritten,
            checkpointed,
        })
    }

    /// Copies the write-ahead log into the database file and truncates it. Returns `false` if
    /// another connection's reader kept it from completing. A no-op in memory.
    pub fn checkpoint(&self) -> Result<bool, StoreError> {
        // Returns (busy, log frames, frames checkpointed); busy = 1 means it could not finish.
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))
            .map_err(|e| StoreError::database("checkpointing", e))?;
        Ok(busy == 0)
    }

    /// A write transaction that holds the write lock from its first statement (`BEGIN
    /// IMMEDIATE`): reading the state and appending to it cannot be split by another writer.
    fn write(&mut self, during: &'static str) -> Result<Transaction<'_>, StoreError> {
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| StoreError::database(during, e))
    }

    /// A read transaction: the snapshot row and the events after it come from one state of
    /// the file even while another connection writes.
    fn read(&self) -> Result<Transaction<'_>, StoreError> {
        self.conn
            .unchecked_transaction()
            .map_err(|e| StoreError::database("reading", e))
    }
}

fn commit(tx: Transaction<'_>) -> Result<(), StoreError> {
    tx.commit()
        .map_err(|e| StoreError::database("committing", e))
}

/// The gathering as created. `unknown_gathering` if there is none.
fn stored_gathering(conn: &Connection, id: &str) -> Result<Gathering, StoreError> {
    let failed = |e| StoreError::database("reading a gathering", e);
    let mut statement = conn
        .prepare_cached("SELECT core_schema, gathering FROM gatherings WHERE id = ?1")
        .map_err(failed)?;
    let mut rows = statement.query([id]).map_err(failed)?;
    let Some(row) = rows.next().map_err(failed)? else {
        return Err(StoreError::UnknownGathering { id: id.into() });
    };
    let core_schema = integer(row, 0, id, "gathering")?;
    if core_schema != i64::from(SCHEMA_VERSION) {
        return Err(StoreError::corrupt(
            id,
            "gathering",
            format!(
                "written with alor-core schema {core_schema}, this library reads {SCHEMA_VERSION}"
            ),
        ));
    }
    let json = text(row, 1, id, "gathering")?;
    let gathering = Gathering::from_json(&json)
        .map_err(|e| StoreError::corrupt(id, "gathering", e.to_string()))?;
    if gathering.id.as_str() != id {
        return Err(StoreError::corrupt(
            id,
            "gathering",
            "the stored gathering has another id",
        ));
    }
    Ok(gathering)
}

/// The current ledger and the version of the snapshot it started from (0 for none).
fn load_in(conn: &Connection, id: &str) -> Result<(Ledger, u64), StoreError> {
    let gathering = stored_gathering(conn, id)?;
    let failed = |e| StoreError::database("reading a snapshot", e);
    let mut statement = conn
        .prepare_cached(
            "SELECT version, snapshot FROM snapshots WHERE gathering_id = ?1 \
             ORDER BY version DESC LIMIT 1",
        )
        .map_err(failed)?;
    let mut rows = statement.query([id]).map_err(failed)?;
    let mut ledger = match rows.next().map_err(failed)? {
        Some(row) => {
            let version = seq(row, 0, id, "snapshot")?;
            let location = format!("snapshot at version {version}");
            let json = text(row, 1, id, &location)?;
            let ledger = Ledger::from_json(&json)
                .map_err(|e| StoreError::corrupt(id, &location, e.to_string()))?;
            if ledger.version() != version || ledger.gathering().id != gathering.id {
                return Err(StoreError::corrupt(
                    id,
                    location,
                    "the snapshot is of another version or gathering",
                ));
            }
            ledger
        }
        None => Ledger::new(gathering)
            .map_err(|e| StoreError::corrupt(id, "gathering", e.to_string()))?,
    };
    let snapshot_version = ledger.version();
    each_event(conn, id, snapshot_version, |recorded| {
        ledger
            .try_apply(&recorded)
            .map_err(|e| StoreError::corrupt(id, format!("event {}", recorded.seq), e.to_string()))
    })?;
    Ok((ledger, snapshot_version))
}

fn log_in(conn: &Connection, id: &str) -> Result<EventLog, StoreError> {
    let gathering = stored_gathering(conn, id)?;
    let mut events = Vec::new();
    each_event(conn, id, 0, |recorded| {
        events.push(recorded);
        Ok(())
    })?;
    Ok(EventLog {
        schema_version: SCHEMA_VERSION,
        gathering,
        events,
    })
}

/// Reads the events after `version` in order, and hands each to `visit`.
fn each_event(
    conn: &Connection,
    id: &str,
    version: u64,
    mut visit: impl FnMut(Recorded) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let failed = |e| StoreError::database("reading events", e);
    let mut statement = conn
        .prepare_cached(
            "SELECT seq, at, event FROM events WHERE gathering_id = ?1 AND seq > ?2 ORDER BY seq",
        )
        .map_err(failed)?;
    let mut rows = statement
        .query(params![id, seq_column(version.min(alor_core::MAX_VERSION))])
        .map_err(failed)?;
    while let Some(row) = rows.next().map_err(failed)? {
        let seq = seq(row, 0, id, "event")?;
        let location = format!("event {seq}");
        let at = text(row, 1, id, &location)?;
        let at = DateTime::parse_from_rfc3339(&at)
            .map_err(|_| StoreError::corrupt(id, &location, "the time is not RFC 3339"))?
            .with_timezone(&Utc);
        let json = text(row, 2, id, &location)?;
        let event: Event = serde_json::from_str(&json).map_err(|e| {
            StoreError::corrupt(
                id,
                &location,
                alor_core::DataError::from_json(&e).to_string(),
            )
        })?;
        visit(Recorded { seq, at, event })?;
    }
    Ok(())
}

fn append(tx: &Transaction<'_>, id: &str, events: &[Recorded]) -> Result<(), StoreError> {
    let failed = |e| StoreError::database("inserting events", e);
    let mut insert = tx
        .prepare_cached("INSERT INTO events (gathering_id, seq, at, event) VALUES (?1, ?2, ?3, ?4)")
        .map_err(failed)?;
    for recorded in events {
        insert
            .execute(params![
                id,
                seq_column(recorded.seq),
                recorded.at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
                event_json(&recorded.event),
            ])
            .map_err(failed)?;
    }
    Ok(())
}

/// Replaces the gathering's snapshots by one of `ledger`: only the latest is ever read, and
/// fewer copies of personal data is better.
fn write_snapshot(tx: &Transaction<'_>, ledger: &Ledger) -> Result<(), StoreError> {
    let failed = |e| StoreError::database("writing a snapshot", e);
    let id = ledger.gathering().id.as_str();
    tx.execute("DELETE FROM snapshots WHERE gathering_id = ?1", [id])
        .map_err(failed)?;
    tx.execute(
        "INSERT INTO snapshots (gathering_id, version, snapshot) VALUES (?1, ?2, ?3)",
        params![id, seq_column(ledger.version()), ledger.to_json()],
    )
    .map_err(failed)?;
    Ok(())
}

fn event_json(event: &Event) -> String {
    serde_json::to_string(event).expect("events always serialise")
}

/// Sequence numbers and versions end at [`alor_core::MAX_VERSION`] (2^53 - 1), so they fit.
fn seq_column(seq: u64) -> i64 {
    i64::try_from(seq).expect("sequence numbers are below 2^53")
}

fn text(row: &Row<'_>, index: usize, id: &str, location: &str) -> Result<String, StoreError> {
    match row
        .get_ref(index)
        .map_err(|e| StoreError::database("reading a row", e))?
    {
        ValueRef::Text(bytes) => std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| StoreError::corrupt(id, location, "text is not UTF-8")),
        _ => Err(StoreError::corrupt(id, location, "expected text")),
    }
}

fn integer(row: &Row<'_>, index: usize, id: &str, location: &str) -> Result<i64, StoreError> {
    match row
        .get_ref(index)
        .map_err(|e| StoreError::database("reading a row", e))?
    {
        ValueRef::Integer(n) => Ok(n),
        _ => Err(StoreError::corrupt(id, location, "expected an integer")),
    }
}

fn seq(row: &Row<'_>, index: usize, id: &str, location: &str) -> Result<u64, StoreError> {
    let n = integer(row, index, id, location)?;
    u64::try_from(n)
        .ok()
        .filter(|&n| n <= alor_core::MAX_VERSION)
        .ok_or_else(|| StoreError::corrupt(id, location, "sequence number out of range"))
}

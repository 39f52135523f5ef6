//! [`Store`]: gatherings and their events in one SQLite database.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use alor_core::{Command, EventLog, Gathering, Ledger, Recorded, RegistrationId, Slug};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

use crate::rows::{self, append, catch_up, commit, load_checked, log_in, stored_gathering};
use crate::{schema, StoreError};

/// How long a writer waits for another connection's write transaction before giving up with
/// `database`. Commands take milliseconds; this only runs out if a writer hangs.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// [`Store::compact`] writes a new snapshot of a gathering once this many events have been
/// stored since its last one, so a handle that opens the file replays at most about this many
/// events after the snapshot. Commands never write snapshots themselves.
pub const SNAPSHOT_INTERVAL: u64 = 256;

/// A connection to an alor database: the gatherings, their event logs and snapshots.
///
/// Every state change runs in one `BEGIN IMMEDIATE` transaction that brings the ledger up to
/// date, lets alor-core decide, and appends the events; so any number of `Store`s, in threads
/// or processes, can share one file without double-booking a seat. Open one `Store` per thread.
///
/// Each handle keeps the ledgers it has decided with in memory. Inside the write transaction it
/// reads only the events stored after the version it holds (another process may have written
/// them), so a command costs the same at 10 or 100 000 registrations.
#[derive(Debug)]
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) file: bool,
    /// The decided ledger of each gathering this handle has written to, by id.
    pub(crate) ledgers: HashMap<String, Ledger>,
}

/// What [`Store::compact`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compaction {
    /// The gatherings that got a new snapshot.
    pub snapshots: Vec<Slug>,
    /// Whether the write-ahead log was then copied into the file and emptied
    /// ([`Store::checkpoint`]).
    pub checkpointed: bool,
}

impl Store {
    /// Opens (or creates) a database file, in WAL mode, and migrates it to the current schema.
    ///
    /// A non-empty file that is not an alor store is refused with `not_an_alor_store` and left
    /// as it was: it is identified, by reading only, before anything is written or the journal
    /// mode is changed.
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
        schema::identify(&conn)?;
        // Deleted and overwritten content is zeroed, so an erased person's data does not
        // linger in free pages or in the unused part of a page.
        conn.pragma_update(None, "secure_delete", true)
            .map_err(failed)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(failed)?;
        if file {
            // WAL: readers do not block the writer, and a commit is one append. FULL syncs the
            // log on every commit: a recorded registration survives a power cut.
            let mode = wal_mode(&conn).map_err(failed)?;
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
        Ok(Store {
            conn,
            file,
            ledgers: HashMap::new(),
        })
    }

    /// Stores a new gathering, with no events. Refuses an id that is stored already
    /// (`gathering_exists`) and an inconsistent gathering (the core's `invalid_*` code).
    pub fn create_gathering(&mut self, gathering: &Gathering) -> Result<(), StoreError> {
        gathering.validate()?;
        let id = gathering.id.as_str();
        let json = serde_json::to_string(gathering).expect("gatherings always serialise");
        let tx = write(&mut self.conn, "creating a gathering")?;
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
            params![id, alor_core::SCHEMA_VERSION, json],
        )
        .map_err(|e| StoreError::database("creating a gathering", e))?;
        commit(tx)
    }

    /// The ids of all stored gatherings, in order.
    pub fn gathering_ids(&self) -> Result<Vec<Slug>, StoreError> {
        let failed = |e| StoreError::database("listing gatherings", e);
        let mut statement = self
            .conn
            .prepare("SELECT id FROM gatherings ORDER BY id")
            .map_err(failed)?;
        let mut rows = statement.query([]).map_err(failed)?;
        let mut ids = Vec::new();
        while let Some(row) = rows.next().map_err(failed)? {
            let id = rows::text(row, 0, "?", "gathering id")?;
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

    /// The gathering's current state, read from the file and checked: the latest snapshot and
    /// the events stored after it, each checked as it is applied ([`Ledger::try_apply`]);
    /// every sequence number from 1 to the version present; the core's invariants
    /// ([`Ledger::verify`]). Bad rows give `corrupt_data`.
    pub fn load(&self, id: &Slug) -> Result<Ledger, StoreError> {
        let tx = self.read()?;
        load_checked(&tx, id.as_str())
    }

    /// The events after `version`, in order: what a host that has seen `version` missed. A gap
    /// in the stored sequence is `corrupt_data`, never a short answer.
    pub fn events_since(&self, id: &Slug, version: u64) -> Result<Vec<Recorded>, StoreError> {
        let tx = self.read()?;
        let id = id.as_str();
        stored_gathering(&tx, id)?;
        let mut events = Vec::new();
        rows::each_event(&tx, id, version, |recorded| {
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
    ///
    /// The cost does not grow with the gathering: the handle's ledger is brought up to date
    /// with the events other connections stored since, and only the new events are written.
    pub fn execute(
        &mut self,
        id: &Slug,
        command: &Command,
        now: DateTime<Utc>,
        expected_version: Option<u64>,
    ) -> Result<Vec<Recorded>, StoreError> {
        self.write_with(id, "executing a command", |tx, ledger| {
            let events = ledger.execute(command, now, expected_version)?;
            append(tx, ledger.gathering().id.as_str(), &events)?;
            Ok(events)
        })
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
    /// here. [`Store::compact`] does it for every gathering that needs one. Returns its version.
    pub fn save_snapshot(&mut self, id: &Slug) -> Result<u64, StoreError> {
        self.write_with(id, "writing a snapshot", |tx, ledger| {
            rows::write_snapshot(tx, ledger)?;
            Ok(ledger.version())
        })
    }

    /// The maintenance a host runs off the command path (a timer, a nightly job, or between
    /// requests): a new snapshot for every gathering with at least [`SNAPSHOT_INTERVAL`] events
    /// after its last one (each in its own short transaction), then [`Store::checkpoint`].
    pub fn compact(&mut self) -> Result<Compaction, StoreError> {
        let mut snapshots = Vec::new();
        for id in self.gathering_ids()? {
            let written = self.write_with(&id, "writing a snapshot", |tx, ledger| {
                let last = rows::snapshot_version(tx, ledger.gathering().id.as_str())?;
                let due = ledger.version() - last.min(ledger.version()) >= SNAPSHOT_INTERVAL;
                if due {
                    rows::write_snapshot(tx, ledger)?;
                }
                Ok(due)
            })?;
            if written {
                snapshots.push(id);
            }
        }
        let checkpointed = self.checkpoint()?;
        Ok(Compaction {
            snapshots,
            checkpointed,
        })
    }

    /// Copies the write-ahead log into the database file and truncates it. Returns `false` if
    /// another connection's reader kept it from completing. A no-op in memory. If an erasure
    /// was waiting for this ([`Store::erasure_pending`]), a complete checkpoint finishes it.
    pub fn checkpoint(&self) -> Result<bool, StoreError> {
        crate::erase::checkpoint_and_finish(self)
    }

    /// Erases a registration's personal data, from the ledger and from the database file.
    ///
    /// Runs the core's [`Command::Erase`] (with its rules: `erase_active`, `already_erased`), then,
    /// in the same transaction, rewrites every stored event of the registration with the core's
    /// placeholder ([`EventLog::redact_erased`]) and replaces the snapshots by one written after
    /// the erasure. `secure_delete` zeroes the old bytes in the file; then the write-ahead log
    /// is checkpointed and truncated. If a reader on another connection keeps the log from
    /// being emptied, the erasure is reported [`ErasureStatus::Pending`](crate::ErasureStatus)
    /// and the next write through any handle (or [`Store::checkpoint`]) finishes it.
    pub fn erase(
        &mut self,
        id: &Slug,
        registration: RegistrationId,
        now: DateTime<Utc>,
    ) -> Result<crate::Erasure, StoreError> {
        crate::erase::erase(self, id, registration, now)
    }

    /// Shreds the personal data of every gathering whose retention policy is due at `now`
    /// ([`Gathering::retention_due`], the core's rule): every registration that still has
    /// contact details is erased with the core's [`Command::Erase`], all of a gathering in one
    /// transaction, with the stored events and snapshot rewritten as for [`Store::erase`].
    /// Statuses, organisations, roles and times stay, so the analytics counts do not change.
    ///
    /// Idempotent, and a crash midway leaves each gathering shredded or untouched: calling it
    /// again finishes the job. Run it from a daily timer.
    pub fn shred_due(&mut self, now: DateTime<Utc>) -> Result<crate::Shredding, StoreError> {
        crate::erase::shred_due(self, now)
    }

    /// Whether an erasure or shredding is not complete yet: the write-ahead log may still
    /// hold the old bytes because a reader kept it from being emptied.
    pub fn erasure_pending(&self) -> Result<bool, StoreError> {
        rows::flag(&self.conn, crate::erase::PENDING)
    }

    /// Runs `work` on the gathering's up-to-date ledger inside one `BEGIN IMMEDIATE`
    /// transaction and commits what it wrote. The ledger the handle keeps is put back only when
    /// the transaction committed (or `work` was refused by the core, which changes nothing), so
    /// a failed write never leaves the handle ahead of the file.
    pub(crate) fn write_with<T>(
        &mut self,
        id: &Slug,
        during: &'static str,
        work: impl FnOnce(&Transaction<'_>, &mut Ledger) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let key = id.as_str();
        let kept = self.ledgers.remove(key);
        let tx = write(&mut self.conn, during)?;
        let mut ledger = match kept {
            Some(mut ledger) => {
                catch_up(&tx, key, &mut ledger)?;
                ledger
            }
            None => load_checked(&tx, key)?,
        };
        let pending = rows::flag(&tx, crate::erase::PENDING)?;
        match work(&tx, &mut ledger) {
            Ok(value) => {
                commit(tx)?;
                self.ledgers.insert(key.to_owned(), ledger);
                if pending {
                    self.checkpoint()?;
                }
                Ok(value)
            }
            Err(StoreError::Ledger(refused)) => {
                // The core refused before changing anything: the ledger is still current.
                drop(tx);
                self.ledgers.insert(key.to_owned(), ledger);
                Err(StoreError::Ledger(refused))
            }
            Err(other) => Err(other),
        }
    }

    /// A read transaction: the snapshot row and the events after it come from one state of
    /// the file even while another connection writes.
    pub(crate) fn read(&self) -> Result<Transaction<'_>, StoreError> {
        self.conn
            .unchecked_transaction()
            .map_err(|e| StoreError::database("reading", e))
    }
}

/// A write transaction that holds the write lock from its first statement (`BEGIN
/// IMMEDIATE`): reading the state and appending to it cannot be split by another writer.
pub(crate) fn write<'c>(
    conn: &'c mut Connection,
    during: &'static str,
) -> Result<Transaction<'c>, StoreError> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| StoreError::database(during, e))
}

/// Puts the file in WAL mode, waiting while other connections are opening it too. Switching the
/// journal mode needs the file to itself for a moment, and SQLite answers "busy" at once there
/// rather than through the busy timeout; so the wait is here, bounded by the same timeout.
fn wal_mode(conn: &Connection) -> rusqlite::Result<String> {
    let started = std::time::Instant::now();
    loop {
        match conn.pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0)) {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            other => return other,
        }
    }
}

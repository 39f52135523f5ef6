//! The database layout and its migrations, tracked in SQLite's `user_version`, and the check
//! that a file is an alor store before anything is written to it.

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

/// The layout this library writes. Migrations run from the file's `user_version` up to this.
pub const STORE_SCHEMA_VERSION: i64 = 2;

/// SQLite's `application_id` of an alor store (the ASCII bytes of "alor"), written by schema 2
/// and later; schema-1 files have 0 and are recognised by their tables.
pub const APPLICATION_ID: i32 = 0x616c_6f72;

/// Migration `n` takes a file from `user_version` n to n + 1. Never edit one that has shipped:
/// add the next. `tests/golden/stores/` holds files of each older version, which the tests open
/// and migrate.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1. STRICT tables: SQLite then refuses a value of the wrong type instead of storing it.
    // `core_schema` is alor-core's SCHEMA_VERSION of the JSON in a gathering's rows.
    "CREATE TABLE gatherings (
        id          TEXT PRIMARY KEY NOT NULL,
        core_schema INTEGER NOT NULL,
        gathering   TEXT NOT NULL
    ) STRICT;
    CREATE TABLE events (
        gathering_id TEXT NOT NULL REFERENCES gatherings (id),
        seq          INTEGER NOT NULL CHECK (seq >= 1),
        at           TEXT NOT NULL,
        event        TEXT NOT NULL,
        PRIMARY KEY (gathering_id, seq)
    ) STRICT;
    CREATE TABLE snapshots (
        gathering_id TEXT NOT NULL REFERENCES gatherings (id),
        version      INTEGER NOT NULL CHECK (version >= 0),
        snapshot     TEXT NOT NULL,
        PRIMARY KEY (gathering_id, version)
    ) STRICT;",
    // 1 -> 2. The store's own flags, e.g. an erasure whose old bytes may still be in the
    // write-ahead log (`erasure_pending`), finished by the next write.
    "CREATE TABLE store_meta (
        key   TEXT PRIMARY KEY NOT NULL,
        value INTEGER NOT NULL
    ) STRICT;",
];

/// The tables every alor store has had since schema 1.
const ALOR_TABLES: [&str; 3] = ["events", "gatherings", "snapshots"];

/// Refuses a file that holds anything but an alor store, reading only (no table is created
/// and the journal mode is not touched before this has passed). An empty file is a new store.
pub(crate) fn identify(conn: &Connection) -> Result<(), StoreError> {
    // One read transaction, so the three reads see one state of the file: another process may be
    // creating the schema of the same new file right now, and a header read before its commit
    // with a table list read after it would look like someone else's file.
    conn.execute_batch("BEGIN DEFERRED")
        .map_err(|e| StoreError::database("identifying the file", e))?;
    let found = read_identity(conn);
    let ended = conn.execute_batch(if found.is_ok() { "COMMIT" } else { "ROLLBACK" });
    let found = found?;
    ended.map_err(|e| StoreError::database("identifying the file", e))?;
    found
}

/// The reads of [`identify`], inside its transaction.
fn read_identity(conn: &Connection) -> Result<Result<(), StoreError>, StoreError> {
    let failed = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotAnAlorStore,
        _ => StoreError::database("identifying the file", e),
    };
    let application_id: i32 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(failed)?;
    let user_version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(failed)?;
    let mut statement = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name",
        )
        .map_err(failed)?;
    let tables: Vec<String> = statement
        .query_map([], |row| row.get(0))
        .map_err(failed)?
        .collect::<Result<_, _>>()
        .map_err(failed)?;
    let new_file = tables.is_empty() && user_version == 0 && application_id == 0;
    let ours = application_id == APPLICATION_ID;
    let schema_one = application_id == 0
        && user_version >= 1
        && ALOR_TABLES
            .iter()
            .all(|t| tables.iter().any(|found| found == t));
    Ok(if new_file || ours || schema_one {
        Ok(())
    } else {
        Err(StoreError::NotAnAlorStore)
    })
}

/// Brings the file up to [`STORE_SCHEMA_VERSION`]. Runs in one immediate transaction, so two
/// processes opening a new file at once migrate it once.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let failed = |e| StoreError::database("migrating the schema", e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(failed)?;
    let found: i64 = tx
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(failed)?;
    if !(0..=STORE_SCHEMA_VERSION).contains(&found) {
        return Err(StoreError::UnsupportedSchema {
            found,
            supported: STORE_SCHEMA_VERSION,
        });
    }
    if found == STORE_SCHEMA_VERSION {
        return Ok(());
    }
    for (from, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql).map_err(failed)?;
        tx.pragma_update(None, "user_version", from as i64 + 1)
            .map_err(failed)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(failed)?;
    tx.commit().map_err(failed)
}

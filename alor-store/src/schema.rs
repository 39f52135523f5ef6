//! The database layout and its migrations, tracked in SQLite's `user_version`.

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

/// The layout this library writes. Migrations run from the file's `user_version` up to this.
pub const STORE_SCHEMA_VERSION: i64 = 1;

/// Migration `n` takes a file from `user_version` n to n + 1.
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
];

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
    for (from, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql).map_err(failed)?;
        tx.pragma_update(None, "user_version", from as i64 + 1)
            .map_err(failed)?;
    }
    tx.commit().map_err(failed)
}

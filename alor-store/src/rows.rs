//! Reading and writing rows: gatherings, events and snapshots, each value checked on the way
//! in, with the integrity checks of a load (no sequence gap, the core's invariants hold).

use alor_core::{Event, EventLog, Gathering, Ledger, Recorded, SCHEMA_VERSION};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::StoreError;

pub(crate) fn commit(tx: Transaction<'_>) -> Result<(), StoreError> {
    tx.commit()
        .map_err(|e| StoreError::database("committing", e))
}

/// The gathering as created. `unknown_gathering` if there is none.
pub(crate) fn stored_gathering(conn: &Connection, id: &str) -> Result<Gathering, StoreError> {
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

/// The gathering's current ledger, read from the file and checked: the latest snapshot and
/// the events after it, each applied with [`Ledger::try_apply`]; then every sequence number
/// from 1 to the version must be stored (an export replays to the same state) and the ledger
/// must pass [`Ledger::verify`] (an edited row cannot overbook it).
pub(crate) fn load_checked(conn: &Connection, id: &str) -> Result<Ledger, StoreError> {
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
    drop(rows);
    catch_up(conn, id, &mut ledger)?;
    check_sequence(conn, id, ledger.version())?;
    ledger
        .verify()
        .map_err(|e| StoreError::corrupt(id, "ledger", e.to_string()))?;
    Ok(ledger)
}

/// Applies the events stored after the ledger's version (another connection's writes).
pub(crate) fn catch_up(conn: &Connection, id: &str, ledger: &mut Ledger) -> Result<(), StoreError> {
    each_event(conn, id, ledger.version(), |recorded| {
        ledger
            .try_apply(&recorded)
            .map_err(|e| StoreError::corrupt(id, format!("event {}", recorded.seq), e.to_string()))
    })
}

/// Every sequence number from 1 to `version` is stored, and none after it. One indexed count;
/// only when it disagrees are the numbers read, to name the first one missing.
fn check_sequence(conn: &Connection, id: &str, version: u64) -> Result<(), StoreError> {
    let failed = |e| StoreError::database("checking the event sequence", e);
    let (count, max): (i64, i64) = conn
        .prepare_cached(
            "SELECT count(*), coalesce(max(seq), 0) FROM events WHERE gathering_id = ?1",
        )
        .map_err(failed)?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
        .map_err(failed)?;
    let version = seq_column(version);
    if count == version && max == version {
        return Ok(());
    }
    let mut statement = conn
        .prepare("SELECT seq FROM events WHERE gathering_id = ?1 ORDER BY seq")
        .map_err(failed)?;
    let mut rows = statement.query([id]).map_err(failed)?;
    let mut expected = 1;
    while let Some(row) = rows.next().map_err(failed)? {
        let found = integer(row, 0, id, "events")?;
        if found != expected {
            break;
        }
        expected += 1;
    }
    Err(StoreError::corrupt(
        id,
        "events",
        format!("sequence number {expected} is missing (the ledger is at version {version})"),
    ))
}

pub(crate) fn log_in(conn: &Connection, id: &str) -> Result<EventLog, StoreError> {
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

/// Reads the events after `version` in order, and hands each to `visit`. The sequence numbers
/// must follow on from `version` without a gap, else `corrupt_data` at the first out of place.
pub(crate) fn each_event(
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
    let version = version.min(alor_core::MAX_VERSION);
    let mut rows = statement
        .query(params![id, seq_column(version)])
        .map_err(failed)?;
    let mut expected = version + 1;
    while let Some(row) = rows.next().map_err(failed)? {
        let seq = seq(row, 0, id, "event")?;
        let location = format!("event {seq}");
        if seq != expected {
            return Err(StoreError::corrupt(
                id,
                location,
                format!("sequence number {expected} is missing"),
            ));
        }
        expected += 1;
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

pub(crate) fn append(
    tx: &Transaction<'_>,
    id: &str,
    events: &[Recorded],
) -> Result<(), StoreError> {
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
pub(crate) fn write_snapshot(tx: &Transaction<'_>, ledger: &Ledger) -> Result<(), StoreError> {
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

/// The version of the gathering's latest snapshot, 0 for none.
pub(crate) fn snapshot_version(conn: &Connection, id: &str) -> Result<u64, StoreError> {
    let version: Option<i64> = conn
        .prepare_cached("SELECT max(version) FROM snapshots WHERE gathering_id = ?1")
        .and_then(|mut s| s.query_row([id], |row| row.get(0)))
        .map_err(|e| StoreError::database("reading a snapshot", e))?;
    Ok(version.map_or(0, |v| v.max(0) as u64))
}

/// Whether the store's flag `key` is set (schema 2's `store_meta`).
pub(crate) fn flag(conn: &Connection, key: &str) -> Result<bool, StoreError> {
    conn.prepare_cached("SELECT value FROM store_meta WHERE key = ?1")
        .and_then(|mut s| s.query_row([key], |row| row.get::<_, i64>(0)).optional())
        .map(|v| v.unwrap_or(0) != 0)
        .map_err(|e| StoreError::database("reading the store's flags", e))
}

pub(crate) fn set_flag(conn: &Connection, key: &str, on: bool) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO store_meta (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .and_then(|mut s| s.execute(params![key, i64::from(on)]))
    .map(drop)
    .map_err(|e| StoreError::database("writing the store's flags", e))
}

pub(crate) fn event_json(event: &Event) -> String {
    serde_json::to_string(event).expect("events always serialise")
}

/// Sequence numbers and versions end at [`alor_core::MAX_VERSION`] (2^53 - 1), so they fit.
pub(crate) fn seq_column(seq: u64) -> i64 {
    i64::try_from(seq).expect("sequence numbers are below 2^53")
}

pub(crate) fn text(
    row: &Row<'_>,
    index: usize,
    id: &str,
    location: &str,
) -> Result<String, StoreError> {
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

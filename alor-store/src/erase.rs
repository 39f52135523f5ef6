//! Erasure that reaches the file, shredding by retention policy, and the checkpoint that makes
//! both complete even while other connections read.

use std::time::Duration;

use alor_core::{Command, Event, Ledger, Recorded, RegistrationId, Slug};
use chrono::{DateTime, Utc};
use rusqlite::{params, Transaction, TransactionBehavior};

use crate::rows::{self, append, log_in, seq_column};
use crate::{Store, StoreError, BUSY_TIMEOUT};

/// The `store_meta` flag of an erasure whose old bytes may still be in the write-ahead log.
pub(crate) const PENDING: &str = "erasure_pending";

/// How often, and how long each time, an erasure waits for readers to let the write-ahead log
/// be emptied before it reports [`ErasureStatus::Pending`] (readers of a command hold their
/// transaction for milliseconds; one that stays longer is not waited for).
const CHECKPOINT_TRIES: u32 = 3;
const CHECKPOINT_WAIT: Duration = Duration::from_millis(50);

/// Whether an erasure has reached every byte of the files yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErasureStatus {
    /// The rows are rewritten and the write-ahead log is emptied: no old copy is left in the
    /// database file or its log.
    Complete,
    /// The rows are rewritten (no read returns the old data), but a reader on another
    /// connection kept the write-ahead log from being emptied, so old copies may still be in
    /// it. The next write through any handle, or [`Store::checkpoint`], finishes it once the
    /// reader is done; [`Store::erasure_pending`] tells whether it has.
    Pending,
}

/// What [`Store::erase`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    /// The events the erasure recorded (`erased`, after any holds that were due).
    pub events: Vec<Recorded>,
    /// How many stored events had the person's data replaced by the core's placeholder.
    pub rewritten: usize,
    /// Whether the write-ahead log was checkpointed into the database file and emptied
    /// (the same as `status == ErasureStatus::Complete`).
    pub checkpointed: bool,
    /// Complete, or pending a checkpoint that a reader is holding up.
    pub status: ErasureStatus,
}

/// What [`Store::shred_due`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shredding {
    /// The gatherings whose personal data was shredded by this call (those due and not yet
    /// shredded), in id order.
    pub gatherings: Vec<Slug>,
    /// How many registrations were erased, over all of them.
    pub erased: usize,
    /// Complete, or pending a checkpoint that a reader is holding up (as for an erasure).
    pub status: ErasureStatus,
}

pub(crate) fn erase(
    store: &mut Store,
    id: &Slug,
    registration: RegistrationId,
    now: DateTime<Utc>,
) -> Result<Erasure, StoreError> {
    let (events, rewritten) = store.write_with(id, "erasing", |tx, ledger| {
        let events = ledger.execute(&Command::Erase { registration }, now, None)?;
        let rewritten = record_erasure(tx, ledger, &events)?;
        Ok((events, rewritten))
    })?;
    let status = finish(store)?;
    Ok(Erasure {
        events,
        rewritten,
        checkpointed: status == ErasureStatus::Complete,
        status,
    })
}

/// Shreds every gathering whose retention policy is due at `now`
/// ([`alor_core::Gathering::retention_due`]): each registration that still has contact
/// details is erased with the core's [`Command::Erase`], all of one gathering in one
/// transaction, and the stored events and snapshot are rewritten as for [`Store::erase`].
/// Statuses, organisations, roles and times stay, so the analytics counts do not change.
///
/// Idempotent (a shredded gathering has nobody left to erase), and a crash midway leaves each
/// gathering either shredded or untouched: calling it again finishes the job.
pub(crate) fn shred_due(store: &mut Store, now: DateTime<Utc>) -> Result<Shredding, StoreError> {
    let mut gatherings = Vec::new();
    let mut erased = 0;
    for id in store.gathering_ids()? {
        if !store.gathering(&id)?.retention_due(now) {
            continue;
        }
        let count = store.write_with(&id, "shredding", |tx, ledger| {
            let with_contact: Vec<RegistrationId> = ledger
                .registrations()
                .iter()
                .filter(|r| r.contact.is_some())
                .map(|r| r.id)
                .collect();
            let mut events = Vec::new();
            for (i, &registration) in with_contact.iter().enumerate() {
                match ledger.execute(&Command::Erase { registration }, now, None) {
                    Ok(recorded) => events.extend(recorded),
                    // The first refusal changed nothing; a later one would leave the handle's
                    // ledger ahead of the file, so it must not pass as a plain refusal.
                    Err(e) if i == 0 => return Err(e.into()),
                    Err(e) => {
                        return Err(StoreError::corrupt(
                            ledger.gathering().id.as_str(),
                            "ledger",
                            e.to_string(),
                        ))
                    }
                }
            }
            if !events.is_empty() {
                record_erasure(tx, ledger, &events)?;
            }
            Ok(with_contact.len())
        })?;
        if count > 0 {
            gatherings.push(id);
            erased += count;
        }
    }
    let status = if gatherings.is_empty() && !store.erasure_pending()? {
        ErasureStatus::Complete
    } else {
        finish(store)?
    };
    Ok(Shredding {
        gatherings,
        erased,
        status,
    })
}

/// Inside the erasing transaction: appends `events`, rewrites every stored event of each
/// registration erased so far with the core's placeholder, replaces the snapshots by one of
/// the erased state, and flags the erasure pending until a checkpoint empties the log.
fn record_erasure(
    tx: &Transaction<'_>,
    ledger: &Ledger,
    events: &[Recorded],
) -> Result<usize, StoreError> {
    let gathering = ledger.gathering().id.as_str();
    append(tx, gathering, events)?;
    let mut log = log_in(tx, gathering)?;
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
                        rows::event_json(&new.event)
                    ])
                    .map_err(failed)?;
            }
        }
    }
    debug_assert!(events
        .iter()
        .any(|r| matches!(r.event, Event::Erased { .. })));
    rows::write_snapshot(tx, ledger)?;
    rows::set_flag(tx, PENDING, true)?;
    Ok(rewritten)
}

/// After an erasure committed: empty the write-ahead log, waiting a little for readers.
fn finish(store: &Store) -> Result<ErasureStatus, StoreError> {
    for attempt in 0..CHECKPOINT_TRIES {
        if attempt > 0 {
            std::thread::sleep(CHECKPOINT_WAIT);
        }
        if checkpoint_and_finish(store)? {
            return Ok(ErasureStatus::Complete);
        }
    }
    Ok(ErasureStatus::Pending)
}

/// One truncating checkpoint that waits at most [`CHECKPOINT_WAIT`] for readers; when it
/// completes and an erasure was pending, clears the flag (and empties the log of that write
/// too). Returns whether the log was emptied.
pub(crate) fn checkpoint_and_finish(store: &Store) -> Result<bool, StoreError> {
    if !store.file {
        if rows::flag(&store.conn, PENDING)? {
            rows::set_flag(&store.conn, PENDING, false)?;
        }
        return Ok(true);
    }
    let done = truncate(store)?;
    if done && rows::flag(&store.conn, PENDING)? {
        let tx = Transaction::new_unchecked(&store.conn, TransactionBehavior::Immediate)
            .map_err(|e| StoreError::database("finishing an erasure", e))?;
        rows::set_flag(&tx, PENDING, false)?;
        rows::commit(tx)?;
        // The flag's own page is all this frame holds; empty the log of it too if we can.
        truncate(store)?;
    }
    Ok(done)
}

fn truncate(store: &Store) -> Result<bool, StoreError> {
    let failed = |e| StoreError::database("checkpointing", e);
    // A reader holding the log would otherwise keep this waiting for the whole busy timeout.
    store.conn.busy_timeout(CHECKPOINT_WAIT).map_err(failed)?;
    // Returns (busy, log frames, frames checkpointed); busy = 1 means it could not finish.
    let busy = store
        .conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
            row.get::<_, i64>(0)
        });
    store.conn.busy_timeout(BUSY_TIMEOUT).map_err(failed)?;
    Ok(busy.map_err(failed)? == 0)
}

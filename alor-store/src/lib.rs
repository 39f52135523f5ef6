//! # alor-store
//!
//! Persistence for [`alor_core`] ledgers in SQLite (compiled into this crate: nothing is needed
//! from the system). alor-core decides; this crate only stores what it decided, so every rule
//! still lives once, in the core.
//!
//! ## What it guarantees
//!
//! - **One transaction per command, at constant cost.** [`Store::execute`] brings the ledger
//!   the handle keeps in memory up to date with the events stored since (by other processes),
//!   lets the core decide, and appends the events inside one `BEGIN IMMEDIATE` transaction. Writers
//!   on other connections, threads or processes wait their turn (a busy timeout, not an error),
//!   so the last seat is never sold twice. A refused or failed command writes nothing.
//! - **Optimistic concurrency.** Pass the version you last saw; if someone wrote first you get
//!   the core's `conflict`, never a merge.
//! - **Checked loading.** [`Store::load`] starts from the latest snapshot and replays the events
//!   after it, each checked by [`Ledger::try_apply`](alor_core::Ledger::try_apply); then every
//!   sequence number up to the version must be present and the ledger must pass
//!   [`Ledger::verify`](alor_core::Ledger::verify). A bad row is `corrupt_data`, never a panic.
//! - **Retention.** A gathering's `retention_days` is its policy; [`Store::shred_due`] erases
//!   every gathering the core says is due, keeping the counts.
//! - **Erasure that reaches the file.** [`Store::erase`] rewrites the stored events and
//!   snapshots with the core's redaction; `secure_delete` zeroes the old bytes and the
//!   write-ahead log is truncated, so the name and e-mail address are gone from the disk. While
//!   another connection's reader holds the log, the erasure is [`ErasureStatus::Pending`] and
//!   the next write finishes it.
//! - **Errors with stable codes.** [`StoreError::code`] passes the core's codes through
//!   (`conflict`, `gathering_full`, …) and adds `unknown_gathering`, `gathering_exists`,
//!   `database`, `corrupt_data`, `unsupported_store_schema`, `not_an_alor_store`. No message
//!   holds personal data.
//!
//! ## Layout
//!
//! Three tables: `gatherings` (id, gathering JSON as created), `events` (gathering id, sequence
//! number, instant, event JSON; one row per event), `snapshots` (the latest state as JSON,
//! written by [`Store::compact`] every [`SNAPSHOT_INTERVAL`] events, never by a command) and
//! `store_meta` (flags). The layout's version is SQLite's `user_version`, the file is marked
//! with [`APPLICATION_ID`]; opening a file migrates it ([`STORE_SCHEMA_VERSION`]) after
//! checking, by reading only, that it is an alor store. Files run in WAL mode
//! with full syncs: a command that returned `Ok` survives a crash.
//!
//! ## Quick start
//!
//! ```
//! use alor_demo::rogaland_autumn_season;
//! use alor_core::{Actor, Command, PersonDraft};
//! use alor_store::Store;
//! use chrono::Duration;
//!
//! let gathering = rogaland_autumn_season().gathering;
//! let id = gathering.id.clone();
//! let now = gathering.policy.opens_at + Duration::minutes(1);
//!
//! let mut store = Store::open_in_memory()?; // Store::open("alor.sqlite3") for a file
//! store.create_gathering(&gathering)?;
//! assert_eq!(store.create_gathering(&gathering).unwrap_err().code(), "gathering_exists");
//!
//! let person = PersonDraft {
//!     name: "Åse Ødegård".into(),
//!     email: "ase@avinor.example".into(),
//!     organisation_name: "Avinor AS".into(),
//!     organisation_number: "985198292".into(),
//!     sector: "public".into(),
//!     role: "akan_contact".into(),
//!     ..PersonDraft::default()
//! }
//! .validate()
//! .map_err(|errors| errors[0])?;
//! let register = Command::Register { person, first_time: true, by: Actor::Participant };
//!
//! // Decided by the core, stored in one transaction; version 0 is what we last saw.
//! let events = store.execute(&id, &register, now, Some(0))?;
//! assert_eq!(events[0].seq, 1);
//!
//! // A writer that saw version 0 too is refused, and nothing is written.
//! let stale = store.execute(&id, &register, now, Some(0)).unwrap_err();
//! assert_eq!(stale.code(), "conflict");
//!
//! let ledger = store.load(&id)?;
//! assert_eq!((ledger.version(), ledger.counted_seats()), (1, 1));
//! assert_eq!(store.events_since(&id, 0)?, events);
//! # Ok::<(), alor_store::StoreError>(())
//! ```

#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod erase;
mod error;
mod rows;
mod schema;
mod store;

pub use erase::{Erasure, ErasureStatus, Shredding};
pub use error::StoreError;
pub use schema::{APPLICATION_ID, STORE_SCHEMA_VERSION};
pub use store::{Compaction, Store, BUSY_TIMEOUT, SNAPSHOT_INTERVAL};

//! The registration ledger of one gathering: a pure state machine.
//!
//! [`Ledger::decide`] takes the current state, a [`Command`] and the current instant and returns
//! the [`Recorded`] events that the command causes, or a [`LedgerError`]; it changes nothing.
//! [`Ledger::apply`] applies one of those events and never fails. [`Ledger::execute`] does both.
//! The state is always equal to the replay of its events ([`Ledger::replay`]).
//!
//! Every decision first lets time pass: holds that expired before `now` are expired at their own
//! expiry instant (and their seats offered on) before the command is looked at. So the outcome
//! does not depend on how promptly the host called [`Ledger::handle_timeout`].
//!
//! Where each job lives:
//!
//! | file | job |
//! |---|---|
//! | `registration.rs` | the nouns: [`RegistrationId`], [`Registration`], [`OrgCount`], the waitlist key |
//! | `command.rs`, `event.rs`, `status.rs`, `error.rs` | commands in, events out, statuses, refusals |
//! | `index.rs`, `email_index.rs` | what is derived from the registrations, kept up to date |
//! | `queries.rs` | read-only questions to a ledger |
//! | `admission.rs` | the one copy of the admission rule (shared with [`crate::check()`]) |
//! | `decide/` | deciding a command: the pending overlay and one file per command family |
//! | `apply.rs` | applying events, decided ones and (checked) stored ones |
//! | `restore.rs` | replay, event logs, snapshots, the invariant check |
//! | `data_problem.rs` | why stored data was refused: [`EventProblem`], [`SnapshotProblem`] |
//! | `erasure.rs` | redacting erased people from stored events |
//! | `journal.rs` | [`Journal`]: a ledger and the events it recorded, for hosts that keep both |

pub(crate) mod admission;
mod apply;
mod command;
mod data_problem;
mod decide;
mod email_index;
mod erasure;
mod error;
mod event;
mod index;
mod journal;
mod positions;
mod queries;
mod registration;
mod restore;
mod status;

use chrono::{DateTime, Utc};

pub use admission::WaitReason;
pub use command::{Actor, CancelReason, Command};
pub use data_problem::{EventProblem, SnapshotProblem};
pub use error::LedgerError;
pub use event::{Event, PromotionCause, Recorded};
pub use journal::Journal;
pub use registration::{OrgCount, Registration, RegistrationId};
pub use restore::{EventLog, Snapshot};
pub use status::Status;

use crate::model::Gathering;
use index::Index;

/// The schema version of snapshots and event logs this library reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The highest version (event sequence number) a ledger reaches: 2^53 - 1, the largest integer
/// JavaScript represents exactly, so versions cross into JS as plain numbers without loss.
pub const MAX_VERSION: u64 = (1 << 53) - 1;

/// The registrations of one gathering and the rules that govern them.
///
/// Defined here, at the root of the module, so that its private fields are visible to every
/// file of the ledger (queries, decisions, application, restore) and to nothing outside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    gathering: Gathering,
    version: u64,
    last_event_at: Option<DateTime<Utc>>,
    manually_closed: bool,
    registrations: Vec<Registration>,
    index: Index,
}

impl Ledger {
    /// A new, empty ledger for a gathering. Fails if the gathering's dates or policy are
    /// inconsistent.
    pub fn new(gathering: Gathering) -> Result<Self, crate::ValidationError> {
        gathering.validate()?;
        let gathering_cap = gathering.policy.max_per_organisation;
        Ok(Ledger {
            gathering,
            version: 0,
            last_event_at: None,
            manually_closed: false,
            registrations: Vec::new(),
            index: Index::new(gathering_cap),
        })
    }
}

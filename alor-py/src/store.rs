//! `alor.Store`: a handle on an SQLite file of gatherings and their events ([`alor_store::Store`]).
//! The wrapper keeps no state or rule of its own: the store decides with alor-core and writes.
//!
//! Thread safety: the handle is `frozen` and the store sits behind one `Mutex` (an SQLite
//! connection may move between threads but not be used by two at once). As in `alor.Ledger`,
//! every call converts its Python arguments first (with the GIL), then releases the GIL and
//! takes the lock for the SQLite work, and converts results back after letting go of it. So
//! threads can share a handle, and other Python threads run while one waits on the disk or on
//! another process's write lock. Processes each open their own handle on the same file.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use alor_core::{ArgumentProblem, Journal, Slug};
use alor_store::{ErasureStatus, Store};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyType};

use crate::convert::{from_utc, serde_to_py, to_str, to_uint, to_utc};
use crate::errors::{guarded, Area, Failure};
use crate::ledger::{
    events_to_py, parse_command, parse_expected, parse_gathering, registration_id, PyLedger,
};

/// Gatherings and their events in one SQLite file. See the `alor` module docs ("Store").
#[pyclass(frozen, module = "alor", name = "Store")]
pub struct PyStore {
    store: Mutex<Store>,
}

fn lock(store: &Mutex<Store>) -> Result<MutexGuard<'_, Store>, Failure> {
    // A panic while the lock was held may have left the handle's in-memory ledgers ahead of or
    // behind the file; refuse further use rather than guess (the file itself is transactional).
    store.lock().map_err(|_| {
        Failure::internal("internal_error: this store handle is unusable after an internal error")
    })
}

/// A path argument: `str` or any `os.PathLike` (`pathlib.Path`).
fn to_path(value: &Bound<'_, PyAny>) -> PyResult<PathBuf> {
    let py = value.py();
    let bad = || -> PyErr {
        Failure::new(
            Area::Validation,
            ArgumentProblem::WrongType.code(),
            "invalid_argument: path must be a str or os.PathLike naming a file",
        )
        .with_field("path")
        .into()
    };
    let fspath = py
        .import("os")?
        .getattr("fspath")?
        .call1((value,))
        .map_err(|_| bad())?;
    let text = fspath.cast::<PyString>().map_err(|_| bad())?;
    Ok(PathBuf::from(text.to_str().map_err(|_| bad())?))
}

fn parse_id(value: &Bound<'_, PyAny>) -> PyResult<Slug> {
    let text = to_str(value, "gathering_id", Area::Validation, "invalid_id")?;
    Slug::parse(&text).map_err(|problem| {
        Failure::from(alor_core::ValidationError::new(
            alor_core::Field::Id,
            problem,
        ))
        .with_field("gathering_id")
        .into()
    })
}

fn status(status: ErasureStatus) -> &'static str {
    match status {
        ErasureStatus::Complete => "complete",
        ErasureStatus::Pending => "pending",
    }
}

fn slugs<'py>(py: Python<'py>, ids: &[Slug]) -> PyResult<Bound<'py, PyList>> {
    PyList::new(py, ids.iter().map(Slug::as_str))
}

impl PyStore {
    /// Runs `f` on the store without the GIL, holding the lock only for `f`.
    fn with<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut Store) -> Result<T, Failure> + Send,
    ) -> PyResult<T> {
        py.detach(|| {
            let mut store = lock(&self.store)?;
            f(&mut store)
        })
        .map_err(PyErr::from)
    }

    fn opened(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let path = to_path(path)?;
        let store = py.detach(|| Store::open(&path)).map_err(Failure::from)?;
        Ok(PyStore {
            store: Mutex::new(store),
        })
    }
}

#[pymethods]
impl PyStore {
    /// Opens (or creates) the store file at `path` (WAL mode, full syncs) and migrates it. A
    /// file of another application is refused with `StoreError` `not_an_alor_store` and left
    /// unchanged.
    #[new]
    fn new(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        guarded(|| PyStore::opened(py, path))
    }

    /// The same as `Store(path)`.
    #[classmethod]
    fn open(_cls: &Bound<'_, PyType>, py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        guarded(|| PyStore::opened(py, path))
    }

    /// Stores a new gathering (a dict, as for `Ledger(gathering)`) with no events. An id
    /// stored already raises `StoreError` `gathering_exists`.
    fn create_gathering(&self, py: Python<'_>, gathering: &Bound<'_, PyAny>) -> PyResult<()> {
        guarded(|| {
            let gathering = parse_gathering(gathering)?;
            self.with(py, |s| Ok(s.create_gathering(&gathering)?))
        })
    }

    /// The ids of all stored gatherings, in order.
    fn gathering_ids<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        guarded(|| {
            let ids = self.with(py, |s| Ok(s.gathering_ids()?))?;
            slugs(py, &ids)
        })
    }

    /// The gathering as it was created, as a dict (the ledger's copy has the current capacity).
    fn gathering<'py>(
        &self,
        py: Python<'py>,
        gathering_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guarded(|| {
            let id = parse_id(gathering_id)?;
            let gathering = self.with(py, |s| Ok(s.gathering(&id)?))?;
            serde_to_py(py, &gathering)
        })
    }

    /// Decides a command against the stored gathering at the aware instant `at` and stores the
    /// events it records, in one transaction shared safely with every other handle and
    /// process; returns the events as dicts. With `expected_version`, a gathering someone else
    /// has written to since refuses with `LedgerError` `conflict`. A refused command writes
    /// nothing.
    #[pyo3(signature = (gathering_id, command, at, expected_version = None))]
    fn execute<'py>(
        &self,
        py: Python<'py>,
        gathering_id: &Bound<'py, PyAny>,
        command: &Bound<'py, PyAny>,
        at: &Bound<'py, PyAny>,
        expected_version: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        guarded(|| {
            let id = parse_id(gathering_id)?;
            let command = parse_command(command)?;
            let at = to_utc(at, "at")?;
            let expected = parse_expected(expected_version)?;
            let events = self.with(py, |s| Ok(s.execute(&id, &command, at, expected)?))?;
            events_to_py(py, &events)
        })
    }

    /// Lets time pass to `at` (expired holds free their seats) and stores the events.
    fn handle_timeout<'py>(
        &self,
        py: Python<'py>,
        gathering_id: &Bound<'py, PyAny>,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        guarded(|| {
            let id = parse_id(gathering_id)?;
            let at = to_utc(at, "at")?;
            let events = self.with(py, |s| Ok(s.handle_timeout(&id, at)?))?;
            events_to_py(py, &events)
        })
    }

    /// When time alone will next change the gathering (a hold expiring), or None.
    fn next_deadline<'py>(
        &self,
        py: Python<'py>,
        gathering_id: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        guarded(|| {
            let id = parse_id(gathering_id)?;
            let deadline = self.with(py, |s| Ok(s.next_deadline(&id)?))?;
            deadline.map(|d| from_utc(py, d)).transpose()
        })
    }

    /// The stored gathering as an `alor.Ledger` holding every event (a copy: commands on it are
    /// not stored). Read from the file and checked event by event.
    fn ledger(&self, py: Python<'_>, gathering_id: &Bound<'_, PyAny>) -> PyResult<PyLedger> {
        guarded(|| {
            let id = parse_id(gathering_id)?;
            let journal = self.with(py, |s| {
                let log = s.event_log(&id)?;
                Ok(Journal::from_log(&log)?)
            })?;
            Ok(PyLedger::from_journal(journal))
        })
    }

    /// The gathering's current state as snapshot JSON (as `Ledger.snapshot_json()`), loaded
    /// and checked.
    fn snapshot_json(&self, py: Python<'_>, gathering_id: &Bound<'_, PyAny>) -> PyResult<String> {
        guarded(|| {
            let id = parse_id(gathering_id)?;
            self.with(py, |s| Ok(s.load(&id)?.to_json()))
        })
    }

    /// What a sign-up page may know about the gathering, as a dict (counts only), as
    /// `Ledger.public_snapshot(at)`.
    #[pyo3(signature = (gathering_id, at = None))]
    fn public_snapshot<'py>(
        &self,
        py: Python<'py>,
        gathering_id: &Bound<'py, PyAny>,
        at: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guarded(|| {
            let id = parse_id(gathering_id)?;
            let at = at
                .filter(|a| !a.is_none())
                .map(|a| to_utc(a, "at"))
                .transpose()?;
            let snapshot = self.with(py, |s| {
                let ledger = s.load(&id)?;
                Ok(match at {
                    Some(at) => ledger.public_snapshot_at(at),
                    None => ledger.public_snapshot(),
                })
            })?;
            serde_to_py(py, &snapshot)
        })
    }

    /// The stored events after `version` (0 for all), in order, as dicts. A gap in the stored
    /// sequence raises `StoreError` `corrupt_data`, never a short answer.
    #[pyo3(signature = (gathering_id, version = None))]
    fn events_since<'py>(
        &self,
        py: Python<'py>,
        gathering_id: &Bound<'py, PyAny>,
        version: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        guarded(|| {
            let id = parse_id(gathering_id)?;
            let version = match version {
                Some(v) if !v.is_none() => to_uint(
                    v,
                    "version",
                    ArgumentProblem::Version.code(),
                    alor_core::MAX_VERSION,
                )?,
                _ => 0,
            };
            let events = self.with(py, |s| Ok(s.events_since(&id, version)?))?;
            events_to_py(py, &events)
        })
    }

    /// The gathering as created and every stored event, as event log JSON (what
    /// `Ledger.from_event_log_json` and `Dataset.from_event_logs` read).
    fn event_log_json(&self, py: Python<'_>, gathering_id: &Bound<'_, PyAny>) -> PyResult<String> {
        guarded(|| {
            let id = parse_id(gathering_id)?;
            self.with(py, |s| Ok(s.event_log(&id)?.to_json()))
        })
    }

    /// Erases a registration's personal data from the ledger and from the file. Returns a dict:
    /// `events` (recorded), `rewritten` (stored events redacted), `checkpointed` and `status`
    /// (`"complete"`, or `"pending"` while another connection's reader holds the write-ahead
    /// log; the next write or `checkpoint()` finishes it).
    fn erase<'py>(
        &self,
        py: Python<'py>,
        gathering_id: &Bound<'py, PyAny>,
        registration: &Bound<'py, PyAny>,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        guarded(|| {
            let id = parse_id(gathering_id)?;
            let registration = registration_id(registration)?;
            let at = to_utc(at, "at")?;
            let erasure = self.with(py, |s| Ok(s.erase(&id, registration, at)?))?;
            let out = PyDict::new(py);
            out.set_item("events", events_to_py(py, &erasure.events)?)?;
            out.set_item("rewritten", erasure.rewritten)?;
            out.set_item("checkpointed", erasure.checkpointed)?;
            out.set_item("status", status(erasure.status))?;
            Ok(out)
        })
    }

    /// Shreds the personal data of every gathering whose `retention_days` have passed at `now`
    /// (counts, organisations and statuses stay). Idempotent. Returns a dict: `gatherings`
    /// (ids shredded by this call), `erased` (registrations) and `status`.
    fn shred_due<'py>(
        &self,
        py: Python<'py>,
        now: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        guarded(|| {
            let now = to_utc(now, "now")?;
            let shredding = self.with(py, |s| Ok(s.shred_due(now)?))?;
            let out = PyDict::new(py);
            out.set_item("gatherings", slugs(py, &shredding.gatherings)?)?;
            out.set_item("erased", shredding.erased)?;
            out.set_item("status", status(shredding.status))?;
            Ok(out)
        })
    }

    /// Maintenance off the command path: new snapshots where due, then `checkpoint()`. Returns
    /// a dict: `snapshots` (gathering ids) and `checkpointed`.
    fn compact<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        guarded(|| {
            let compaction = self.with(py, |s| Ok(s.compact()?))?;
            let out = PyDict::new(py);
            out.set_item("snapshots", slugs(py, &compaction.snapshots)?)?;
            out.set_item("checkpointed", compaction.checkpointed)?;
            Ok(out)
        })
    }

    /// Copies the write-ahead log into the file and empties it; False if another
    /// connection's reader kept it from completing. Finishes a pending erasure.
    fn checkpoint(&self, py: Python<'_>) -> PyResult<bool> {
        guarded(|| self.with(py, |s| Ok(s.checkpoint()?)))
    }

    /// Whether an erasure or shredding still waits for a checkpoint to reach every byte.
    fn erasure_pending(&self, py: Python<'_>) -> PyResult<bool> {
        guarded(|| self.with(py, |s| Ok(s.erasure_pending()?)))
    }
}

//! `alor.Ledger`: a handle around one gathering's [`alor_core::Journal`] (the core's ledger plus
//! the events it recorded, with erased people's details redacted): the wrapper keeps no log or
//! rule of its own.
//!
//! Thread safety: the handle is `frozen` (no `&mut self`), and all state sits behind one
//! `Mutex`. Every call converts its Python arguments first (with the GIL), then releases the GIL
//! and takes the lock, does the core work, and lets go of the lock before converting results back
//! to Python. So the lock is never held while waiting for the GIL (no deadlock), each command is
//! decided and applied atomically (no lost or double seats), and other Python threads run while
//! a long call (replay, bulk export) works.

use std::sync::{Mutex, MutexGuard};

use alor_core::{
    ArgumentProblem, Command, DataError, Gathering, Journal, Ledger, Recorded, RegistrationId,
};
use chrono::{DateTime, Utc};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyType};
use serde::Deserialize;
use serde_json::Value;

use crate::arrow::{events_batch, registrations_batch, ArrowTable};
use crate::convert::{from_utc, serde_to_py, serde_to_py_direct, to_json, to_str, to_uint, to_utc};
use crate::errors::{guarded, Area, Failure};
use crate::pyde::PyInput;

/// The registrations of one gathering: commands in, events out. See the `alor` module docs.
#[pyclass(frozen, module = "alor", name = "Ledger")]
pub struct PyLedger {
    state: Mutex<Journal>,
}

fn lock(state: &Mutex<Journal>) -> Result<MutexGuard<'_, Journal>, Failure> {
    // A poisoned lock means a panic interrupted a change: the state may be half-applied, so the
    // handle refuses further use instead of guessing.
    state.lock().map_err(|_| {
        Failure::internal("internal_error: this ledger handle is unusable after an internal error")
    })
}

pub(crate) fn parse_gathering(value: &Bound<'_, PyAny>) -> PyResult<Gathering> {
    // Fast path: straight from the dict. Any failure re-runs the JSON path for the exact error.
    if let Ok(gathering) = Gathering::deserialize(PyInput::new(value)) {
        return Ok(gathering);
    }
    let json = to_json(value, "gathering")?;
    gathering_from_value(json).map_err(PyErr::from)
}

fn gathering_from_value(json: Value) -> Result<Gathering, Failure> {
    Gathering::deserialize(json)
        .map_err(|e| Failure::from(DataError::from_json(&e)).with_field("gathering"))
}

pub(crate) fn parse_command(value: &Bound<'_, PyAny>) -> PyResult<Command> {
    // Fast path: straight from the dict into the command. `Command::deserialize` accepts exactly
    // what `Command::from_value` accepts (a person is validated by its `try_from`, a label by its
    // own), and `PyInput` exactly what `to_json` does, so only errors need the old path, which
    // gives each its field-level code (`invalid_email`, ...) and its path.
    if let Ok(command) = Command::deserialize(PyInput::new(value)) {
        return Ok(command);
    }
    let json = to_json(value, "command")?;
    Command::from_value(json).map_err(|e| PyErr::from(Failure::from(e)))
}

pub(crate) fn parse_expected(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<u64>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => to_uint(
            v,
            "expected_version",
            ArgumentProblem::Version.code(),
            alor_core::MAX_VERSION,
        )
        .map(Some),
    }
}

fn parse_events(value: &Bound<'_, PyAny>) -> PyResult<Vec<Recorded>> {
    if value.is_instance_of::<PyList>() || value.is_instance_of::<pyo3::types::PyTuple>() {
        if let Ok(events) = Vec::<Recorded>::deserialize(PyInput::new(value)) {
            return Ok(events);
        }
    }
    let json = to_json(value, "events")?;
    let Value::Array(items) = json else {
        return Err(
            Failure::malformed("malformed_data: events must be a list of event dicts").into(),
        );
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            Recorded::deserialize(item).map_err(|e| {
                let DataError::Malformed { detail } = DataError::from_json(&e) else {
                    unreachable!("from_json always gives Malformed")
                };
                PyErr::from(Failure::malformed(format!(
                    "malformed_data: events[{i}]: {detail}"
                )))
            })
        })
        .collect()
}

pub(crate) fn events_to_py<'py>(
    py: Python<'py>,
    events: &[Recorded],
) -> PyResult<Bound<'py, PyList>> {
    let items = events
        .iter()
        .map(|event| serde_to_py_direct(py, event))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

pub(crate) fn registration_id(value: &Bound<'_, PyAny>) -> PyResult<RegistrationId> {
    let id = to_uint(
        value,
        "registration",
        ArgumentProblem::RegistrationId.code(),
        u64::from(u32::MAX),
    )?;
    Ok(RegistrationId(id as u32))
}

impl PyLedger {
    /// A handle around a journal the caller built.
    pub fn from_journal(journal: Journal) -> Self {
        PyLedger::from_state(journal)
    }

    fn from_state(state: Journal) -> Self {
        PyLedger {
            state: Mutex::new(state),
        }
    }

    /// Runs `f` on the state without the GIL, holding the lock only for `f`.
    fn with<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut Journal) -> Result<T, Failure> + Send,
    ) -> PyResult<T> {
        py.detach(|| {
            let mut state = lock(&self.state)?;
            f(&mut state)
        })
        .map_err(PyErr::from)
    }

    fn run(
        &self,
        py: Python<'_>,
        command: &Command,
        at: DateTime<Utc>,
        expected: Option<u64>,
        apply: bool,
    ) -> PyResult<Vec<Recorded>> {
        self.with(py, |state| {
            if apply {
                Ok(state.execute(command, at, expected)?)
            } else {
                Ok(state.decide(command, at, expected)?)
            }
        })
    }
}

#[pymethods]
impl PyLedger {
    /// A new, empty ledger for a gathering (a dict in the core's JSON shape; instants may be
    /// aware datetimes or RFC 3339 strings).
    #[new]
    fn new(gathering: &Bound<'_, PyAny>) -> PyResult<Self> {
        guarded(|| {
            let gathering = parse_gathering(gathering)?;
            let journal = Journal::new(gathering).map_err(Failure::from)?;
            Ok(PyLedger::from_state(journal))
        })
    }

    /// Decides and applies a command at the aware instant `at`; returns the recorded events.
    /// With `expected_version`, a ledger that has moved on refuses with code `conflict`.
    #[pyo3(signature = (command, at, expected_version = None))]
    fn execute<'py>(
        &self,
        py: Python<'py>,
        command: &Bound<'py, PyAny>,
        at: &Bound<'py, PyAny>,
        expected_version: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        guarded(|| {
            let command = parse_command(command)?;
            let at = to_utc(at, "at")?;
            let expected = parse_expected(expected_version)?;
            let events = self.run(py, &command, at, expected, true)?;
            events_to_py(py, &events)
        })
    }

    /// The events `command` would cause at `at`, without changing anything.
    #[pyo3(signature = (command, at, expected_version = None))]
    fn decide<'py>(
        &self,
        py: Python<'py>,
        command: &Bound<'py, PyAny>,
        at: &Bound<'py, PyAny>,
        expected_version: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        guarded(|| {
            let command = parse_command(command)?;
            let at = to_utc(at, "at")?;
            let expected = parse_expected(expected_version)?;
            let events = self.run(py, &command, at, expected, false)?;
            events_to_py(py, &events)
        })
    }

    /// Lets time pass to `at`: expires due holds and offers their seats on.
    fn handle_timeout<'py>(
        &self,
        py: Python<'py>,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        guarded(|| {
            let at = to_utc(at, "at")?;
            let events = self.run(py, &Command::HandleTimeout, at, None, true)?;
            events_to_py(py, &events)
        })
    }

    /// When time alone will next change something (a hold expiring), or None.
    fn next_deadline<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        guarded(|| {
            let deadline = self.with(py, |s| Ok(s.ledger().next_deadline()))?;
            deadline.map(|d| from_utc(py, d)).transpose()
        })
    }

    /// The events recorded after `version` (0 for all), as dicts. The handle keeps every event
    /// since it was created, replayed, or restored from a snapshot; older ones raise
    /// `DataError` with code `events_not_kept`.
    #[pyo3(signature = (version = None))]
    fn events_since<'py>(
        &self,
        py: Python<'py>,
        version: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        guarded(|| {
            let version = match version {
                Some(v) if !v.is_none() => to_uint(
                    v,
                    "version",
                    ArgumentProblem::Version.code(),
                    alor_core::MAX_VERSION,
                )?,
                _ => 0,
            };
            let events = self.with(py, |s| Ok(s.events_since(version)?.to_vec()))?;
            events_to_py(py, &events)
        })
    }

    /// The sequence number of the last event (0 before the first).
    #[getter]
    fn version(&self, py: Python<'_>) -> PyResult<u64> {
        guarded(|| self.with(py, |s| Ok(s.ledger().version())))
    }

    /// The current capacity.
    #[getter]
    fn capacity(&self, py: Python<'_>) -> PyResult<u32> {
        guarded(|| self.with(py, |s| Ok(s.ledger().capacity())))
    }

    /// Seats that count against capacity (confirmed, offered, attended, no-show).
    #[getter]
    fn counted_seats(&self, py: Python<'_>) -> PyResult<u32> {
        guarded(|| self.with(py, |s| Ok(s.ledger().counted_seats())))
    }

    /// Seats not taken.
    #[getter]
    fn free_seats(&self, py: Python<'_>) -> PyResult<u32> {
        guarded(|| self.with(py, |s| Ok(s.ledger().free_seats())))
    }

    /// Counted seats granted by an organiser's override beyond capacity.
    #[getter]
    fn overridden_seats(&self, py: Python<'_>) -> PyResult<u32> {
        guarded(|| self.with(py, |s| Ok(s.ledger().overridden_seats())))
    }

    /// How many are waitlisted.
    #[getter]
    fn waitlist_len(&self, py: Python<'_>) -> PyResult<usize> {
        guarded(|| self.with(py, |s| Ok(s.ledger().waitlist_len())))
    }

    /// Whether an organiser has closed registration.
    #[getter]
    fn manually_closed(&self, py: Python<'_>) -> PyResult<bool> {
        guarded(|| self.with(py, |s| Ok(s.ledger().manually_closed())))
    }

    /// Whether participants can sign up at `at`.
    fn is_open(&self, py: Python<'_>, at: &Bound<'_, PyAny>) -> PyResult<bool> {
        guarded(|| {
            let at = to_utc(at, "at")?;
            self.with(py, |s| Ok(s.ledger().is_open(at)))
        })
    }

    /// The gathering, with its current capacity, as a dict.
    fn gathering<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guarded(|| {
            let gathering = self.with(py, |s| Ok(s.ledger().gathering().clone()))?;
            serde_to_py(py, &gathering)
        })
    }

    /// All registrations, in id order, as dicts (with contact details; `contact` is None once
    /// erased).
    fn registrations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        guarded(|| {
            let regs = self.with(py, |s| Ok(s.ledger().registrations().to_vec()))?;
            let list = PyList::empty(py);
            for reg in &regs {
                list.append(serde_to_py(py, reg)?)?;
            }
            Ok(list)
        })
    }

    /// One registration as a dict, or None.
    fn registration<'py>(
        &self,
        py: Python<'py>,
        registration: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        guarded(|| {
            let id = registration_id(registration)?;
            let reg = self.with(py, |s| Ok(s.ledger().registration(id).cloned()))?;
            reg.map(|r| serde_to_py(py, &r)).transpose()
        })
    }

    /// The waitlist in the order it is served, as registration dicts.
    fn waitlist<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        guarded(|| {
            let regs = self.with(py, |s| {
                Ok(s.ledger().waitlist().cloned().collect::<Vec<_>>())
            })?;
            let list = PyList::empty(py);
            for reg in &regs {
                list.append(serde_to_py(py, reg)?)?;
            }
            Ok(list)
        })
    }

    /// 1-based place on the waitlist, or None if not waitlisted.
    fn waitlist_position(
        &self,
        py: Python<'_>,
        registration: &Bound<'_, PyAny>,
    ) -> PyResult<Option<usize>> {
        guarded(|| {
            let id = registration_id(registration)?;
            self.with(py, |s| Ok(s.ledger().waitlist_position(id)))
        })
    }

    /// Counted seats and active registrations per organisation number.
    fn organisation_counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        guarded(|| {
            let counts = self.with(py, |s| {
                Ok(s.ledger()
                    .organisation_counts()
                    .map(|(n, c)| (n.to_string(), c))
                    .collect::<Vec<_>>())
            })?;
            let dict = PyDict::new(py);
            for (number, count) in counts {
                dict.set_item(number, serde_to_py(py, &count)?)?;
            }
            Ok(dict)
        })
    }

    /// Checks the ledger's invariants; raises `DataError` (`inconsistent_snapshot`) if broken.
    fn verify(&self, py: Python<'_>) -> PyResult<()> {
        guarded(|| self.with(py, |s| Ok(s.ledger().verify()?)))
    }

    /// The complete state as JSON (schema-versioned).
    fn snapshot_json(&self, py: Python<'_>) -> PyResult<String> {
        guarded(|| self.with(py, |s| Ok(s.ledger().to_json())))
    }

    /// Restores a ledger from `snapshot_json()` output. Events before the snapshot are not kept.
    #[classmethod]
    fn from_snapshot_json(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        json: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        guarded(|| {
            let json = to_str(json, "json", Area::Data, "malformed_data")?;
            let ledger = py
                .detach(|| Ledger::from_json(&json))
                .map_err(Failure::from)?;
            Ok(PyLedger::from_state(Journal::from_ledger(ledger)))
        })
    }

    /// The gathering as created and every event, as JSON (the core's `EventLog`).
    fn event_log_json(&self, py: Python<'_>) -> PyResult<String> {
        guarded(|| self.with(py, |s| Ok(s.to_json()?)))
    }

    /// Rebuilds a ledger from `event_log_json()` output, checking every event. Runs without
    /// the GIL.
    #[classmethod]
    fn from_event_log_json(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        json: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        guarded(|| {
            let json = to_str(json, "json", Area::Data, "malformed_data")?;
            let state = py
                .detach(|| Journal::from_json(&json))
                .map_err(Failure::from)?;
            Ok(PyLedger::from_state(state))
        })
    }

    /// Rebuilds a ledger from the gathering as created and its events (dicts, e.g. from
    /// `events_since(0)`), checking every event. The replay itself runs without the GIL.
    #[classmethod]
    fn replay(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        gathering: &Bound<'_, PyAny>,
        events: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        guarded(|| {
            let gathering = parse_gathering(gathering)?;
            let events = parse_events(events)?;
            let state = py
                .detach(|| Journal::replay(gathering, events))
                .map_err(Failure::from)?;
            Ok(PyLedger::from_state(state))
        })
    }

    /// The kept events as an Arrow table (no personal data). Built without the GIL.
    fn events_arrow(&self, py: Python<'_>) -> PyResult<ArrowTable> {
        guarded(|| {
            let batch = self.with(py, |s| events_batch(s.ledger().gathering(), s.events()))?;
            Ok(ArrowTable::new(batch))
        })
    }

    /// The registrations as an Arrow table (no personal data). Built without the GIL.
    fn registrations_arrow(&self, py: Python<'_>) -> PyResult<ArrowTable> {
        guarded(|| {
            let batch = self.with(py, |s| registrations_batch(s.ledger()))?;
            Ok(ArrowTable::new(batch))
        })
    }

    /// What a sign-up page may know about the gathering, as a dict (counts only, no personal
    /// data): with `at`, the state as it is then (holds that ran out by `at` expired), exactly
    /// what the page module's check predicts from.
    #[pyo3(signature = (at = None))]
    fn public_snapshot<'py>(
        &self,
        py: Python<'py>,
        at: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guarded(|| {
            let at = at
                .filter(|a| !a.is_none())
                .map(|a| to_utc(a, "at"))
                .transpose()?;
            let snapshot = self.with(py, |s| {
                Ok(match at {
                    Some(at) => s.ledger().public_snapshot_at(at),
                    None => s.ledger().public_snapshot(),
                })
            })?;
            serde_to_py(py, &snapshot)
        })
    }

    /// The public snapshot as JSON text (what a server publishes for pages).
    #[pyo3(signature = (at = None))]
    fn public_snapshot_json(
        &self,
        py: Python<'_>,
        at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        guarded(|| {
            let at = at
                .filter(|a| !a.is_none())
                .map(|a| to_utc(a, "at"))
                .transpose()?;
            self.with(py, |s| {
                let snapshot = match at {
                    Some(at) => s.ledger().public_snapshot_at(at),
                    None => s.ledger().public_snapshot(),
                };
                serde_json::to_string(&snapshot)
                    .map_err(|_| Failure::internal("internal_error: a snapshot did not serialise"))
            })
        })
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        guarded(|| {
            self.with(py, |s| {
                let l = s.ledger();
                Ok(format!(
                    "Ledger(gathering={:?}, version={}, counted_seats={}, capacity={}, waitlisted={})",
                    l.gathering().id.as_str(),
                    l.version(),
                    l.counted_seats(),
                    l.capacity(),
                    l.waitlist_len()
                ))
            })
        })
    }
}

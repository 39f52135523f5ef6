//! The sign-up checks from Python: `check`, `Checker`, `role_choices`, `sector_choices` — the
//! same core calls the page module makes, so a Python back end and a browser give one answer.

use alor_core::{ArgumentError, ArgumentProblem, Locale, PublicSnapshot, Role, Sector};
use chrono::{DateTime, Utc};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use serde::Deserialize;

use crate::convert::{serde_to_py, to_json, to_utc};
use crate::errors::{guarded, Failure};

/// A locale argument: a name the core's `Locale::parse` accepts (`nb`, `en`, `no`, …).
pub fn locale(value: Option<&Bound<'_, PyAny>>) -> PyResult<Locale> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(Locale::default());
    };
    value
        .cast::<PyString>()
        .ok()
        .and_then(|s| s.to_str().ok().and_then(Locale::parse))
        .ok_or_else(|| Failure::from(ArgumentError::new("locale", ArgumentProblem::Locale)).into())
}

/// A public snapshot: a dict in the core's shape, or its JSON text; checked by the core.
fn snapshot_of(value: &Bound<'_, PyAny>) -> PyResult<PublicSnapshot> {
    let snapshot = match value.cast::<PyString>() {
        Ok(text) => {
            let text = text.to_str().map_err(|_| {
                Failure::malformed("malformed_data: snapshot must be valid Unicode")
            })?;
            serde_json::from_str(text).map_err(|e| alor_core::DataError::from_json(&e))
        }
        Err(_) => PublicSnapshot::deserialize(to_json(value, "snapshot")?)
            .map_err(|e| alor_core::DataError::from_json(&e)),
    }
    .map_err(|e| Failure::from(e).with_field("snapshot"))?;
    snapshot
        .validate()
        .map_err(|e| Failure::from(e).with_field("snapshot"))?;
    Ok(snapshot)
}

fn now_or_clock(py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<DateTime<Utc>> {
    match now.filter(|n| !n.is_none()) {
        Some(now) => to_utc(now, "now"),
        // The core never reads a clock; the binding does, as the page module does in JS.
        None => {
            let datetime = py.import("datetime")?;
            let utc = datetime.getattr("timezone")?.getattr("utc")?;
            let now = datetime.getattr("datetime")?.call_method1("now", (utc,))?;
            to_utc(&now, "now")
        }
    }
}

fn run_check<'py>(
    py: Python<'py>,
    snapshot: &PublicSnapshot,
    draft: &Bound<'py, PyAny>,
    now: Option<&Bound<'py, PyAny>>,
    first_time: bool,
    locale_name: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let draft = crate::draft_of(draft)?;
    let now = now_or_clock(py, now)?;
    let locale = locale(locale_name)?;
    let result = alor_core::check(snapshot, &draft, first_time, now, locale);
    serde_to_py(py, &result)
}

/// Checks a sign-up form against a gathering's public snapshot: every field problem and the
/// predicted outcome (seat, waitlist place, refusal), with messages in the locale.
#[pyfunction]
#[pyo3(signature = (snapshot, draft, *, now = None, first_time = false, locale = None))]
pub fn check<'py>(
    py: Python<'py>,
    snapshot: &Bound<'py, PyAny>,
    draft: &Bound<'py, PyAny>,
    now: Option<&Bound<'py, PyAny>>,
    first_time: bool,
    locale: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(|| run_check(py, &snapshot_of(snapshot)?, draft, now, first_time, locale))
}

/// A checker holding one parsed snapshot, for checking many forms against it.
#[pyclass(frozen, module = "alor", name = "Checker")]
pub struct PyChecker {
    snapshot: PublicSnapshot,
}

#[pymethods]
impl PyChecker {
    /// Parses and checks the snapshot once (a dict or JSON text).
    #[new]
    fn new(snapshot: &Bound<'_, PyAny>) -> PyResult<Self> {
        guarded(|| {
            Ok(PyChecker {
                snapshot: snapshot_of(snapshot)?,
            })
        })
    }

    /// Same as the module's `check`, with this checker's snapshot.
    #[pyo3(signature = (draft, *, now = None, first_time = false, locale = None))]
    fn check<'py>(
        &self,
        py: Python<'py>,
        draft: &Bound<'py, PyAny>,
        now: Option<&Bound<'py, PyAny>>,
        first_time: bool,
        locale: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guarded(|| run_check(py, &self.snapshot, draft, now, first_time, locale))
    }

    /// The snapshot, as a dict.
    #[getter]
    fn snapshot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guarded(|| serde_to_py(py, &self.snapshot))
    }
}

fn choices<'py>(
    py: Python<'py>,
    items: impl Iterator<Item = (&'static str, &'static str)>,
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for (value, label) in items {
        let item = PyDict::new(py);
        item.set_item("value", value)?;
        item.set_item("label", label)?;
        list.append(item)?;
    }
    Ok(list)
}

/// The roles a participant can choose, as `{"value", "label"}` dicts in the locale.
#[pyfunction]
#[pyo3(signature = (locale = None))]
pub fn role_choices<'py>(
    py: Python<'py>,
    locale: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    guarded(|| {
        let locale = self::locale(locale)?;
        choices(py, Role::ALL.iter().map(|r| (r.as_str(), r.label(locale))))
    })
}

/// The sectors, as `{"value", "label"}` dicts in the locale.
#[pyfunction]
#[pyo3(signature = (locale = None))]
pub fn sector_choices<'py>(
    py: Python<'py>,
    locale: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    guarded(|| {
        let locale = self::locale(locale)?;
        choices(
            py,
            Sector::ALL.iter().map(|s| (s.as_str(), s.label(locale))),
        )
    })
}

//! Python bindings of alor-core: the extension module `alor._alor`, wrapped by the Python
//! package `alor` (see `python/alor/__init__.py` for the user-facing documentation).
//!
//! Thin on purpose: arguments are converted at the boundary (dicts ⇄ the core's serde types,
//! aware datetimes ⇄ UTC instants), every rule is applied by alor-core, and every error is
//! mapped to a Python exception in one place (`errors`). Every entry point runs inside
//! `errors::guarded`, so a Rust panic surfaces as `alor.InternalError`, never as
//! `PanicException`.

mod analytics;
mod arrow;
mod check;
mod convert;
mod errors;
mod ledger;
mod pyde;
mod pyser;
mod store;
mod time;

use alor_core::{OrgNumber, PersonDraft};
use pyo3::prelude::*;
use pyo3::types::PyList;
use serde::Deserialize;

use crate::convert::{serde_to_py, to_json, to_str};
use crate::errors::{guarded, Area, Failure};

/// Validates a Norwegian organisation number (nine digits, MOD11 check digit; spaces between
/// groups allowed) and returns it normalised to nine digits.
#[pyfunction]
fn validate_org_number(number: &Bound<'_, PyAny>) -> PyResult<String> {
    guarded(|| {
        let text = to_str(
            number,
            "organisation_number",
            Area::Validation,
            "invalid_organisation_number",
        )?;
        OrgNumber::parse(&text)
            .map(|n| n.to_string())
            .map_err(|problem| {
                Failure::from(alor_core::ValidationError::new(
                    alor_core::Field::OrganisationNumber,
                    problem,
                ))
                .into()
            })
    })
}

pub(crate) fn draft_of(draft: &Bound<'_, PyAny>) -> PyResult<PersonDraft> {
    let json = to_json(draft, "draft")?;
    if !json.is_object() {
        return Err(Failure::malformed("malformed_data: draft must be a dict").into());
    }
    PersonDraft::deserialize(json)
        .map_err(|e| Failure::from(alor_core::DataError::from_json(&e)).into())
}

/// Validates a sign-up form (a dict of strings: name, email, phone, organisation_name,
/// organisation_number, sector, industry, role) and returns the person as a dict in the shape a
/// `register` command takes. Raises `ValidationError` whose `errors` lists every bad field.
#[pyfunction]
fn validate_person<'py>(py: Python<'py>, draft: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    guarded(|| {
        let draft = draft_of(draft)?;
        match draft.validate() {
            Ok(person) => serde_to_py(py, &person),
            Err(errors) => Err(Failure::from_field_errors(&errors).into()),
        }
    })
}

/// Every field error of a sign-up form, in form order, as dicts with `field`, `code` and
/// `problem`; empty when the form is valid.
#[pyfunction]
fn person_errors<'py>(py: Python<'py>, draft: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    guarded(|| {
        let draft = draft_of(draft)?;
        let list = PyList::empty(py);
        if let Err(errors) = draft.validate() {
            for e in errors {
                let item = pyo3::types::PyDict::new(py);
                item.set_item("field", e.field.as_str())?;
                item.set_item("code", e.code())?;
                item.set_item("problem", e.problem.code())?;
                list.append(item)?;
            }
        }
        Ok(list)
    })
}

/// Validates a gathering dict (dates, policy) and returns it normalised.
#[pyfunction]
fn validate_gathering<'py>(
    py: Python<'py>,
    gathering: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(|| {
        let json = to_json(gathering, "gathering")?;
        let gathering = alor_core::Gathering::deserialize(json)
            .map_err(|e| Failure::from(alor_core::DataError::from_json(&e)))?;
        gathering.validate().map_err(Failure::from)?;
        serde_to_py(py, &gathering)
    })
}

/// The demo season (`alor_demo::rogaland_autumn_season`) as dicts: network, gathering
/// and the time-ordered steps (`at`, `command`, `note`, `expected_error`).
#[pyfunction]
fn demo_rogaland_autumn_season(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    guarded(|| serde_to_py(py, &alor_demo::rogaland_autumn_season()))
}

/// Plays the demo season with the one loop (`alor_demo::play`), up to `until` (an aware
/// datetime) or to the end: a dict with the `ledger` it leaves, the `timeline` (seats, waitlist
/// and capacity after each change) and the codes of the `refused` steps, in order.
#[pyfunction]
#[pyo3(signature = (until = None))]
fn demo_play_season<'py>(
    py: Python<'py>,
    until: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
    guarded(|| {
        let until = until
            .filter(|u| !u.is_none())
            .map(|u| convert::to_utc(u, "until"))
            .transpose()?;
        let season = alor_demo::rogaland_autumn_season();
        let played = py
            .detach(|| alor_demo::play(&season, until))
            .map_err(|e| match e {
                alor_demo::PlayError::Core(e) => Failure::from(e),
                e => Failure::internal(format!("internal_error: {e}")),
            })?;
        let refused: Vec<&'static str> = played
            .player
            .records()
            .iter()
            .filter_map(|r| match r {
                alor_demo::Record::Step { result: Err(e), .. } => Some(e.code()),
                _ => None,
            })
            .collect();
        let out = pyo3::types::PyDict::new(py);
        out.set_item("timeline", serde_to_py(py, &played.player.timeline())?)?;
        out.set_item("refused", refused)?;
        let journal = played.player.journal().clone();
        out.set_item("ledger", ledger::PyLedger::from_journal(journal))?;
        Ok(out)
    })
}

/// Every error code by area, read from the crates that define them (never copied): the core's
/// areas, `analytics`, and the store's own codes (`store`; the codes it passes through from the
/// core are listed under their core areas).
fn error_codes(py: Python<'_>) -> PyResult<Bound<'_, pyo3::types::PyDict>> {
    let codes = pyo3::types::PyDict::new(py);
    for area in alor_core::ERROR_AREAS {
        codes.set_item(area.name, area.codes.to_vec())?;
    }
    codes.set_item("analytics", alor_analytics::AnalyticsError::CODES.to_vec())?;
    codes.set_item("store", alor_store::StoreError::OWN_CODES.to_vec())?;
    Ok(codes)
}

/// Test hook: panics inside the guard, to prove a panic becomes `alor.InternalError`.
#[pyfunction]
fn _panic_for_test() -> PyResult<()> {
    guarded(|| panic!("deliberate panic to test the panic guard"))
}

#[pymodule]
fn _alor(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ledger::PyLedger>()?;
    m.add_class::<arrow::ArrowTable>()?;
    m.add_class::<store::PyStore>()?;
    analytics::register(m)?;
    m.add_function(wrap_pyfunction!(validate_org_number, m)?)?;
    m.add_function(wrap_pyfunction!(validate_person, m)?)?;
    m.add_function(wrap_pyfunction!(person_errors, m)?)?;
    m.add_function(wrap_pyfunction!(validate_gathering, m)?)?;
    m.add_function(wrap_pyfunction!(demo_rogaland_autumn_season, m)?)?;
    m.add_function(wrap_pyfunction!(demo_play_season, m)?)?;
    m.add_function(wrap_pyfunction!(time::to_oslo_local, m)?)?;
    m.add_function(wrap_pyfunction!(time::from_oslo_local, m)?)?;
    m.add_class::<check::PyChecker>()?;
    m.add_function(wrap_pyfunction!(check::check, m)?)?;
    m.add_function(wrap_pyfunction!(check::role_choices, m)?)?;
    m.add_function(wrap_pyfunction!(check::sector_choices, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    m.add("SCHEMA_VERSION", alor_core::SCHEMA_VERSION)?;
    m.add("MAX_VERSION", alor_core::MAX_VERSION)?;
    m.add("LEDGER_ERROR_CODES", alor_core::LedgerError::CODES.to_vec())?;
    m.add("ERROR_CODES", error_codes(m.py())?)?;
    m.add("COMMAND_TYPES", alor_core::Command::TYPES.to_vec())?;
    m.add("EVENT_TYPES", alor_core::Event::TYPES.to_vec())?;
    let locales: Vec<&str> = alor_core::Locale::ALL.iter().map(|l| l.as_str()).collect();
    m.add("LOCALES", locales)?;
    Ok(())
}

//! The one place where errors become Python exceptions.
//!
//! Every failure of the bindings is a [`Failure`]: an error *area* (which picks the exception
//! class), a stable `code`, optionally the `field` it is about, and a message that never holds
//! personal data. Core errors map by [`alor_core::Error::area`] and [`alor_core::Error::code`];
//! the few binding-level failures (a naive datetime, a value Python cannot hand to JSON, a caught
//! panic) get codes of their own, listed in the module docstring of `alor`.
//!
//! The exception classes are defined in Python (`alor/_errors.py`) so they are plain, documented,
//! picklable Python classes; this module only looks them up and instantiates them.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};

/// Which exception class a failure becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// `alor.ValidationError`: a bad input value.
    Validation,
    /// `alor.LedgerError`: a command the ledger refuses.
    Ledger,
    /// `alor.DataError`: data (JSON, events, snapshots, dicts) that cannot be read.
    Data,
    /// `alor.InternalError`: a bug in alor (a caught panic). Never expected.
    Internal,
    /// `alor.AnalyticsError`: participation analytics (bad input rows, privacy settings).
    Analytics,
    /// `alor.StoreError`: the store's own failures (`StoreError::OWN_CODES`: an unknown
    /// gathering, SQLite, a corrupt or foreign file).
    Store,
}

/// One field-level problem, as reported by person validation.
#[derive(Debug, Clone)]
pub struct FieldProblem {
    pub field: &'static str,
    pub code: &'static str,
    pub problem: &'static str,
}

/// One bad cell of analytics input: where it is, never its value.
#[derive(Debug, Clone)]
pub struct RowProblem {
    pub row: usize,
    pub column: String,
    pub problem: &'static str,
}

/// A failure of an alor call, not yet turned into a Python exception. `Send`, so it can leave a
/// closure that ran without the GIL.
#[derive(Debug, Clone)]
pub struct Failure {
    pub area: Area,
    pub code: &'static str,
    pub field: Option<String>,
    pub message: String,
    pub errors: Vec<FieldProblem>,
    /// For [`Area::Analytics`]: the bad cells of the input.
    pub rows: Vec<RowProblem>,
}

impl Failure {
    pub fn new(area: Area, code: &'static str, message: impl Into<String>) -> Self {
        Failure {
            area,
            code,
            field: None,
            message: message.into(),
            errors: Vec::new(),
            rows: Vec::new(),
        }
    }

    pub fn with_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_owned());
        self
    }

    /// Data that cannot be read (`malformed_data`), with a message that names the place and the
    /// shape, never the value.
    pub fn malformed(message: impl Into<String>) -> Self {
        Failure::new(Area::Data, "malformed_data", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Failure::new(Area::Internal, "internal_error", message)
    }

    /// All field errors of a person draft; the exception's `code`/`field` are the first one's.
    pub fn from_field_errors(errors: &[alor_core::ValidationError]) -> Self {
        let problems: Vec<FieldProblem> = errors
            .iter()
            .map(|e| FieldProblem {
                field: e.field.as_str(),
                code: e.code(),
                problem: e.problem.code(),
            })
            .collect();
        let message = errors
            .iter()
            .map(|e| format!("{}: {e}", e.code()))
            .collect::<Vec<_>>()
            .join("; ");
        let mut failure = match errors.first() {
            Some(first) => Failure::from(alor_core::Error::from(*first)),
            None => Failure::new(Area::Validation, "invalid", "invalid input"),
        };
        failure.message = message;
        failure.errors = problems;
        failure
    }
}

/// The mapping from the core's error areas. Keep it the only one.
impl From<alor_core::Error> for Failure {
    fn from(error: alor_core::Error) -> Self {
        let area = match error.area() {
            // A bad argument is a bad input value to a Python caller: `alor.ValidationError`.
            "validation" | "argument" => Area::Validation,
            "ledger" => Area::Ledger,
            "data" => Area::Data,
            _ => Area::Internal,
        };
        let code = error.code();
        let mut failure = Failure::new(area, code, format!("{code}: {error}"));
        if let alor_core::Error::Validation(v) = &error {
            failure.field = Some(v.field.as_str().to_owned());
            failure.errors = vec![FieldProblem {
                field: v.field.as_str(),
                code,
                problem: v.problem.code(),
            }];
        }
        failure
    }
}

impl From<alor_core::LedgerError> for Failure {
    fn from(error: alor_core::LedgerError) -> Self {
        alor_core::Error::from(error).into()
    }
}

impl From<alor_core::DataError> for Failure {
    fn from(error: alor_core::DataError) -> Self {
        alor_core::Error::from(error).into()
    }
}

impl From<alor_core::ArgumentError> for Failure {
    fn from(error: alor_core::ArgumentError) -> Self {
        let field = error.argument.clone();
        Failure::from(alor_core::Error::from(error)).with_field(&field)
    }
}

/// Analytics errors. A log that cannot be read keeps the core's own class (`DataError`), and an
/// unknown report name is a bad argument (`ValidationError` on field `report`), as a bad locale.
impl From<alor_analytics::AnalyticsError> for Failure {
    fn from(error: alor_analytics::AnalyticsError) -> Self {
        use alor_analytics::AnalyticsError as E;
        let code = error.code();
        match error {
            E::Core(e) => Failure::from(e),
            e @ E::InvalidReport => {
                Failure::new(Area::Validation, code, format!("{code}: {e}")).with_field("report")
            }
            e => {
                let mut failure = Failure::new(Area::Analytics, code, format!("{code}: {e}"));
                if let E::InvalidRows { errors, .. } = &e {
                    failure.rows = errors
                        .iter()
                        .map(|r| RowProblem {
                            row: r.row,
                            column: r.column.clone(),
                            problem: r.problem.code(),
                        })
                        .collect();
                }
                failure
            }
        }
    }
}

/// Store errors. What the store passes through from the core (a refused command, an invalid
/// gathering) keeps the core's class (`LedgerError`, `ValidationError`); the store's own codes
/// are `StoreError`. The store's messages name ids, sequence numbers and SQLite result codes,
/// never personal data.
impl From<alor_store::StoreError> for Failure {
    fn from(error: alor_store::StoreError) -> Self {
        use alor_store::StoreError as E;
        match error {
            E::Ledger(e) => Failure::from(e),
            E::Validation(e) => Failure::from(e),
            e => {
                let code = e.code();
                Failure::new(Area::Store, code, format!("{code}: {e}"))
            }
        }
    }
}

impl From<alor_core::ValidationError> for Failure {
    fn from(error: alor_core::ValidationError) -> Self {
        alor_core::Error::from(error).into()
    }
}

static CLASSES: PyOnceLock<[Py<PyType>; 6]> = PyOnceLock::new();

pub(crate) fn class_for(py: Python<'_>, area: Area) -> PyResult<Bound<'_, PyType>> {
    let classes = CLASSES.get_or_try_init(py, || -> PyResult<_> {
        let module = py.import("alor._errors")?;
        let get = |name: &str| -> PyResult<Py<PyType>> {
            Ok(module.getattr(name)?.cast_into::<PyType>()?.unbind())
        };
        Ok([
            get("ValidationError")?,
            get("LedgerError")?,
            get("DataError")?,
            get("InternalError")?,
            get("AnalyticsError")?,
            get("StoreError")?,
        ])
    })?;
    let index = match area {
        Area::Validation => 0,
        Area::Ledger => 1,
        Area::Data => 2,
        Area::Internal => 3,
        Area::Analytics => 4,
        Area::Store => 5,
    };
    Ok(classes[index].bind(py).clone())
}

impl Failure {
    /// The Python exception. Only fails if `alor._errors` cannot be imported, which would be a
    /// broken installation; then a `RuntimeError` says so.
    pub fn into_pyerr(self, py: Python<'_>) -> PyErr {
        let build = || -> PyResult<PyErr> {
            let class = class_for(py, self.area)?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("code", self.code)?;
            kwargs.set_item("field", self.field.as_deref())?;
            if self.area == Area::Validation {
                let errors = PyList::empty(py);
                for e in &self.errors {
                    let item = PyDict::new(py);
                    item.set_item("field", e.field)?;
                    item.set_item("code", e.code)?;
                    item.set_item("problem", e.problem)?;
                    errors.append(item)?;
                }
                kwargs.set_item("errors", errors)?;
            }
            if self.area == Area::Analytics {
                let rows = PyList::empty(py);
                for r in &self.rows {
                    let item = PyDict::new(py);
                    item.set_item("row", r.row)?;
                    item.set_item("column", &r.column)?;
                    item.set_item("problem", r.problem)?;
                    rows.append(item)?;
                }
                kwargs.set_item("errors", rows)?;
            }
            let instance = class.call((self.message.as_str(),), Some(&kwargs))?;
            Ok(PyErr::from_value(instance))
        };
        build().unwrap_or_else(|e| {
            PyRuntimeError::new_err(format!("alor is not installed correctly: {e}"))
        })
    }
}

impl From<Failure> for PyErr {
    fn from(failure: Failure) -> Self {
        // Failures are only converted in #[pymethods]/#[pyfunction] bodies, which hold the GIL.
        Python::attach(|py| failure.into_pyerr(py))
    }
}

/// Runs an entry point's body and turns a Rust panic into `alor.InternalError`
/// (`code == "internal_error"`), so a `PanicException` (a `BaseException`) never reaches Python.
pub fn guarded<T>(body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(payload) => {
            // Panic messages come from alor's own code (invariant texts, never input values),
            // but only a fixed text is passed on, to be safe.
            drop(payload);
            Err(Failure::internal(
                "internal_error: alor hit a bug (a Rust panic was caught); please report it",
            )
            .into())
        }
    }
}

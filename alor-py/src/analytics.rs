//! Participation analytics from Python: a `Dataset` handle around `alor_analytics::Dataset`.
//!
//! Thin: every definition, check and privacy rule is in alor-analytics, and so is the report
//! catalogue (`Report`: the names `report_csv` takes and `REPORTS` lists). This module
//! converts arguments, runs the Rust code without the GIL, and hands tables out as Arrow
//! (`ArrowTable`, the same PyCapsule mechanism as the ledger exports; built in [`export`]).

mod export;

use std::sync::Arc;

use alor_analytics::{
    AnalyticsError, Dataset, DatasetBuilder, Pseudonymiser, Report, Suppression, Table, CSV_COLUMNS,
};
use alor_core::{EventLog, Locale};
use alor_demo::SyntheticConfig;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyType};

use crate::arrow::ArrowTable;
use crate::convert::{to_str, to_uint};
use crate::errors::{guarded, Area, Failure};
use export::{dataset_batch, table_batch};

/// `min_count`: at least 3, or `None` for no suppression (the Python default is 5).
fn suppression(min_count: Option<i64>) -> Result<Suppression, Failure> {
    match min_count {
        None => Ok(Suppression::off()),
        Some(k) => {
            let k = u32::try_from(k.clamp(0, i64::from(u32::MAX))).unwrap_or(0);
            Ok(Suppression::new(k)?)
        }
    }
}

/// A locale by the names the core's `Locale::parse` accepts (as `check` and the page module do).
fn locale(value: &str) -> Result<Locale, Failure> {
    Locale::parse(value).ok_or_else(|| {
        Failure::from(alor_core::ArgumentError::new(
            "locale",
            alor_core::ArgumentProblem::Locale,
        ))
    })
}

/// Participation data: one row per registration, with the reports of the national report.
///
/// Build it with `Dataset.synthetic(...)`, `Dataset.from_csv(text)`,
/// `Dataset.from_event_logs([json, ...])` or `alor.analytics.from_arrow(table)`. Reports come
/// back as `ArrowTable`s (`.to_polars()`, `.to_pandas()`) with small cells suppressed
/// (`min_count=5` by default, at least 3; `min_count=None` turns suppression off for internal
/// work only). Immutable, so it can be shared by threads; long calls release the GIL.
#[pyclass(frozen, module = "alor", name = "Dataset")]
pub struct PyDataset {
    inner: Arc<Dataset>,
}

impl PyDataset {
    fn new(data: Dataset) -> Self {
        PyDataset {
            inner: Arc::new(data),
        }
    }

    /// A report's table, computed without the GIL.
    fn table(
        &self,
        py: Python<'_>,
        report: Report,
        network: Option<String>,
        rule: Suppression,
    ) -> Table {
        let data = Arc::clone(&self.inner);
        py.detach(move || data.report(report, network.as_deref(), rule))
    }

    /// A report as an `ArrowTable`.
    fn arrow(
        &self,
        py: Python<'_>,
        report: Report,
        network: Option<String>,
        min_count: Option<i64>,
    ) -> PyResult<ArrowTable> {
        let rule = suppression(min_count).map_err(PyErr::from)?;
        let table = self.table(py, report, network, rule);
        let batch = py
            .detach(move || table_batch(&table))
            .map_err(PyErr::from)?;
        Ok(ArrowTable::new(batch))
    }

    /// A report named by a Python argument. The threshold is checked before the name, as it
    /// always was.
    fn named_table(
        &self,
        py: Python<'_>,
        report: &Bound<'_, PyAny>,
        network: Option<String>,
        min_count: Option<i64>,
    ) -> PyResult<Table> {
        let code = AnalyticsError::InvalidReport.code();
        let name = to_str(report, "report", Area::Validation, code)?;
        let rule = suppression(min_count).map_err(PyErr::from)?;
        let report = Report::parse(&name).map_err(|e| Failure::from(e).into_pyerr(py))?;
        Ok(self.table(py, report, network, rule))
    }
}

fn opt_uint(
    value: Option<&Bound<'_, PyAny>>,
    field: &str,
    max: u64,
    default: u64,
) -> PyResult<u64> {
    match value {
        None => Ok(default),
        Some(v) => to_uint(v, field, "invalid_option", max),
    }
}

#[pymethods]
impl PyDataset {
    /// A deterministic synthetic dataset (see `alor_demo::synthetic`): by default
    /// 11 networks × 20 years (2006–2025) × 2 gatherings of about 75 registrations. `rows`
    /// scales the registrations per gathering to about that many rows in total.
    #[classmethod]
    #[pyo3(signature = (*, seed = None, networks = None, first_year = None, years = None, gatherings_per_year = None, registrations_per_gathering = None, rows = None))]
    #[allow(clippy::too_many_arguments)]
    fn synthetic(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        seed: Option<&Bound<'_, PyAny>>,
        networks: Option<&Bound<'_, PyAny>>,
        first_year: Option<&Bound<'_, PyAny>>,
        years: Option<&Bound<'_, PyAny>>,
        gatherings_per_year: Option<&Bound<'_, PyAny>>,
        registrations_per_gathering: Option<&Bound<'_, PyAny>>,
        rows: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        guarded(|| {
            let base = match rows {
                Some(r) => {
                    SyntheticConfig::with_rows(to_uint(r, "rows", "invalid_option", 4_000_000_000)?)
                }
                None => SyntheticConfig::default(),
            };
            let config = SyntheticConfig {
                seed: opt_uint(seed, "seed", u64::MAX, base.seed)?,
                networks: opt_uint(networks, "networks", 1000, u64::from(base.networks))? as u32,
                first_year: opt_uint(first_year, "first_year", 9000, base.first_year as u64)?
                    as i32,
                years: opt_uint(years, "years", 200, u64::from(base.years))? as u32,
                gatherings_per_year: opt_uint(
                    gatherings_per_year,
                    "gatherings_per_year",
                    12,
                    u64::from(base.gatherings_per_year),
                )? as u32,
                registrations_per_gathering: opt_uint(
                    registrations_per_gathering,
                    "registrations_per_gathering",
                    10_000_000,
                    u64::from(base.registrations_per_gathering),
                )? as u32,
            };
            let data = py
                .detach(|| alor_demo::synthetic(&config))
                .map_err(|e| Failure::from(e).into_pyerr(py))?;
            Ok(PyDataset::new(data))
        })
    }

    /// Reads the participation CSV (schema: `alor.analytics.CSV_COLUMNS`; see the module docs).
    /// Bad cells raise `AnalyticsError` (`invalid_rows`) listing row and column of each.
    #[classmethod]
    fn from_csv(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        guarded(|| {
            let text = to_str(text, "text", Area::Data, "malformed_data")?;
            let data = py
                .detach(|| Dataset::from_csv(&text))
                .map_err(|e| Failure::from(e).into_pyerr(py))?;
            Ok(PyDataset::new(data))
        })
    }

    /// Builds a dataset from named text columns: a dict from each name of `CSV_COLUMNS` to a
    /// list of `str` or `None`, all of one length (what `alor.analytics.from_arrow` passes).
    #[classmethod]
    fn from_columns(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        columns: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        guarded(|| {
            let dict = columns.cast::<PyDict>().map_err(|_| {
                PyErr::from(Failure::malformed(
                    "malformed_data: columns must be a dict of lists",
                ))
            })?;
            let mut out: Vec<(String, Vec<Option<String>>)> = Vec::with_capacity(dict.len());
            for (name, values) in dict.iter() {
                let name = to_str(&name, "columns", Area::Data, "malformed_data")?;
                let list = values.cast::<PyList>().map_err(|_| {
                    PyErr::from(Failure::malformed(
                        "malformed_data: each column must be a list",
                    ))
                })?;
                let mut column = Vec::with_capacity(list.len());
                for v in list.iter() {
                    if v.is_none() {
                        column.push(None);
                    } else if let Ok(s) = v.cast::<PyString>() {
                        column.push(Some(s.to_str()?.to_owned()));
                    } else {
                        return Err(Failure::malformed(
                            "malformed_data: column values must be str or None",
                        )
                        .into());
                    }
                }
                out.push((name, column));
            }
            let data = py
                .detach(|| Dataset::from_columns(&out))
                .map_err(|e| Failure::from(e).into_pyerr(py))?;
            Ok(PyDataset::new(data))
        })
    }

    /// Builds a dataset from gatherings' event logs (each the JSON of `Ledger.event_log_json()`),
    /// replaying each with every event checked; exact waitlist figures. Person keys are the
    /// normalised e-mail addresses: pseudonymise before the data leaves the organiser.
    #[classmethod]
    fn from_event_logs(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        logs: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        guarded(|| {
            let list = logs.cast::<PyList>().map_err(|_| {
                PyErr::from(Failure::malformed(
                    "malformed_data: logs must be a list of JSON strings",
                ))
            })?;
            let mut texts = Vec::with_capacity(list.len());
            for item in list.iter() {
                texts.push(to_str(&item, "logs", Area::Data, "malformed_data")?);
            }
            let data = py
                .detach(|| -> Result<Dataset, Failure> {
                    let mut builder = DatasetBuilder::new();
                    for text in &texts {
                        let log: EventLog = serde_json::from_str(text)
                            .map_err(|e| Failure::from(alor_core::DataError::from_json(&e)))?;
                        builder.add_log(&log)?;
                    }
                    Ok(builder.finish()?)
                })
                .map_err(PyErr::from)?;
            Ok(PyDataset::new(data))
        })
    }

    /// Number of rows (registrations).
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// Number of distinct persons.
    #[getter]
    fn person_count(&self) -> usize {
        self.inner.person_count()
    }

    /// Number of distinct organisations.
    #[getter]
    fn organisation_count(&self) -> usize {
        self.inner.organisation_count()
    }

    /// The network ids, in the order first seen.
    #[getter]
    fn networks(&self) -> Vec<String> {
        self.inner.networks().to_vec()
    }

    fn __repr__(&self) -> String {
        format!(
            "Dataset(rows={}, gatherings={}, persons={})",
            self.inner.len(),
            self.inner.gatherings().len(),
            self.inner.person_count()
        )
    }

    /// A copy with every person key replaced by its HMAC-SHA-256 pseudonym under `key`
    /// (bytes, at least 32). Same key, same pseudonyms; reports give the same figures.
    fn pseudonymised(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<Self> {
        guarded(|| {
            let key = key.cast::<PyBytes>().map_err(|_| {
                PyErr::from(
                    Failure::new(
                        Area::Validation,
                        "invalid_key",
                        "invalid_key: key must be bytes",
                    )
                    .with_field("key"),
                )
            })?;
            let pseudonymiser =
                Pseudonymiser::new(key.as_bytes()).map_err(|e| Failure::from(e).into_pyerr(py))?;
            let data = Arc::clone(&self.inner);
            let out = py.detach(move || data.pseudonymised(&pseudonymiser));
            Ok(PyDataset::new(out))
        })
    }

    /// The dataset as CSV text (the schema `from_csv` reads).
    fn to_csv(&self, py: Python<'_>) -> PyResult<String> {
        guarded(|| {
            let data = Arc::clone(&self.inner);
            Ok(py.detach(move || data.to_csv()))
        })
    }

    /// The rows as an Arrow table (instants UTC; sector, role and status as categories).
    /// Keys (network, gathering, person, organisation) are text categories, or with
    /// `codes=True` integers: network index into `networks`, gathering index in date order,
    /// person index (null for an erased person) and the organisation number. Person keys are
    /// exported as they are: pseudonymise first.
    #[pyo3(signature = (*, codes = false))]
    fn to_arrow(&self, py: Python<'_>, codes: bool) -> PyResult<ArrowTable> {
        guarded(|| {
            let data = Arc::clone(&self.inner);
            let batch = py
                .detach(move || dataset_batch(&data, codes))
                .map_err(PyErr::from)?;
            Ok(ArrowTable::new(batch))
        })
    }

    /// First-time share per gathering, in the network and nationally, with returning attendees.
    #[pyo3(signature = (*, min_count = Some(5)), text_signature = "($self, *, min_count=5)")]
    fn first_time(&self, py: Python<'_>, min_count: Option<i64>) -> PyResult<ArrowTable> {
        guarded(|| self.arrow(py, Report::FirstTime, None, min_count))
    }

    /// Cohort retention (first year → share attending in each later year), nationally or in
    /// one network.
    #[pyo3(
        signature = (*, network = None, min_count = Some(5)),
        text_signature = "($self, *, network=None, min_count=5)"
    )]
    fn retention(
        &self,
        py: Python<'_>,
        network: Option<&Bound<'_, PyAny>>,
        min_count: Option<i64>,
    ) -> PyResult<ArrowTable> {
        guarded(|| {
            let network = match network {
                Some(n) if !n.is_none() => {
                    Some(to_str(n, "network", Area::Validation, "invalid_id")?)
                }
                _ => None,
            };
            self.arrow(py, Report::Retention, network, min_count)
        })
    }

    /// Unique persons and organisations per network and year; new organisations reached.
    #[pyo3(signature = (*, min_count = Some(5)), text_signature = "($self, *, min_count=5)")]
    fn reach(&self, py: Python<'_>, min_count: Option<i64>) -> PyResult<ArrowTable> {
        guarded(|| self.arrow(py, Report::Reach, None, min_count))
    }

    /// Sector and role mix of attendances per network and year (long format).
    #[pyo3(signature = (*, min_count = Some(5)), text_signature = "($self, *, min_count=5)")]
    fn mix(&self, py: Python<'_>, min_count: Option<i64>) -> PyResult<ArrowTable> {
        guarded(|| self.arrow(py, Report::Mix, None, min_count))
    }

    /// Fill rate, waitlist pressure, median wait, no-show and late-cancellation rates per
    /// gathering.
    #[pyo3(signature = (*, min_count = Some(5)), text_signature = "($self, *, min_count=5)")]
    fn gatherings(&self, py: Python<'_>, min_count: Option<i64>) -> PyResult<ArrowTable> {
        guarded(|| self.arrow(py, Report::GatheringStats, None, min_count))
    }

    /// The national report: one row per network per year, and an `all` row per year.
    #[pyo3(signature = (*, min_count = Some(5)), text_signature = "($self, *, min_count=5)")]
    fn national_report(&self, py: Python<'_>, min_count: Option<i64>) -> PyResult<ArrowTable> {
        guarded(|| self.arrow(py, Report::NationalReport, None, min_count))
    }

    /// A report by name (one of `REPORTS`: `first_time`, `retention`, `reach`, `mix`,
    /// `gatherings`, `national_report`) as CSV text; suppressed cells are empty. `network`
    /// narrows `retention` and is ignored by the others.
    #[pyo3(
        signature = (report, *, network = None, min_count = Some(5)),
        text_signature = "($self, report, *, network=None, min_count=5)"
    )]
    fn report_csv(
        &self,
        py: Python<'_>,
        report: &Bound<'_, PyAny>,
        network: Option<String>,
        min_count: Option<i64>,
    ) -> PyResult<String> {
        guarded(|| {
            let table = self.named_table(py, report, network, min_count)?;
            Ok(py.detach(move || table.to_csv()))
        })
    }

    /// A report as JSON text: `{"name", "min_count", "suppressed_cells", "rows": [...]}` with
    /// `null` for suppressed cells.
    #[pyo3(
        signature = (report, *, network = None, min_count = Some(5)),
        text_signature = "($self, report, *, network=None, min_count=5)"
    )]
    fn report_json(
        &self,
        py: Python<'_>,
        report: &Bound<'_, PyAny>,
        network: Option<String>,
        min_count: Option<i64>,
    ) -> PyResult<String> {
        guarded(|| {
            let table = self.named_table(py, report, network, min_count)?;
            Ok(py.detach(move || table.to_json()))
        })
    }

    /// The self-contained HTML report (inline SVG charts, no external resources) in bokmål
    /// (`"nb"`, default) or English (`"en"`).
    #[pyo3(
        signature = (*, locale = "nb", min_count = Some(5)),
        text_signature = "($self, *, locale='nb', min_count=5)"
    )]
    fn html_report(
        &self,
        py: Python<'_>,
        locale: &str,
        min_count: Option<i64>,
    ) -> PyResult<String> {
        guarded(|| {
            let locale = self::locale(locale).map_err(PyErr::from)?;
            let rule = suppression(min_count).map_err(PyErr::from)?;
            let data = Arc::clone(&self.inner);
            Ok(py.detach(move || data.html_report(locale, rule)))
        })
    }
}

/// Registers the analytics names in the extension module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyDataset>()?;
    m.add("CSV_COLUMNS", CSV_COLUMNS.to_vec())?;
    m.add("REPORTS", Report::NAMES.to_vec())?;
    m.add("ANALYTICS_ERROR_CODES", AnalyticsError::CODES.to_vec())?;
    m.add("DEFAULT_MIN_COUNT", Suppression::DEFAULT_MIN_COUNT)?;
    m.add("MIN_COUNT_FLOOR", Suppression::FLOOR)?;
    m.add("MIN_KEY_BYTES", Pseudonymiser::MIN_KEY_BYTES)?;
    Ok(())
}

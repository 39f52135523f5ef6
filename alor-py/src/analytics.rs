//! Participation analytics from Python: a `Dataset` handle around `alor_analytics::Dataset`.
//!
//! Thin: every definition, check and privacy rule is in alor-core. This module converts
//! arguments, runs the core without the GIL, and hands tables out as Arrow (`ArrowTable`,
//! the same PyCapsule mechanism as the ledger exports). Report tables are small; the row-level
//! dataset is exported with dictionary-encoded keys and categories, from buffers built once in
//! Rust and shared with polars/pyarrow through the C stream interface without another copy.

use std::sync::Arc;

use alor_analytics::{
    AnalyticsError, Dataset, DatasetBuilder, Outcome, Pseudonymiser, Suppression, Table, Values,
    CSV_COLUMNS, NO_TIME,
};
use alor_core::{EventLog, Locale, Role, Sector};
use alor_demo::SyntheticConfig;
use arrow_array::types::{UInt32Type, UInt8Type};
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, DictionaryArray, Float64Array, Int32Array, Int64Array,
    RecordBatch, StringArray, TimestampMicrosecondArray, UInt32Array, UInt8Array,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyType};

use crate::arrow::ArrowTable;
use crate::convert::{to_str, to_uint};
use crate::errors::{guarded, Area, Failure};

/// An analytics failure: the core's analytics errors become `alor.AnalyticsError` with the bad
/// cells in `errors`; anything else goes through the crate's one mapping ([`Failure`]).
enum Fail {
    Analytics(AnalyticsError),
    Other(Failure),
}

impl From<AnalyticsError> for Fail {
    fn from(e: AnalyticsError) -> Self {
        match e {
            // A log that cannot be read keeps the core's own class (`DataError`).
            AnalyticsError::Core(e) => Fail::Other(Failure::from(e)),
            e => Fail::Analytics(e),
        }
    }
}

impl From<Failure> for Fail {
    fn from(e: Failure) -> Self {
        Fail::Other(e)
    }
}

impl From<alor_core::Error> for Fail {
    fn from(e: alor_core::Error) -> Self {
        Fail::Other(Failure::from(e))
    }
}

fn analytics_error(py: Python<'_>, error: &AnalyticsError) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let class = py.import("alor._errors")?.getattr("AnalyticsError")?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("code", error.code())?;
        let errors = PyList::empty(py);
        if let AnalyticsError::InvalidRows { errors: rows, .. } = error {
            for e in rows {
                let item = PyDict::new(py);
                item.set_item("row", e.row)?;
                item.set_item("column", &e.column)?;
                item.set_item("problem", e.problem.code())?;
                errors.append(item)?;
            }
        }
        kwargs.set_item("errors", errors)?;
        let message = format!("{}: {error}", error.code());
        Ok(PyErr::from_value(class.call((message,), Some(&kwargs))?))
    };
    build().unwrap_or_else(|e| {
        PyRuntimeError::new_err(format!("alor is not installed correctly: {e}"))
    })
}

impl Fail {
    fn into_pyerr(self, py: Python<'_>) -> PyErr {
        match self {
            Fail::Analytics(e) => analytics_error(py, &e),
            Fail::Other(f) => f.into_pyerr(py),
        }
    }
}

fn py_err(py: Python<'_>) -> impl Fn(Fail) -> PyErr + '_ {
    move |f| f.into_pyerr(py)
}

/// `min_count`: at least 3, or `None` for no suppression (the Python default is 5).
fn suppression(min_count: Option<i64>) -> Result<Suppression, Fail> {
    match min_count {
        None => Ok(Suppression::off()),
        Some(k) => {
            let k = u32::try_from(k.clamp(0, i64::from(u32::MAX))).unwrap_or(0);
            Ok(Suppression::new(k)?)
        }
    }
}

fn locale(value: &str) -> Result<Locale, Fail> {
    match value {
        "nb" | "no" => Ok(Locale::Nb),
        "en" => Ok(Locale::En),
        _ => Err(Failure::new(
            Area::Validation,
            "invalid_locale",
            "invalid_locale: locale must be \"nb\" or \"en\"",
        )
        .with_field("locale")
        .into()),
    }
}

fn internal(what: &str) -> impl Fn(arrow_schema::ArrowError) -> Fail + '_ {
    move |e| Failure::internal(format!("internal_error: {what}: {e}")).into()
}

/// A report table as Arrow: text → Utf8, counts → Int64, rates → Float64; suppressed cells
/// are nulls. The schema metadata carries `min_count` and `suppressed_cells`.
fn table_batch(table: &Table) -> Result<RecordBatch, Fail> {
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for c in &table.columns {
        let (dt, array): (DataType, ArrayRef) = match &c.values {
            Values::Text(v) => (
                DataType::Utf8,
                Arc::new(StringArray::from_iter_values(v.iter())),
            ),
            Values::Int(v) => (DataType::Int64, Arc::new(Int64Array::from(v.clone()))),
            Values::Float(v) => (DataType::Float64, Arc::new(Float64Array::from(v.clone()))),
        };
        fields.push(Field::new(c.name, dt, true));
        columns.push(array);
    }
    let metadata: std::collections::HashMap<String, String> = [
        ("alor.report".to_owned(), table.name.to_owned()),
        (
            "alor.min_count".to_owned(),
            table
                .min_count
                .map_or_else(|| "none".to_owned(), |k| k.to_string()),
        ),
        (
            "alor.suppressed_cells".to_owned(),
            table.suppressed_cells.to_string(),
        ),
    ]
    .into_iter()
    .collect();
    let schema = Arc::new(Schema::new_with_metadata(fields, metadata));
    RecordBatch::try_new(schema, columns).map_err(internal("report table"))
}

fn dictionary_u8(codes: Vec<u8>, names: &[&str]) -> Result<ArrayRef, Fail> {
    let values: ArrayRef = Arc::new(StringArray::from_iter_values(names.iter()));
    let array = DictionaryArray::<UInt8Type>::try_new(UInt8Array::from(codes), values)
        .map_err(internal("dictionary"))?;
    Ok(Arc::new(array))
}

fn dictionary_u32(keys: UInt32Array, names: Vec<&str>) -> Result<ArrayRef, Fail> {
    let values: ArrayRef = Arc::new(StringArray::from(names));
    let array =
        DictionaryArray::<UInt32Type>::try_new(keys, values).map_err(internal("dictionary"))?;
    Ok(Arc::new(array))
}

fn utc_micros() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

/// The row-level dataset as Arrow, one row per registration. Categories are dictionary-encoded
/// (polars: Categorical; pandas: category). Keys too, or with `codes` as plain integers:
/// network index (into `Dataset.networks`), gathering index (chronological), person index
/// (null for erased persons) and the organisation number as an integer.
fn dataset_batch(data: &Dataset, codes: bool) -> Result<RecordBatch, Fail> {
    let cols = data.columns();
    let gatherings: Vec<_> = data.gatherings().cloned().collect();
    let networks = data.networks().to_vec();
    let network_of: Vec<u32> = gatherings
        .iter()
        .map(|g| networks.iter().position(|n| *n == g.network).unwrap_or(0) as u32)
        .collect();
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let day_of: Vec<i32> = gatherings
        .iter()
        .map(|g| (g.date - epoch).num_days() as i32)
        .collect();
    let g = cols.gathering;
    let person_keys: UInt32Array = cols
        .person
        .iter()
        .map(|&p| data.person_key(p).map(|_| p))
        .collect();
    let network_keys = UInt32Array::from_iter_values(g.iter().map(|&x| network_of[x as usize]));
    let gathering_keys = UInt32Array::from(g.to_vec());
    let org_keys = UInt32Array::from(cols.organisation.to_vec());
    let key_columns: [ArrayRef; 4] = if codes {
        let org_number: Vec<u32> = (0..data.organisation_count() as u32)
            .map(|o| data.organisation_number(o).map_or(0, |n| n.get()))
            .collect();
        [
            Arc::new(network_keys),
            Arc::new(gathering_keys),
            Arc::new(person_keys),
            Arc::new(UInt32Array::from_iter_values(
                cols.organisation.iter().map(|&o| org_number[o as usize]),
            )),
        ]
    } else {
        let person_names: Vec<&str> = (0..data.person_count() as u32)
            .map(|p| data.person_key(p).unwrap_or(""))
            .collect();
        let org_names: Vec<String> = (0..data.organisation_count() as u32)
            .map(|o| {
                data.organisation_number(o)
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            })
            .collect();
        [
            dictionary_u32(network_keys, networks.iter().map(String::as_str).collect())?,
            dictionary_u32(
                gathering_keys,
                gatherings.iter().map(|x| x.id.as_str()).collect(),
            )?,
            dictionary_u32(person_keys, person_names)?,
            dictionary_u32(org_keys, org_names.iter().map(String::as_str).collect())?,
        ]
    };
    let [network_col, gathering_col, person_col, org_col] = key_columns;
    let sectors: Vec<&str> = Sector::ALL.iter().map(|s| s.as_str()).collect();
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    let outcomes: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
    let columns: Vec<ArrayRef> = vec![
        network_col,
        gathering_col,
        Arc::new(Date32Array::from_iter_values(
            g.iter().map(|&x| day_of[x as usize]),
        )),
        Arc::new(Int32Array::from_iter_values(g.iter().map(|&x| {
            use chrono::Datelike;
            gatherings[x as usize].date.year()
        }))),
        Arc::new(UInt32Array::from_iter_values(
            g.iter().map(|&x| gatherings[x as usize].capacity),
        )),
        Arc::new(UInt32Array::from_iter_values(
            g.iter().map(|&x| gatherings[x as usize].peak_waitlist),
        )),
        person_col,
        org_col,
        dictionary_u8(cols.sector.iter().map(|s| *s as u8).collect(), &sectors)?,
        dictionary_u8(cols.role.iter().map(|r| *r as u8).collect(), &roles)?,
        dictionary_u8(cols.outcome.iter().map(|o| *o as u8).collect(), &outcomes)?,
        Arc::new(BooleanArray::from(cols.waitlisted.to_vec())),
        Arc::new(
            TimestampMicrosecondArray::from_iter_values(
                cols.joined_at.iter().map(|t| t.saturating_mul(1_000_000)),
            )
            .with_timezone("UTC"),
        ),
        Arc::new(
            TimestampMicrosecondArray::from_iter(
                cols.seated_at
                    .iter()
                    .map(|&t| (t != NO_TIME).then(|| t.saturating_mul(1_000_000))),
            )
            .with_timezone("UTC"),
        ),
    ];
    let dict32 = || DataType::Dictionary(Box::new(DataType::UInt32), Box::new(DataType::Utf8));
    let dict8 = || DataType::Dictionary(Box::new(DataType::UInt8), Box::new(DataType::Utf8));
    let f = |name: &str, dt: DataType, nullable: bool| Field::new(name, dt, nullable);
    let key = || if codes { DataType::UInt32 } else { dict32() };
    let schema = Arc::new(Schema::new(vec![
        f("network", key(), false),
        f("gathering", key(), false),
        f("date", DataType::Date32, false),
        f("year", DataType::Int32, false),
        f("capacity", DataType::UInt32, false),
        f("peak_waitlist", DataType::UInt32, false),
        f("person", key(), true),
        f("organisation", key(), false),
        f("sector", dict8(), false),
        f("role", dict8(), false),
        f("status", dict8(), false),
        f("waitlisted", DataType::Boolean, false),
        f("joined_at", utc_micros(), false),
        f("seated_at", utc_micros(), true),
    ]));
    debug_assert_eq!(columns.len(), schema.fields().len());
    RecordBatch::try_new(schema, columns).map_err(internal("dataset table"))
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

    fn report<F>(&self, py: Python<'_>, make: F) -> PyResult<ArrowTable>
    where
        F: FnOnce(&Dataset) -> Table + Send,
    {
        let data = Arc::clone(&self.inner);
        let batch = py
            .detach(move || table_batch(&make(&data)))
            .map_err(py_err(py))?;
        Ok(ArrowTable::new(batch))
    }

    fn table(
        &self,
        py: Python<'_>,
        name: &str,
        rule: Suppression,
        network: Option<String>,
    ) -> Result<Table, Fail> {
        let data = Arc::clone(&self.inner);
        let name = name.to_owned();
        py.detach(move || -> Result<Table, Fail> {
            Ok(match name.as_str() {
                "first_time" => data.first_time_table(rule),
                "retention" => data.retention_table(network.as_deref(), rule),
                "reach" => data.reach_table(rule),
                "mix" => data.mix_table(rule),
                "gatherings" => data.gathering_table(rule),
                "national_report" => data.national_report(rule),
                _ => {
                    return Err(Failure::new(
                        Area::Validation,
                        "invalid_report",
                        "invalid_report: report must be one of first_time, retention, reach, mix, gatherings, national_report",
                    )
                    .with_field("report")
                    .into())
                }
            })
        })
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
    /// A deterministic synthetic dataset (see `alor_analytics::synthetic`): by default
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
                .map_err(|e| Fail::from(e).into_pyerr(py))?;
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
                .map_err(|e| Fail::from(e).into_pyerr(py))?;
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
                .map_err(|e| Fail::from(e).into_pyerr(py))?;
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
                .detach(|| -> Result<Dataset, Fail> {
                    let mut builder = DatasetBuilder::new();
                    for text in &texts {
                        let log: EventLog = serde_json::from_str(text)
                            .map_err(|e| Failure::from(alor_core::DataError::from_json(&e)))?;
                        builder.add_log(&log)?;
                    }
                    Ok(builder.finish()?)
                })
                .map_err(py_err(py))?;
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
                Pseudonymiser::new(key.as_bytes()).map_err(|e| Fail::from(e).into_pyerr(py))?;
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
                .map_err(py_err(py))?;
            Ok(ArrowTable::new(batch))
        })
    }

    /// First-time share per gathering, in the network and nationally, with returning attendees.
    #[pyo3(signature = (*, min_count = Some(5)), text_signature = "($self, *, min_count=5)")]
    fn first_time(&self, py: Python<'_>, min_count: Option<i64>) -> PyResult<ArrowTable> {
        guarded(|| {
            let rule = suppression(min_count).map_err(py_err(py))?;
            self.report(py, move |d| d.first_time_table(rule))
        })
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
            let rule = suppression(min_count).map_err(py_err(py))?;
            let network = match network {
                Some(n) if !n.is_none() => {
                    Some(to_str(n, "network", Area::Validation, "invalid_id")?)
                }
                _ => None,
            };
            self.report(py, move |d| d.retention_table(network.as_deref(), rule))
        })
    }

    /// Unique persons and organisations per network and year; new organisations reached.
    #[pyo3(signature = (*, min_count = Some(5)), text_signature = "($self, *, min_count=5)")]
    fn reach(&self, py: Python<'_>, min_count: Option<i64>) -> PyResult<ArrowTable> {
        guarded(|| {
            let rule = suppression(min_count).map_err(py_err(py))?;
            self.report(py, move |d| d.reach_table(rule))
        })
    }

    /// Sector and role mix of attendances per network and year (long format).
    #[pyo3(signature = (*, min_count = Some(5)), text_signature = "($self, *, min_count=5)")]
    fn mix(&self, py: Python<'_>, min_count: Option<i64>) -> PyResult<ArrowTable> {
        guarded(|| {
            let rule = suppression(min_count).map_err(py_err(py))?;
            self.report(py, move |d| d.mix_table(rule))
        })
    }

    /// Fill rate, waitlist pressure, median wait, no-show and late-cancellation rates per
    /// gathering.
    #[pyo3(signature = (*, min_count = Some(5)), text_signature = "($self, *, min_count=5)")]
    fn gatherings(&self, py: Python<'_>, min_count: Option<i64>) -> PyResult<ArrowTable> {
        guarded(|| {
            let rule = suppression(min_count).map_err(py_err(py))?;
            self.report(py, move |d| d.gathering_table(rule))
        })
    }

    /// The national report: one row per network per year, and an `all` row per year.
    #[pyo3(signature = (*, min_count = Some(5)), text_signature = "($self, *, min_count=5)")]
    fn national_report(&self, py: Python<'_>, min_count: Option<i64>) -> PyResult<ArrowTable> {
        guarded(|| {
            let rule = suppression(min_count).map_err(py_err(py))?;
            self.report(py, move |d| d.national_report(rule))
        })
    }

    /// A report (`first_time`, `retention`, `reach`, `mix`, `gatherings`, `national_report`)
    /// as CSV text; suppressed cells are empty.
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
            let name = to_str(report, "report", Area::Validation, "invalid_report")?;
            let rule = suppression(min_count).map_err(py_err(py))?;
            let table = self.table(py, &name, rule, network).map_err(py_err(py))?;
            Ok(table.to_csv())
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
            let name = to_str(report, "report", Area::Validation, "invalid_report")?;
            let rule = suppression(min_count).map_err(py_err(py))?;
            let table = self.table(py, &name, rule, network).map_err(py_err(py))?;
            Ok(table.to_json())
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
            let locale = self::locale(locale).map_err(py_err(py))?;
            let rule = suppression(min_count).map_err(py_err(py))?;
            let data = Arc::clone(&self.inner);
            Ok(py.detach(move || data.html_report(locale, rule)))
        })
    }
}

/// Registers the analytics names in the extension module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyDataset>()?;
    m.add("CSV_COLUMNS", CSV_COLUMNS.to_vec())?;
    m.add("ANALYTICS_ERROR_CODES", AnalyticsError::CODES.to_vec())?;
    m.add("DEFAULT_MIN_COUNT", Suppression::DEFAULT_MIN_COUNT)?;
    m.add("MIN_COUNT_FLOOR", Suppression::FLOOR)?;
    m.add("MIN_KEY_BYTES", Pseudonymiser::MIN_KEY_BYTES)?;
    Ok(())
}

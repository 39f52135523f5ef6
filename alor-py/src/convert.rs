//! Units at the boundary: Python values ⇄ JSON values, and aware datetimes ⇄ UTC instants.
//!
//! Plain data crosses as dicts. The hot paths (commands, gatherings, replayed events in; events
//! out) skip JSON values: `pyde` reads the dict straight into the core's type and `pyser` builds
//! the event dicts straight from it. The JSON path here stays for everything else and for every
//! error: going in, a dict is turned into a `serde_json::Value` (aware `datetime`s become RFC
//! 3339 strings) and parsed by alor-core, which does every check and gives the error with its
//! code and path. Coming out, the core's serde shape is turned into dicts, and the instants (the
//! keys in the core's [`INSTANT_KEYS`]) become UTC-aware `datetime`s.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde_json::{Map, Number, Value};

use alor_core::{ArgumentProblem, INSTANT_KEYS};

use crate::errors::{Area, Failure};

/// Deeper input is refused instead of risking the stack: no alor data nests more than 5 levels.
pub(crate) const MAX_DEPTH: usize = 64;

struct DatetimeApi {
    datetime: Py<PyType>,
    utc: Py<PyAny>,
    /// 1970-01-01T00:00:00+00:00, aware.
    epoch: Py<PyAny>,
}

static DATETIME: PyOnceLock<DatetimeApi> = PyOnceLock::new();

fn datetime_api(py: Python<'_>) -> PyResult<&DatetimeApi> {
    DATETIME.get_or_try_init(py, || {
        let module = py.import("datetime")?;
        let datetime = module.getattr("datetime")?.cast_into::<PyType>()?;
        let utc = module.getattr("timezone")?.getattr("utc")?;
        let epoch = datetime.call1((1970, 1, 1, 0, 0, 0, 0, &utc))?;
        Ok(DatetimeApi {
            datetime: datetime.unbind(),
            utc: utc.unbind(),
            epoch: epoch.unbind(),
        })
    })
}

pub(crate) fn is_datetime(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    value.is_instance(datetime_api(py)?.datetime.bind(py))
}

/// A timezone-aware `datetime` as a UTC instant. `field` names the argument in errors.
pub fn to_utc(value: &Bound<'_, PyAny>, field: &str) -> PyResult<DateTime<Utc>> {
    let py = value.py();
    if !is_datetime(py, value)? {
        return to_utc_slow(value, field);
    }
    // Fast path: `value - epoch` is one C-level operation that applies the zone's utcoffset()
    // exactly as astimezone() does; a naive value raises TypeError there. Anything unusual (a
    // naive value, an instant outside the years 1..=9999 in UTC) takes the slow path, which
    // gives the exact error it always gave.
    if let Some(at) = since_epoch(py, value) {
        if (1..=9999).contains(&at.year()) {
            return Ok(at);
        }
    }
    to_utc_slow(value, field)
}

fn since_epoch(py: Python<'_>, value: &Bound<'_, PyAny>) -> Option<DateTime<Utc>> {
    let epoch = datetime_api(py).ok()?.epoch.bind(py);
    let delta = value.sub(epoch).ok()?;
    let part = |name: &str| -> Option<i64> { delta.getattr(name).ok()?.extract::<i64>().ok() };
    let micros = part("days")?
        .checked_mul(86_400_000_000)?
        .checked_add(part("seconds")? * 1_000_000 + part("microseconds")?)?;
    DateTime::from_timestamp_micros(micros)
}

fn to_utc_slow(value: &Bound<'_, PyAny>, field: &str) -> PyResult<DateTime<Utc>> {
    let py = value.py();
    if !is_datetime(py, value)? {
        return Err(Failure::new(
            Area::Validation,
            ArgumentProblem::Datetime.code(),
            format!(
                "invalid_datetime: {field} must be a timezone-aware datetime.datetime, not {}",
                type_name(value)
            ),
        )
        .with_field(field)
        .into());
    }
    if value.call_method0("utcoffset")?.is_none() {
        return Err(Failure::new(
            Area::Validation,
            ArgumentProblem::NaiveDatetime.code(),
            format!(
                "naive_datetime: {field} has no time zone; pass an aware datetime, e.g. \
                 datetime(2026, 9, 2, 9, 0, tzinfo=timezone.utc) or with ZoneInfo(\"Europe/Oslo\")"
            ),
        )
        .with_field(field)
        .into());
    }
    let invalid = || -> PyErr {
        Failure::new(
            Area::Validation,
            ArgumentProblem::Datetime.code(),
            format!("invalid_datetime: {field} cannot be expressed in UTC"),
        )
        .with_field(field)
        .into()
    };
    // Out of range after conversion (year 1 at UTC+1, say) raises OverflowError in Python.
    let utc = value
        .call_method1("astimezone", (datetime_api(py)?.utc.bind(py),))
        .map_err(|_| invalid())?;
    Ok(wall_clock(&utc).ok_or_else(invalid)?.and_utc())
}

/// The wall-clock fields of a `datetime` (its zone ignored), or `None` if it has none.
pub fn wall_clock(value: &Bound<'_, PyAny>) -> Option<NaiveDateTime> {
    let part = |name: &str| -> Option<u32> { value.getattr(name).ok()?.extract::<u32>().ok() };
    NaiveDate::from_ymd_opt(part("year")? as i32, part("month")?, part("day")?)?.and_hms_micro_opt(
        part("hour")?,
        part("minute")?,
        part("second")?,
        part("microsecond")?,
    )
}

/// A naive `datetime` (no zone): a wall-clock time. `field` names the argument in errors.
pub fn to_naive(value: &Bound<'_, PyAny>, field: &str) -> PyResult<NaiveDateTime> {
    let py = value.py();
    let naive = is_datetime(py, value)? && value.call_method0("utcoffset")?.is_none();
    naive.then(|| wall_clock(value)).flatten().ok_or_else(|| {
        Failure::new(
            Area::Validation,
            ArgumentProblem::Datetime.code(),
            format!(
                "invalid_datetime: {field} must be a naive datetime.datetime (a wall-clock time)"
            ),
        )
        .with_field(field)
        .into()
    })
}

/// A UTC instant as an aware `datetime` (tzinfo `datetime.timezone.utc`).
pub fn from_utc<'py>(py: Python<'py>, at: DateTime<Utc>) -> PyResult<Bound<'py, PyAny>> {
    // The last instant handed out, kept: a command's events carry the same instant several times
    // (`at`, `joined_at`, ...), and an aware UTC `datetime` is immutable, so sharing one object
    // is safe and saves building it again.
    // The lock is never held across a call into Python (which could wait for the GIL).
    let hit = |last: &Option<(DateTime<Utc>, Py<PyAny>)>| match last {
        Some((cached, object)) if *cached == at => Some(object.bind(py).clone()),
        _ => None,
    };
    if let Some(object) = hit(&LAST_INSTANT.lock().unwrap_or_else(|e| e.into_inner())) {
        return Ok(object);
    }
    let object = new_utc(py, at)?;
    let old = LAST_INSTANT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .replace((at, object.clone().unbind()));
    drop(old); // outside the lock: dropping a reference may run Python code
    Ok(object)
}

static LAST_INSTANT: Mutex<Option<(DateTime<Utc>, Py<PyAny>)>> = Mutex::new(None);

fn new_utc<'py>(py: Python<'py>, at: DateTime<Utc>) -> PyResult<Bound<'py, PyAny>> {
    let api = datetime_api(py)?;
    // Leap-second representations (nanos >= 1e9) are folded into the last microsecond.
    let micros = (at.nanosecond() / 1_000).min(999_999);
    api.datetime
        .bind(py)
        .call1((
            at.year(),
            at.month(),
            at.day(),
            at.hour(),
            at.minute(),
            at.second(),
            micros,
            api.utc.bind(py),
        ))
        .map_err(|_| {
            Failure::new(
                Area::Data,
                "malformed_data",
                "malformed_data: an instant is outside the years Python's datetime can hold",
            )
            .into()
        })
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// A Python value (dicts, lists, str, int, float, bool, None, aware datetimes) as JSON.
/// `what` names the argument in errors; paths in messages name keys, never values.
pub fn to_json(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    let mut path = String::from(what);
    to_json_at(value, &mut path, 0)
}

fn shape_error(path: &str, detail: &str) -> PyErr {
    Failure::malformed(format!("malformed_data: {path}: {detail}")).into()
}

fn to_json_at(value: &Bound<'_, PyAny>, path: &mut String, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(shape_error(path, "nested too deeply"));
    }
    let py = value.py();
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        if let Ok(n) = value.extract::<u64>() {
            return Ok(Value::Number(n.into()));
        }
        if let Ok(n) = value.extract::<i64>() {
            return Ok(Value::Number(n.into()));
        }
        return Err(shape_error(path, "integer out of range"));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| shape_error(path, "a float that is not finite"));
    }
    if let Ok(s) = value.cast::<PyString>() {
        // Lone surrogates cannot be UTF-8: report the place, not the text.
        return s
            .to_str()
            .map(|s| Value::String(s.to_owned()))
            .map_err(|_| shape_error(path, "a string that is not valid Unicode"));
    }
    if is_datetime(py, value)? {
        let at = to_utc(value, path)?;
        return Ok(Value::String(
            at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        ));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in dict.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                return Err(shape_error(path, "a dict key that is not a string"));
            };
            let key = key
                .to_str()
                .map_err(|_| shape_error(path, "a dict key that is not valid Unicode"))?
                .to_owned();
            let len = path.len();
            path.push('.');
            path.push_str(if key.len() <= 64 { &key } else { "<long key>" });
            let item = to_json_at(&v, path, depth + 1)?;
            path.truncate(len);
            map.insert(key, item);
        }
        return Ok(Value::Object(map));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for (i, item) in value.try_iter()?.enumerate() {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            items.push(to_json_at(&item?, path, depth + 1)?);
            path.truncate(len);
        }
        return Ok(Value::Array(items));
    }
    Err(shape_error(
        path,
        &format!("unsupported type {}", type_name(value)),
    ))
}

/// A JSON value (the core's serde shape) as Python objects; instants become aware datetimes.
pub fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    to_py_keyed(py, value, None)
}

fn to_py_keyed<'py>(
    py: Python<'py>,
    value: &Value,
    key: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => match key {
            Some(k) if INSTANT_KEYS.contains(&k) => match DateTime::parse_from_rfc3339(s) {
                Ok(at) => from_utc(py, at.with_timezone(&Utc))?,
                Err(_) => PyString::new(py, s).into_any(),
            },
            _ => PyString::new(py, s).into_any(),
        },
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py_keyed(py, item, None)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py_keyed(py, v, Some(k))?)?;
            }
            dict.into_any()
        }
    })
}

/// Serialises a core value straight into Python dicts (no JSON value between), instants as
/// aware datetimes: the same objects [`serde_to_py`] gives (see `pyser`).
pub fn serde_to_py_direct<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    crate::pyser::to_python(py, value).map_err(|e| match e {
        // An instant Python cannot hold: already the right error (`DataError`, `malformed_data`).
        crate::pyser::Failed::Python(err) => err,
        crate::pyser::Failed::Unsupported => {
            Failure::internal("internal_error: a value did not serialise").into()
        }
    })
}

/// Serialises a core value and hands it to Python as dicts.
pub fn serde_to_py<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_value(value).map_err(|_| {
        PyErr::from(Failure::internal(
            "internal_error: a value did not serialise",
        ))
    })?;
    to_py(py, &json)
}

/// A non-negative integer argument (a version or a registration id).
pub fn to_uint(
    value: &Bound<'_, PyAny>,
    field: &str,
    code: &'static str,
    max: u64,
) -> PyResult<u64> {
    let bad = || -> PyErr {
        Failure::new(
            Area::Validation,
            code,
            format!("{code}: {field} must be an int from 0 to {max}"),
        )
        .with_field(field)
        .into()
    };
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(bad());
    }
    match value.extract::<u64>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(bad()),
    }
}

/// A string argument (an organisation number, JSON text).
pub fn to_str(
    value: &Bound<'_, PyAny>,
    field: &str,
    area: Area,
    code: &'static str,
) -> PyResult<String> {
    let bad = |what: &str| -> PyErr {
        Failure::new(area, code, format!("{code}: {field} must be {what}"))
            .with_field(field)
            .into()
    };
    let s = value.cast::<PyString>().map_err(|_| bad("a str"))?;
    s.to_str()
        .map(str::to_owned)
        .map_err(|_| bad("valid Unicode"))
}

//! Europe/Oslo time from Python, through the core's `alor_core::time` (the IANA rules of
//! chrono-tz): what every surface uses to read and write Oslo wall-clock times.

use alor_core::time::{oslo_to_utc_with, to_oslo, Fold};
use chrono::{Datelike, Timelike};
use pyo3::prelude::*;

use crate::convert::{from_utc, to_naive, to_utc};
use crate::errors::{guarded, Area, Failure};

/// The Oslo wall-clock time of an aware `datetime`, as a naive `datetime`, and its UTC offset in
/// seconds (3600 in winter, 7200 in summer).
#[pyfunction]
pub fn to_oslo_local<'py>(
    py: Python<'py>,
    at: &Bound<'py, PyAny>,
) -> PyResult<(Bound<'py, PyAny>, i32)> {
    guarded(|| {
        let at = to_utc(at, "at")?;
        let local = to_oslo(at);
        let offset = alor_core::time::oslo_offset_seconds(at);
        let naive = py.import("datetime")?.getattr("datetime")?.call1((
            local.year(),
            local.month(),
            local.day(),
            local.hour(),
            local.minute(),
            local.second(),
            local.nanosecond() / 1_000,
        ))?;
        Ok((naive, offset))
    })
}

/// The instant (UTC-aware) of a naive Oslo wall-clock `datetime`. A time that occurs twice (the
/// autumn change) is the earlier one, or the later with `fold=1` (Python's own convention); a time
/// that does not exist (the spring change) raises `ValidationError` `nonexistent_local_time`.
#[pyfunction]
#[pyo3(signature = (local, *, fold = 0))]
pub fn from_oslo_local<'py>(
    py: Python<'py>,
    local: &Bound<'py, PyAny>,
    fold: u8,
) -> PyResult<Bound<'py, PyAny>> {
    guarded(|| {
        let naive = to_naive(local, "local")?;
        let fold = if fold == 0 {
            Fold::Earlier
        } else {
            Fold::Later
        };
        let at = oslo_to_utc_with(naive, fold).map_err(|e| {
            Failure::new(Area::Validation, e.code(), format!("{}: {e}", e.code()))
                .with_field("local")
        })?;
        from_utc(py, at)
    })
}

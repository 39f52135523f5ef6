//! The Ledger's values across the boundary: the conversions of `alor_check::js` (plain JS
//! objects through the core's serde types with serde-wasm-bindgen, the core's grammar for
//! instants), plus what only the Ledger's arguments need: a required instant, whole numbers.

use alor_core::{ArgumentProblem, Command, Error};
use chrono::{DateTime, Utc};
use wasm_bindgen::prelude::*;

pub use alor_check::js::{from_js, string, to_js};
use alor_check::{error, js};

/// A command object, with the core's field-level errors.
///
/// Read as a `serde_json::Value` first (still through serde-wasm-bindgen, no JSON text), because
/// the core's `Command::from_value` is where a bad person or reason becomes its field's
/// `ValidationError` (`invalid_email`, …) rather than `malformed_data`.
pub fn command(value: JsValue) -> Result<Command, JsValue> {
    let value: serde_json::Value = from_js(value, "command")?;
    Command::from_value(value).map_err(|e: Error| error::core(&e, Some("command")))
}

/// An instant: an ISO-8601 / RFC 3339 string with an offset, or a valid `Date`.
pub fn instant(value: &JsValue, name: &str) -> Result<DateTime<Utc>, JsValue> {
    js::instant(value).ok_or_else(|| error::argument(name, ArgumentProblem::Datetime))
}

/// An optional instant: `undefined`/`null` give `None`.
pub fn optional_instant(value: &JsValue, name: &str) -> Result<Option<DateTime<Utc>>, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        instant(value, name).map(Some)
    }
}

/// A whole number in `0..=max`, given as a JS number (never rounded: ids and versions above
/// 2^53 cannot be given exactly as numbers, and are refused rather than guessed).
pub fn whole(
    value: &JsValue,
    name: &str,
    max: u64,
    problem: ArgumentProblem,
) -> Result<u64, JsValue> {
    match value.as_f64() {
        Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= max as f64 => Ok(n as u64),
        _ => Err(error::argument(name, problem)),
    }
}

/// An optional whole number: `undefined`/`null` give `None`.
pub fn optional_whole(
    value: &JsValue,
    name: &str,
    max: u64,
    problem: ArgumentProblem,
) -> Result<Option<u64>, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        whole(value, name, max, problem).map(Some)
    }
}

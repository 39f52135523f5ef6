//! The Ledger's values across the boundary: plain JS objects in and out as JSON, dates,
//! integers. (The checks read theirs without serde: see `alor_check::read`.)
//!
//! Objects cross as JSON (the browser's own `JSON.stringify`/`JSON.parse` on the JS side,
//! serde_json on ours) for three reasons: the core's JSON entry points (`Command::from_json`)
//! give field-level error codes; the objects have exactly the shape of the JSON the server
//! stores and the scenario files use (snake_case keys, dates as ISO-8601 strings); and a `Date`
//! anywhere inside becomes its ISO string on the way, for free. serde_json is in the module
//! anyway for `snapshotJson`, so this costs no size.

use alor_core::{DataError, Error};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use alor_check::error;
pub use alor_check::js::json_text;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = Date)]
    type JsDate;

    #[wasm_bindgen(method, js_name = toISOString, catch)]
    fn to_iso_string(this: &JsDate) -> Result<JsValue, JsValue>;
}

/// A JS value (or, when `text_allowed`, JSON text in a string) read as `T`.
pub fn from_js<T: DeserializeOwned>(
    value: &JsValue,
    name: &str,
    text_allowed: bool,
) -> Result<T, JsValue> {
    let text = match value.as_string() {
        Some(text) if text_allowed => text,
        _ => json_text(value, name)?,
    };
    parse(&text, name)
}

/// JSON text read as `T`; shape errors are `malformed_data` and never echo values.
pub fn parse<T: DeserializeOwned>(text: &str, name: &str) -> Result<T, JsValue> {
    serde_json::from_str(text)
        .map_err(|e| error::core(&Error::from(DataError::from_json(&e)), Some(name)))
}

/// A Rust value as a plain JS object.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|_| {
        error::core(
            &Error::from(DataError::Malformed {
                detail: "a value could not be written as JSON".into(),
            }),
            None,
        )
    })?;
    json_parse(&text)
}

/// An instant: an ISO-8601 / RFC 3339 string with an offset, or a valid `Date`.
pub fn instant(value: &JsValue, name: &str) -> Result<DateTime<Utc>, JsValue> {
    let text = if let Some(text) = value.as_string() {
        text
    } else if let Some(date) = value.dyn_ref::<JsDate>() {
        date.to_iso_string()
            .ok()
            .and_then(|t| t.as_string())
            .ok_or_else(|| error::argument(name, "is an invalid Date"))?
    } else {
        return Err(error::argument(
            name,
            "must be an ISO-8601 date-time string with an offset, or a Date",
        ));
    };
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            error::argument(
                name,
                "must be an ISO-8601 date-time with an offset, e.g. 2026-09-01T09:00:00+02:00",
            )
        })
}

/// An optional instant: `undefined`/`null` give `None`.
pub fn optional_instant(value: &JsValue, name: &str) -> Result<Option<DateTime<Utc>>, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        instant(value, name).map(Some)
    }
}

/// A whole number in `0..=max`, given as a JS number.
pub fn whole(value: &JsValue, name: &str, max: u64) -> Result<u64, JsValue> {
    match value.as_f64() {
        Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= max as f64 => Ok(n as u64),
        _ => Err(error::argument(
            name,
            &format!("must be a whole number from 0 to {max}"),
        )),
    }
}

/// An optional whole number: `undefined`/`null` give `None`.
pub fn optional_whole(value: &JsValue, name: &str, max: u64) -> Result<Option<u64>, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        whole(value, name, max).map(Some)
    }
}

/// A string argument.
pub fn string(value: &JsValue, name: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| error::argument(name, "must be a string"))
}

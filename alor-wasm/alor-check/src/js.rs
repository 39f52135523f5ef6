//! The few JavaScript functions the module calls: `JSON.stringify`/`JSON.parse` to move plain
//! objects across (the browser's own, fast and already there), and `Date.now` for a check
//! without `now`.
//!
//! Objects cross as JSON text: the objects have exactly the shape of the JSON the server stores
//! and the scenario files use (snake_case keys, dates as ISO-8601 strings), a `Date` anywhere
//! inside becomes its ISO string on the way, and `undefined` members vanish, as they always did.

use chrono::{DateTime, Utc};
use wasm_bindgen::prelude::*;

use crate::error;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

/// A JS value as JSON text. `undefined`, functions and symbols have none; cycles and BigInts
/// make `JSON.stringify` throw: all are argument errors.
pub fn json_text(value: &JsValue, name: &str) -> Result<String, JsValue> {
    match json_stringify(value) {
        Ok(text) => text
            .as_string()
            .ok_or_else(|| error::argument(name, "must be a JSON value, not undefined")),
        Err(_) => Err(error::argument(
            name,
            "cannot be converted to JSON (a cycle or a BigInt?)",
        )),
    }
}

/// JSON text this module wrote, as a plain JS value.
pub fn from_json(text: &str) -> Result<JsValue, JsValue> {
    json_parse(text).map_err(|_| {
        error::data(
            &alor_core::DataError::Malformed {
                detail: "a value could not be written as JSON".into(),
            },
            None,
        )
    })
}

/// The host's clock, for a check without an explicit `now` (the core never reads a clock).
pub fn clock() -> Result<DateTime<Utc>, JsValue> {
    let millis = date_now();
    if !millis.is_finite() {
        return Err(error::argument("now", "could not be read from the clock"));
    }
    DateTime::from_timestamp_millis(millis as i64)
        .ok_or_else(|| error::argument("now", "could not be read from the clock"))
}

/// A string argument.
pub fn string(value: &JsValue, name: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| error::argument(name, "must be a string"))
}

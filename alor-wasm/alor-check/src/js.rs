//! Values across the boundary: plain JS objects to and from the core's own serde types with
//! serde-wasm-bindgen, instants, the host's clock. Both modules convert through here.
//!
//! The objects have the shape of the JSON the server stores and the scenario files use
//! (snake_case keys, dates as ISO-8601 strings): the core's serde types say what it is, and no
//! shape is written out in this crate. Instants are parsed by the core's
//! `alor_core::time::parse_rfc3339`, which the core's serde types also read every date inside
//! the data with: one RFC 3339 grammar on every surface, the core's.
//!
//! What serde-wasm-bindgen reads differently from `JSON.stringify` + serde_json (the path of
//! before): a member whose value is `undefined` is there, not left out (an error where a value
//! is required, `None` where one is optional); unknown keys of plain structs are skipped, even
//! under `deny_unknown_fields` (it looks up only the fields it knows; internally tagged enums
//! such as `Command` still refuse them); a `Date` inside an object is not an ISO string (use
//! strings in data: arguments such as `now` and `at` take a `Date`); integers must be safe
//! integers (or a `BigInt` where the core has a `u64`).

use alor_core::ArgumentProblem;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;

    #[wasm_bindgen(js_name = Date)]
    type JsDate;

    #[wasm_bindgen(method, js_name = getTime)]
    fn get_time(this: &JsDate) -> f64;

    #[wasm_bindgen(js_namespace = Object, js_name = values, catch)]
    fn object_values(value: &JsValue) -> Result<JsArray, JsValue>;

    // js-sys has these too, with far more around them.
    #[wasm_bindgen(js_name = Array)]
    type JsArray;

    #[wasm_bindgen(method, getter)]
    fn length(this: &JsArray) -> u32;

    #[wasm_bindgen(method, indexing_getter)]
    fn get(this: &JsArray, index: u32) -> JsValue;
}

/// serde_json's nesting limit, kept on this side too.
const MAX_DEPTH: u32 = 128;

/// Whether a value nests at most `MAX_DEPTH - depth` levels (a cycle nests forever).
///
/// serde buffers every value under an internally tagged enum (`Command`, `Event`, the policy's
/// `Promotion`) recursively, whatever it is: a cyclic or very deep object would overflow the
/// stack, where `JSON.stringify` refused it before. Only objects and arrays are walked; the
/// walk stops at the limit.
fn shallow(value: &JsValue, depth: u32) -> bool {
    if !value.is_object() {
        return true;
    }
    if depth >= MAX_DEPTH {
        return false;
    }
    let Ok(values) = object_values(value) else {
        return false;
    };
    (0..values.length()).all(|i| shallow(&values.get(i), depth + 1))
}

/// A JS value (a plain object, array, string, number, boolean or null) as a `T`, through `T`'s
/// own `Deserialize`. `undefined`, functions, symbols, BigInts and objects nested too deeply
/// (or in a cycle) are argument errors, as they were when objects crossed as JSON; a value of
/// the wrong shape is `malformed_data`, with `name` in the message.
pub fn from_js<T: DeserializeOwned>(value: JsValue, name: &str) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_function() || value.is_symbol() {
        return Err(error::argument(name, ArgumentProblem::WrongType));
    }
    if value.is_bigint() {
        return Err(error::argument(name, ArgumentProblem::WrongType));
    }
    if !shallow(&value, 0) {
        // Nested over 128 levels, or a cycle.
        return Err(error::argument(name, ArgumentProblem::WrongType));
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| error::malformed(e, name))
}

/// JSON text (a snapshot as a page fetched it) as a plain JS value, by the host's `JSON.parse`.
pub fn parse_json(text: &str, name: &str) -> Result<JsValue, JsValue> {
    // The engine's message quotes the text, which may be personal data: not passed on.
    json_parse(text).map_err(|_| error::not_json(name))
}

/// A Rust value as plain JS objects and arrays, exactly as `JSON.parse` of serde_json's text
/// would give them (`null` for `None`, objects for maps, numbers for integers).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| error::malformed(e, "result"))
}

/// An instant: an RFC 3339 string with an offset (the core's grammar, as for every date in the
/// data), or a valid `Date`. `None` for anything else.
pub fn instant(value: &JsValue) -> Option<DateTime<Utc>> {
    if let Some(text) = value.as_string() {
        return alor_core::time::parse_rfc3339(&text);
    }
    let millis = value.dyn_ref::<JsDate>()?.get_time();
    from_millis(millis)
}

fn from_millis(millis: f64) -> Option<DateTime<Utc>> {
    // NaN (an invalid Date) fails the range check; a Date is a whole number of milliseconds.
    if !(-8.64e15..=8.64e15).contains(&millis) {
        return None;
    }
    DateTime::from_timestamp_millis(millis as i64)
}

/// The host's clock, for a check without an explicit `now` (the core never reads a clock).
pub fn clock() -> Result<DateTime<Utc>, JsValue> {
    from_millis(date_now()).ok_or_else(|| error::argument("now", ArgumentProblem::Datetime))
}

/// A string argument.
pub fn string(value: &JsValue, name: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| error::argument(name, ArgumentProblem::WrongType))
}

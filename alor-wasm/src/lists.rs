//! The core's published lists and constants, read from the core (never copied): what a JS
//! program or test needs to know every code, command, event type and locale, as Python's
//! `ERROR_CODES`, `LOCALES`, `SCHEMA_VERSION` and `MAX_VERSION` give them.
//!
//! Full module only: the page module has a hard size budget, and even `locales()` cost 346 bytes
//! gzipped there (measured 2026-12, over the 300 we allow an export); a page knows its locales.
//!
//! Functions rather than constants: wasm-bindgen exports no values, only functions and classes.
//! Each call builds a fresh object, so a caller may change what it got without changing anyone
//! else's.

use serde::ser::{Serialize, Serializer};
use wasm_bindgen::prelude::*;

use crate::convert::to_js;

/// `ERROR_AREAS` as a map from area name to codes, in the core's order.
struct Areas;

impl Serialize for Areas {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(alor_core::ERROR_AREAS.iter().map(|a| (a.name, a.codes)))
    }
}

/// Every error code by area (`validation`, `ledger`, `data`, `argument`, `time`), from the core's
/// `ERROR_AREAS`. The full module links no analytics, so it has no `analytics` area (Python's
/// `ERROR_CODES` has).
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "ErrorCodes")]
pub fn error_codes() -> Result<JsValue, JsValue> {
    to_js(&Areas)
}

/// Every command type (the `type` of a command object), from the core's `Command::TYPES`.
#[wasm_bindgen(js_name = commandTypes, unchecked_return_type = "Command[\"type\"][]")]
pub fn command_types() -> Result<JsValue, JsValue> {
    to_js(alor_core::Command::TYPES)
}

/// Every event type (the `type` of a recorded event), from the core's `Event::TYPES`.
#[wasm_bindgen(js_name = eventTypes, unchecked_return_type = "Event[\"type\"][]")]
pub fn event_types() -> Result<JsValue, JsValue> {
    to_js(alor_core::Event::TYPES)
}

/// The canonical locale names (`"nb"`, `"en"`), from the core's `Locale::ALL`.
#[wasm_bindgen(unchecked_return_type = "Locale[]")]
pub fn locales() -> Result<JsValue, JsValue> {
    let names: Vec<&str> = alor_core::Locale::ALL.iter().map(|l| l.as_str()).collect();
    to_js(&names)
}

/// The schema version of the JSON the core writes (snapshots, event logs, public snapshots).
#[wasm_bindgen(js_name = schemaVersion)]
pub fn schema_version() -> u32 {
    alor_core::SCHEMA_VERSION
}

/// The highest version a ledger reaches (2^53 - 1: every version is exact as a JS number).
#[wasm_bindgen(js_name = maxVersion)]
pub fn max_version() -> f64 {
    alor_core::MAX_VERSION as f64
}

//! Every error that crosses into JavaScript is built here, and only here.
//!
//! Errors are real `Error` objects (`TypeError` for an argument of the wrong kind), never strings,
//! with the stable machine code of the core in `code`, the area in `area` (`validation`, `ledger`,
//! `data`, or `argument` for the wrapper's own argument checks), and for a bad field its `field`
//! and `problem`. Messages come from the core's `Display` and never contain personal data.

use alor_core::{ArgumentError, ArgumentProblem, DataError, Error, LedgerError, ValidationError};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = TypeError)]
    type JsTypeError;

    #[wasm_bindgen(constructor, js_class = "TypeError")]
    fn new(message: &str) -> JsTypeError;

    #[wasm_bindgen(js_namespace = Reflect, js_name = set, catch)]
    fn reflect_set(target: &JsValue, key: &JsValue, value: &JsValue) -> Result<bool, JsValue>;

    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    fn reflect_get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;
}

fn set(target: &JsValue, key: &str, value: &str) {
    set_value(target, key, &JsValue::from_str(value));
}

fn set_value(target: &JsValue, key: &str, value: &JsValue) {
    // Setting a property on a fresh Error object cannot fail; if it ever did, the error is
    // still thrown, only without that property.
    let _ = reflect_set(target, &JsValue::from_str(key), value);
}

/// A JavaScript `Error` with `code`, `area` and, for a bad field, `field` and `problem`.
/// `context` (an argument name) prefixes the message when given.
fn build(
    message: &str,
    context: Option<&str>,
    code: &str,
    area: &str,
    validation: Option<ValidationError>,
) -> JsValue {
    let js: JsValue = match context {
        Some(what) => JsError::new(&format!("{what}: {message}")),
        None => JsError::new(message),
    }
    .into();
    set(&js, "code", code);
    set(&js, "area", area);
    if let Some(v) = validation {
        set(&js, "field", v.field.as_str());
        set(&js, "problem", v.problem.code());
    }
    js
}

/// A core error as a JavaScript `Error` with `code`, `area` and, for a bad field, `field` and
/// `problem`. `context` (an argument name) prefixes the message when given.
pub fn core(err: &Error, context: Option<&str>) -> JsValue {
    let validation = match err {
        Error::Validation(v) => Some(*v),
        _ => None,
    };
    build(
        &err.to_string(),
        context,
        err.code(),
        err.area(),
        validation,
    )
}

/// A data error (JSON that cannot be read, a snapshot that does not hold together).
pub fn data(err: &DataError, context: Option<&str>) -> JsValue {
    match err {
        DataError::Malformed { detail } => malformed_detail(detail, context),
        other => build(&other.to_string(), context, other.code(), "data", None),
    }
}

/// `malformed_data` with the core's wording, built without `DataError`'s whole `Display`: the
/// page module meets only this kind of data error on reading, and so carries none of the event
/// log's messages.
fn malformed_detail(detail: &str, context: Option<&str>) -> JsValue {
    build(
        &format!("malformed data: {detail}"),
        context,
        "malformed_data",
        "data",
        None,
    )
}

/// A value serde could not read or write (the wrong shape, a bad value), as `malformed_data`
/// with the argument's name in the message and no value quoted (the core's filter).
pub fn malformed(err: serde_wasm_bindgen::Error, name: &str) -> JsValue {
    let thrown = JsValue::from(err);
    let message = reflect_get(&thrown, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_default();
    match DataError::from_serde_message(&message) {
        DataError::Malformed { detail } => malformed_detail(&detail, Some(name)),
        // from_serde_message gives Malformed only; this arm keeps the wording without a panic.
        _ => malformed_detail("unexpected shape or value", Some(name)),
    }
}

/// Text that `JSON.parse` refused.
pub fn not_json(name: &str) -> JsValue {
    malformed_detail("syntax error: not JSON text", Some(name))
}

/// What a check can meet: data and validation errors, as [`core()`] builds them. Kept apart from
/// [`core()`] so the page module does not carry the ledger's and analytics' messages; another
/// kind of error (none can reach a check) keeps its code and area, with the code as message.
pub fn check(err: &Error, context: Option<&str>) -> JsValue {
    match err {
        // Named by code and reason, not by `Display`: the page module then carries none of the
        // event log's messages, which no check can meet.
        Error::Data(DataError::Malformed { detail }) => malformed_detail(detail, context),
        Error::Data(d) => build(
            &format!("{}: {}", d.code(), d.reason_code().unwrap_or("unreadable")),
            context,
            d.code(),
            "data",
            None,
        ),
        Error::Validation(v) => build(&v.to_string(), context, v.code(), "validation", Some(*v)),
        other => build(other.code(), context, other.code(), other.area(), None),
    }
}

/// One bad field of a form, in an error's `errors` (`FieldProblem` in types.d.ts; the same keys
/// as Python's `ValidationError.errors`).
#[derive(serde::Serialize)]
pub struct FieldProblem {
    /// The field (`email`, …).
    pub field: &'static str,
    /// The field's code (`invalid_email`, …).
    pub code: &'static str,
    /// What is wrong (`malformed`, …).
    pub problem: &'static str,
}

impl From<ValidationError> for FieldProblem {
    fn from(v: ValidationError) -> Self {
        FieldProblem {
            field: v.field.as_str(),
            code: v.code(),
            problem: v.problem.code(),
        }
    }
}

/// Every bad field of a form at once: an `Error` with the first field's `code`, `field` and
/// `problem` (area `validation`), every one of them in `errors`, and their messages joined.
pub fn fields(errors: &[ValidationError]) -> JsValue {
    let Some(first) = errors.first() else {
        // The core never fails a form without naming a field; as in Python, should it ever.
        return build("invalid input", None, "invalid", "validation", None);
    };
    let message = errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("; ");
    let js = build(&message, None, first.code(), "validation", Some(*first));
    let problems: Vec<FieldProblem> = errors.iter().copied().map(FieldProblem::from).collect();
    if let Ok(list) = crate::js::to_js(&problems) {
        set_value(&js, "errors", &list);
    }
    js
}

/// A ledger refusal as a JavaScript `Error`.
pub fn ledger(err: LedgerError) -> JsValue {
    core(&Error::from(err), None)
}

/// An argument the wrapper could not use, as a `TypeError` with the core's argument code
/// (`invalid_argument`, `invalid_datetime`, `invalid_version`, … the same as in Python), area
/// `argument`, and the argument's name in `argument`.
pub fn argument(name: &str, problem: ArgumentProblem) -> JsValue {
    let err = ArgumentError::new(name, problem);
    let js: JsValue = JsTypeError::new(&err.to_string()).into();
    set(&js, "code", err.code());
    set(&js, "area", "argument");
    set(&js, "argument", name);
    js
}

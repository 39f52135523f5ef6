//! The core's validators of plain data, as Python has them (`validate_person`, `person_errors`,
//! `validate_gathering`): a form becomes the person a `register` command takes, a gathering is
//! checked before a ledger is made for it. Every rule is the core's (`PersonDraft::validate`,
//! `Gathering::validate`).

use alor_check::error::{self, FieldProblem};
use alor_core::PersonDraft;
use wasm_bindgen::prelude::*;

use crate::convert::{from_js, to_js};

/// Validates a sign-up form (`PersonDraft`: strings, missing fields count as empty) and returns
/// the person in the shape a `register` command takes. Throws an `Error` (area `validation`)
/// with the first bad field's `code`, `field` and `problem`, and every bad field in `errors`.
#[wasm_bindgen(js_name = validatePerson, unchecked_return_type = "Person")]
pub fn validate_person(
    #[wasm_bindgen(unchecked_param_type = "PersonDraft")] draft: JsValue,
) -> Result<JsValue, JsValue> {
    let draft: PersonDraft = from_js(draft, "draft")?;
    match draft.validate() {
        Ok(person) => to_js(&person),
        Err(errors) => Err(error::fields(&errors)),
    }
}

/// Every field problem of a sign-up form, in form order (`[]` when it is valid).
#[wasm_bindgen(js_name = personErrors, unchecked_return_type = "FieldProblem[]")]
pub fn person_errors(
    #[wasm_bindgen(unchecked_param_type = "PersonDraft")] draft: JsValue,
) -> Result<JsValue, JsValue> {
    let draft: PersonDraft = from_js(draft, "draft")?;
    let problems: Vec<FieldProblem> = match draft.validate() {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(FieldProblem::from).collect(),
    };
    to_js(&problems)
}

/// Checks a gathering (an object, or its JSON text): its dates and policy, as `new Ledger`
/// does. Returns it normalised (defaults filled in, instants in UTC).
#[wasm_bindgen(js_name = validateGathering, unchecked_return_type = "Gathering")]
pub fn validate_gathering(
    #[wasm_bindgen(unchecked_param_type = "Gathering | string")] gathering: JsValue,
) -> Result<JsValue, JsValue> {
    to_js(&crate::gathering(gathering)?)
}

//! alor's sign-up checks for web pages: the page-sized WebAssembly module.
//!
//! `check`, `Checker`, `validateOrgNumber`, `roleChoices` and `sectorChoices` — everything a
//! sign-up form needs, and nothing of the ledger, so a page loads a few tens of kilobytes
//! (`scripts/test-wasm` fails the build above 60 KB gzipped). `alor-wasm`, the full module for
//! Node and back ends, links this crate and adds the `Ledger`: one implementation of these
//! exports, the same answers and errors in both.
//!
//! A thin wrapper over `alor-core`: every rule lives in the core (`alor_core::check`,
//! `PersonDraft::validate`, `OrgNumber::parse`, `PublicSnapshot::validate`). This crate moves
//! values across: JSON text in through [`read`] (serde's answers, without serde's size), JSON
//! text out through [`write`], errors through [`error`]. No input makes the module panic: every
//! argument is checked, every core error becomes a thrown `Error` with a `code`, and the JS tests
//! feed random JSON and wrong types to every export.

pub mod error;
pub mod instant;
pub mod js;
pub mod read;
pub mod write;

#[cfg(test)]
mod tests;

use alor_core::{Field, Locale, OrgNumber, PublicSnapshot, Role, Sector, ValidationError};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

fn public_snapshot(value: &JsValue) -> Result<PublicSnapshot, JsValue> {
    let text = match value.as_string() {
        Some(text) => text,
        None => js::json_text(value, "snapshot")?,
    };
    let snapshot = read::snapshot(&text).map_err(|e| error::data(&e, Some("snapshot")))?;
    snapshot
        .validate()
        .map_err(|e| error::check(&e, Some("snapshot")))?;
    Ok(snapshot)
}

fn check_options(options: &JsValue) -> Result<read::CheckOptions, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(read::CheckOptions::default());
    }
    let text = js::json_text(options, "options")?;
    read::options(&text).map_err(|e| error::data(&e, Some("options")))
}

fn run_check(
    snapshot: &PublicSnapshot,
    draft: &JsValue,
    options: &JsValue,
) -> Result<JsValue, JsValue> {
    let text = js::json_text(draft, "draft")?;
    let draft = read::draft(&text).map_err(|e| error::data(&e, Some("draft")))?;
    let options = check_options(options)?;
    let now = match options.now {
        Some(now) => now,
        None => js::clock()?,
    };
    let result = alor_core::check(snapshot, &draft, options.first_time, now, options.locale);
    js::from_json(&write::check_result(&result))
}

/// Checks a sign-up form against a gathering's public snapshot: every field problem, and the
/// predicted outcome (seat, waitlist place, refusal) with a message in bokmål or English.
#[wasm_bindgen(unchecked_return_type = "CheckResult")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "PublicSnapshot | string")] snapshot: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PersonDraft")] draft: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    run_check(&public_snapshot(&snapshot)?, &draft, &options)
}

/// A checker holding one parsed snapshot, for checking a form as it is typed.
#[wasm_bindgen]
pub struct Checker {
    snapshot: PublicSnapshot,
}

#[wasm_bindgen]
impl Checker {
    /// Parses and checks the snapshot once.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "PublicSnapshot | string")] snapshot: JsValue,
    ) -> Result<Checker, JsValue> {
        Ok(Checker {
            snapshot: public_snapshot(&snapshot)?,
        })
    }

    /// Same as the free `check` function, with this checker's snapshot.
    #[wasm_bindgen(unchecked_return_type = "CheckResult")]
    pub fn check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PersonDraft")] draft: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CheckOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        run_check(&self.snapshot, &draft, &options)
    }

    /// The snapshot, as a plain object.
    #[wasm_bindgen(getter, unchecked_return_type = "PublicSnapshot")]
    pub fn snapshot(&self) -> Result<JsValue, JsValue> {
        js::from_json(&write::snapshot(&self.snapshot))
    }
}

/// Checks an organisation number (nine digits, MOD11 check digit; spaces allowed between
/// groups). Returns `{valid: true, value}` with the number normalised, or `{valid: false, code,
/// problem}`.
#[wasm_bindgen(js_name = validateOrgNumber, unchecked_return_type = "OrgNumberCheck")]
pub fn validate_org_number(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<JsValue, JsValue> {
    let text = js::string(&text, "text")?;
    let mut j = write::Json::default();
    j.open().key("valid");
    match OrgNumber::parse(&text) {
        Ok(number) => j.boolean(true).key("value").string(&number.to_string()),
        Err(problem) => j
            .boolean(false)
            .key("code")
            .string(ValidationError::new(Field::OrganisationNumber, problem).code())
            .key("problem")
            .string(problem.code()),
    };
    j.close();
    js::from_json(&j.finish())
}

fn locale(value: &JsValue) -> Result<Locale, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Locale::Nb);
    }
    match value.as_string().as_deref() {
        Some("nb") => Ok(Locale::Nb),
        Some("en") => Ok(Locale::En),
        _ => Err(error::argument("locale", "must be \"nb\" or \"en\"")),
    }
}

/// The roles a participant can choose, with labels in the locale (for a form's select).
#[wasm_bindgen(js_name = roleChoices, unchecked_return_type = "Choice<Role>[]")]
pub fn role_choices(
    #[wasm_bindgen(unchecked_param_type = "Locale")] locale_name: JsValue,
) -> Result<JsValue, JsValue> {
    let locale = locale(&locale_name)?;
    let choices: Vec<(&str, &str)> = Role::ALL
        .iter()
        .map(|r| (r.as_str(), r.label(locale)))
        .collect();
    js::from_json(&write::choices(&choices))
}

/// The sectors, with labels in the locale.
#[wasm_bindgen(js_name = sectorChoices, unchecked_return_type = "Choice<Sector>[]")]
pub fn sector_choices(
    #[wasm_bindgen(unchecked_param_type = "Locale")] locale_name: JsValue,
) -> Result<JsValue, JsValue> {
    let locale = locale(&locale_name)?;
    let choices: Vec<(&str, &str)> = Sector::ALL
        .iter()
        .map(|s| (s.as_str(), s.label(locale)))
        .collect();
    js::from_json(&write::choices(&choices))
}

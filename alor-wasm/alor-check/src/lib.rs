//! alor's sign-up checks for web pages: the page-sized WebAssembly module.
//!
//! `check`, `Checker`, `validateOrgNumber`, `roleChoices` and `sectorChoices` — everything a
//! sign-up form needs, and nothing of the ledger, so a page loads a few tens of kilobytes
//! (`scripts/test-wasm` fails the build above 75 KB gzipped). `alor-wasm`, the full module for
//! Node and back ends, links this crate and adds the `Ledger`: one implementation of these
//! exports, the same answers and errors in both.
//!
//! A thin wrapper over `alor-core`: every rule lives in the core (`alor_core::check`,
//! `PersonDraft::validate`, `OrgNumber::parse`, `PublicSnapshot::validate`). This crate moves
//! values across: plain JS objects in and out through the core's own serde types with
//! serde-wasm-bindgen ([`js`]), errors through [`error`]. No input makes the module panic: every
//! argument is checked, every core error becomes a thrown `Error` with a `code`, and the JS tests
//! feed random JSON and wrong types to every export.

pub mod error;
pub mod js;

use alor_core::{
    Field, Locale, OrgNumber, PersonDraft, PublicSnapshot, Role, Sector, ValidationError,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

// lol_alloc's free list instead of dlmalloc: a few KB less in every module that links this crate
// (the global allocator is the final binary's, so the full module uses it too).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    // SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

/// A snapshot as an object, or as the JSON text a page fetched (read by `JSON.parse`).
fn public_snapshot(value: JsValue) -> Result<PublicSnapshot, JsValue> {
    let value = match value.as_string() {
        Some(text) => js::parse_json(&text, "snapshot")?,
        None => value,
    };
    let snapshot: PublicSnapshot = js::from_js(value, "snapshot")?;
    snapshot
        .validate()
        .map_err(|e| error::check(&e, Some("snapshot")))?;
    Ok(snapshot)
}

/// The options of a check, `{now, locale, firstTime}`, every one optional (`undefined` or
/// `null` for the default), except that a `null` `now` is an error, not "use the clock": an
/// invalid `Date` used to arrive as `null`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CheckOptions {
    /// A string or a `Date`, read by [`js::instant`] (serde-wasm-bindgen reads no `Date`).
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    now: JsValue,
    /// A name the core's `Locale::parse` accepts (as every surface does).
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    locale: JsValue,
    #[serde(default)]
    first_time: Option<bool>,
}

fn check_options(options: JsValue) -> Result<(DateTime<Utc>, Locale, bool), JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok((js::clock()?, Locale::Nb, false));
    }
    let options: CheckOptions = js::from_js(options, "options")?;
    let now = if options.now.is_undefined() {
        js::clock()?
    } else {
        js::instant(&options.now)
            .ok_or_else(|| error::argument("now", alor_core::ArgumentProblem::Datetime))?
    };
    Ok((
        now,
        locale(&options.locale)?,
        options.first_time.unwrap_or_default(),
    ))
}

fn run_check(
    snapshot: &PublicSnapshot,
    draft: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let draft: PersonDraft = js::from_js(draft, "draft")?;
    let (now, locale, first_time) = check_options(options)?;
    js::to_js(&alor_core::check(snapshot, &draft, first_time, now, locale))
}

/// Checks a sign-up form against a gathering's public snapshot: every field problem, and the
/// predicted outcome (seat, waitlist place, refusal) with a message in bokmål, nynorsk or English.
#[wasm_bindgen(unchecked_return_type = "CheckResult")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "PublicSnapshot | string")] snapshot: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PersonDraft")] draft: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    run_check(&public_snapshot(snapshot)?, draft, options)
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
            snapshot: public_snapshot(snapshot)?,
        })
    }

    /// Same as the free `check` function, with this checker's snapshot.
    #[wasm_bindgen(unchecked_return_type = "CheckResult")]
    pub fn check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PersonDraft")] draft: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CheckOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        run_check(&self.snapshot, draft, options)
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
    js::to_js(&match OrgNumber::parse(&text) {
        Ok(number) => OrgNumberCheck::Valid {
            valid: true,
            value: number.to_string(),
        },
        Err(problem) => OrgNumberCheck::Invalid {
            valid: false,
            code: ValidationError::new(Field::OrganisationNumber, problem).code(),
            problem: problem.code(),
        },
    })
}

/// The answer of `validateOrgNumber` (`OrgNumberCheck` in types.d.ts).
#[derive(Serialize)]
#[serde(untagged)]
enum OrgNumberCheck {
    Valid {
        valid: bool,
        value: String,
    },
    Invalid {
        valid: bool,
        code: &'static str,
        problem: &'static str,
    },
}

/// One option of a form's select (`Choice` in types.d.ts).
#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: &'static str,
}

fn locale(value: &JsValue) -> Result<Locale, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Locale::Nb);
    }
    value
        .as_string()
        .and_then(|name| Locale::parse(&name))
        .ok_or_else(|| error::argument("locale", alor_core::ArgumentProblem::Locale))
}

/// The roles a participant can choose, with labels in the locale (for a form's select).
#[wasm_bindgen(js_name = roleChoices, unchecked_return_type = "Choice<Role>[]")]
pub fn role_choices(
    #[wasm_bindgen(unchecked_param_type = "Locale")] locale_name: JsValue,
) -> Result<JsValue, JsValue> {
    let locale = locale(&locale_name)?;
    let choices: Vec<Choice> = Role::ALL
        .iter()
        .map(|r| Choice {
            value: r.as_str(),
            label: r.label(locale),
        })
        .collect();
    js::to_js(&choices)
}

/// The sectors, with labels in the locale.
#[wasm_bindgen(js_name = sectorChoices, unchecked_return_type = "Choice<Sector>[]")]
pub fn sector_choices(
    #[wasm_bindgen(unchecked_param_type = "Locale")] locale_name: JsValue,
) -> Result<JsValue, JsValue> {
    let locale = locale(&locale_name)?;
    let choices: Vec<Choice> = Sector::ALL
        .iter()
        .map(|s| Choice {
            value: s.as_str(),
            label: s.label(locale),
        })
        .collect();
    js::to_js(&choices)
}

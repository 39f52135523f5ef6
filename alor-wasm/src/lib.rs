//! alor in Node and back ends: the registration ledger, plus the sign-up checks.
//!
//! The checks (`check`, `Checker`, `validateOrgNumber`, `roleChoices`, `sectorChoices`) are
//! `alor-check`'s exports, linked in unchanged: a web page loads that crate's page-sized
//! module on its own, and this one adds the `Ledger` (a handle on the core's `Journal`: the
//! ledger and its event log, as Python's `Ledger`), the validators of plain data
//! (`validatePerson`, `personErrors`, `validateGathering`) and the core's published lists
//! (`errorCodes`, `commandTypes`, `eventTypes`, `locales`, `schemaVersion`, `maxVersion`).
//! `tests/surfaces.json` names every operation with its Python twin, and a test holds the
//! module's exports to it.
//!
//! A thin wasm-bindgen wrapper over `alor-core`: every rule lives in the core, this crate only
//! converts values (see `convert` and `alor_check::js`: plain objects through the core's serde
//! types with serde-wasm-bindgen) and errors (`alor_check::error`). Names are camelCase for
//! JavaScript; data objects keep the JSON shape the server stores and the scenario files use (snake_case
//! keys, ISO-8601 date strings), so one JSON document means the same thing on every surface.
//!
//! No input makes the module panic: every argument is checked, every core error becomes a
//! thrown `Error` with a `code`, and the JS tests feed random JSON and wrong types to every
//! export to hold us to that.

mod convert;
mod lists;
mod validate;

use std::collections::BTreeMap;

use alor_check::error;
use alor_core::{Gathering, Journal, Ledger as CoreLedger, Recorded, RegistrationId, MAX_VERSION};
use wasm_bindgen::prelude::*;

use convert::{from_js, instant, optional_instant, optional_whole, string, to_js, whole};
pub use lists::{command_types, error_codes, event_types, locales, max_version, schema_version};
pub use validate::{person_errors, validate_gathering, validate_person};

// Linking the check crate brings its exports (and their TypeScript types) into this module.
pub use alor_check::{check, role_choices, sector_choices, validate_org_number, Checker};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

/// The registration ledger of one gathering (for Node tools, back ends, tests and demos; a page
/// loads the page module `alor_check`, which has the checks and no ledger).
///
/// A handle on the core's `Journal`: the ledger plus the events it recorded (with erased people's
/// details redacted), as Python's `Ledger` is. The wrapper keeps no log of its own.
#[wasm_bindgen(js_name = Ledger)]
pub struct Ledger {
    inner: Journal,
}

/// A gathering argument: an object, or its JSON text (read by the core's own JSON entry point),
/// checked (dates, policy).
pub(crate) fn gathering(value: JsValue) -> Result<Gathering, JsValue> {
    match value.as_string() {
        Some(text) => Gathering::from_json(&text).map_err(|e| error::core(&e, Some("gathering"))),
        None => {
            let gathering: Gathering = from_js(value, "gathering")?;
            gathering
                .validate()
                .map_err(|e| error::core(&e.into(), Some("gathering")))?;
            Ok(gathering)
        }
    }
}

fn registration_id(value: &JsValue) -> Result<RegistrationId, JsValue> {
    whole(
        value,
        "id",
        u64::from(u32::MAX),
        alor_core::ArgumentProblem::RegistrationId,
    )
    .map(|n| RegistrationId(n as u32))
}

fn expected_version(value: &JsValue) -> Result<Option<u64>, JsValue> {
    optional_whole(
        value,
        "expectedVersion",
        MAX_VERSION,
        alor_core::ArgumentProblem::Version,
    )
}

#[wasm_bindgen(js_class = Ledger)]
impl Ledger {
    /// A new, empty ledger for a gathering (an object, or its JSON text).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Gathering | string")] gathering: JsValue,
    ) -> Result<Ledger, JsValue> {
        let inner = Journal::new(self::gathering(gathering)?)
            .map_err(|e| error::core(&e.into(), Some("gathering")))?;
        Ok(Ledger { inner })
    }

    /// Restores a ledger from snapshot JSON (as written by `snapshotJson`), checking it. The
    /// events before the snapshot are not kept: `eventsSince` an older version and
    /// `eventLogJson` throw `events_not_kept`.
    #[wasm_bindgen(js_name = fromSnapshotJson)]
    pub fn from_snapshot_json(
        #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
    ) -> Result<Ledger, JsValue> {
        let json = string(&json, "json")?;
        CoreLedger::from_json(&json)
            .map(|ledger| Ledger {
                inner: Journal::from_ledger(ledger),
            })
            .map_err(|e| error::core(&e, Some("snapshot")))
    }

    /// Rebuilds a ledger from event log JSON (`{schema_version, gathering, events}`, as written
    /// by `eventLogJson`), checking every event, and keeps the events.
    #[wasm_bindgen(js_name = fromEventLogJson)]
    pub fn from_event_log_json(
        #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
    ) -> Result<Ledger, JsValue> {
        let json = string(&json, "json")?;
        Journal::from_json(&json)
            .map(|inner| Ledger { inner })
            .map_err(|e| error::core(&e, Some("log")))
    }

    /// Rebuilds a ledger from a gathering (as created) and its events (e.g. `eventsSince(0)`),
    /// checking each event, and keeps the events.
    pub fn replay(
        #[wasm_bindgen(unchecked_param_type = "Gathering")] gathering: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Recorded[]")] events: JsValue,
    ) -> Result<Ledger, JsValue> {
        let gathering: Gathering = from_js(gathering, "gathering")?;
        let events: Vec<Recorded> = from_js(events, "events")?;
        Journal::replay(gathering, events)
            .map(|inner| Ledger { inner })
            .map_err(|e| error::core(&e, Some("events")))
    }

    /// The events recorded after `version` (0, `undefined` or `null` for all). The ledger keeps
    /// every event since it was created, replayed or restored from a snapshot; asking for older
    /// ones throws `events_not_kept`. Events of erased registrations come redacted.
    #[wasm_bindgen(js_name = eventsSince, unchecked_return_type = "Recorded[]")]
    pub fn events_since(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] version: JsValue,
    ) -> Result<JsValue, JsValue> {
        let version = optional_whole(
            &version,
            "version",
            MAX_VERSION,
            alor_core::ArgumentProblem::Version,
        )?
        .unwrap_or(0);
        let events = self
            .inner
            .events_since(version)
            .map_err(|e| error::data(&e, None))?;
        to_js(events)
    }

    /// The gathering as created and every event, as JSON (the core's event log; read back by
    /// `fromEventLogJson`). Throws `events_not_kept` for a ledger restored from a snapshot.
    #[wasm_bindgen(js_name = eventLogJson)]
    pub fn event_log_json(&self) -> Result<String, JsValue> {
        self.inner.to_json().map_err(|e| error::data(&e, None))
    }

    /// Decides and applies a command at `at`; returns the recorded events. With
    /// `expectedVersion`, a ledger that moved on refuses with `conflict`.
    #[wasm_bindgen(unchecked_return_type = "Recorded[]")]
    pub fn execute(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Command")] command: JsValue,
        #[wasm_bindgen(unchecked_param_type = "DateInput")] at: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] expected: JsValue,
    ) -> Result<JsValue, JsValue> {
        let command = convert::command(command)?;
        let at = instant(&at, "at")?;
        let expected = expected_version(&expected)?;
        let events = self
            .inner
            .execute(&command, at, expected)
            .map_err(error::ledger)?;
        to_js(&events)
    }

    /// The events a command would cause, without changing anything.
    #[wasm_bindgen(unchecked_return_type = "Recorded[]")]
    pub fn decide(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Command")] command: JsValue,
        #[wasm_bindgen(unchecked_param_type = "DateInput")] at: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] expected: JsValue,
    ) -> Result<JsValue, JsValue> {
        let command = convert::command(command)?;
        let at = instant(&at, "at")?;
        let expected = expected_version(&expected)?;
        let events = self
            .inner
            .decide(&command, at, expected)
            .map_err(error::ledger)?;
        to_js(&events)
    }

    /// Lets time pass to `at`: expires due holds and offers their seats on.
    #[wasm_bindgen(js_name = handleTimeout, unchecked_return_type = "Recorded[]")]
    pub fn handle_timeout(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "DateInput")] at: JsValue,
    ) -> Result<JsValue, JsValue> {
        let at = instant(&at, "at")?;
        to_js(&self.inner.handle_timeout(at).map_err(error::ledger)?)
    }

    /// When time alone changes the state next (call `handleTimeout` then), or `null`.
    #[wasm_bindgen(js_name = nextDeadline, unchecked_return_type = "string | null")]
    pub fn next_deadline(&self) -> Result<JsValue, JsValue> {
        to_js(&self.ledger().next_deadline())
    }

    /// What a web page may know: counts, no personal data. With `at`, holds that ran out by
    /// then are settled first (serve this one).
    #[wasm_bindgen(js_name = publicSnapshot, unchecked_return_type = "PublicSnapshot")]
    pub fn public_snapshot(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "DateInput | null")] at: JsValue,
    ) -> Result<JsValue, JsValue> {
        to_js(&self.public(&at)?)
    }

    /// The public snapshot as JSON text (what a server publishes for pages), as `publicSnapshot`.
    #[wasm_bindgen(js_name = publicSnapshotJson)]
    pub fn public_snapshot_json(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "DateInput | null")] at: JsValue,
    ) -> Result<String, JsValue> {
        Ok(self.public(&at)?.to_json())
    }

    /// The complete state as JSON text (personal data included: keep it on the server).
    #[wasm_bindgen(js_name = snapshotJson)]
    pub fn snapshot_json(&self) -> String {
        self.ledger().to_json()
    }

    /// The sequence number of the last event (0 before the first).
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> f64 {
        // Versions are capped at 2^53 - 1 by the core, so they are exact as numbers.
        self.ledger().version() as f64
    }

    /// The current capacity.
    #[wasm_bindgen(getter)]
    pub fn capacity(&self) -> u32 {
        self.ledger().capacity()
    }

    /// Seats that count against capacity.
    #[wasm_bindgen(getter, js_name = countedSeats)]
    pub fn counted_seats(&self) -> u32 {
        self.ledger().counted_seats()
    }

    /// Seats not taken.
    #[wasm_bindgen(getter, js_name = freeSeats)]
    pub fn free_seats(&self) -> u32 {
        self.ledger().free_seats()
    }

    /// Counted seats granted by an override beyond capacity.
    #[wasm_bindgen(getter, js_name = overriddenSeats)]
    pub fn overridden_seats(&self) -> u32 {
        self.ledger().overridden_seats()
    }

    /// How many are on the waitlist.
    #[wasm_bindgen(getter, js_name = waitlistLen)]
    pub fn waitlist_len(&self) -> u32 {
        // Registration ids are u32, so the waitlist is never longer than u32::MAX.
        self.ledger().waitlist_len() as u32
    }

    /// Whether an organiser has closed registration.
    #[wasm_bindgen(getter, js_name = manuallyClosed)]
    pub fn manually_closed(&self) -> bool {
        self.ledger().manually_closed()
    }

    /// The gathering, with its current capacity.
    #[wasm_bindgen(getter, unchecked_return_type = "Gathering")]
    pub fn gathering(&self) -> Result<JsValue, JsValue> {
        to_js(self.ledger().gathering())
    }

    /// Whether participants can sign up at `at`.
    #[wasm_bindgen(js_name = isOpen)]
    pub fn is_open(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DateInput")] at: JsValue,
    ) -> Result<bool, JsValue> {
        Ok(self.ledger().is_open(instant(&at, "at")?))
    }

    /// The waitlist's registration ids, in the order it is served.
    #[wasm_bindgen(unchecked_return_type = "number[]")]
    pub fn waitlist(&self) -> Result<JsValue, JsValue> {
        let ids: Vec<u32> = self.ledger().waitlist().map(|r| r.id.0).collect();
        to_js(&ids)
    }

    /// 1-based waitlist place of a registration, or `null` if it is not waiting.
    #[wasm_bindgen(js_name = waitlistPosition, unchecked_return_type = "number | null")]
    pub fn waitlist_position(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    ) -> Result<JsValue, JsValue> {
        to_js(&self.ledger().waitlist_position(registration_id(&id)?))
    }

    /// One registration (with its personal data until erased), or `null`.
    #[wasm_bindgen(unchecked_return_type = "Registration | null")]
    pub fn registration(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    ) -> Result<JsValue, JsValue> {
        to_js(&self.ledger().registration(registration_id(&id)?))
    }

    /// All registrations, in id order.
    #[wasm_bindgen(unchecked_return_type = "Registration[]")]
    pub fn registrations(&self) -> Result<JsValue, JsValue> {
        to_js(&self.ledger().registrations())
    }

    /// Counted seats and active registrations per organisation number (an organisation with
    /// neither is left out), as an object keyed by the nine digits.
    #[wasm_bindgen(js_name = organisationCounts, unchecked_return_type = "Record<string, OrgCount>")]
    pub fn organisation_counts(&self) -> Result<JsValue, JsValue> {
        let counts: BTreeMap<String, alor_core::OrgCount> = self
            .ledger()
            .organisation_counts()
            .map(|(number, count)| (number.to_string(), count))
            .collect();
        to_js(&counts)
    }

    /// Checks the invariants; throws `inconsistent_snapshot` with what is wrong.
    pub fn verify(&self) -> Result<(), JsValue> {
        self.ledger()
            .verify()
            .map_err(|e| error::core(&e.into(), None))
    }
}

impl Ledger {
    fn ledger(&self) -> &CoreLedger {
        self.inner.ledger()
    }

    /// The public snapshot, at `at` (holds that ran out by then settled) or as things stand.
    fn public(&self, at: &JsValue) -> Result<alor_core::PublicSnapshot, JsValue> {
        Ok(match optional_instant(at, "at")? {
            Some(at) => self.ledger().public_snapshot_at(at),
            None => self.ledger().public_snapshot(),
        })
    }
}

//! The Rust runner of the cross-surface scenario files, `tests/scenarios/*.json`.
//!
//! The format, and what every runner (Rust, pytest, node) must check, is in `tests/README.md`.
//! In short, for each step: parse the command JSON with [`Command::from_json`]; execute it at the
//! step's instant with the optional expected version; compare the outcome with `expect` (an
//! error code, or the exact number of events, each a recursive subset of the recorded event
//! JSON); check `Ledger::verify`; check the optional `state` assertions. A refused command must
//! leave the ledger unchanged. At the end of every scenario, replaying the events from the
//! initial gathering, and reading back the snapshot and the event log as JSON, must give the
//! same ledger.
//!
//! Beyond the files themselves, this runner checks that the scenarios, taken together, expect
//! every [`LedgerError`] code (so a new error code without a scenario fails the build), use every
//! command and event type, and that the runner's own subset rule behaves as documented.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use alor_core::{
    Command, Error, Event, EventLog, Gathering, Ledger, LedgerError, OrgNumber, Recorded,
    RegistrationId, SCHEMA_VERSION,
};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// Ledger error codes no scenario file expects, and why. The coverage test fails if one of
/// these stops being a code, or if a scenario starts expecting it (then remove it from here).
const UNREACHABLE_CODES: &[(&str, &str)] = &[(
    "registration_limit",
    "needs u32::MAX - 1 registrations in one gathering (about 4.3 billion sign-ups): a scenario \
     file cannot get there in reasonable time or memory",
)];

/// Every command and event type comes from the core (`Command::TYPES`, `Event::TYPES`), never a
/// copy: scenarios together must execute each command and expect each event.
const COMMAND_TYPES: &[&str] = Command::TYPES;
const EVENT_TYPES: &[&str] = Event::TYPES;

const SCENARIO_KEYS: &[&str] = &["name", "description", "gathering", "steps"];
const STEP_KEYS: &[&str] = &[
    "note",
    "at",
    "command",
    "expected_version",
    "expect",
    "state",
];
const EXPECT_KEYS: &[&str] = &["events", "error", "area"];
/// The state assertions this runner implements (and `tests/scenario.schema.json` allows).
const STATE_KEYS: &[&str] = &[
    "version",
    "capacity",
    "counted_seats",
    "free_seats",
    "overridden_seats",
    "waitlist",
    "waitlist_positions",
    "statuses",
    "registrations",
    "organisations",
    "next_deadline",
    "is_open",
    "manually_closed",
];

const MIN_SCENARIOS: usize = 25;

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests")
}

/// Every scenario file, sorted by name, parsed as JSON.
fn load_scenarios() -> Vec<(String, Value)> {
    let dir = tests_dir().join("scenarios");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()));
            (stem, value)
        })
        .collect()
}

/// What a scenario exercised, for the coverage tests.
#[derive(Default)]
struct Coverage {
    error_codes: BTreeSet<String>,
    command_types: BTreeSet<String>,
    event_types: BTreeSet<String>,
}

// ------------------------------------------------------------------------------------------------
// The subset rule

/// Whether `text` is an RFC 3339 date-time in the shape the README names:
/// `YYYY-MM-DDTHH:MM:SS`, optional fraction, then `Z` or `±HH:MM`.
fn instant(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let shaped = b.len() >= 20
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':';
    if !shaped {
        return None;
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Checks that `expected` is a recursive subset of `actual` (see `tests/README.md`):
/// objects: every expected key matches (extra actual keys are fine); `null`: actual is `null`
/// or absent; arrays: same length, element by element; date-time strings: the same instant;
/// everything else: equal.
fn subset(expected: &Value, actual: Option<&Value>, path: &str) -> Result<(), String> {
    let shown = |v: Option<&Value>| v.map_or_else(|| "nothing".to_owned(), Value::to_string);
    match (expected, actual) {
        (Value::Null, None | Some(Value::Null)) => Ok(()),
        (Value::Object(want), Some(Value::Object(have))) => {
            for (key, value) in want {
                subset(value, have.get(key), &format!("{path}.{key}"))?;
            }
            Ok(())
        }
        (Value::Array(want), Some(Value::Array(have))) => {
            if want.len() != have.len() {
                return Err(format!(
                    "{path}: expected {} elements, found {}: {}",
                    want.len(),
                    have.len(),
                    shown(actual)
                ));
            }
            for (i, (w, h)) in want.iter().zip(have).enumerate() {
                subset(w, Some(h), &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (Value::String(want), Some(Value::String(have))) if instant(want).is_some() => {
            if instant(want) == instant(have) {
                Ok(())
            } else {
                Err(format!("{path}: expected the instant {want}, found {have}"))
            }
        }
        (want, Some(have)) if want == have => Ok(()),
        (want, have) => Err(format!("{path}: expected {want}, found {}", shown(have))),
    }
}

// ------------------------------------------------------------------------------------------------
// Running one scenario

fn check_keys(object: &Map<String, Value>, allowed: &[&str], what: &str) -> Result<(), String> {
    match object.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(key) => Err(format!("{what} has an unknown key {key:?}")),
        None => Ok(()),
    }
}

fn as_object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>, String> {
    value
        .as_object()
        .ok_or_else(|| format!("{what} must be an object"))
}

fn parse_id(key: &str) -> Result<RegistrationId, String> {
    key.parse()
        .map(RegistrationId)
        .map_err(|_| format!("{key:?} is not a registration id"))
}

fn parse_at(value: &Value, what: &str) -> Result<DateTime<Utc>, String> {
    value
        .as_str()
        .and_then(instant)
        .ok_or_else(|| format!("{what} must be an RFC 3339 date-time with an offset"))
}

/// Checks the `state` assertions of a step against the ledger.
fn check_state(
    ledger: &Ledger,
    at: DateTime<Utc>,
    state: &Map<String, Value>,
) -> Result<(), String> {
    check_keys(state, STATE_KEYS, "state")?;
    let mut problems = Vec::new();
    let mut compare = |what: &str, expected: &Value, actual: Value| {
        if let Err(e) = subset(expected, Some(&actual), what) {
            problems.push(e);
        }
    };
    for (key, expected) in state {
        match key.as_str() {
            "version" => compare(key, expected, ledger.version().into()),
            "capacity" => compare(key, expected, ledger.capacity().into()),
            "counted_seats" => compare(key, expected, ledger.counted_seats().into()),
            "free_seats" => compare(key, expected, ledger.free_seats().into()),
            "overridden_seats" => compare(key, expected, ledger.overridden_seats().into()),
            "waitlist" => compare(
                key,
                expected,
                ledger.waitlist().map(|r| Value::from(r.id.0)).collect(),
            ),
            "next_deadline" => compare(
                key,
                expected,
                ledger
                    .next_deadline()
                    .map_or(Value::Null, |t| Value::String(t.to_rfc3339())),
            ),
            "is_open" => compare(key, expected, ledger.is_open(at).into()),
            "manually_closed" => compare(key, expected, ledger.manually_closed().into()),
            "waitlist_positions" | "statuses" | "registrations" => {
                for (id, want) in as_object(expected, key)? {
                    let rid = parse_id(id)?;
                    let what = format!("{key}[{id}]");
                    let Some(reg) = ledger.registration(rid) else {
                        compare(&what, want, Value::String("no such registration".into()));
                        continue;
                    };
                    let actual = match key.as_str() {
                        "waitlist_positions" => ledger.waitlist_position(rid).into(),
                        "statuses" => reg.status.as_str().into(),
                        _ => serde_json::to_value(reg).expect("registrations serialise"),
                    };
                    compare(&what, want, actual);
                }
            }
            "organisations" => {
                for (number, want) in as_object(expected, key)? {
                    let parsed = OrgNumber::parse(number)
                        .map_err(|_| format!("{number:?} is not an organisation number"))?;
                    let count = ledger.organisation_count(parsed);
                    let actual =
                        serde_json::json!({"counted": count.counted, "active": count.active});
                    // Exact: both counts, so a typo'd key cannot pass silently.
                    let fields = as_object(want, key)?;
                    check_keys(fields, &["counted", "active"], key)?;
                    if fields.len() != 2 {
                        return Err(format!("{key}[{number}] needs both counted and active"));
                    }
                    compare(&format!("{key}[{number}]"), want, actual);
                }
            }
            _ => unreachable!("checked against STATE_KEYS"),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// Checks an error outcome against `expect`.
fn check_error(expect: &Map<String, Value>, error: &Error) -> Result<(), String> {
    let Some(code) = expect.get("error") else {
        return Err(format!(
            "expected events, got error {} ({error})",
            error.code()
        ));
    };
    if code.as_str() != Some(error.code()) {
        return Err(format!(
            "expected error {code}, got error {} ({error})",
            error.code()
        ));
    }
    if let Some(area) = expect.get("area") {
        if area.as_str() != Some(error.area()) {
            return Err(format!("expected area {area}, got {}", error.area()));
        }
    }
    Ok(())
}

/// Runs one scenario; returns what it covered, or every problem found (stopping at the first
/// step that fails, since later steps depend on it).
fn run_scenario(stem: &str, doc: &Value, coverage: &mut Coverage) -> Result<(), String> {
    let doc = as_object(doc, "the scenario")?;
    check_keys(doc, SCENARIO_KEYS, "the scenario")?;
    for key in SCENARIO_KEYS {
        if !doc.contains_key(*key) {
            return Err(format!("missing key {key:?}"));
        }
    }
    if doc["name"].as_str() != Some(stem) {
        return Err(format!("name {} differs from the file name", doc["name"]));
    }
    if doc["description"]
        .as_str()
        .is_none_or(|d| d.trim().is_empty())
    {
        return Err("description must be a non-empty string".into());
    }
    let gathering = Gathering::from_json(&doc["gathering"].to_string())
        .map_err(|e| format!("gathering: {} ({e})", e.code()))?;
    let mut ledger = Ledger::new(gathering.clone()).map_err(|e| format!("gathering: {e}"))?;
    let steps = doc["steps"].as_array().ok_or("steps must be an array")?;
    if steps.is_empty() {
        return Err("a scenario needs steps".into());
    }
    let mut all_events: Vec<Recorded> = Vec::new();

    for (i, step) in steps.iter().enumerate() {
        let fail = |msg: String| format!("step {} ({}): {msg}", i + 1, step["at"]);
        let step = as_object(step, "a step").map_err(fail)?;
        check_keys(step, STEP_KEYS, "the step").map_err(fail)?;
        let at = parse_at(&step["at"], "at").map_err(fail)?;
        let command_json = step
            .get("command")
            .ok_or_else(|| fail("no command".into()))?;
        let expected_version = match step.get("expected_version") {
            None => None,
            Some(v) => Some(
                v.as_u64()
                    .ok_or_else(|| fail("expected_version must be a number".into()))?,
            ),
        };
        let expect = as_object(
            step.get("expect").ok_or_else(|| fail("no expect".into()))?,
            "expect",
        )
        .map_err(fail)?;
        check_keys(expect, EXPECT_KEYS, "expect").map_err(fail)?;
        if expect.contains_key("events") == expect.contains_key("error") {
            return Err(fail("expect needs exactly one of events and error".into()));
        }
        if let Some(code) = expect.get("error") {
            let code = code
                .as_str()
                .ok_or_else(|| fail("error must be a string".into()))?;
            coverage.error_codes.insert(code.to_owned());
        }

        // The command goes through the same JSON entry point the bindings use.
        match Command::from_json(&command_json.to_string()) {
            Err(error) => check_error(expect, &error).map_err(fail)?,
            Ok(command) => {
                let text = serde_json::to_string(&command).expect("commands serialise");
                if Command::from_json(&text).as_ref() != Ok(&command) {
                    return Err(fail(
                        "the command does not survive a JSON round trip".into(),
                    ));
                }
                let before = ledger.clone();
                let decided = ledger.decide(&command, at, expected_version);
                let result = ledger.execute(&command, at, expected_version);
                if decided != result {
                    return Err(fail("decide and execute disagree".into()));
                }
                match result {
                    Err(error) => {
                        if ledger != before {
                            return Err(fail(format!("refused ({}) but changed", error.code())));
                        }
                        check_error(expect, &Error::from(error)).map_err(fail)?;
                    }
                    Ok(events) => {
                        let Some(want) = expect.get("events").and_then(Value::as_array) else {
                            return Err(fail(format!(
                                "expected an error, got {} events: {}",
                                events.len(),
                                serde_json::to_string(&events).unwrap()
                            )));
                        };
                        for (n, event) in events.iter().enumerate() {
                            if event.seq != before.version() + n as u64 + 1 {
                                return Err(fail(format!("event {n} has seq {}", event.seq)));
                            }
                            if event.at > at || before.last_event_at().is_some_and(|l| event.at < l)
                            {
                                return Err(fail(format!("event {n} is at {}", event.at)));
                            }
                        }
                        if ledger.version() != before.version() + events.len() as u64 {
                            return Err(fail("the version did not follow the events".into()));
                        }
                        let actual = serde_json::to_value(&events).expect("events serialise");
                        subset(&Value::Array(want.clone()), Some(&actual), "events")
                            .map_err(|e| fail(format!("{e}\n  recorded: {actual}")))?;
                        let kind = command_json["type"].as_str().unwrap_or("?");
                        coverage.command_types.insert(kind.to_owned());
                        for e in want {
                            if let Some(t) = e["event"]["type"].as_str() {
                                coverage.event_types.insert(t.to_owned());
                            }
                        }
                        all_events.extend(events);
                    }
                }
            }
        }

        ledger
            .verify()
            .map_err(|e| fail(format!("invariants broken: {e}")))?;
        let restored = Ledger::from_json(&ledger.to_json())
            .map_err(|e| fail(format!("snapshot does not load: {e}")))?;
        if restored != ledger {
            return Err(fail("the snapshot JSON round trip differs".into()));
        }
        if let Some(state) = step.get("state") {
            check_state(&ledger, at, as_object(state, "state").map_err(fail)?).map_err(fail)?;
        }
    }

    // The state is the replay of its events, and both forms survive JSON.
    let replayed = Ledger::replay(gathering.clone(), &all_events)
        .map_err(|e| format!("replay fails: {} ({e})", e.code()))?;
    if replayed != ledger {
        return Err("replaying the events gives another state".into());
    }
    let log = EventLog {
        schema_version: SCHEMA_VERSION,
        gathering,
        events: all_events,
    };
    let text = serde_json::to_string(&log).expect("logs serialise");
    let read: EventLog = serde_json::from_str(&text).map_err(|e| format!("log JSON: {e}"))?;
    let from_log = Ledger::from_log(&read).map_err(|e| format!("log does not replay: {e}"))?;
    if from_log != ledger {
        return Err("the event log JSON round trip gives another state".into());
    }
    Ok(())
}

/// Runs every scenario once per test process; the tests below share the outcome.
fn run_all() -> &'static (Vec<String>, Coverage) {
    static OUTCOME: OnceLock<(Vec<String>, Coverage)> = OnceLock::new();
    OUTCOME.get_or_init(|| {
        let mut failures = Vec::new();
        let mut coverage = Coverage::default();
        for (stem, doc) in &load_scenarios() {
            if let Err(e) = run_scenario(stem, doc, &mut coverage) {
                failures.push(format!("{stem}: {e}"));
            }
        }
        (failures, coverage)
    })
}

// ------------------------------------------------------------------------------------------------
// Tests

#[test]
fn every_scenario_passes() {
    let scenarios = load_scenarios();
    assert!(
        scenarios.len() >= MIN_SCENARIOS,
        "only {} scenarios in tests/scenarios",
        scenarios.len()
    );
    let mut names = BTreeSet::new();
    for (stem, _) in &scenarios {
        assert!(names.insert(stem.clone()), "duplicate scenario {stem}");
    }
    let (failures, _) = run_all();
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n{}",
        failures.len(),
        scenarios.len(),
        failures.join("\n\n")
    );
}

#[test]
fn scenarios_expect_every_ledger_error_code() {
    let (_, coverage) = run_all();
    let excluded: BTreeSet<&str> = UNREACHABLE_CODES.iter().map(|(code, _)| *code).collect();
    for code in &excluded {
        assert!(
            LedgerError::CODES.contains(code),
            "{code} is excluded but is no longer a ledger error code"
        );
        assert!(
            !coverage.error_codes.contains(*code),
            "{code} is excluded but a scenario expects it: remove the exclusion"
        );
    }
    let missing: Vec<&str> = LedgerError::CODES
        .iter()
        .copied()
        .filter(|code| !excluded.contains(code) && !coverage.error_codes.contains(*code))
        .collect();
    assert!(
        missing.is_empty(),
        "no scenario in tests/scenarios expects these ledger error codes: {missing:?}"
    );
}

#[test]
fn scenarios_use_every_command_and_event() {
    let (_, coverage) = run_all();
    let missing_commands: Vec<_> = COMMAND_TYPES
        .iter()
        .filter(|t| !coverage.command_types.contains(**t))
        .collect();
    assert!(
        missing_commands.is_empty(),
        "no scenario executes these commands successfully: {missing_commands:?}"
    );
    let missing_events: Vec<_> = EVENT_TYPES
        .iter()
        .filter(|t| !coverage.event_types.contains(**t))
        .collect();
    assert!(
        missing_events.is_empty(),
        "no scenario expects these events: {missing_events:?}"
    );
}

#[test]
fn schema_allows_exactly_the_keys_this_runner_implements() {
    let path = tests_dir().join("scenario.schema.json");
    let text = std::fs::read_to_string(&path).expect("tests/scenario.schema.json");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    let keys = |pointer: &str| -> BTreeSet<String> {
        schema
            .pointer(pointer)
            .and_then(Value::as_object)
            .unwrap_or_else(|| panic!("schema has no {pointer}"))
            .keys()
            .cloned()
            .collect()
    };
    let own = |list: &[&str]| {
        list.iter()
            .map(|s| (*s).to_owned())
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(keys("/properties"), own(SCENARIO_KEYS));
    assert_eq!(keys("/$defs/step/properties"), own(STEP_KEYS));
    assert_eq!(keys("/$defs/state/properties"), own(STATE_KEYS));
    let mut expect_keys = keys("/$defs/expect_events/properties");
    expect_keys.extend(keys("/$defs/expect_error/properties"));
    assert_eq!(expect_keys, own(EXPECT_KEYS));
}

/// The runner must catch wrong expectations: a runner that passes everything proves nothing.
#[test]
fn a_wrong_expectation_fails() {
    let scenarios = load_scenarios();
    let (stem, doc) = scenarios
        .iter()
        .find(|(stem, _)| stem == "waitlist-join-time-order")
        .expect("the waitlist-join-time-order scenario");
    run_scenario(stem, doc, &mut Coverage::default()).expect("the scenario passes as written");

    let mutations: [(&str, Value); 6] = [
        // Another registration promoted.
        (
            "/steps/4/expect/events/1/event/registration",
            Value::from(3),
        ),
        // A promotion at another instant.
        (
            "/steps/4/expect/events/1/at",
            "2026-09-05T12:00:01+02:00".into(),
        ),
        // An error where events happen.
        (
            "/steps/0/expect",
            serde_json::json!({"error": "gathering_full"}),
        ),
        // A wrong state assertion.
        ("/steps/4/state/waitlist", serde_json::json!([4, 3])),
        // One event too few.
        (
            "/steps/4/expect/events",
            serde_json::json!([{"event": {"type": "cancelled"}}]),
        ),
        // An unknown state key (a typo must not pass silently).
        ("/steps/4/state/wait_list", serde_json::json!([3, 4])),
    ];
    for (pointer, value) in mutations {
        let mut changed = doc.clone();
        match changed.pointer_mut(pointer) {
            Some(slot) => *slot = value,
            None => {
                let (parent, key) = pointer.rsplit_once('/').unwrap();
                changed
                    .pointer_mut(parent)
                    .and_then(Value::as_object_mut)
                    .unwrap_or_else(|| panic!("no {parent}"))
                    .insert(key.to_owned(), value);
            }
        }
        assert!(
            run_scenario(stem, &changed, &mut Coverage::default()).is_err(),
            "changing {pointer} went unnoticed"
        );
    }
}

#[test]
fn subset_rule() {
    use serde_json::json;
    let ok = |want: Value, have: Value| subset(&want, Some(&have), "x").is_ok();
    // Objects: expected keys must match, extra actual keys are fine.
    assert!(ok(json!({"a": 1}), json!({"a": 1, "b": 2})));
    assert!(!ok(json!({"a": 1, "c": 3}), json!({"a": 1, "b": 2})));
    assert!(!ok(json!({"a": 1}), json!({"a": 2})));
    // Recursively.
    assert!(ok(json!({"a": {"b": 1}}), json!({"a": {"b": 1, "c": 2}})));
    assert!(!ok(json!({"a": {"b": 1}}), json!({"a": 1})));
    // Arrays: same length, element-wise subsets.
    assert!(ok(
        json!([{"a": 1}, {}]),
        json!([{"a": 1, "b": 2}, {"c": 3}])
    ));
    assert!(!ok(json!([{"a": 1}]), json!([{"a": 1}, {"a": 2}])));
    assert!(!ok(json!([]), json!([1])));
    // null: null or absent.
    assert!(ok(json!({"a": null}), json!({"a": null})));
    assert!(ok(json!({"a": null}), json!({})));
    assert!(!ok(json!({"a": null}), json!({"a": 0})));
    // Date-times compare as instants; other strings exactly.
    assert!(ok(
        json!("2026-10-25T02:30:00+01:00"),
        json!("2026-10-25T01:30:00Z")
    ));
    assert!(!ok(
        json!("2026-10-25T02:30:00+02:00"),
        json!("2026-10-25T01:30:00Z")
    ));
    assert!(!ok(json!("2026-10-25T02:30:00Z"), json!("not a date")));
    assert!(!ok(json!("Kari"), json!("kari")));
    assert!(ok(json!("985198292"), json!("985198292")));
    // Scalars of another type never match.
    assert!(!ok(json!(1), json!("1")));
    assert!(!ok(json!(false), json!(null)));
}

#[test]
fn readme_lists_every_scenario() {
    let readme = std::fs::read_to_string(tests_dir().join("README.md")).expect("tests/README.md");
    let missing: Vec<String> = load_scenarios()
        .into_iter()
        .map(|(stem, _)| stem)
        .filter(|stem| !readme.contains(&format!("| `{stem}` |")))
        .collect();
    assert!(
        missing.is_empty(),
        "tests/README.md does not list these scenarios: {missing:?}"
    );
}

/// `type_name()` is what serde writes as the `type` tag, for every command and event the
/// scenario files hold: the published lists cannot drift from the JSON.
#[test]
fn type_names_are_the_json_type_tags() {
    let mut seen = (BTreeSet::new(), BTreeSet::new());
    for (_, file) in load_scenarios() {
        for step in file["steps"].as_array().into_iter().flatten() {
            if let Ok(command) = Command::from_value(step["command"].clone()) {
                let json = serde_json::to_value(&command).unwrap();
                assert_eq!(json["type"], command.type_name());
                seen.0.insert(command.type_name());
            }
            for expected in step["expect"]["events"].as_array().into_iter().flatten() {
                if let Ok(event) = serde_json::from_value::<Event>(expected["event"].clone()) {
                    let json = serde_json::to_value(&event).unwrap();
                    assert_eq!(json["type"], event.type_name());
                    seen.1.insert(event.type_name());
                }
            }
        }
    }
    assert_eq!(
        seen.0.len(),
        Command::TYPES.len(),
        "every command type seen"
    );
    // Expected events may be written partly (a registration's person left out), so not every
    // one parses as an `Event`; those that do must carry their type_name as tag.
    assert!(!seen.1.is_empty());
}

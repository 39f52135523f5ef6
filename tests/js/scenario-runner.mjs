// The scenario runner, apart from where it runs: the Node test (scenarios.test.mjs) and the
// headless-Chromium end-to-end test (e2e.mjs, through tests/js/scenarios.html) both feed it every
// file of tests/scenarios, with the full module (the Ledger) and the page module (the check)
// built for their environment. See scenarios.test.mjs for what it checks.

/** The modules the runner drives: `wasm` (alor_wasm) and `page` (alor_check). */
let wasm;
let page;

/** Sets the modules to run the scenarios with (Node's or the browser's builds). */
export function useModules(full, pageModule) {
  wasm = full;
  page = pageModule;
}

const SCENARIO_KEYS = ["name", "description", "gathering", "steps"];
const STEP_KEYS = ["note", "at", "command", "expected_version", "expect", "state"];
const EXPECT_KEYS = ["events", "error", "area"];
const STATE_KEYS = ["version", "capacity", "counted_seats", "free_seats", "overridden_seats",
  "waitlist", "waitlist_positions", "statuses", "registrations", "organisations",
  "next_deadline", "is_open", "manually_closed"];
// The lists are the core's, published by the full module (never copied here).

const INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** An instant as [epoch seconds, nanoseconds], exact (Date.parse only on the checked shape). */
export function instant(text) {
  const m = typeof text === "string" && text.match(INSTANT);
  if (!m) return null;
  const seconds = Date.parse(`${m[1]}${m[3]}`) / 1000;
  if (Number.isNaN(seconds)) return null;
  const nanos = Number(((m[2] ?? ".").slice(1) + "000000000").slice(0, 9));
  return [seconds, nanos];
}
const sameInstant = (a, b) => a && b && a[0] === b[0] && a[1] === b[1];
const kind = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** The subset rule of tests/README.md; throws with the path of the first difference. */
export function subset(expected, actual, path) {
  if (expected === null) {
    if (actual === null || actual === undefined) return;
    throw new Error(`${path}: expected null, found ${JSON.stringify(actual)}`);
  }
  if (kind(expected) === "object") {
    if (kind(actual) !== "object") throw new Error(`${path}: expected an object, found ${JSON.stringify(actual)}`);
    for (const [k, v] of Object.entries(expected)) subset(v, actual[k], `${path}.${k}`);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      throw new Error(`${path}: expected ${expected.length} elements, found ${JSON.stringify(actual)}`);
    }
    expected.forEach((e, i) => subset(e, actual[i], `${path}[${i}]`));
    return;
  }
  if (typeof expected === "string" && instant(expected)) {
    if (!sameInstant(instant(expected), instant(actual))) {
      throw new Error(`${path}: expected the instant ${expected}, found ${JSON.stringify(actual)}`);
    }
    return;
  }
  if (kind(expected) !== kind(actual) || expected !== actual) {
    throw new Error(`${path}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`);
  }
}

function checkKeys(object, allowed, what) {
  const bad = Object.keys(object).find((k) => !allowed.includes(k));
  if (bad !== undefined) throw new Error(`${what} has an unknown key ${JSON.stringify(bad)}`);
}

function checkError(expect, error) {
  if (!(error instanceof Error) || typeof error.code !== "string") {
    throw new Error(`a non-Error was thrown: ${String(error)}`);
  }
  if (!("error" in expect)) throw new Error(`expected events, got error ${error.code} (${error.message})`);
  if (expect.error !== error.code) throw new Error(`expected error ${expect.error}, got ${error.code} (${error.message})`);
  if ("area" in expect && expect.area !== error.area) throw new Error(`expected area ${expect.area}, got ${error.area}`);
}

function checkState(ledger, at, state) {
  checkKeys(state, STATE_KEYS, "state");
  for (const [key, want] of Object.entries(state)) {
    switch (key) {
      case "version": subset(want, ledger.version, key); break;
      case "capacity": subset(want, ledger.capacity, key); break;
      case "counted_seats": subset(want, ledger.countedSeats, key); break;
      case "free_seats": subset(want, ledger.freeSeats, key); break;
      case "overridden_seats": subset(want, ledger.overriddenSeats, key); break;
      case "waitlist": subset(want, ledger.waitlist(), key); break;
      case "next_deadline": subset(want, ledger.nextDeadline(), key); break;
      case "is_open": subset(want, ledger.isOpen(at), key); break;
      case "manually_closed": subset(want, ledger.manuallyClosed, key); break;
      case "waitlist_positions": case "statuses": case "registrations":
        for (const [id, w] of Object.entries(want)) {
          const reg = ledger.registration(Number(id));
          if (reg === null) throw new Error(`${key}[${id}]: no such registration`);
          const actual = key === "waitlist_positions" ? ledger.waitlistPosition(Number(id))
            : key === "statuses" ? reg.status : reg;
          subset(w, actual, `${key}[${id}]`);
        }
        break;
      case "organisations":
        for (const [number, w] of Object.entries(want)) {
          checkKeys(w, ["counted", "active"], key);
          // As in Python: an organisation with no seats and no registrations is not listed.
          subset(w, ledger.organisationCounts()[number] ?? { counted: 0, active: 0 }, `${key}[${number}]`);
        }
        break;
    }
  }
}

const REFUSALS = ["registration_not_open", "registration_closed", "gathering_started", "gathering_full",
  "organisation_cap_reached"];

/** The page module's check of a participant's sign-up, against the snapshot served at `at`. */
function pagePrediction(ledger, step) {
  const c = step.command;
  if (c?.type !== "register" || (c.by ?? "participant") !== "participant") return null;
  const p = c.person ?? {};
  const o = p.organisation ?? {};
  const draft = { name: p.name, email: p.email, phone: p.phone ?? "", organisation_name: o.name,
    organisation_number: o.number, sector: o.sector, industry: o.industry ?? "", role: p.role };
  try {
    return page.check(ledger.publicSnapshot(step.at), draft, { now: step.at, firstTime: c.first_time ?? false });
  } catch {
    return null; // not a well-formed sign-up: the ledger's refusal is checked as usual
  }
}

/** The prediction must be the ledger's answer (duplicates and bad input aside: see alor_core::public). */
function checkPrediction(prediction, ledger, events, error, coverage) {
  if (prediction === null) return;
  if (error) {
    if (!REFUSALS.includes(error.code)) return;
    subset({ kind: "refused", code: error.code }, prediction.outcome, "the page module's prediction");
  } else {
    // Holds that ran out are settled first, in the same answer: find the sign-up itself.
    const registered = events.find((e) => e.event.type === "registered").event;
    const want = registered.status === "confirmed" ? { kind: "seat" }
      : { kind: "waitlist", position: ledger.waitlistPosition(registered.registration) };
    subset(want, prediction.outcome, "the page module's prediction");
    if (!prediction.valid) throw new Error("the page module found a field invalid that the ledger took");
  }
  coverage.predictions = (coverage.predictions ?? 0) + 1;
}

export function runScenario(stem, doc, coverage) {
  checkKeys(doc, SCENARIO_KEYS, "the scenario");
  for (const k of SCENARIO_KEYS) if (!(k in doc)) throw new Error(`missing key ${k}`);
  if (doc.name !== stem) throw new Error(`name ${doc.name} differs from the file name`);
  if (typeof doc.description !== "string" || !doc.description.trim()) throw new Error("description must be a non-empty string");
  const ledger = new wasm.Ledger(JSON.stringify(doc.gathering));
  if (!Array.isArray(doc.steps) || doc.steps.length === 0) throw new Error("a scenario needs steps");
  const all = [];
  doc.steps.forEach((step, i) => {
    const fail = (e) => { throw new Error(`step ${i + 1} (${step.at}): ${e.message}`); };
    try {
      checkKeys(step, STEP_KEYS, "the step");
      if (!instant(step.at)) throw new Error("at must be an RFC 3339 date-time with an offset");
      const expect = step.expect;
      checkKeys(expect, EXPECT_KEYS, "expect");
      if (("events" in expect) === ("error" in expect)) throw new Error("expect needs exactly one of events and error");
      if ("error" in expect) coverage.errors.add(expect.error);
      const version = step.expected_version ?? null;
      const before = ledger.snapshotJson();
      const beforeVersion = ledger.version;
      const beforeLast = JSON.parse(before).last_event_at;
      const prediction = pagePrediction(ledger, step);
      let decided, decideError, events, error;
      try { decided = ledger.decide(step.command, step.at, version); } catch (e) { decideError = e; }
      try { events = ledger.execute(step.command, step.at, version); } catch (e) { error = e; }
      checkPrediction(prediction, ledger, events, error, coverage);
      if (error) {
        if (!decideError || decideError.code !== error.code) throw new Error("decide and execute disagree");
        if (ledger.snapshotJson() !== before) throw new Error(`refused (${error.code}) but changed`);
        checkError(expect, error);
      } else {
        if (decideError || JSON.stringify(decided) !== JSON.stringify(events)) throw new Error("decide and execute disagree");
        if (!("events" in expect)) throw new Error(`expected an error, got ${events.length} events: ${JSON.stringify(events)}`);
        events.forEach((e, n) => {
          if (e.seq !== beforeVersion + n + 1) throw new Error(`event ${n} has seq ${e.seq}`);
          const at = instant(e.at);
          if (at[0] > instant(step.at)[0] || (at[0] === instant(step.at)[0] && at[1] > instant(step.at)[1])) throw new Error(`event ${n} is at ${e.at}, after now`);
          if (beforeLast && Date.parse(e.at) < Date.parse(beforeLast)) throw new Error(`event ${n} is at ${e.at}, before the last event`);
        });
        if (ledger.version !== beforeVersion + events.length) throw new Error("the version did not follow the events");
        try { subset(expect.events, events, "events"); } catch (e) { throw new Error(`${e.message}\n  recorded: ${JSON.stringify(events)}`); }
        coverage.commands.add(step.command.type);
        for (const e of expect.events) if (e?.event?.type) coverage.events.add(e.event.type);
        all.push(...events);
      }
      ledger.verify();
      const text = ledger.snapshotJson();
      if (wasm.Ledger.fromSnapshotJson(text).snapshotJson() !== text) throw new Error("the snapshot JSON round trip differs");
      if (step.state) checkState(ledger, step.at, step.state);
    } catch (e) { fail(e); }
  });
  const replayed = wasm.Ledger.replay(doc.gathering, all);
  if (replayed.snapshotJson() !== ledger.snapshotJson()) throw new Error("replaying the events gives another state");
  const log = JSON.stringify({ schema_version: wasm.schemaVersion(), gathering: doc.gathering, events: all });
  if (wasm.Ledger.fromEventLogJson(log).snapshotJson() !== ledger.snapshotJson()) throw new Error("the event log JSON round trip gives another state");
  // The ledger kept every event it recorded (erased people's details redacted), and its own log
  // rebuilds it, as does the log of a ledger rebuilt from it.
  const kept = ledger.eventsSince(0);
  if (JSON.stringify(kept.map((e) => [e.seq, e.at, e.event.type])) !== JSON.stringify(all.map((e) => [e.seq, e.at, e.event.type]))) {
    throw new Error("the kept events are not the recorded ones");
  }
  if (ledger.eventsSince(ledger.version).length !== 0) throw new Error("events after the current version");
  const own = ledger.eventLogJson();
  const rebuilt = wasm.Ledger.fromEventLogJson(own);
  if (rebuilt.snapshotJson() !== ledger.snapshotJson()) throw new Error("the ledger's own event log gives another state");
  if (rebuilt.eventLogJson() !== own) throw new Error("the event log does not round-trip");
  const erased = new Set(all.filter((e) => e.event.type === "erased").map((e) => e.event.registration));
  const people = all.filter((e) => e.event.person).map((e) => [e.event.substitute ?? e.event.registration, e.event.person.email]);
  const live = new Set(people.filter(([id]) => !erased.has(id)).map(([, email]) => email));
  for (const [id, email] of people) {
    // An erased person may have signed up again: then the address is there, for the new one.
    if (erased.has(id) && !live.has(email) && own.includes(email)) {
      throw new Error(`the kept log still has the e-mail of erased registration ${id}`);
    }
  }
}


// The JS API of both modules — the page module (alor_check: the checks) and the full module
// (alor_wasm: the checks + Ledger): the check's answers, errors as real Error objects with codes,
// and a fuzz of every export with random JSON and wrong types (an Error with a string code, or a
// valid result — never a string thrown, a crash, or a module that stops working). The page
// module must answer exactly as the full one does, on every input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { wasm, page } from "./wasm.mjs";

const MODULES = [["page module", page], ["full module", wasm]];

const scenario = JSON.parse(readFileSync(new URL("../scenarios/register-seat-then-waitlist.json", import.meta.url), "utf8"));
const gathering = scenario.gathering;
const AT = "2026-09-02T10:00:00+02:00";
const person = (n, number = "985 198 292") => ({
  name: `Kari Nordmann ${n}`, email: `kari${n}@avinor.example`,
  organisation: { name: "Avinor AS", number, sector: "public" }, role: "manager",
});
const draft = (n, number = "985 198 292") => ({
  name: `Kari Nordmann ${n}`, email: `kari${n}@avinor.example`, organisation_name: "Avinor AS",
  organisation_number: number, sector: "public", role: "manager",
});

function ledgerWith(n) {
  const ledger = new wasm.Ledger(gathering);
  for (let i = 0; i < n; i++) ledger.execute({ type: "register", person: person(i) }, AT, null);
  return ledger;
}

for (const [name, m] of MODULES) {
test(`${name}: check predicts the ledger: seat, then waitlist with its number`, () => {
  for (let n = 0; n < 5; n++) {
    const ledger = ledgerWith(n);
    const result = m.check(ledger.publicSnapshot(AT), draft(99), { now: AT });
    const [event] = ledger.execute({ type: "register", person: person(99) }, AT, null);
    if (event.event.status === "confirmed") {
      assert.deepEqual(result.outcome, { kind: "seat" });
      assert.equal(result.messages.at(-1).text, "Du får plass på samlingen.");
    } else {
      assert.equal(result.outcome.kind, "waitlist");
      assert.equal(result.outcome.position, ledger.waitlistPosition(event.event.registration));
      assert.equal(result.messages.at(-1).text,
        `Samlingen er full. Du kommer på venteliste som nummer ${result.outcome.position}.`);
    }
  }
});

test(`${name}: messages in English, Date accepted for now, Checker equals check`, () => {
  const snapshot = ledgerWith(2).publicSnapshot(AT);
  const en = m.check(snapshot, draft(1), { now: new Date(AT), locale: "en" });
  assert.equal(en.messages.at(-1).text, "The gathering is full. You will be number 1 on the waitlist.");
  const checker = new m.Checker(JSON.stringify(snapshot));
  assert.deepEqual(checker.check(draft(1), { now: AT, locale: "en" }), en);
  // The checker keeps the snapshot it was given and does not hand it back: the page has it.
  assert.equal(checker.snapshot, undefined);
});

test(`${name}: a wrong check digit is named, in Norwegian, with field and problem`, () => {
  const result = m.check(ledgerWith(0).publicSnapshot(AT), draft(1, "985198293"), { now: AT });
  assert.equal(result.valid, false);
  assert.deepEqual(result.outcome, { kind: "incomplete" });
  assert.deepEqual(result.messages[0], {
    code: "invalid_organisation_number", field: "organisation_number", problem: "check_digit",
    text: "Organisasjonsnummeret har feil kontrollsiffer. Sjekk at du har skrevet det riktig.",
  });
  assert.deepEqual(m.validateOrgNumber("985 198 292"), { valid: true, value: "985198292" });
  assert.deepEqual(m.validateOrgNumber("98519829"),
    { valid: false, code: "invalid_organisation_number", problem: "not_nine_digits" });
  assert.deepEqual(m.roleChoices("en")[0], { value: "manager", label: "Manager" });
  assert.deepEqual(m.sectorChoices(), [{ value: "private", label: "Privat virksomhet" },
    { value: "public", label: "Offentlig virksomhet" }]);
});

test(`${name}: check errors are Error objects with code, area and argument`, () => {
  const snapshot = ledgerWith(1).publicSnapshot(AT);
  const thrown = (fn) => { try { fn(); } catch (e) { return e; } assert.fail("nothing thrown"); };
  let e = thrown(() => m.check({}, draft(1), { now: AT }));
  assert.ok(e instanceof Error);
  assert.deepEqual([e.code, e.area], ["malformed_data", "data"]);
  assert.match(e.message, /^snapshot: malformed data: /);
  e = thrown(() => m.check(snapshot, draft(1), { now: null }));
  assert.equal(e.code, "invalid_datetime", "a null now (an invalid Date) is not 'use the clock'");
  e = thrown(() => m.check(snapshot, draft(1), { now: new Date(NaN) }));
  assert.equal(e.code, "invalid_datetime");
  e = thrown(() => m.check({ ...snapshot, schema_version: 99 }, draft(1), { now: AT }));
  assert.deepEqual([e.code, e.area], ["unsupported_schema_version", "data"]);
  e = thrown(() => m.check({ ...snapshot, priority_waitlist: 99 }, draft(1), { now: AT }));
  assert.deepEqual([e.code, e.area], ["inconsistent_snapshot", "data"]);
  const dates = { ...snapshot, gathering: { ...snapshot.gathering, ends_at: "2020-01-01T00:00:00Z" } };
  e = thrown(() => new m.Checker(dates));
  assert.deepEqual([e.code, e.area, e.field, e.problem], ["invalid_dates", "validation", "dates", "out_of_range"]);
  // Argument codes are the core's (ERROR_AREAS "argument"), the same as Python raises.
  e = thrown(() => m.check(snapshot, draft(1), { now: AT, locale: "sv" }));
  assert.deepEqual([e.code, e.area, e.argument], ["invalid_locale", "argument", "locale"]);
  assert.equal(m.check(snapshot, draft(1), { now: AT, locale: "no" }).messages.at(-1).text,
    m.check(snapshot, draft(1), { now: AT, locale: "nb" }).messages.at(-1).text);
  assert.equal(m.check(snapshot, draft(1), { now: AT, locale: "nn" }).messages.at(-1).text,
    "Du får plass på samlinga.");
  assert.deepEqual(m.roleChoices("nn")[0], { value: "manager", label: "Leiar" });
  e = thrown(() => m.check(snapshot, draft(1), { now: "tomorrow" }));
  assert.deepEqual([e.code, e.area, e.argument], ["invalid_datetime", "argument", "now"]);
  e = thrown(() => m.check(snapshot, 10n, { now: AT }));
  assert.ok(e instanceof TypeError);
  assert.deepEqual([e.code, e.area, e.argument], ["invalid_argument", "argument", "draft"]);
  e = thrown(() => m.check(snapshot, undefined, { now: AT }));
  assert.deepEqual([e.code, e.argument], ["invalid_argument", "draft"]);
  e = thrown(() => m.validateOrgNumber(985198292));
  assert.deepEqual([e.code, e.argument], ["invalid_argument", "text"]);
  e = thrown(() => m.roleChoices("sv"));
  assert.deepEqual([e.code, e.argument], ["invalid_locale", "locale"]);
  // Without `now`, the host's clock: the demo gathering is long over by then, or not.
  assert.ok(["seat", "waitlist", "refused", "incomplete"].includes(m.check(snapshot, draft(1)).outcome.kind));
});
}

test("the page module has the checks and nothing of the ledger", () => {
  const exported = Object.keys(page).filter((k) => !k.startsWith("__") && k !== "initSync" && k !== "default");
  assert.deepEqual(exported.sort(), ["Checker", "check", "roleChoices", "sectorChoices", "validateOrgNumber"]);
  for (const name of exported) assert.ok(name in wasm, `the full module has ${name} too`);
});

test("errors are Error objects with code, area and field", () => {
  const ledger = ledgerWith(1);
  const thrown = (fn) => { try { fn(); } catch (e) { return e; } assert.fail("nothing thrown"); };
  let e = thrown(() => ledger.execute({ type: "register", person: person(0) }, AT, null));
  assert.ok(e instanceof Error);
  assert.deepEqual([e.code, e.area], ["already_registered", "ledger"]);
  e = thrown(() => ledger.execute({ type: "register", person: { ...person(5), email: "nope" } }, AT, null));
  assert.deepEqual([e.code, e.area, e.field, e.problem], ["invalid_email", "validation", "email", "malformed"]);
  assert.ok(!e.message.includes("nope"), "no personal data in messages");
  e = thrown(() => ledger.execute({ type: "handle_timeout" }, AT, 7));
  assert.equal(e.code, "conflict");
  e = thrown(() => ledger.execute({ type: "handle_timeout" }, "tomorrow", null));
  assert.ok(e instanceof TypeError);
  assert.deepEqual([e.code, e.area, e.argument], ["invalid_datetime", "argument", "at"]);
  e = thrown(() => ledger.execute({ type: "handle_timeout" }, AT, -1));
  assert.deepEqual([e.code, e.area, e.argument], ["invalid_version", "argument", "expectedVersion"]);
  e = thrown(() => ledger.registration(1.5));
  assert.deepEqual([e.code, e.area, e.argument], ["invalid_registration", "argument", "id"]);
});

test("the ledger round-trips through snapshot JSON and replay", () => {
  const ledger = ledgerWith(4);
  const events = [];
  const again = new wasm.Ledger(gathering);
  for (let i = 0; i < 4; i++) events.push(...again.execute({ type: "register", person: person(i) }, AT, i));
  assert.equal(wasm.Ledger.replay(gathering, events).snapshotJson(), ledger.snapshotJson());
  assert.equal(wasm.Ledger.fromSnapshotJson(ledger.snapshotJson()).snapshotJson(), ledger.snapshotJson());
  assert.deepEqual(ledger.waitlist(), [3, 4]);
  const pub = ledger.publicSnapshot(AT);
  assert.ok(!JSON.stringify(pub).includes("kari"), "the public snapshot has no personal data");
});

test("the ledger keeps its events: eventsSince, eventLogJson, and not before a snapshot", () => {
  const thrown = (fn) => { try { fn(); } catch (e) { return e; } assert.fail("nothing thrown"); };
  const ledger = ledgerWith(3);
  const all = ledger.eventsSince();
  assert.deepEqual(all.map((e) => e.seq), [1, 2, 3]);
  assert.deepEqual(ledger.eventsSince(null), all);
  assert.deepEqual(ledger.eventsSince(2).map((e) => e.seq), [3]);
  assert.deepEqual(ledger.eventsSince(99), []);
  const log = ledger.eventLogJson();
  assert.deepEqual(JSON.parse(log).events, all);
  const again = wasm.Ledger.fromEventLogJson(log);
  assert.equal(again.snapshotJson(), ledger.snapshotJson());
  assert.equal(again.eventLogJson(), log);
  assert.equal(wasm.Ledger.replay(gathering, all).eventLogJson(), log);
  // Restored from a snapshot: only what came after it.
  const restored = wasm.Ledger.fromSnapshotJson(ledger.snapshotJson());
  let e = thrown(() => restored.eventsSince(0));
  assert.deepEqual([e.code, e.area], ["events_not_kept", "data"]);
  e = thrown(() => restored.eventLogJson());
  assert.deepEqual([e.code, e.area], ["events_not_kept", "data"]);
  assert.deepEqual(restored.eventsSince(3), []);
  restored.execute({ type: "register", person: person(7) }, AT, 3);
  assert.deepEqual(restored.eventsSince(3).map((x) => x.seq), [4]);
  e = thrown(() => ledger.eventsSince(-1));
  assert.deepEqual([e.code, e.area, e.argument], ["invalid_version", "argument", "version"]);
  e = thrown(() => wasm.Ledger.fromEventLogJson("{"));
  assert.deepEqual([e.code, e.area], ["malformed_data", "data"]);
});

test("corrupt history is refused: a waitlisted sign-up edited to confirmed, a version below the registrations", () => {
  const thrown = (fn) => { try { fn(); } catch (e) { return e; } assert.fail("nothing thrown"); };
  const ledger = ledgerWith(3); // capacity 2: two seats, the third waitlisted
  const log = JSON.parse(ledger.eventLogJson());
  assert.equal(log.events[2].event.status, "waitlisted");
  log.events[2].event.status = "confirmed";
  let e = thrown(() => wasm.Ledger.fromEventLogJson(JSON.stringify(log)));
  assert.ok(e instanceof Error);
  assert.deepEqual([e.code, e.area], ["inapplicable_event", "data"]);
  const snapshot = JSON.parse(ledger.snapshotJson());
  snapshot.version = 2;
  e = thrown(() => wasm.Ledger.fromSnapshotJson(JSON.stringify(snapshot)));
  assert.deepEqual([e.code, e.area], ["inconsistent_snapshot", "data"]);
});

test("erasing redacts the kept events", () => {
  const ledger = ledgerWith(1);
  const start = Date.parse(gathering.ends_at) + 86_400_000;
  ledger.execute({ type: "cancel", registration: 1, by: "participant", reason: "illness" }, AT, null);
  ledger.execute({ type: "erase", registration: 1 }, new Date(start), null);
  const log = ledger.eventLogJson();
  assert.ok(!log.includes("kari0@"), "no e-mail of the erased person in the kept log");
  assert.ok(!log.includes("Kari Nordmann 0"), "no name of the erased person in the kept log");
  assert.ok(!JSON.stringify(ledger.eventsSince(0)).includes("kari0@"));
  assert.equal(wasm.Ledger.fromEventLogJson(log).snapshotJson(), ledger.snapshotJson(), "the redacted log still replays");
});

test("the other Ledger queries: waitlistLen, organisationCounts, publicSnapshotJson", () => {
  const ledger = ledgerWith(4);
  assert.equal(ledger.waitlistLen, ledger.waitlist().length);
  assert.equal(ledger.waitlistLen, 2);
  assert.deepEqual(ledger.organisationCounts(), { "985198292": { counted: 2, active: 4 } });
  assert.deepEqual(new wasm.Ledger(gathering).organisationCounts(), {});
  assert.deepEqual(JSON.parse(ledger.publicSnapshotJson(AT)), ledger.publicSnapshot(AT));
  assert.deepEqual(JSON.parse(ledger.publicSnapshotJson()), ledger.publicSnapshot());
  assert.equal(ledger.publicSnapshotJson(new Date(AT)), ledger.publicSnapshotJson(AT));
});

test("validatePerson, personErrors and validateGathering are the core's rules", () => {
  const thrown = (fn) => { try { fn(); } catch (e) { return e; } assert.fail("nothing thrown"); };
  const ok = wasm.validatePerson(draft(1));
  assert.deepEqual(ok, { name: "Kari Nordmann 1", email: "kari1@avinor.example",
    organisation: { name: "Avinor AS", number: "985198292", sector: "public" }, role: "manager" });
  // The person a form gives is one a register command takes.
  const ledger = new wasm.Ledger(gathering);
  assert.equal(ledger.execute({ type: "register", person: ok }, AT, 0)[0].event.status, "confirmed");
  assert.deepEqual(wasm.personErrors(draft(1)), []);
  const bad = { ...draft(1), email: "nope", organisation_number: "985198293" };
  assert.deepEqual(wasm.personErrors(bad), [
    { field: "email", code: "invalid_email", problem: "malformed" },
    { field: "organisation_number", code: "invalid_organisation_number", problem: "check_digit" },
  ]);
  const e = thrown(() => wasm.validatePerson(bad));
  assert.ok(e instanceof Error);
  assert.deepEqual([e.code, e.area, e.field, e.problem], ["invalid_email", "validation", "email", "malformed"]);
  assert.deepEqual(e.errors, wasm.personErrors(bad));
  assert.ok(!e.message.includes("nope"), "no personal data in messages");
  assert.deepEqual(wasm.personErrors({}).map((p) => p.code).slice(0, 2), ["invalid_name", "invalid_email"]);
  assert.deepEqual([thrown(() => wasm.personErrors(7)).code, thrown(() => wasm.personErrors(undefined)).code],
    ["malformed_data", "invalid_argument"]);
  const normalised = wasm.validateGathering(JSON.stringify(gathering));
  assert.deepEqual(normalised, new wasm.Ledger(gathering).gathering);
  assert.deepEqual(wasm.validateGathering(gathering), normalised);
  const late = thrown(() => wasm.validateGathering({ ...gathering, ends_at: "2020-01-01T00:00:00Z" }));
  assert.deepEqual([late.code, late.area, late.field], ["invalid_dates", "validation", "dates"]);
});

test("the published lists are the core's", () => {
  const codes = wasm.errorCodes();
  assert.deepEqual(Object.keys(codes), ["validation", "ledger", "data", "argument", "time"]);
  assert.ok(codes.ledger.includes("gathering_full") && codes.data.includes("events_not_kept"));
  assert.ok(codes.argument.includes("invalid_locale") && codes.validation.includes("invalid_email"));
  codes.ledger.length = 0;
  assert.ok(wasm.errorCodes().ledger.length > 10, "every call gives a fresh copy");
  assert.equal(wasm.commandTypes().length, 13);
  assert.equal(wasm.commandTypes()[0], "register");
  assert.equal(wasm.eventTypes().length, 14);
  assert.deepEqual(wasm.locales(), ["nb", "nn", "en"]);
  for (const locale of wasm.locales()) assert.equal(wasm.roleChoices(locale).length, 9);
  assert.equal(wasm.schemaVersion(), JSON.parse(ledgerWith(0).snapshotJson()).schema_version);
  assert.equal(wasm.maxVersion(), Number.MAX_SAFE_INTEGER);
});

// ---------------------------------------------------------------------------------------------
// Fuzz

function rng(seed) {
  let s = BigInt(seed);
  return () => {
    s = (s + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
    return Number((z ^ (z >> 31n)) & 0xffffffffn) / 2 ** 32;
  };
}

function randomValue(r, depth = 0) {
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const k = Math.floor(r() * (depth > 2 ? 9 : 12));
  switch (k) {
    case 0: return undefined;
    case 1: return null;
    case 2: return r() < 0.5;
    case 3: return pick([0, -1, 1.5, 2 ** 53, -(2 ** 60), NaN, Infinity, 4294967295, 4294967296]);
    case 4: return pick(["", "x", "2026-09-02T10:00:00+02:00", "985198292", "{}", "[]", "Ø🎉\u0000", "register", "nb", "9".repeat(400)]);
    case 5: return pick([new Date(NaN), new Date(0), new Date(8.64e15)]);
    case 6: return pick([10n, Symbol("s"), () => 1]);
    case 7: return pick(Object.values(structuredClone(gathering)));
    case 8: return pick([structuredClone(gathering), { type: "register", person: person(1) }, draft(1), { type: pick(["cancel", "erase", "override_seat", "change_capacity"]), registration: pick([1, -1, "1", 1e10]), capacity: -3, reason: "" }]);
    case 9: { const a = []; const n = Math.floor(r() * 4); for (let i = 0; i < n; i++) a.push(randomValue(r, depth + 1)); return a; }
    default: {
      const o = {};
      const keys = ["type", "person", "name", "email", "now", "locale", "firstTime", "schema_version", "gathering", "policy", "capacity", "organisation_number", "seq", "at", "event"];
      const n = Math.floor(r() * 5);
      for (let i = 0; i < n; i++) o[pick(keys)] = randomValue(r, depth + 1);
      return o;
    }
  }
}

function mutate(r, value) {
  // A valid document with one value replaced somewhere inside: the shapes bindings really see.
  const copy = structuredClone(value);
  const paths = [];
  (function walk(v, path) {
    if (v && typeof v === "object") for (const k of Object.keys(v)) { paths.push([...path, k]); walk(v[k], [...path, k]); }
  })(copy, []);
  if (paths.length === 0) return randomValue(r);
  const path = paths[Math.floor(r() * paths.length)];
  let target = copy;
  for (const k of path.slice(0, -1)) target = target[k];
  target[path.at(-1)] = randomValue(r, 2);
  return copy;
}

/** JSON text for the harness's own use (a BigInt inside makes JSON.stringify throw). */
function text(x) {
  try { return JSON.stringify(x) ?? "null"; } catch { return "{\"bigint\": 1"; }
}

function expectErrorOrValue(fn, what) {
  let result;
  try {
    result = fn();
  } catch (e) {
    assert.ok(e instanceof Error, `${what}: threw a non-Error ${String(e)}`);
    assert.equal(typeof e.code, "string", `${what}: error without a code: ${e.message}`);
    assert.ok(["validation", "ledger", "data", "argument"].includes(e.area), `${what}: area ${e.area}`);
    assert.ok(!(e instanceof WebAssembly.RuntimeError), `${what}: the module trapped (panic): ${e.message}`);
    return "error";
  }
  return result;
}

test("fuzz: random JSON and wrong types into every export", () => {
  const r = rng(20261022);
  const snapshot = ledgerWith(3).publicSnapshot(AT);
  const base = ledgerWith(2);
  const events = (() => { const l = new wasm.Ledger(gathering); return l.execute({ type: "register", person: person(1) }, AT, null); })();
  let errors = 0, values = 0;
  for (let i = 0; i < 3000; i++) {
    const v = () => (r() < 0.5 ? randomValue(r) : mutate(r, [snapshot, draft(1), gathering, { type: "register", person: person(7) }, events, { now: AT, locale: "en", firstTime: true }][Math.floor(r() * 6)]));
    const ledger = wasm.Ledger.fromSnapshotJson(base.snapshotJson());
    const calls = [
      ["check", () => wasm.check(v(), v(), v())],
      ["check(snapshot)", () => wasm.check(snapshot, v(), v())],
      ["check(mutated snapshot)", () => wasm.check(mutate(r, snapshot), draft(1), { now: AT })],
      ["Checker", () => new wasm.Checker(v()).check(v(), v())],
      ["validateOrgNumber", () => wasm.validateOrgNumber(v())],
      ["roleChoices", () => wasm.roleChoices(v())],
      ["sectorChoices", () => wasm.sectorChoices(v())],
      ["new Ledger", () => new wasm.Ledger(v())],
      ["new Ledger(mutated)", () => new wasm.Ledger(mutate(r, gathering))],
      ["fromSnapshotJson", () => wasm.Ledger.fromSnapshotJson(r() < 0.5 ? v() : text(mutate(r, JSON.parse(base.snapshotJson()))))],
      ["fromEventLogJson", () => wasm.Ledger.fromEventLogJson(r() < 0.5 ? v() : text({ schema_version: 1, gathering, events: mutate(r, events) }))],
      ["eventsSince", () => ledger.eventsSince(v())],
      ["eventLogJson", () => (r() < 0.5 ? ledger : base).eventLogJson()],
      ["publicSnapshotJson", () => ledger.publicSnapshotJson(v())],
      ["validatePerson", () => wasm.validatePerson(r() < 0.5 ? v() : mutate(r, draft(1)))],
      ["personErrors", () => wasm.personErrors(r() < 0.5 ? v() : mutate(r, draft(1)))],
      ["validateGathering", () => wasm.validateGathering(r() < 0.5 ? v() : mutate(r, gathering))],
      ["replay", () => wasm.Ledger.replay(r() < 0.5 ? v() : gathering, r() < 0.5 ? v() : mutate(r, events))],
      ["execute", () => ledger.execute(v(), r() < 0.5 ? AT : v(), r() < 0.7 ? null : v())],
      ["decide", () => ledger.decide(mutate(r, { type: "cancel", registration: 1, by: "participant", reason: "illness" }), AT, v())],
      ["handleTimeout", () => ledger.handleTimeout(v())],
      ["publicSnapshot", () => ledger.publicSnapshot(v())],
      ["isOpen", () => ledger.isOpen(v())],
      ["waitlistPosition", () => ledger.waitlistPosition(v())],
      ["registration", () => ledger.registration(v())],
      ["organisationCounts", () => ledger.organisationCounts()],
    ];
    const [what, fn] = calls[i % calls.length];
    if (expectErrorOrValue(fn, what) === "error") errors++; else values++;
    ledger.verify();
  }
  assert.ok(errors > 500 && values > 50, `both paths exercised: ${errors} errors, ${values} values`);
  // The module still works afterwards.
  const after = wasm.check(snapshot, draft(50), { now: AT });
  assert.equal(after.outcome.kind, "waitlist");
  const ledger = ledgerWith(1);
  assert.equal(ledger.execute({ type: "register", person: person(9) }, AT, 1)[0].event.status, "confirmed");
});

/** What a call gives, comparable across modules: its value, or the error's kind and fields. */
function outcome(fn) {
  try {
    return { value: fn() };
  } catch (e) {
    assert.ok(e instanceof Error, `threw a non-Error ${String(e)}`);
    assert.ok(!(e instanceof WebAssembly.RuntimeError), `the module trapped (panic): ${e.message}`);
    assert.equal(typeof e.code, "string", `error without a code: ${e.message}`);
    assert.ok(["validation", "data", "argument"].includes(e.area), `area ${e.area}`);
    return { error: [e.constructor.name, e.code, e.area, e.field, e.problem, e.argument, e.message] };
  }
}

test("fuzz: the page module, random JSON and wrong types, answers as the full module does", () => {
  const r = rng(20261203);
  const snapshots = [0, 2, 3, 6].map((n) => ledgerWith(n).publicSnapshot(AT));
  // Organisations listed and offers held: a cap per organisation, new organisations first.
  const capped = new wasm.Ledger({ ...gathering, policy: { ...gathering.policy, max_per_organisation: 2,
    waitlist_order: "new_organisations_first", promotion: { mode: "offer", hold_minutes: 60 } } });
  for (let i = 0; i < 4; i++) capped.execute({ type: "register", person: person(i, i % 2 ? "985 198 292" : "974 760 673") }, AT, null);
  snapshots.push(capped.publicSnapshot(AT));
  const options = { now: AT, locale: "en", firstTime: true };
  let errors = 0, values = 0;
  for (let i = 0; i < 4000; i++) {
    const snapshot = snapshots[i % snapshots.length];
    const v = () => (r() < 0.5 ? randomValue(r) : mutate(r, [snapshot, draft(1), options, draft(2, "974 760 673")][Math.floor(r() * 4)]));
    // Every input is drawn before the calls, so both modules see the same values.
    const [a, b, c] = [v(), v(), v()];
    const [s1, s2] = [mutate(r, snapshot), text(mutate(r, snapshot))];
    const [d1, o1] = [mutate(r, draft(1)), mutate(r, options)];
    const calls = [
      (m) => m.check(a, b, c),
      (m) => m.check(snapshot, b, i % 2 ? options : c),
      (m) => m.check(s1, draft(1), options),
      (m) => m.check(s2, draft(1), options),
      (m) => m.check(snapshot, d1, o1),
      (m) => new m.Checker(a).check(b, c),
      (m) => new m.Checker(s1).check(d1, options),
      (m) => m.validateOrgNumber(a),
      (m) => m.roleChoices(a),
      (m) => m.sectorChoices(a),
      // Valid inputs at several instants, organisations and locales: the answers must agree too.
      (m) => m.check(snapshot, draft(i, ["985 198 292", "974 760 673", "980 001 237", "000000000"][i % 4]),
        { now: ["2026-09-01T00:00:00Z", AT, "2026-10-28T10:00:00+01:00"][i % 3], locale: i % 2 ? "nb" : "en", firstTime: i % 3 === 0 }),
    ];
    const call = calls[i % calls.length];
    const inPage = outcome(() => call(page));
    assert.deepEqual(inPage, outcome(() => call(wasm)), `call ${i % calls.length} differs between the modules`);
    if (inPage.error) errors++; else values++;
  }
  assert.ok(errors > 800 && values > 600, `both paths exercised: ${errors} errors, ${values} values`);
  const after = page.check(snapshots[3], draft(50), { now: AT });
  assert.equal(after.outcome.kind, "waitlist");
});

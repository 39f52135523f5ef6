// The JS API of alor-wasm: the check's answers, errors as real Error objects with codes, and a
// fuzz of every export with random JSON and wrong types (an Error with a string code, or a valid
// result — never a string thrown, a crash, or a module that stops working).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { wasm } from "./wasm.mjs";

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

test("check predicts the ledger: seat, then waitlist with its number", () => {
  for (let n = 0; n < 5; n++) {
    const ledger = ledgerWith(n);
    const result = wasm.check(ledger.publicSnapshot(AT), draft(99), { now: AT });
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

test("messages in English, Date accepted for now, Checker equals check", () => {
  const snapshot = ledgerWith(2).publicSnapshot(AT);
  const en = wasm.check(snapshot, draft(1), { now: new Date(AT), locale: "en" });
  assert.equal(en.messages.at(-1).text, "The gathering is full. You will be number 1 on the waitlist.");
  const checker = new wasm.Checker(JSON.stringify(snapshot));
  assert.deepEqual(checker.check(draft(1), { now: AT, locale: "en" }), en);
  assert.deepEqual(checker.snapshot, snapshot);
});

test("a wrong check digit is named, in Norwegian, with field and problem", () => {
  const result = wasm.check(ledgerWith(0).publicSnapshot(AT), draft(1, "985198293"), { now: AT });
  assert.equal(result.valid, false);
  assert.deepEqual(result.outcome, { kind: "incomplete" });
  assert.deepEqual(result.messages[0], {
    code: "invalid_organisation_number", field: "organisation_number", problem: "check_digit",
    text: "Organisasjonsnummeret har feil kontrollsiffer. Sjekk at du har skrevet det riktig.",
  });
  assert.deepEqual(wasm.validateOrgNumber("985 198 292"), { valid: true, value: "985198292" });
  assert.deepEqual(wasm.validateOrgNumber("98519829"),
    { valid: false, code: "invalid_organisation_number", problem: "not_nine_digits" });
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
  assert.deepEqual([e.code, e.area, e.argument], ["invalid_argument", "argument", "at"]);
  e = thrown(() => wasm.check({}, draft(1), { now: AT }));
  assert.deepEqual([e.code, e.area], ["malformed_data", "data"]);
  e = thrown(() => wasm.check(ledger.publicSnapshot(AT), draft(1), { now: null }));
  assert.equal(e.code, "malformed_data", "a null now (an invalid Date) is not 'use the clock'");
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
      ["fromLogJson", () => wasm.Ledger.fromLogJson(r() < 0.5 ? v() : text({ schema_version: 1, gathering, events: mutate(r, events) }))],
      ["replay", () => wasm.Ledger.replay(r() < 0.5 ? v() : gathering, r() < 0.5 ? v() : mutate(r, events))],
      ["execute", () => ledger.execute(v(), r() < 0.5 ? AT : v(), r() < 0.7 ? null : v())],
      ["decide", () => ledger.decide(mutate(r, { type: "cancel", registration: 1, by: "participant", reason: "illness" }), AT, v())],
      ["handleTimeout", () => ledger.handleTimeout(v())],
      ["publicSnapshot", () => ledger.publicSnapshot(v())],
      ["isOpen", () => ledger.isOpen(v())],
      ["waitlistPosition", () => ledger.waitlistPosition(v())],
      ["registration", () => ledger.registration(v())],
      ["organisationCount", () => ledger.organisationCount(v())],
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

// The node runner of the cross-surface scenario files, tests/scenarios/*.json, through the
// wasm build. Before every participant's sign-up, the page module (alor_check) also predicts the
// answer from the public snapshot a server would publish at that instant, and the prediction
// must be what the ledger then decides (seat, waitlist place, or refusal code). It checks what tests/README.md says every runner checks, plus what the Rust runner
// adds (decide = execute, consecutive seq, event times, snapshot round trip after every step,
// event-log round trip, coverage of every error code, command and event). The one Rust check
// not repeated here is "a parsed command survives a JSON round trip": the wasm module never
// hands a parsed Command back to JS, so there is nothing on this surface to round-trip.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { wasm, page } from "./wasm.mjs";
import { runScenario, subset, useModules } from "./scenario-runner.mjs";

const DIR = new URL("../scenarios/", import.meta.url).pathname;
const LEDGER_CODES = wasm.errorCodes().ledger;
const UNREACHABLE = ["registration_limit"];
const COMMAND_TYPES = wasm.commandTypes();
const EVENT_TYPES = wasm.eventTypes();

useModules(wasm, page);

const files = readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();
const coverage = { errors: new Set(), commands: new Set(), events: new Set() };
const results = new Map();

test("there are scenario files", () => assert.ok(files.length >= 25, `only ${files.length} scenarios`));

for (const file of files) {
  const stem = file.slice(0, -5);
  test(`scenario ${stem}`, () => {
    const doc = JSON.parse(readFileSync(join(DIR, file), "utf8"));
    runScenario(stem, doc, coverage);
    results.set(stem, doc);
  });
}

test("scenarios expect every ledger error code", () => {
  assert.equal(results.size, files.length, "every scenario passed");
  for (const code of UNREACHABLE) assert.ok(!coverage.errors.has(code), `${code} is excluded but expected`);
  const missing = LEDGER_CODES.filter((c) => !UNREACHABLE.includes(c) && !coverage.errors.has(c));
  assert.deepEqual(missing, []);
});

test("the page module predicted the sign-ups of the scenarios", () => {
  assert.ok(coverage.predictions >= 150, `only ${coverage.predictions} predictions compared`);
});

test("scenarios use every command and event", () => {
  assert.deepEqual(COMMAND_TYPES.filter((t) => !coverage.commands.has(t)), []);
  assert.deepEqual(EVENT_TYPES.filter((t) => !coverage.events.has(t)), []);
});

test("a wrong expectation fails", () => {
  const doc = JSON.parse(readFileSync(join(DIR, "waitlist-join-time-order.json"), "utf8"));
  runScenario("waitlist-join-time-order", doc, { errors: new Set(), commands: new Set(), events: new Set() });
  const mutations = [
    (d) => { d.steps[4].expect.events[1].event.registration = 3; },
    (d) => { d.steps[4].expect.events[1].at = "2026-09-05T12:00:01+02:00"; },
    (d) => { d.steps[0].expect = { error: "gathering_full" }; },
    (d) => { d.steps[4].state.waitlist = [4, 3]; },
    (d) => { d.steps[4].expect.events = [{ event: { type: "cancelled" } }]; },
    (d) => { d.steps[4].state.wait_list = [3, 4]; },
  ];
  for (const mutate of mutations) {
    const changed = structuredClone(doc);
    mutate(changed);
    assert.throws(() => runScenario("waitlist-join-time-order", changed, { errors: new Set(), commands: new Set(), events: new Set() }),
      `mutation went unnoticed: ${mutate}`);
  }
});

test("subset rule", () => {
  const ok = (w, h) => { try { subset(w, h, "x"); return true; } catch { return false; } };
  assert.ok(ok({ a: 1 }, { a: 1, b: 2 }));
  assert.ok(!ok({ a: 1, c: 3 }, { a: 1, b: 2 }));
  assert.ok(ok([{ a: 1 }, {}], [{ a: 1, b: 2 }, { c: 3 }]));
  assert.ok(!ok([{ a: 1 }], [{ a: 1 }, { a: 2 }]));
  assert.ok(ok({ a: null }, {}));
  assert.ok(!ok({ a: null }, { a: 0 }));
  assert.ok(ok("2026-10-25T02:30:00+01:00", "2026-10-25T01:30:00Z"));
  assert.ok(!ok("2026-10-25T02:30:00+02:00", "2026-10-25T01:30:00Z"));
  assert.ok(!ok("2026-10-25T02:30:00.5Z", "2026-10-25T02:30:00.500000001Z"));
  assert.ok(!ok("2026-10-25T02:30:00Z", "not a date"));
  assert.ok(ok("985198292", "985198292"));
  assert.ok(!ok(1, "1"));
  assert.ok(!ok(false, null));
});

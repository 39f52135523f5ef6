// The cost of crossing the JS boundary: the criterion ledger workloads on the full module.
//
//   scripts/test-wasm                                    # builds alor-wasm/pkg (once)
//   node benchmarks/binding_ratio.mjs [--json] [SIZES]   # SIZES: comma-separated, default 1000,10000,100000
//
// The JS twin of benchmarks/binding_ratio.py (which prints the ratio against Rust with `--js`):
// a full gathering (70 seats, automatic promotion, join-time order, no cap) at one instant, with
// 1 000 / 10 000 / 100 000 waitlisted, the same people as `alor-core/benches/ledger.rs`.
// `register_and_cancel_waitlisted` (2 commands) and `decide_register`, as plain objects in and
// out of `alor_wasm.js` (the nodejs build, wasm-opt -Oz as shipped). Median of 5 batches of about
// 0.4 s, in µs. A script that prints figures, not a timed test.
//
// Each size runs in a fresh Node process: in one process, after the 1 000 and 10 000 ledgers were
// built and freed, the 100 000 one ran 100× slower (2.9 ms a sign-up plus cancel instead of 26 µs;
// see BENCHMARKS.md, "## Bindings"). `--in-process` runs them all in one process to show it.
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const wasm = createRequire(import.meta.url)("../alor-wasm/pkg/nodejs/alor_wasm.js");

const args = process.argv.slice(2);
const asJson = args.includes("--json");
const sizes = (args.find((a) => !a.startsWith("--")) ?? "1000,10000,100000").split(",").map(Number);

const SEATS = 70;
const ORGS = ["985198292", "964965404", "974760673"];
const NOW = "2026-09-10T12:00:00Z";
const gathering = {
  id: "rogaland-2026-host", network: "rogaland", title: "Høstsamling 2026",
  theme: "Fra bekymring til handling", starts_at: "2026-09-29T08:00:00Z",
  ends_at: "2026-09-29T15:00:00Z", venue: { name: "Sola Strand Hotel", town: "Sola" },
  price: 145000,
  policy: {
    capacity: SEATS, opens_at: "2026-09-01T08:00:00Z", closes_at: "2026-09-20T22:00:00Z",
    cancellation_deadline: "2026-09-15T22:00:00Z", waitlist: true, waitlist_order: "join_time",
    promotion: { mode: "automatic" },
  },
};
const register = (i) => ({
  type: "register",
  person: {
    name: "Åse Ødegård", email: `person${i}@example.no`,
    organisation: { name: "Virksomhet AS", number: ORGS[i % 3], sector: "public" }, role: "manager",
  },
  first_time: i % 5 === 0, by: "participant",
});

function perCallUs(step, batchSeconds = 0.4, batches = 5) {
  for (let i = 0; i < 200; i++) step();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 100) { step(); n++; }
  const perBatch = Math.max(100, Math.floor((n * batchSeconds) / 0.1));
  const times = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < perBatch; i++) step();
    times.push(((performance.now() - t0) * 1000) / perBatch);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const out = { register_and_cancel_waitlisted: {}, decide_register: {} };
const inProcess = args.includes("--in-process") || sizes.length === 1;
for (const waiting of inProcess ? [] : sizes) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--json", String(waiting)], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(child.stderr);
  const figures = JSON.parse(child.stdout);
  for (const name of Object.keys(out)) Object.assign(out[name], figures[name]);
}
for (const waiting of inProcess ? sizes : []) {
  const taken = waiting + SEATS;
  const ledger = new wasm.Ledger(gathering);
  for (let i = 0; i < taken; i++) ledger.execute(register(i), NOW, null);
  if (ledger.waitlistLen !== waiting) throw new Error(`waitlist ${ledger.waitlistLen} != ${waiting}`);
  const fresh = Array.from({ length: 1000 }, (_, i) => register(taken + i));
  let next = 0;
  out.register_and_cancel_waitlisted[waiting] = perCallUs(() => {
    const command = fresh[next];
    next = (next + 1) % fresh.length;
    const events = ledger.execute(command, NOW, null);
    const registration = events[0].event.registration;
    ledger.execute({ type: "cancel", registration, by: "participant", reason: "illness" }, NOW, null);
  });
  out.decide_register[waiting] = perCallUs(() => ledger.decide(fresh[0], NOW, null));
  ledger.free();
}
if (asJson) {
  console.log(JSON.stringify(out));
} else {
  for (const [name, bySize] of Object.entries(out)) {
    for (const [n, us] of Object.entries(bySize)) console.log(`${name.padEnd(34)} ${String(n).padStart(7)} ${us.toFixed(2).padStart(8)} µs`);
  }
}

// Size of the WebAssembly modules and the latency of a sign-up check in headless Chromium.
//
//   scripts/test-wasm                                   # builds alor-wasm/pkg (once)
//   node benchmarks/wasm_size_and_latency.mjs [BEFORE]
//
// BEFORE (optional) is another build of the page module to compare with in the same run: a
// folder with web/ and nodejs/ as scripts/test-wasm writes them (BENCHMARKS.md says how to
// build one from an older commit). Its rows are labelled "before".
//
// Prints each .wasm's raw and gzipped size (after wasm-opt -Oz, as shipped): the page module
// (alor_check: the checks) and the full module (alor_wasm: checks + Ledger). Then the median
// time of one check against the public snapshot of a 500-registration gathering, measured in
// Chromium with performance.now(): `check(snapshot, draft, options)` with the snapshot as a
// plain object (parsed on every call), and `Checker.check(draft, options)` (parsed once), with
// the page module as a page loads it, and the full module for comparison; plus the same in Node.
// A script that prints figures, not a timed test.
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import { gzipSync, brotliCompressSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "../examples/web/serve.mjs";
import { wasm, page } from "../tests/js/wasm.mjs";

const before = process.argv[2];
const beforeNode = before && createRequire(import.meta.url)(resolve(before, "nodejs/alor_check.js"));

// Gzipped sizes three ways: GNU gzip -9 (what scripts/test-wasm holds the page module to, and
// what reference zlib gives at level 9), Node's bundled zlib at level 9 (Chromium's zlib fork:
// about 7 % larger on these files), and brotli at quality 11 (what a CDN may serve instead).
const files = [["page module", "alor-wasm/pkg/web/alor_check_bg.wasm"], ["full module", "alor-wasm/pkg/web/alor_wasm_bg.wasm"]];
if (before) files.unshift(["before", join(before, "web/alor_check_bg.wasm")]);
for (const [what, path] of files) {
  const file = path.split("/").at(-1);
  const bytes = readFileSync(path);
  const gnu = spawnSync("gzip", ["-9c", path]).stdout?.length ?? NaN;
  console.log(`${what.padEnd(11)} ${file}: ${bytes.length} bytes raw (wasm-opt -Oz); gzip -9 ${gnu}, ` +
    `Node zlib -9 ${gzipSync(bytes, { level: 9 }).length}, brotli ${brotliCompressSync(bytes).length} bytes`);
}

// A 500-registration gathering: 420 seats, at most 4 per organisation, new organisations first
// (so the snapshot carries the per-organisation counts), 500 sign-ups from 200 organisations.
function orgNumber(i) {
  const W = [3, 2, 7, 6, 5, 4, 3, 2];
  for (let base = 80000000 + i * 7; ; base++) {
    const d = String(base).split("").map(Number);
    const r = 11 - (d.reduce((s, x, k) => s + x * W[k], 0) % 11);
    if (r === 10) continue;
    return `${base}${r === 11 ? 0 : r}`;
  }
}
const ledger = new wasm.Ledger({
  id: "bench-2026", network: "rogaland", title: "Høstsamling 2026", theme: "Benchmark",
  starts_at: "2026-10-28T08:30:00+01:00", ends_at: "2026-10-29T15:00:00+01:00",
  venue: { name: "Sola Strand Hotel", town: "Sola" }, price: 295000,
  policy: { capacity: 420, opens_at: "2026-09-07T09:00:00+02:00", closes_at: "2026-10-19T09:00:00+02:00",
    cancellation_deadline: "2026-10-21T09:00:00+02:00", max_per_organisation: 4, waitlist: true,
    waitlist_order: "new_organisations_first", promotion: { mode: "automatic" } },
});
for (let i = 0; i < 500; i++) {
  ledger.execute({ type: "register", first_time: i % 4 === 0, person: {
    name: `Deltaker ${i}`, email: `deltaker${i}@bench.example`,
    organisation: { name: `Virksomhet ${i % 200}`, number: orgNumber(i % 200), sector: "private" },
    role: "hr" } }, new Date(Date.parse("2026-09-08T08:00:00Z") + i * 60_000), null);
}
const snapshot = ledger.publicSnapshot("2026-10-01T12:00:00+02:00");
const now = "2026-10-01T12:00:00+02:00";
const draft = { name: "Åse Ødegård", email: "ase@lyse.example", organisation_name: "Virksomhet 3",
  organisation_number: orgNumber(3), sector: "private", role: "manager" };
console.log(`snapshot: ${ledger.registrations().length} registrations, ${snapshot.counted_seats} seats taken, ` +
  `${snapshot.waitlist} waiting, ${Object.keys(snapshot.organisations).length} organisations, ` +
  `${JSON.stringify(snapshot).length} bytes of JSON`);

const RUNS = 5000;
// Chromium coarsens performance.now() to 100 µs on a page that is not cross-origin isolated, so
// each sample times a batch of BATCH calls; the figures are per call.
const BATCH = 50;
function measure(fn) {
  for (let i = 0; i < 200; i++) fn();
  const times = [];
  for (let i = 0; i < RUNS / BATCH; i++) {
    const t = performance.now();
    for (let j = 0; j < BATCH; j++) fn();
    times.push((performance.now() - t) / BATCH);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], p95: times[Math.floor(times.length * 0.95)] };
}
// The same function body runs in the page (sent as source).
const measureSource = measure.toString().replace(/^function measure\(fn\) \{/, "").replace(/\}$/, "");
const show = (where, what, { median, p95 }) =>
  console.log(`${where.padEnd(8)} ${what.padEnd(36)} median ${(median * 1000).toFixed(1)} µs, p95 ${(p95 * 1000).toFixed(1)} µs (per call, batches of ${BATCH})`);

const server = await serve(0);
const profile = mkdtempSync(join(tmpdir(), "alor-bench-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium", headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const tab = await context.newPage();
  // The older build, if any, at /before/ (the example server knows only alor-wasm/pkg).
  if (before) {
    await tab.route("**/before/**", (r) => {
      const rel = new URL(r.request().url()).pathname.slice("/before/".length);
      r.fulfill({ body: readFileSync(join(before, "web", rel)),
        contentType: rel.endsWith(".wasm") ? "application/wasm" : "text/javascript; charset=utf-8" });
    });
  }
  await tab.goto(`http://127.0.0.1:${server.address().port}/overview.html`);
  await tab.waitForSelector("body[data-ready=true]");
  const scripts = [["page", "/pkg/alor_check.js"], ["full", "/pkg/alor_wasm.js"]];
  if (before) scripts.unshift(["before", "/before/alor_check.js"]);
  for (const [what, script] of scripts) {
    const browser = await tab.evaluate(async ({ script, snapshot, draft, now, RUNS, BATCH, measureSource }) => {
      const m = await import(script);
      await m.default();
      const options = { now, locale: "nb" };
      const checker = new m.Checker(snapshot);
      const expect = m.check(snapshot, draft, options).outcome.kind;
      const measure = new Function("fn", "RUNS", "BATCH", measureSource).bind(null);
      const run = (fn) => measure(fn, RUNS, BATCH);
      return { expect, free: run(() => m.check(snapshot, draft, options)), held: run(() => checker.check(draft, options)) };
    }, { script, snapshot, draft, now, RUNS, BATCH, measureSource });
    if (what === "page") console.log(`outcome for the draft: ${browser.expect}`);
    show("chromium", `${what}: check(snapshot, draft)`, browser.free);
    show("chromium", `${what}: Checker.check(draft)`, browser.held);
  }
} finally {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
for (const [what, m] of [...(before ? [["before", beforeNode]] : []), ["page", page], ["full", wasm]]) {
  const checker = new m.Checker(snapshot);
  show("node", `${what}: check(snapshot, draft)`, measure(() => m.check(snapshot, draft, { now, locale: "nb" })));
  show("node", `${what}: Checker.check(draft)`, measure(() => checker.check(draft, { now, locale: "nb" })));
}

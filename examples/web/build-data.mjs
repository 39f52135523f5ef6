// Builds the example page's data from the demo season, through the wasm Ledger (nothing is
// hand-copied, and no season loop of its own):
//
//   node examples/web/build-data.mjs <demo-log.json> <demo-network.json> <out-dir>
//   node examples/web/build-data.mjs --page-time      # prints PAGE_TIME (for scripts/test-wasm)
//
//   <out-dir>/rogaland.json   public snapshot of alor Rogaland's autumn gathering at PAGE_TIME
//   <out-dir>/overview.json   networks with the public snapshot of their next gathering
//
// Rogaland is the demo season as `alor_demo::play` (the one loop, in Rust) played it up to
// PAGE_TIME: `cargo run -p alor-wasm --example demo_season -- <PAGE_TIME>` prints its event log,
// read here by `Ledger.fromEventLogJson`, and `--network` the network. The other networks are
// invented here, each driven through the same Ledger into a different state (open, full with a
// waitlist, closed, not open yet), so the overview shows every badge.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const wasm = require("../../alor-wasm/pkg/nodejs/alor_wasm.js");

/** The instant the demo page is frozen at: registration for Rogaland is in full swing. */
export const PAGE_TIME = "2026-10-05T12:00:00+02:00";

if (process.argv[2] === "--page-time") {
  console.log(PAGE_TIME);
  process.exit(0);
}
const [logPath, networkPath, outDir] = process.argv.slice(2);
if (!logPath || !networkPath || !outDir) {
  console.error("usage: node build-data.mjs <demo-log.json> <demo-network.json> <out-dir>");
  process.exit(2);
}
const network = JSON.parse(readFileSync(networkPath, "utf8"));
const pageTime = Date.parse(PAGE_TIME);

/** The demo season's ledger as played to PAGE_TIME (a log played further would show the future). */
function playedSeason() {
  const ledger = wasm.Ledger.fromEventLogJson(readFileSync(logPath, "utf8"));
  const late = ledger.eventsSince(0).find((e) => Date.parse(e.at) > pageTime);
  if (late) throw new Error(`the demo log goes past PAGE_TIME (${late.at}): play it to ${PAGE_TIME}`);
  return ledger;
}

const ORGS = [
  ["Equinor ASA", "923609016", "private"],
  ["Oslo kommune", "974557746", "public"],
  ["Brønnøysundregistrene", "974760673", "public"],
  ["Helse Bergen HF", "983971636", "public"],
];

function invented(id, network, title, town, { capacity, opensDays, closesDays, startsDays }, signUps) {
  const day = (n) => new Date(pageTime + n * 86_400_000).toISOString();
  const ledger = new wasm.Ledger({
    id, network, title, theme: "Fra bekymring til handling",
    starts_at: day(startsDays), ends_at: day(startsDays + 1),
    venue: { name: `${town} hotell`, town }, price: 145000,
    policy: {
      capacity, opens_at: day(opensDays), closes_at: day(closesDays),
      cancellation_deadline: day(closesDays), waitlist: true, waitlist_order: "join_time",
      promotion: { mode: "automatic" },
    },
  });
  for (let i = 0; i < signUps; i++) {
    const [name, number, sector] = ORGS[i % ORGS.length];
    ledger.execute({
      type: "register",
      person: {
        name: `Deltaker ${i + 1}`, email: `deltaker${i + 1}@${id}.example`,
        organisation: { name, number, sector }, role: "hr",
      },
      by: "organiser",
    }, day(Math.max(opensDays, -30) + 0.01 * i), null);
  }
  return ledger.publicSnapshot(PAGE_TIME);
}

const rogaland = playedSeason().publicSnapshot(PAGE_TIME);
const overview = [
  { network: { id: network.id, name: network.name }, snapshot: rogaland },
  { network: { id: "bergen", name: "alor Bergen" },
    snapshot: invented("bergen-2026-host", "bergen", "Høstsamling 2026", "Bergen",
      { capacity: 60, opensDays: -20, closesDays: 10, startsDays: 20 }, 41) },
  { network: { id: "trondheim", name: "alor Trondheim" },
    snapshot: invented("trondheim-2026-host", "trondheim", "Høstsamling 2026", "Trondheim",
      { capacity: 40, opensDays: -40, closesDays: -2, startsDays: 6 }, 38) },
  { network: { id: "oslo", name: "alor Oslo" },
    snapshot: invented("oslo-2026-host", "oslo", "Høstsamling 2026", "Oslo",
      { capacity: 30, opensDays: -15, closesDays: 12, startsDays: 25 }, 34) },
  { network: { id: "kristiansand", name: "alor Kristiansand" },
    snapshot: invented("kristiansand-2027-var", "kristiansand", "Vårsamling 2027", "Kristiansand",
      { capacity: 50, opensDays: 90, closesDays: 150, startsDays: 170 }, 0) },
];

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "rogaland.json"), JSON.stringify(rogaland, null, 1));
writeFileSync(join(outDir, "overview.json"), JSON.stringify({ page_time: PAGE_TIME, networks: overview }, null, 1));
console.log(`page data: Rogaland ${rogaland.counted_seats}/${rogaland.gathering.policy.capacity} seats, ` +
  `${rogaland.waitlist} waiting, at ${PAGE_TIME}`);

// End-to-end in real headless Chromium (Debian's, driven by playwright-core): the example page
// served on 127.0.0.1, typed into like a person would, must show the checker's Norwegian message
// for each case — the same text the Node build of the full module gives for the same input —
// with no console errors. The pages must load the page module (alor_check), never the full one.
// Screenshots go to out/.
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "../../examples/web/serve.mjs";
import { wasm } from "./wasm.mjs";

const snapshot = JSON.parse(readFileSync("examples/web/data/rogaland.json", "utf8"));
const overview = JSON.parse(readFileSync("examples/web/data/overview.json", "utf8"));
const expected = (draft, options) =>
  wasm.check(snapshot, draft, { now: snapshot.as_of, locale: "nb", ...options });

// The tests' own files (the scenario runner, its page and the scenario files) at /tests/.
const server = await serve(0, [["/tests/", new URL("..", import.meta.url).pathname]]);
const base = `http://127.0.0.1:${server.address().port}`;
const profile = mkdtempSync(join(tmpdir(), "alor-e2e-"));
mkdirSync("out", { recursive: true });
const context = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];
try {
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  const modules = new Set();
  page.on("request", (r) => { if (r.url().endsWith(".wasm")) modules.add(new URL(r.url()).pathname); });

  await page.goto(`${base}/index.html`);
  await page.waitForSelector("body[data-ready=true]");
  const outcome = () => page.textContent("#outcome");

  // 1. A wrong check digit is explained at the field, and the outcome waits for a valid number.
  await page.getByLabel("Navn").fill("Åse Ødegård");
  await page.getByLabel("E-post").fill("ase.odegard@lyse.example");
  await page.getByLabel("Virksomhet").fill("Lyse AS");
  await page.getByLabel("Organisasjonsnummer (9 sifre)").fill("980 001 236");
  await page.getByLabel("Sektor").selectOption("private");
  await page.getByLabel("Rolle").selectOption("manager");
  const orgMessage = await page.textContent("#organisation_number-msg");
  assert.match(orgMessage, /Organisasjonsnummeret har feil kontrollsiffer/);
  assert.equal(await page.getAttribute("#organisation_number", "aria-invalid"), "true");
  assert.match(await outcome(), /Fyll inn et gyldig organisasjonsnummer/);
  assert.equal(await page.isDisabled("#submit"), true);
  await page.screenshot({ path: "out/e2e-invalid-org-number.png", fullPage: true });

  // 2. A valid number: the gathering is full, so a waitlist place with its number.
  const draft = { name: "Åse Ødegård", email: "ase.odegard@lyse.example", phone: "",
    organisation_name: "Lyse AS", organisation_number: "980 001 237", sector: "private",
    industry: "", role: "manager" };
  assert.equal(wasm.validateOrgNumber(draft.organisation_number).valid, true);
  await page.getByLabel("Organisasjonsnummer (9 sifre)").fill(draft.organisation_number);
  const want = expected(draft, {});
  assert.equal(want.outcome.kind, "waitlist", "the demo gathering is full at page time");
  assert.equal(want.outcome.position, snapshot.waitlist + 1);
  assert.equal(await outcome(), want.messages.at(-1).text);
  assert.match(await outcome(), new RegExp(`Du kommer på venteliste som nummer ${snapshot.waitlist + 1}\\.`));
  assert.equal(await page.textContent("#organisation_number-msg"), "");
  assert.equal(await page.getAttribute("#outcome", "data-kind"), "waitlist");
  assert.equal(await page.isDisabled("#submit"), false);
  await page.screenshot({ path: "out/e2e-waitlist.png", fullPage: true });

  // 3. A bad e-mail is named in Norwegian and blocks submit.
  await page.getByLabel("E-post").fill("ase.odegard@");
  assert.match(await page.textContent("#email-msg"), /E-postadressen ser ikke riktig ut/);
  assert.equal(await page.isDisabled("#submit"), true);

  // 4. Before registration closes but after the page's data: the same page at a time past the
  //    deadline says registration is closed.
  await page.goto(`${base}/index.html?now=${encodeURIComponent(snapshot.gathering.policy.closes_at)}`);
  await page.waitForSelector("body[data-ready=true]");
  assert.match(await outcome(), /Påmeldingsfristen har gått ut/);

  // 5. The overview: badges from the checker, one network with free seats gives "Du får plass".
  await page.goto(`${base}/overview.html`);
  await page.waitForSelector("body[data-ready=true]");
  const badges = await page.$$eval("li[data-network]", (items) =>
    Object.fromEntries(items.map((li) => [li.dataset.network, [li.querySelector(".badge").dataset.kind, li.querySelector(".detail").textContent]])));
  assert.equal(Object.keys(badges).length, overview.networks.length);
  assert.deepEqual(badges.bergen, ["open", "Du får plass på samlingen."]);
  assert.equal(badges.rogaland[0], "waitlist");
  assert.equal(badges.oslo[0], "waitlist");
  assert.equal(badges.trondheim[0], "closed");
  assert.equal(badges.kristiansand[0], "soon");
  await page.screenshot({ path: "out/e2e-overview.png", fullPage: true });

  // 6. The README's "In the browser" snippet, verbatim, on a bare page with the form it names.
  const readme = readFileSync("README.md", "utf8");
  const snippet = readme.slice(readme.indexOf("## In the browser")).match(/```js\n([\s\S]*?)```/)[1];
  const fields = ["name", "email", "organisation_name", "organisation_number", "sector", "role"];
  const bare = `<!doctype html><html lang="nb"><meta charset="utf-8"><link rel="icon" href="data:,">
    <form id="signup">${fields.map((f) => `<label>${f} <input name="${f}"></label><p class="msg" id="${f}-msg"></p>`).join("")}
    <label><input type="checkbox" name="first_time"> first time</label><button disabled>Send</button></form>
    <p id="status"></p><script type="module">${snippet}</script></html>`;
  await page.route(`${base}/readme.html`, (r) => r.fulfill({ contentType: "text/html; charset=utf-8", body: bare }));
  await page.route(`${base}/samling/rogaland-2026-host.json`, (r) =>
    r.fulfill({ contentType: "application/json", body: JSON.stringify(snapshot) }));
  await page.goto(`${base}/readme.html`);
  // The snippet checks at the page's own clock; the demo snapshot's window is in the past or
  // future of today, so compare with the full module at the same instant rather than a fixed text.
  const typed = { ...draft, organisation_number: "980 001 236" };
  for (const f of fields) await page.fill(`[name=${f}]`, typed[f]);
  await page.waitForFunction(() => document.querySelector("#status").textContent !== "");
  assert.match(await page.textContent("#organisation_number-msg"), /Organisasjonsnummeret har feil kontrollsiffer/);
  assert.equal(await page.isDisabled("button"), true);
  await page.fill("[name=organisation_number]", draft.organisation_number);
  assert.equal(await page.textContent("#organisation_number-msg"), "");
  assert.equal(await page.isDisabled("button"), false);
  const now = new Date();
  assert.equal(await page.textContent("#status"),
    wasm.check(snapshot, draft, { now, locale: "nb" }).messages.at(-1).text);

  assert.deepEqual([...modules], ["/pkg/alor_check_bg.wasm"], "the pages load the page module only");

  // 7. Every scenario file, in Chromium: the browser builds of the full module (the Ledger) and
  //    the page module (its check predicting each participant's sign-up), through the same
  //    runner the Node tests use.
  await page.goto(`${base}/tests/js/scenarios.html`);
  await page.waitForSelector("body[data-ready=true]");
  const names = readdirSync(new URL("../scenarios/", import.meta.url)).filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5)).sort();
  const run = await page.evaluate((n) => window.runAll(n), names);
  assert.deepEqual(run.failed, [], "every scenario passes in Chromium");
  assert.equal(run.ran, names.length);
  assert.ok(names.length >= 25 && run.predictions >= 150, `${run.predictions} predictions compared in the browser`);
  assert.deepEqual(problems, [], "no console errors, page errors or failed requests");
  console.log(`e2e: 7 browser checks passed (the README snippet among them; ${run.ran} scenario files ` +
    `in Chromium, ${run.predictions} predictions); screenshots in out/`);
} finally {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}

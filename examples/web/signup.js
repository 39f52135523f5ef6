// The sign-up page: every message and the outcome come from the wasm checker (alor-core's rules);
// this file only reads the form and shows what the checker says.
// The page module (alor_check): the checks only, a few tens of kilobytes; the Ledger stays on the server.
import init, { Checker, roleChoices, sectorChoices } from "./pkg/alor_check.js";

const FIELDS = ["name", "email", "phone", "organisation_name", "organisation_number", "sector", "industry", "role"];
const $ = (id) => document.getElementById(id);

await init();
const snapshot = await (await fetch("data/rogaland.json")).json();
// The demo is frozen at the instant its data was built; ?now=… overrides it (a real page would
// leave `now` out and the checker would use the clock).
const now = new URLSearchParams(location.search).get("now") ?? snapshot.as_of;
const checker = new Checker(snapshot);

const g = snapshot.gathering;
$("title").textContent = `Påmelding: ${g.title} – ${g.theme}`;
$("facts").textContent = `${g.venue.name}, ${g.venue.town}. Pris ${(g.price / 100).toLocaleString("nb-NO")} kr.`;
for (const [id, choices] of [["role", roleChoices("nb")], ["sector", sectorChoices("nb")]]) {
  for (const c of choices) $(id).append(new Option(c.label, c.value));
}

const touched = new Set();
function render() {
  const draft = Object.fromEntries(FIELDS.map((f) => [f, $(f).value]));
  const result = checker.check(draft, { now, locale: "nb", firstTime: $("first_time").checked });
  for (const f of FIELDS) {
    const message = result.messages.find((m) => m.field === f);
    const shown = message && touched.has(f) ? message.text : "";
    $(`${f}-msg`).textContent = shown;
    $(f).setAttribute("aria-invalid", shown ? "true" : "false");
  }
  const last = result.messages[result.messages.length - 1];
  $("outcome").textContent = last.text;
  $("outcome").dataset.kind = result.outcome.kind;
  $("outcome").dataset.code = last.code;
  $("submit").disabled = !(result.valid && (result.outcome.kind === "seat" || result.outcome.kind === "waitlist"));
}
for (const f of FIELDS) {
  $(f).addEventListener("input", () => { touched.add(f); render(); });
  $(f).addEventListener("change", () => { touched.add(f); render(); });
}
$("first_time").addEventListener("change", render);
$("signup").addEventListener("submit", (e) => {
  e.preventDefault();
  FIELDS.forEach((f) => touched.add(f));
  render();
});
render();
document.body.dataset.ready = "true";

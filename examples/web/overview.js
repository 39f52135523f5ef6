// The network overview: each badge is the checker's outcome for a newcomer from an organisation
// with no registration yet (organisation number 000000000 is MOD11-valid and never registered),
// so the badge follows exactly the rules a sign-up would meet.
// The page module (alor_check): the checks only, a few tens of kilobytes.
import init, { check } from "./pkg/alor_check.js";

await init();
const data = await (await fetch("data/overview.json")).json();
const now = new URLSearchParams(location.search).get("now") ?? data.page_time;
const NEWCOMER = { name: "Ny deltaker", email: "ny@example.no", organisation_name: "Ny virksomhet",
  organisation_number: "000000000", sector: "private", role: "other" };
const BADGES = {
  seat: ["open", "Åpen for påmelding"],
  waitlist: ["waitlist", "Venteliste"],
  refused: ["closed", "Stengt"],
};
const date = (iso) => new Date(iso).toLocaleDateString("nb-NO", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Oslo" });

for (const { network, snapshot } of data.networks) {
  const g = snapshot.gathering;
  const result = check(snapshot, NEWCOMER, { now, locale: "nb" });
  let [kind, label] = BADGES[result.outcome.kind] ?? ["closed", "Stengt"];
  if (result.outcome.kind === "refused" && result.outcome.code === "registration_not_open") {
    [kind, label] = ["soon", `Åpner ${date(g.policy.opens_at)}`];
  }
  const li = document.createElement("li");
  li.dataset.network = network.id;
  li.innerHTML = `<h2></h2><p class="when"></p><p><span class="badge"></span></p><p class="detail"></p>`;
  li.querySelector("h2").textContent = network.name;
  li.querySelector(".when").textContent = `${g.title}: ${date(g.starts_at)}, ${g.venue.name}, ${g.venue.town}`;
  const badge = li.querySelector(".badge");
  badge.textContent = label;
  badge.dataset.kind = kind;
  li.querySelector(".detail").textContent = result.messages[result.messages.length - 1].text;
  if (network.id === "rogaland") {
    const a = document.createElement("a");
    a.href = "index.html";
    a.textContent = "Meld deg på";
    li.append(a);
  }
  document.getElementById("networks").append(li);
}
document.body.dataset.ready = "true";

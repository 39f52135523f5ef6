// Type-checked (never run) with `tsc --noEmit -p tests/js/tsconfig.json`: the hand-written
// TypeScript types in alor-wasm/alor-check/src/types.d.ts (the checks, in both modules) and
// alor-wasm/src/types.d.ts (the Ledger, full module only) must describe the API as it is used,
// and reject misuse (each @ts-expect-error fails the check if the line stops being an error).
import {
  check, Checker, Ledger, validateOrgNumber, roleChoices,
  validatePerson, personErrors, validateGathering, errorCodes, commandTypes, eventTypes, locales,
  schemaVersion, maxVersion,
  type CheckResult, type PublicSnapshot, type PersonDraft, type Recorded, type AlorError,
  type Command, type Outcome, type Registration, type Person, type FieldProblem, type Gathering,
  type OrgCount, type Locale,
} from "../../alor-wasm/pkg/nodejs/alor_wasm.js";

import * as page from "../../alor-wasm/pkg/nodejs/alor_check.js";
// @ts-expect-error: the page module has no Ledger
import { Ledger as NoLedgerOnPages } from "../../alor-wasm/pkg/nodejs/alor_check.js";

declare const snapshot: PublicSnapshot;
const draft: PersonDraft = { name: "Kari", organisation_number: "985 198 292", role: "hr" };
const result: CheckResult = check(snapshot, draft, { now: new Date(), locale: "nb", firstTime: true });
const outcome: Outcome = result.outcome;
if (outcome.kind === "waitlist") {
  const position: number = outcome.position;
  void position;
} else if (outcome.kind === "refused") {
  const code: "registration_closed" | "registration_not_open" | "gathering_started" | "gathering_full" | "organisation_cap_reached" = outcome.code;
  void code;
}
const text: string = result.messages[0].text;
const checker = new Checker(JSON.stringify(snapshot));
checker.check(draft, { now: "2026-09-02T10:00:00+02:00" });
const org = validateOrgNumber("985198292");
if (org.valid) { const v: string = org.value; void v; }
const roles = roleChoices("en").map((c) => c.value);

const ledger = new Ledger(snapshot.gathering);
const command: Command = { type: "cancel", registration: 1, by: "participant", reason: "illness" };
const events: Recorded[] = ledger.execute(command, new Date(), null);
const first = events[0];
if (first.event.type === "registered") { const s: string = first.event.status; void s; }
const reg: Registration | null = ledger.registration(1);
const deadline: string | null = ledger.nextDeadline();
const version: number = ledger.version;
try {
  ledger.execute({ type: "handle_timeout" }, "2026-09-02T10:00:00Z", version);
} catch (e) {
  const err = e as AlorError;
  const code: string = err.code;
  void code;
}

// The event log, the other queries, the validators and the published lists.
const since: Recorded[] = ledger.eventsSince();
const after: Recorded[] = ledger.eventsSince(version);
const log: string = ledger.eventLogJson();
const rebuilt: Ledger = Ledger.fromEventLogJson(log);
const replayed: Ledger = Ledger.replay(snapshot.gathering, since);
const waiting: number = rebuilt.waitlistLen;
const counts: Record<string, OrgCount> = replayed.organisationCounts();
const published: string = ledger.publicSnapshotJson(new Date());
const now: PublicSnapshot = ledger.publicSnapshot();
ledger.decide(command, new Date());
const person: Person = validatePerson(draft);
const problems: FieldProblem[] = personErrors(draft);
const valid: Gathering = validateGathering(JSON.stringify(snapshot.gathering));
try {
  validatePerson({});
} catch (e) {
  const all: FieldProblem[] | undefined = (e as AlorError).errors;
  void all;
}
const ledgerCodes: string[] = errorCodes().ledger;
const commandType: Command["type"] = commandTypes()[0];
const eventType: string = eventTypes()[0];
const locale: Locale = locales()[0];
const numbers: number = schemaVersion() + maxVersion();
// @ts-expect-error: a version is a number
ledger.eventsSince("3");
// @ts-expect-error: the lists are by area, and "analytics" is Python's only
errorCodes().analytics;
// @ts-expect-error: organisationCount is gone: organisationCounts, as in Python
ledger.organisationCount("985198292");

// @ts-expect-error: a draft's fields are strings
check(snapshot, { name: 42 }, {});
// @ts-expect-error: locales are "nb" and "en"
check(snapshot, draft, { locale: "sv" });
// @ts-expect-error: an unknown command type
ledger.execute({ type: "teleport" }, new Date(), null);
// @ts-expect-error: registration ids are numbers
ledger.execute({ type: "erase", registration: "1" }, new Date(), null);
// @ts-expect-error: the outcome kinds are closed
const wrong: Outcome = { kind: "maybe" };

// The page module: the same check API and the same types.
const fromPage: page.CheckResult = page.check(snapshot, draft, { now: "2026-09-02T10:00:00+02:00", locale: "en" });
const sameResult: CheckResult = fromPage;
const pageChecker = new page.Checker(snapshot);
const pageChecked: CheckResult = pageChecker.check(draft, { now: "2026-09-02T10:00:00+02:00" });
const pageOrg: page.OrgNumberCheck = page.validateOrgNumber("985 198 292");
const sectors: page.Choice<page.Sector>[] = page.sectorChoices("nb");
try {
  page.check("{}", draft, {});
} catch (e) {
  const err = e as page.AlorError;
  const where: page.ErrorArea = err.area;
  void where;
}
// @ts-expect-error: a draft's fields are strings, in the page module too
page.check(snapshot, { organisation_number: 985198292 }, {});
// @ts-expect-error: firstTime is a boolean
pageChecker.check(draft, { firstTime: "yes" });

void [text, roles, reg, deadline, wrong, sameResult, pageChecked, pageOrg, sectors, NoLedgerOnPages,
  after, waiting, counts, published, now, person, problems, valid, ledgerCodes, commandType, eventType,
  locale, numbers];

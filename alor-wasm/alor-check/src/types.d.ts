/** An instant as an ISO-8601 / RFC 3339 string with an offset, e.g. "2026-09-01T09:00:00+02:00". */
export type Iso8601 = string;
/** An instant given to the module: an ISO-8601 string with an offset, or a valid Date. */
export type DateInput = Iso8601 | Date;
export type Locale = "nb" | "nn" | "en";
export type Sector = "private" | "public";
export type Role =
  | "manager" | "hr" | "occupational_health" | "hse" | "akan_contact"
  | "safety_representative" | "union_representative" | "colleague" | "other";
export type Field =
  | "name" | "email" | "phone" | "organisation_name" | "organisation_number" | "industry"
  | "sector" | "role" | "id" | "title" | "reason" | "policy" | "dates";
export type ProblemCode =
  | "required" | "too_long" | "control_characters" | "malformed" | "not_nine_digits"
  | "check_digit" | "out_of_range";
export type ErrorArea = "validation" | "ledger" | "data" | "argument";

/** What every function throws: a real Error (TypeError for area "argument") with a stable code. */
export interface AlorError extends Error {
  code: string;
  area: ErrorArea;
  /** For area "validation": the field that is wrong. */
  field?: Field;
  /** For area "validation": what is wrong with it. */
  problem?: ProblemCode;
  /** For area "argument": the argument's name. */
  argument?: string;
}

/** A sign-up form as typed: every field a string; missing fields count as empty. */
export interface PersonDraft {
  name?: string;
  email?: string;
  phone?: string;
  organisation_name?: string;
  organisation_number?: string;
  sector?: string;
  industry?: string;
  role?: string;
}

export interface CheckOptions {
  /** The instant to check at; the host's clock when left out. */
  now?: DateInput;
  /** Language of the messages; bokmål by default. */
  locale?: Locale;
  /** The person declares they have never attended the network before. */
  firstTime?: boolean;
}

export type WaitReason = "full" | "organisation_cap" | "others_waiting";
export type RefusalCode =
  | "registration_not_open" | "registration_closed" | "gathering_started"
  | "gathering_full" | "organisation_cap_reached";
export type Outcome =
  | { kind: "seat" }
  | { kind: "waitlist"; position: number; reason: WaitReason }
  | { kind: "refused"; code: RefusalCode }
  | { kind: "incomplete" };

export interface Message {
  /** A validation code (invalid_email), an outcome (seat, waitlist, incomplete) or a refusal code. */
  code: string;
  field: Field | null;
  problem: ProblemCode | null;
  text: string;
}

export interface CheckResult {
  /** Every field is valid: the form can be submitted. */
  valid: boolean;
  /** What submitting would give (the server's answer at submit is authoritative). */
  outcome: Outcome;
  /** Field problems in form order, then one message about the outcome. */
  messages: Message[];
  /** The snapshot is past its valid_until: reload it for an exact prediction. */
  stale: boolean;
}

export type OrgNumberCheck =
  | { valid: true; value: string }
  | { valid: false; code: "invalid_organisation_number"; problem: ProblemCode };

export interface Choice<T extends string> {
  value: T;
  label: string;
}

export interface OrgCount {
  counted: number;
  active: number;
}

export type WaitlistOrder = "join_time" | "first_time_first" | "new_organisations_first";
export type Promotion = { mode: "automatic" } | { mode: "offer"; hold_minutes: number };

export interface RegistrationPolicy {
  capacity: number;
  opens_at: Iso8601;
  closes_at: Iso8601;
  cancellation_deadline: Iso8601;
  max_per_organisation?: number | null;
  waitlist?: boolean;
  waitlist_order?: WaitlistOrder;
  promotion?: Promotion;
}

export interface Venue {
  name: string;
  town: string;
}

export interface Gathering {
  id: string;
  network: string;
  title: string;
  theme: string;
  starts_at: Iso8601;
  ends_at: Iso8601;
  venue: Venue;
  /** In øre. */
  price: number;
  policy: RegistrationPolicy;
  /** Personal data is shredded this many days after the gathering ends (absent: kept). */
  retention_days?: number;
}

/** What a web page may know about a gathering: counts, no personal data. */
export interface PublicSnapshot {
  schema_version: number;
  gathering: Gathering;
  version: number;
  as_of: Iso8601 | null;
  valid_until: Iso8601 | null;
  manually_closed: boolean;
  counted_seats: number;
  waitlist: number;
  priority_waitlist: number;
  eligible_waiting: boolean;
  /** By organisation number; only when the policy has a cap or new organisations first. */
  organisations: Record<string, OrgCount>;
}


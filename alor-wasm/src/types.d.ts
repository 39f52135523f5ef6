/** An instant as an ISO-8601 / RFC 3339 string with an offset, e.g. "2026-09-01T09:00:00+02:00". */
export type Iso8601 = string;
/** An instant given to the module: an ISO-8601 string with an offset, or a valid Date. */
export type DateInput = Iso8601 | Date;
export type Locale = "nb" | "en";
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

export interface Organisation {
  name: string;
  number: string;
  sector: Sector;
  industry?: string | null;
}

export interface Person {
  name: string;
  email: string;
  phone?: string | null;
  organisation: Organisation;
  role: Role;
}

export interface Contact {
  name: string;
  email: string;
  phone?: string | null;
}

export type Actor = "participant" | "organiser";
export type CancelReason =
  | "illness" | "work_conflict" | "travel" | "duplicate" | "organiser_decision" | "other";
export type Status =
  | "waitlisted" | "offered" | "confirmed" | "attended" | "no_show" | "cancelled" | "declined"
  | "expired" | "transferred";

export type Command =
  | { type: "register"; person: Person; first_time?: boolean; by?: Actor }
  | { type: "cancel"; registration: number; by: Actor; reason: CancelReason }
  | { type: "substitute"; registration: number; person: Person; first_time?: boolean }
  | { type: "accept_offer"; registration: number }
  | { type: "decline_offer"; registration: number }
  | { type: "mark_attended"; registration: number }
  | { type: "mark_no_show"; registration: number }
  | { type: "change_capacity"; capacity: number }
  | { type: "close_registration" }
  | { type: "reopen_registration" }
  | { type: "override_seat"; registration: number; reason: string }
  | { type: "erase"; registration: number }
  | { type: "handle_timeout" };

export type PromotionCause =
  | { kind: "seat_freed"; by: number }
  | { kind: "capacity_increased" }
  | { kind: "registration_reopened" }
  | { kind: "registration_opened" };

export type Event =
  | { type: "registered"; registration: number; person: Person; first_time: boolean; priority: boolean; status: Status; by: Actor }
  | { type: "promoted"; registration: number; cause: PromotionCause }
  | { type: "offered"; registration: number; expires_at: Iso8601; cause: PromotionCause }
  | { type: "offer_accepted"; registration: number }
  | { type: "offer_declined"; registration: number }
  | { type: "offer_expired"; registration: number }
  | { type: "cancelled"; registration: number; by: Actor; reason: CancelReason; late: boolean }
  | { type: "substituted"; registration: number; substitute: number; person: Person; first_time: boolean }
  | { type: "attendance_marked"; registration: number; attended: boolean }
  | { type: "capacity_changed"; from: number; to: number }
  | { type: "registration_closed" }
  | { type: "registration_reopened" }
  | { type: "seat_overridden"; registration: number; reason: string; beyond_capacity: boolean }
  | { type: "erased"; registration: number };

export interface Recorded {
  seq: number;
  at: Iso8601;
  event: Event;
}

export interface Registration {
  id: number;
  contact: Contact | null;
  organisation: Organisation;
  role: Role;
  first_time: boolean;
  priority: boolean;
  status: Status;
  registered_by: Actor;
  joined_at: Iso8601;
  seated_at: Iso8601 | null;
  offered_at: Iso8601 | null;
  offer_expires_at: Iso8601 | null;
  cancelled_at: Iso8601 | null;
  cancelled_by: Actor | null;
  cancel_reason: CancelReason | null;
  late_cancellation: boolean;
  overridden: boolean;
  substitute_for: number | null;
  substituted_by: number | null;
}

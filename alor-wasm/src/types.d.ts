// The Ledger's types. The types of the checks (PublicSnapshot, Gathering, CheckResult, AlorError…)
// come from alor-check (alor-wasm/alor-check/src/types.d.ts), in the same generated .d.ts.

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

/** One bad field of a form (`personErrors`, and an error's `errors` from `validatePerson`). */
export interface FieldProblem {
  field: Field;
  /** The field's code, e.g. "invalid_email". */
  code: string;
  problem: ProblemCode;
}

// The full module's validatePerson throws with every bad field in `errors` (merged into the
// AlorError of alor-check's types: the page module throws none with it).
export interface AlorError {
  /** For validatePerson: every bad field, in form order (the first is `field`/`problem`). */
  errors?: FieldProblem[];
}

/** Every error code by area, as the core publishes them (`errorCodes()`). */
export type ErrorCodes = Record<ErrorArea | "time", string[]>;

//! # alor-core
//!
//! The domain of Norway's *alor* networks (*arbeidsliv og rus*: working life and substance use),
//! as a pure, deterministic Rust library: no clock reads, no randomness, no I/O. The same code
//! runs on a server, in Python (`alor`) and in the browser (`alor-wasm`), so all three compute the
//! same answer from the same inputs.
//!
//! ## The domain in one page
//!
//! Regional **networks** ([`Network`]) — run by a KORUS (regional competence centre on substance
//! use) together with treatment services and Akan — hold usually two **gatherings** a year
//! ([`Gathering`], *samling*) at a hotel, at self-cost price. Participants are managers, HR,
//! occupational health service (*BHT*), HSE staff, Akan contacts, safety and union
//! representatives ([`Role`]) from private and public organisations ([`Organisation`],
//! identified by their MOD11-checked [`OrgNumber`], never by name).
//!
//! Gatherings fill up: about 70 seats, waitlists (*venteliste*) in popular seasons. Each
//! gathering's registrations live in a [`Ledger`], governed by a [`RegistrationPolicy`] that is
//! plain data: capacity, window (*påmeldingsfrist*), optional seat cap per organisation, waitlist
//! on or off, waitlist order ([`WaitlistOrder`]), and whether freed seats go to the next person
//! at once or as a held offer ([`Promotion`]).
//!
//! ## Commands in, events out
//!
//! A [`Command`] (register, cancel, substitute, accept/decline an offer, mark attendance, change
//! capacity, close/reopen, override, erase) is decided against the current state at an instant
//! `now` that the caller supplies. The decision is a list of [`Recorded`] events with
//! consecutive sequence numbers, or a [`LedgerError`] with a stable [`code`](LedgerError::code).
//! Applying events never fails, and replaying a gathering's events always rebuilds the same state.
//! The ledger guarantees, after every step:
//!
//! - counted seats (confirmed, offered, attended, no-show) never exceed capacity, except by
//!   explicit organiser overrides, which are recorded with a reason;
//! - one active registration per person (by normalised e-mail) per gathering;
//! - the waitlist is served strictly in policy order: a freed seat goes to the first eligible
//!   waitlisted person in the same step that freed it, and nobody new gets a seat while an
//!   eligible person waits;
//! - the original join time is never overwritten; no offers after registration closes or the
//!   gathering starts; expired holds free their seat;
//! - a caller that states the version it expects gets `conflict` if someone wrote first.
//!
//! Time is an argument. The host asks [`Ledger::next_deadline`] when time alone will change
//! something (a hold expiring) and calls [`Ledger::handle_timeout`] then; every decision also
//! settles overdue holds first, at their own expiry instants, so a late timer changes nothing.
//!
//! ## Quick start
//!
//! ```
//! use alor_core::*;
//! use chrono::{TimeZone, Utc};
//!
//! let at = |d, h| Utc.with_ymd_and_hms(2026, 9, d, h, 0, 0).unwrap();
//! let policy = RegistrationPolicy {
//!     capacity: 1,
//!     opens_at: at(1, 8),
//!     closes_at: at(20, 22),
//!     cancellation_deadline: at(15, 22),
//!     max_per_organisation: None,
//!     waitlist: true,
//!     waitlist_order: WaitlistOrder::JoinTime,
//!     promotion: Promotion::Automatic,
//! };
//! let gathering = Gathering {
//!     id: Slug::parse("rogaland-2026-host").unwrap(),
//!     network: Slug::parse("rogaland").unwrap(),
//!     title: Label::parse("Høstsamling 2026").unwrap(),
//!     theme: Label::parse("Fra bekymring til handling").unwrap(),
//!     starts_at: at(29, 8),
//!     ends_at: at(29, 15),
//!     venue: Venue { name: Label::parse("Sola Strand Hotel").unwrap(), town: Label::parse("Sola").unwrap() },
//!     price: Nok::kroner(1_450),
//!     retention_days: None,
//!     policy,
//! };
//! let mut ledger = Ledger::new(gathering).unwrap();
//!
//! let person = |name: &str, email: &str| PersonDraft {
//!     name: name.into(),
//!     email: email.into(),
//!     organisation_name: "Avinor AS".into(),
//!     organisation_number: "985 198 292".into(),
//!     sector: "public".into(),
//!     role: "akan_contact".into(),
//!     ..PersonDraft::default()
//! }.validate().unwrap();
//!
//! // The first person gets the only seat, the second is waitlisted.
//! let register = |p| Command::Register { person: p, first_time: false, by: Actor::Participant };
//! ledger.execute(&register(person("Tormod", "tormod@avinor.no")), at(2, 9), None).unwrap();
//! ledger.execute(&register(person("Åse Ødegård", "ase@avinor.no")), at(2, 10), None).unwrap();
//! assert_eq!(ledger.waitlist_len(), 1);
//!
//! // Signing up twice is refused with a stable code, and changes nothing.
//! let again = ledger.execute(&register(person("Tormod", "TORMOD@avinor.no")), at(3, 9), None);
//! assert_eq!(again.unwrap_err().code(), "already_registered");
//!
//! // A cancellation hands the seat to the first in line, in the same step.
//! let cancel = Command::Cancel {
//!     registration: RegistrationId(1),
//!     by: Actor::Participant,
//!     reason: CancelReason::Illness,
//! };
//! let events = ledger.execute(&cancel, at(4, 9), Some(2)).unwrap();
//! assert!(matches!(events[1].event, Event::Promoted { registration: RegistrationId(2), .. }));
//!
//! // The state is the replay of its events; the join time survived the promotion.
//! assert_eq!(ledger.registration(RegistrationId(2)).unwrap().joined_at, at(2, 10));
//! ```
//!
//! ## Errors
//!
//! Every error has a stable machine code (`already_registered`, `gathering_full`,
//! `invalid_organisation_number`, …) exposed identically in Python and JavaScript. Messages
//! never contain names, e-mail addresses or phone numbers. Bad input is an `Err`, never a panic.

#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod check;
mod codes;
mod error;
pub mod ledger;
mod model;
mod policy;
pub mod snapshot;
pub mod time;

pub use check::{check, CheckResult, Locale, Message, Outcome};
pub use codes::{ErrorArea, ERROR_AREAS, INSTANT_KEYS};
pub use error::{
    ArgumentError, ArgumentProblem, DataError, Error, Field, Problem, ValidationError,
};
pub use ledger::WaitReason;
pub use ledger::{
    Actor, CancelReason, Command, Event, EventLog, EventProblem, Journal, Ledger, LedgerError,
    OrgCount, PromotionCause, Recorded, Registration, RegistrationId, Snapshot, SnapshotProblem,
    Status, MAX_VERSION, SCHEMA_VERSION,
};
pub use model::{
    Contact, Email, Gathering, Host, HostKind, Label, Network, Nok, OrgNumber, Organisation,
    OrganisationInput, Person, PersonDraft, PersonInput, PersonName, Phone, Region, Role, Sector,
    Slug, Venue, MAX_EMAIL_CHARS, MAX_ID_CHARS, MAX_NAME_CHARS,
};
pub use policy::{Promotion, RegistrationPolicy, WaitlistOrder};
pub use snapshot::PublicSnapshot;

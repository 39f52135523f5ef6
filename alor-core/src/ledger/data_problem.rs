//! Why stored data was refused: the typed reasons inside [`DataError`](crate::DataError).
//!
//! A replayed event that cannot follow its state carries an [`EventProblem`]; a snapshot (a
//! ledger's or a page's public one) that contradicts itself carries a [`SnapshotProblem`]. Each
//! reason has a stable [`code`](EventProblem::code) for hosts that want to tell them apart (the
//! error's own code, `inapplicable_event` or `inconsistent_snapshot`, stays the contract every
//! surface exposes). Like every message of this library, a reason names ids, statuses and counts,
//! never a name, e-mail address or phone number: stored data is full of personal data, and an
//! error message ends up in logs.

use chrono::{DateTime, Utc};

use super::{RegistrationId, Status, MAX_VERSION};

/// Why a stored event cannot be applied to the state it follows
/// ([`DataError::InapplicableEvent`](crate::DataError::InapplicableEvent)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum EventProblem {
    /// The sequence number is above [`MAX_VERSION`].
    #[error("sequence numbers end at {MAX_VERSION}")]
    BeyondMaxVersion,
    /// The event took effect before the event it follows.
    #[error("time goes backwards")]
    TimeGoesBackwards {
        /// When the last applied event took effect.
        last_event_at: DateTime<Utc>,
        /// When this event says it took effect.
        at: DateTime<Utc>,
    },
    /// The event names a registration the ledger does not have.
    #[error("unknown registration {registration}")]
    UnknownRegistration {
        /// The id named.
        registration: RegistrationId,
    },
    /// The status change is not in [`Status::TRANSITIONS`].
    #[error("{registration} cannot go from {from} to {to}")]
    ForbiddenTransition {
        /// The registration.
        registration: RegistrationId,
        /// Its status before the event.
        from: Status,
        /// The status the event gives it.
        to: Status,
    },
    /// A new registration's id is not the next one.
    #[error("new registration {registration} is not {expected}")]
    UnexpectedNewId {
        /// The id the event gives the new registration.
        registration: RegistrationId,
        /// The next id (as a plain number: it may be beyond the ids a registration can have).
        expected: u64,
    },
    /// A new registration is of a person who has an active one already.
    #[error("{registration} is a second active registration of one person")]
    SecondActiveRegistration {
        /// The new registration.
        registration: RegistrationId,
    },
    /// A sign-up that is neither confirmed nor waitlisted.
    #[error("{registration} registered as {status}")]
    RegisteredAs {
        /// The new registration.
        registration: RegistrationId,
        /// The status it was recorded with.
        status: Status,
    },
    /// A promotion or an override of someone who is not waitlisted.
    #[error("{registration} is not waitlisted")]
    NotWaitlisted {
        /// The registration.
        registration: RegistrationId,
    },
    /// An accepted offer that was never made (or is no longer open).
    #[error("{registration} has no offer")]
    NoOffer {
        /// The registration.
        registration: RegistrationId,
    },
    /// An offer whose hold ends before the offer is made.
    #[error("offer to {registration} expires before it is made")]
    OfferExpiresBeforeMade {
        /// The registration offered a seat.
        registration: RegistrationId,
    },
    /// A capacity change from a capacity the gathering did not have.
    #[error("capacity was {actual}, not {recorded}")]
    CapacityMismatch {
        /// The capacity the event changes from.
        recorded: u32,
        /// The capacity the gathering had.
        actual: u32,
    },
    /// Registration closed while it was closed already.
    #[error("registration is already closed")]
    AlreadyClosed,
    /// Registration reopened while it was open.
    #[error("registration is not closed")]
    NotClosed,
    /// The event would take the ledger past the last registration id.
    #[error("too many registrations")]
    TooManyRegistrations,
    /// After this event more seats count than capacity plus the overrides recorded (a sign-up
    /// recorded as confirmed on a full gathering, say).
    #[error("{counted} counted seats exceed capacity {capacity} with {overridden} overrides")]
    OverCapacity {
        /// Seats that count against capacity after the event.
        counted: u32,
        /// The capacity.
        capacity: u32,
        /// Counted seats granted by an override beyond capacity.
        overridden: u32,
    },
    /// An offer whose hold ends after registration closes.
    #[error("the hold of {registration} outlasts the registration window")]
    HoldOutlastsWindow {
        /// The registration offered a seat.
        registration: RegistrationId,
    },
    /// An erasure of a registration that is still active before the gathering has ended, or
    /// of one erased already.
    #[error("{registration} cannot be erased now")]
    NotErasable {
        /// The registration.
        registration: RegistrationId,
    },
}

impl EventProblem {
    /// Stable machine code, e.g. `unknown_registration`.
    pub const fn code(&self) -> &'static str {
        match self {
            EventProblem::BeyondMaxVersion => "beyond_max_version",
            EventProblem::TimeGoesBackwards { .. } => "time_goes_backwards",
            EventProblem::UnknownRegistration { .. } => "unknown_registration",
            EventProblem::ForbiddenTransition { .. } => "forbidden_transition",
            EventProblem::UnexpectedNewId { .. } => "unexpected_new_id",
            EventProblem::SecondActiveRegistration { .. } => "second_active_registration",
            EventProblem::RegisteredAs { .. } => "registered_as",
            EventProblem::NotWaitlisted { .. } => "not_waitlisted",
            EventProblem::NoOffer { .. } => "no_offer",
            EventProblem::OfferExpiresBeforeMade { .. } => "offer_expires_before_made",
            EventProblem::CapacityMismatch { .. } => "capacity_mismatch",
            EventProblem::AlreadyClosed => "already_closed",
            EventProblem::NotClosed => "not_closed",
            EventProblem::TooManyRegistrations => "too_many_registrations",
            EventProblem::OverCapacity { .. } => "over_capacity",
            EventProblem::HoldOutlastsWindow { .. } => "hold_outlasts_window",
            EventProblem::NotErasable { .. } => "not_erasable",
        }
    }
}

/// Why a snapshot contradicts itself
/// ([`DataError::InconsistentSnapshot`](crate::DataError::InconsistentSnapshot)): a ledger's
/// [`Snapshot`](super::Snapshot), a ledger that fails [`Ledger::verify`](super::Ledger::verify),
/// or a page's [`PublicSnapshot`](crate::PublicSnapshot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum SnapshotProblem {
    /// The snapshot's version is above [`MAX_VERSION`].
    #[error("version {version} is above {MAX_VERSION}")]
    VersionTooHigh {
        /// The version found.
        version: u64,
    },
    /// The registrations are not numbered 1, 2, 3, … in order.
    #[error("registration at position {position} has id {registration}")]
    IdOutOfPlace {
        /// The 1-based position in the list.
        position: usize,
        /// The id found there.
        registration: RegistrationId,
    },
    /// Two active registrations of one person (by e-mail).
    #[error("{registration} is a second active registration of one person")]
    SecondActiveRegistration {
        /// The later of the two.
        registration: RegistrationId,
    },
    /// An offered registration without the instant its hold ends.
    #[error("{registration} is offered without an expiry")]
    OfferWithoutExpiry {
        /// The registration.
        registration: RegistrationId,
    },
    /// The ledger's derived index differs from a rebuild from its registrations.
    #[error("derived counts differ from the registrations")]
    DerivedCountsDiffer,
    /// More counted seats than capacity plus the overrides recorded.
    #[error("{counted} counted seats exceed capacity {capacity} with {overridden} overrides")]
    OverCapacity {
        /// Seats that count against capacity.
        counted: u32,
        /// The capacity.
        capacity: u32,
        /// Counted seats granted by an override beyond capacity.
        overridden: u32,
    },
    /// An open offer whose hold ends after registration closes.
    #[error("the hold of {registration} outlasts the registration window")]
    HoldOutlastsWindow {
        /// The registration holding the offer.
        registration: RegistrationId,
    },
    /// A seat or an offer given before the person signed up.
    #[error("a seat or offer predates its registration")]
    SeatBeforeRegistration {
        /// The first registration found so.
        registration: RegistrationId,
    },
    /// A version lower than the events the registrations imply (see
    /// [`Ledger::verify`](super::Ledger::verify) for the rule).
    #[error("version {version} is below the {implied} events the registrations imply")]
    VersionBelowHistory {
        /// The snapshot's version.
        version: u64,
        /// The fewest events that give these registrations.
        implied: u64,
    },
    /// An instant in a registration after the last event's, or a ledger with events and no
    /// instant of the last one (or an instant without events).
    #[error("{registration} has an instant after the last event's")]
    InstantAfterLastEvent {
        /// The first registration found so (`#0` when the ledger's own instant is missing or
        /// present without events).
        registration: RegistrationId,
    },
    /// A public snapshot with more priority waitlist places than waitlist places.
    #[error("more priority waitlist places than waitlist places")]
    PriorityBeyondWaitlist,
    /// A public snapshot that says someone eligible waits, on an empty waitlist.
    #[error("someone eligible waits on an empty waitlist")]
    EligibleWaitingOnEmptyWaitlist,
    /// A public snapshot with an organisation holding more seats than active registrations.
    #[error("an organisation has more seats than active registrations")]
    OrganisationSeatsBeyondActive,
}

impl SnapshotProblem {
    /// Stable machine code, e.g. `over_capacity`.
    pub const fn code(&self) -> &'static str {
        match self {
            SnapshotProblem::VersionTooHigh { .. } => "version_too_high",
            SnapshotProblem::IdOutOfPlace { .. } => "id_out_of_place",
            SnapshotProblem::SecondActiveRegistration { .. } => "second_active_registration",
            SnapshotProblem::OfferWithoutExpiry { .. } => "offer_without_expiry",
            SnapshotProblem::DerivedCountsDiffer => "derived_counts_differ",
            SnapshotProblem::OverCapacity { .. } => "over_capacity",
            SnapshotProblem::HoldOutlastsWindow { .. } => "hold_outlasts_window",
            SnapshotProblem::SeatBeforeRegistration { .. } => "seat_before_registration",
            SnapshotProblem::VersionBelowHistory { .. } => "version_below_history",
            SnapshotProblem::InstantAfterLastEvent { .. } => "instant_after_last_event",
            SnapshotProblem::PriorityBeyondWaitlist => "priority_beyond_waitlist",
            SnapshotProblem::EligibleWaitingOnEmptyWaitlist => "eligible_waiting_on_empty_waitlist",
            SnapshotProblem::OrganisationSeatsBeyondActive => "organisation_seats_beyond_active",
        }
    }
}

use super::{RegistrationId, Status};

/// A command the ledger refuses. Nothing is recorded when a command is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    /// The caller expected another version: someone else wrote first. Reload and retry.
    #[error("version conflict: expected {expected}, the ledger is at {actual}")]
    Conflict {
        /// The version the caller stated.
        expected: u64,
        /// The ledger's version.
        actual: u64,
    },
    /// `now` is earlier than the ledger's last event.
    #[error("time went backwards: now is before the last recorded event")]
    TimeWentBackwards,
    /// Registration has not opened yet.
    #[error("registration has not opened yet")]
    RegistrationNotOpen,
    /// Registration has closed (deadline passed, or closed by an organiser).
    #[error("registration is closed")]
    RegistrationClosed,
    /// The gathering has started; registrations can no longer change.
    #[error("the gathering has started")]
    GatheringStarted,
    /// No seat is free and the gathering has no waitlist.
    #[error("the gathering is full and has no waitlist")]
    GatheringFull,
    /// The organisation has as many seats as the policy allows and the gathering has no
    /// waitlist.
    #[error("the organisation has reached its seat limit")]
    OrganisationCapReached,
    /// This person (by normalised e-mail) already has an active registration.
    #[error("this person is already registered for the gathering")]
    AlreadyRegistered,
    /// No registration has this id.
    #[error("no registration {0}")]
    UnknownRegistration(RegistrationId),
    /// The registration's status does not allow this change.
    #[error("registration {registration} cannot go from {from} to {to}")]
    InvalidTransition {
        /// Which registration.
        registration: RegistrationId,
        /// Its status.
        from: Status,
        /// The status the command would give it.
        to: Status,
    },
    /// The registration has no open offer.
    #[error("registration {0} has no open offer")]
    NoOffer(RegistrationId),
    /// The registration's offer has expired.
    #[error("the offer to registration {0} has expired")]
    OfferExpired(RegistrationId),
    /// A seat can only be handed to someone from the same organisation.
    #[error("a substitute must come from the same organisation as registration {0}")]
    SubstituteOtherOrganisation(RegistrationId),
    /// The new capacity is below the seats already taken.
    #[error("capacity {requested} is below the {taken} seats already taken")]
    CapacityBelowTaken {
        /// The capacity asked for.
        requested: u32,
        /// Seats taken (not counting recorded overrides).
        taken: u32,
    },
    /// Attendance can be marked from the gathering's start.
    #[error("attendance can be marked from the start of the gathering")]
    AttendanceNotOpen,
    /// Registration is already closed.
    #[error("registration is already closed")]
    AlreadyClosed,
    /// Registration is not closed by an organiser.
    #[error("registration is already open")]
    AlreadyOpen,
    /// Personal data of an active registration can be erased once the gathering has ended.
    #[error("registration {0} is still active; cancel it or wait until the gathering has ended")]
    EraseActive(RegistrationId),
    /// Already erased.
    #[error("registration {0} is already erased")]
    AlreadyErased(RegistrationId),
    /// The gathering has as many registrations as a ledger can hold.
    #[error("the gathering cannot take more registrations")]
    RegistrationLimit,
}

impl LedgerError {
    /// Every code this enum can return, in declaration order.
    pub const CODES: &'static [&'static str] = &[
        "conflict",
        "time_went_backwards",
        "registration_not_open",
        "registration_closed",
        "gathering_started",
        "gathering_full",
        "organisation_cap_reached",
        "already_registered",
        "unknown_registration",
        "invalid_transition",
        "no_offer",
        "offer_expired",
        "substitute_other_organisation",
        "capacity_below_taken",
        "attendance_not_open",
        "already_closed",
        "already_open",
        "erase_active",
        "already_erased",
        "registration_limit",
    ];

    /// Stable machine code.
    pub const fn code(&self) -> &'static str {
        match self {
            LedgerError::Conflict { .. } => "conflict",
            LedgerError::TimeWentBackwards => "time_went_backwards",
            LedgerError::RegistrationNotOpen => "registration_not_open",
            LedgerError::RegistrationClosed => "registration_closed",
            LedgerError::GatheringStarted => "gathering_started",
            LedgerError::GatheringFull => "gathering_full",
            LedgerError::OrganisationCapReached => "organisation_cap_reached",
            LedgerError::AlreadyRegistered => "already_registered",
            LedgerError::UnknownRegistration(_) => "unknown_registration",
            LedgerError::InvalidTransition { .. } => "invalid_transition",
            LedgerError::NoOffer(_) => "no_offer",
            LedgerError::OfferExpired(_) => "offer_expired",
            LedgerError::SubstituteOtherOrganisation(_) => "substitute_other_organisation",
            LedgerError::CapacityBelowTaken { .. } => "capacity_below_taken",
            LedgerError::AttendanceNotOpen => "attendance_not_open",
            LedgerError::AlreadyClosed => "already_closed",
            LedgerError::AlreadyOpen => "already_open",
            LedgerError::EraseActive(_) => "erase_active",
            LedgerError::AlreadyErased(_) => "already_erased",
            LedgerError::RegistrationLimit => "registration_limit",
        }
    }
}

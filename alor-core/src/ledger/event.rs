use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Actor, CancelReason, RegistrationId, Status};
use crate::model::{Label, Person};

/// Why a waitlisted person got a seat or an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PromotionCause {
    /// A seat was freed by this registration (cancelled, declined, or its hold expired).
    SeatFreed {
        /// The registration that freed it.
        by: RegistrationId,
    },
    /// The capacity was raised.
    CapacityIncreased,
    /// Registration was reopened with seats free.
    RegistrationReopened,
    /// The registration window opened with seats free and people waiting (seats freed or added
    /// before it opened, when they could not yet go to the waitlist). Recorded at `opens_at`.
    RegistrationOpened,
}

/// Something that happened to a gathering's registrations. Applying an event never fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// A person signed up, and got a seat or a waitlist place.
    Registered {
        /// The new registration's id.
        registration: RegistrationId,
        /// Who.
        person: Person,
        /// Declared new to the network.
        first_time: bool,
        /// In the waitlist's priority class (see [`WaitlistOrder`](crate::WaitlistOrder)).
        priority: bool,
        /// `confirmed` or `waitlisted`.
        status: Status,
        /// Who registered.
        by: Actor,
    },
    /// A waitlisted person got a freed seat (automatic promotion).
    Promoted {
        /// Who.
        registration: RegistrationId,
        /// Why now.
        cause: PromotionCause,
    },
    /// A waitlisted person was offered a freed seat, held until `expires_at`.
    Offered {
        /// Who.
        registration: RegistrationId,
        /// When the hold ends.
        #[serde(deserialize_with = "crate::time::rfc3339::field::expires_at")]
        expires_at: DateTime<Utc>,
        /// Why now.
        cause: PromotionCause,
    },
    /// An offer was accepted.
    OfferAccepted {
        /// Who.
        registration: RegistrationId,
    },
    /// An offer was declined.
    OfferDeclined {
        /// Who.
        registration: RegistrationId,
    },
    /// An offer's hold ran out (recorded at the expiry instant).
    OfferExpired {
        /// Who.
        registration: RegistrationId,
    },
    /// A registration was cancelled.
    Cancelled {
        /// Which.
        registration: RegistrationId,
        /// By whom.
        by: Actor,
        /// Why.
        reason: CancelReason,
        /// A seat given up at or after the cancellation deadline.
        late: bool,
    },
    /// A seat was handed to a colleague: the old registration is `transferred`, a new one is
    /// `confirmed`.
    Substituted {
        /// The registration giving up the seat.
        registration: RegistrationId,
        /// The new registration's id.
        substitute: RegistrationId,
        /// The colleague.
        person: Person,
        /// Declared new to the network.
        first_time: bool,
    },
    /// Attendance was recorded.
    AttendanceMarked {
        /// Who.
        registration: RegistrationId,
        /// Came (`true`) or no-show (`false`).
        attended: bool,
    },
    /// The capacity changed.
    CapacityChanged {
        /// Before.
        from: u32,
        /// After.
        to: u32,
    },
    /// Registration was closed by an organiser.
    RegistrationClosed,
    /// Registration was reopened by an organiser.
    RegistrationReopened,
    /// An organiser seated a waitlisted person out of order.
    SeatOverridden {
        /// Who.
        registration: RegistrationId,
        /// Why.
        reason: Label,
        /// Whether the seat went beyond capacity.
        beyond_capacity: bool,
    },
    /// A registration's personal data was erased.
    Erased {
        /// Which.
        registration: RegistrationId,
    },
}

impl Event {
    /// Every type tag, as written in JSON (`"type": …`), in declaration order. Scenario runners
    /// on every surface read this list to check that the scenario files cover each one.
    pub const TYPES: &'static [&'static str] = &[
        "registered",
        "promoted",
        "offered",
        "offer_accepted",
        "offer_declined",
        "offer_expired",
        "cancelled",
        "substituted",
        "attendance_marked",
        "capacity_changed",
        "registration_closed",
        "registration_reopened",
        "seat_overridden",
        "erased",
    ];

    /// This value's type tag, as written in JSON.
    pub const fn type_name(&self) -> &'static str {
        match self {
            Event::Registered { .. } => "registered",
            Event::Promoted { .. } => "promoted",
            Event::Offered { .. } => "offered",
            Event::OfferAccepted { .. } => "offer_accepted",
            Event::OfferDeclined { .. } => "offer_declined",
            Event::OfferExpired { .. } => "offer_expired",
            Event::Cancelled { .. } => "cancelled",
            Event::Substituted { .. } => "substituted",
            Event::AttendanceMarked { .. } => "attendance_marked",
            Event::CapacityChanged { .. } => "capacity_changed",
            Event::RegistrationClosed => "registration_closed",
            Event::RegistrationReopened => "registration_reopened",
            Event::SeatOverridden { .. } => "seat_overridden",
            Event::Erased { .. } => "erased",
        }
    }
}

/// An event as stored: with its per-gathering sequence number and the instant it took effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recorded {
    /// 1 for the gathering's first event, then consecutive.
    pub seq: u64,
    /// When it took effect (for an expired hold: the expiry instant).
    #[serde(deserialize_with = "crate::time::rfc3339::field::at")]
    pub at: DateTime<Utc>,
    /// What happened.
    pub event: Event,
}

use serde::{Deserialize, Serialize};

/// Where a registration stands.
///
/// | status | counts against capacity | active (blocks a second sign-up) |
/// |---|---|---|
/// | `waitlisted` | no | yes |
/// | `offered` (seat held) | yes | yes |
/// | `confirmed` | yes | yes |
/// | `attended` | yes | yes |
/// | `no_show` | yes | yes |
/// | `cancelled` | no | no |
/// | `declined` (an offer) | no | no |
/// | `expired` (an offer) | no | no |
/// | `transferred` (seat given to a colleague) | no | no |
///
/// The allowed transitions are in [`Status::TRANSITIONS`]; anything else is refused with
/// `invalid_transition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// On the waitlist.
    Waitlisted,
    /// Offered a seat, held until accepted, declined or expired.
    Offered,
    /// Has a seat.
    Confirmed,
    /// Came to the gathering.
    Attended,
    /// Had a seat and did not come.
    NoShow,
    /// Cancelled by the participant or an organiser.
    Cancelled,
    /// Declined an offered seat.
    Declined,
    /// Let an offer expire.
    Expired,
    /// Handed the seat to a colleague from the same organisation.
    Transferred,
}

impl Status {
    /// Every allowed transition, from → to. The one place these rules are written.
    pub const TRANSITIONS: &'static [(Status, Status)] = &[
        (Status::Waitlisted, Status::Confirmed),
        (Status::Waitlisted, Status::Offered),
        (Status::Waitlisted, Status::Cancelled),
        (Status::Offered, Status::Confirmed),
        (Status::Offered, Status::Declined),
        (Status::Offered, Status::Expired),
        (Status::Offered, Status::Cancelled),
        (Status::Confirmed, Status::Cancelled),
        (Status::Confirmed, Status::Transferred),
        (Status::Confirmed, Status::Attended),
        (Status::Confirmed, Status::NoShow),
        // Corrections at the check-in desk.
        (Status::Attended, Status::NoShow),
        (Status::NoShow, Status::Attended),
    ];

    /// All statuses, in a stable order.
    pub const ALL: [Status; 9] = [
        Status::Waitlisted,
        Status::Offered,
        Status::Confirmed,
        Status::Attended,
        Status::NoShow,
        Status::Cancelled,
        Status::Declined,
        Status::Expired,
        Status::Transferred,
    ];

    /// Whether a registration in this status takes a seat.
    pub const fn counts_against_capacity(self) -> bool {
        matches!(
            self,
            Status::Offered | Status::Confirmed | Status::Attended | Status::NoShow
        )
    }

    /// Whether the registration is live: the person cannot sign up again while it is.
    pub const fn is_active(self) -> bool {
        matches!(
            self,
            Status::Waitlisted
                | Status::Offered
                | Status::Confirmed
                | Status::Attended
                | Status::NoShow
        )
    }

    /// Whether `self → to` is in the transition table.
    pub fn can_become(self, to: Status) -> bool {
        Self::TRANSITIONS.contains(&(self, to))
    }

    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Waitlisted => "waitlisted",
            Status::Offered => "offered",
            Status::Confirmed => "confirmed",
            Status::Attended => "attended",
            Status::NoShow => "no_show",
            Status::Cancelled => "cancelled",
            Status::Declined => "declined",
            Status::Expired => "expired",
            Status::Transferred => "transferred",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

//! The admission rule: what a sign-up gets — a seat, a waitlist place, or a refusal.
//!
//! This is the one copy of the rule. The ledger's decision on [`Command::Register`] and the
//! browser-side prediction ([`crate::check()`]) both call [`window`] and [`admit`], each over its
//! own [`SeatView`]: the ledger's in-progress decision (which sees every registration) and the
//! [`PublicSnapshot`](crate::PublicSnapshot) (which sees only counts). Whatever the rule becomes,
//! the prediction follows, because there is nothing else to follow.
//!
//! [`Command::Register`]: super::Command::Register

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Actor, LedgerError, OrgCount};
use crate::model::OrgNumber;
use crate::policy::{RegistrationPolicy, WaitlistOrder};

/// What the admission rule needs to know about a gathering's state.
pub(crate) trait SeatView {
    /// The registration policy (its `capacity` may be stale: use [`SeatView::free_seats`]).
    fn policy(&self) -> &RegistrationPolicy;
    /// When the gathering starts.
    fn starts_at(&self) -> DateTime<Utc>;
    /// Whether an organiser has closed registration.
    fn manually_closed(&self) -> bool;
    /// Seats not taken.
    fn free_seats(&self) -> u32;
    /// Seats and active registrations of one organisation.
    fn organisation(&self, number: OrgNumber) -> OrgCount;
    /// Whether someone on the waitlist could take a free seat now (their organisation has room).
    /// A newcomer never overtakes such a person.
    fn eligible_waiting(&self) -> bool;
}

/// Why a sign-up goes to the waitlist rather than a seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitReason {
    /// No seat is free.
    Full,
    /// Seats are free, but the organisation has as many as the policy allows.
    OrganisationCap,
    /// Seats are free, but people already waiting come first (registration was closed while
    /// seats freed up, so they have not been promoted yet).
    OthersWaiting,
}

/// Where a sign-up lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    /// A confirmed seat.
    Seat,
    /// The waitlist, for this reason.
    Waitlist(WaitReason),
}

/// The admission rule's answer for a sign-up that passed the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Admission {
    /// Seat or waitlist.
    pub placement: Placement,
    /// Whether the registration is in the waitlist's priority class (fixed at sign-up).
    pub priority: bool,
}

/// Whether an organisation with these counts may take one more counted seat.
pub(crate) fn org_has_room(policy: &RegistrationPolicy, count: OrgCount) -> bool {
    policy
        .max_per_organisation
        .is_none_or(|cap| count.counted < cap)
}

/// Whether the registration window lets `by` sign someone up at `now`. Organisers may register
/// people outside the window and while registration is closed, but not once the gathering started.
pub(crate) fn window(
    view: &impl SeatView,
    by: Actor,
    now: DateTime<Utc>,
) -> Result<(), LedgerError> {
    if now >= view.starts_at() {
        return Err(LedgerError::GatheringStarted);
    }
    if by == Actor::Participant {
        if now < view.policy().opens_at {
            return Err(LedgerError::RegistrationNotOpen);
        }
        if view.manually_closed() || now >= view.policy().closes_at {
            return Err(LedgerError::RegistrationClosed);
        }
    }
    Ok(())
}

/// Seat, waitlist or refusal for a person from organisation `number`: a seat if one is free,
/// the organisation has room and nobody eligible waits; else the waitlist if the gathering has
/// one; else `gathering_full` or `organisation_cap_reached`.
pub(crate) fn admit(
    view: &impl SeatView,
    number: OrgNumber,
    first_time: bool,
) -> Result<Admission, LedgerError> {
    let policy = view.policy();
    let priority = match policy.waitlist_order {
        WaitlistOrder::JoinTime => false,
        WaitlistOrder::FirstTimeFirst => first_time,
        WaitlistOrder::NewOrganisationsFirst => view.organisation(number).active == 0,
    };
    let free = view.free_seats() > 0;
    let room = org_has_room(policy, view.organisation(number));
    let placement = if free && room && !view.eligible_waiting() {
        Placement::Seat
    } else if policy.waitlist {
        Placement::Waitlist(if !free {
            WaitReason::Full
        } else if !room {
            WaitReason::OrganisationCap
        } else {
            WaitReason::OthersWaiting
        })
    } else if !free {
        return Err(LedgerError::GatheringFull);
    } else {
        return Err(LedgerError::OrganisationCapReached);
    };
    Ok(Admission {
        placement,
        priority,
    })
}

//! The nouns of the ledger: a registration, its id, an organisation's counts, and the key that
//! orders the waitlist.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Actor, CancelReason, Status};
use crate::model::{Contact, Organisation, Person, Role};

/// A registration's id within its gathering: 1, 2, 3, … in the order the ledger received them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RegistrationId(pub u32);

impl fmt::Display for RegistrationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// One person's registration for the gathering, with its whole history in timestamps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// Id.
    pub id: RegistrationId,
    /// Name, e-mail and phone; `None` once erased.
    pub contact: Option<Contact>,
    /// The organisation.
    pub organisation: Organisation,
    /// The role.
    pub role: Role,
    /// Declared new to the network.
    pub first_time: bool,
    /// In the waitlist's priority class.
    pub priority: bool,
    /// Current status.
    pub status: Status,
    /// Who registered.
    pub registered_by: Actor,
    /// When the person signed up. Never changes, whatever happens later.
    #[serde(deserialize_with = "crate::time::rfc3339::field::joined_at")]
    pub joined_at: DateTime<Utc>,
    /// When the person got a confirmed seat (at sign-up, by promotion, by accepting an offer,
    /// or by override).
    #[serde(
        default,
        deserialize_with = "crate::time::rfc3339::optional::seated_at"
    )]
    pub seated_at: Option<DateTime<Utc>>,
    /// When a seat was offered.
    #[serde(
        default,
        deserialize_with = "crate::time::rfc3339::optional::offered_at"
    )]
    pub offered_at: Option<DateTime<Utc>>,
    /// When the offer's hold ends.
    #[serde(
        default,
        deserialize_with = "crate::time::rfc3339::optional::offer_expires_at"
    )]
    pub offer_expires_at: Option<DateTime<Utc>>,
    /// When it was cancelled.
    #[serde(
        default,
        deserialize_with = "crate::time::rfc3339::optional::cancelled_at"
    )]
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Who cancelled it.
    pub cancelled_by: Option<Actor>,
    /// Why it was cancelled.
    pub cancel_reason: Option<CancelReason>,
    /// Whether it was cancelled at or after the cancellation deadline while holding a seat.
    pub late_cancellation: bool,
    /// Seated by an organiser's override beyond capacity.
    pub overridden: bool,
    /// The registration whose seat this one took over.
    pub substitute_for: Option<RegistrationId>,
    /// The registration that took over this one's seat.
    pub substituted_by: Option<RegistrationId>,
}

impl Registration {
    pub(super) fn new(id: RegistrationId, person: &Person, at: DateTime<Utc>) -> Self {
        Registration {
            id,
            contact: Some(Contact {
                name: person.name.clone(),
                email: person.email.clone(),
                phone: person.phone.clone(),
            }),
            organisation: person.organisation.clone(),
            role: person.role,
            first_time: false,
            priority: false,
            status: Status::Waitlisted,
            registered_by: Actor::Participant,
            joined_at: at,
            seated_at: None,
            offered_at: None,
            offer_expires_at: None,
            cancelled_at: None,
            cancelled_by: None,
            cancel_reason: None,
            late_cancellation: false,
            overridden: false,
            substitute_for: None,
            substituted_by: None,
        }
    }

    pub(super) fn wait_key(&self) -> WaitKey {
        WaitKey::new(self.priority, self.joined_at, self.id)
    }
}

/// Seats and live registrations of one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OrgCount {
    /// Registrations that count against capacity.
    pub counted: u32,
    /// Active registrations (including the waitlisted).
    pub active: u32,
}

/// Waitlist order: priority class, then join time, then id.
///
/// Packed into one integer that sorts the same way, from the most significant bit: the class
/// (0 for priority), the join time's Unix seconds (sign bit flipped, so negative ones sort first),
/// its nanoseconds (below 2 000 000 000, leap seconds included: 31 bits), the id. The waitlist is
/// a B-tree searched linearly within each node, so one integer comparison instead of four field
/// comparisons makes inserting and finding a place several times cheaper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct WaitKey(u128);

impl WaitKey {
    pub(super) fn new(priority: bool, joined_at: DateTime<Utc>, id: RegistrationId) -> Self {
        let class = u128::from(!priority);
        let seconds = u128::from(joined_at.timestamp() as u64 ^ (1 << 63));
        let nanos = u128::from(joined_at.timestamp_subsec_nanos());
        debug_assert!(nanos < 1 << 31);
        WaitKey(class << 127 | seconds << 63 | nanos << 32 | u128::from(id.0))
    }

    pub(super) fn id(self) -> RegistrationId {
        RegistrationId(self.0 as u32)
    }

    /// Whether the key is in the priority class.
    pub(super) fn priority(self) -> bool {
        self.0 >> 127 == 0
    }
}

//! The registration policy: every rule a gathering's registration follows, as data.
//!
//! The policy is serialisable so a web page can receive exactly the policy the server uses, and
//! check a sign-up with the same rules (see the crate docs).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Field, Problem, ValidationError};

/// In which order the waitlist is served.
///
/// The priority class is fixed when a person joins the waitlist, so nobody's place changes
/// afterwards except by people ahead of them leaving. Within a class, the earlier join time wins;
/// equal join times are broken by registration id (the order the ledger received them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitlistOrder {
    /// First come, first served by join time.
    #[default]
    JoinTime,
    /// First-time participants (as declared by the host, who knows the network's history) before
    /// everyone else.
    FirstTimeFirst,
    /// People from organisations with no active registration for this gathering at the moment
    /// they join, before everyone else.
    NewOrganisationsFirst,
}

/// What happens when a seat frees up and someone is waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode", try_from = "PromotionFields")]
pub enum Promotion {
    /// The first eligible person on the waitlist gets the seat at once.
    #[default]
    Automatic,
    /// The first eligible person is offered the seat, which is held for them until they accept,
    /// decline, or the hold expires. A hold never outlasts the registration window.
    Offer {
        /// How long an offer holds the seat, in minutes.
        hold_minutes: u32,
    },
}

/// The JSON shape of [`Promotion`] as read: `{"mode": "automatic"}` or `{"mode": "offer",
/// "hold_minutes": 2880}`. Read as a plain struct rather than serde's internally tagged enum,
/// which buffers the whole object first: that buffering was several kilobytes of every
/// WebAssembly module that reads a gathering.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PromotionFields {
    mode: PromotionMode,
    #[serde(default)]
    hold_minutes: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum PromotionMode {
    Automatic,
    Offer,
}

impl TryFrom<PromotionFields> for Promotion {
    type Error = &'static str;

    fn try_from(fields: PromotionFields) -> Result<Self, Self::Error> {
        match (fields.mode, fields.hold_minutes) {
            (PromotionMode::Automatic, None) => Ok(Promotion::Automatic),
            (PromotionMode::Automatic, Some(_)) => Err("hold_minutes belongs to mode offer only"),
            (PromotionMode::Offer, Some(hold_minutes)) => Ok(Promotion::Offer { hold_minutes }),
            (PromotionMode::Offer, None) => Err("missing field hold_minutes"),
        }
    }
}

/// The rules of registration for one gathering.
///
/// Window semantics: registration is open for `opens_at <= now < closes_at` (the closing instant
/// itself is closed). A deadline stated as "15. april kl. 23.59" is therefore given as
/// 16 April 00:00 Europe/Oslo, or 23:59:59 if the last minute itself should be excluded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrationPolicy {
    /// Seats at the venue.
    pub capacity: u32,
    /// First instant at which participants can sign up.
    #[serde(deserialize_with = "crate::time::rfc3339::field::opens_at")]
    pub opens_at: DateTime<Utc>,
    /// First instant at which participants can no longer sign up (*påmeldingsfrist*).
    #[serde(deserialize_with = "crate::time::rfc3339::field::closes_at")]
    pub closes_at: DateTime<Utc>,
    /// Cancellations of a seat at or after this instant are recorded as late.
    #[serde(deserialize_with = "crate::time::rfc3339::field::cancellation_deadline")]
    pub cancellation_deadline: DateTime<Utc>,
    /// At most this many counted seats per organisation (by organisation number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_organisation: Option<u32>,
    /// Whether people can join a waitlist when no seat is free. Without a waitlist a full
    /// gathering refuses sign-ups.
    #[serde(default = "yes")]
    pub waitlist: bool,
    /// The order the waitlist is served in.
    #[serde(default)]
    pub waitlist_order: WaitlistOrder,
    /// How freed seats reach the waitlist.
    #[serde(default)]
    pub promotion: Promotion,
}

fn yes() -> bool {
    true
}

impl RegistrationPolicy {
    /// Checks the policy's own consistency against the gathering's start.
    pub fn validate(&self, starts_at: DateTime<Utc>) -> Result<(), ValidationError> {
        let bad = |field| Err(ValidationError::new(field, Problem::OutOfRange));
        if self.closes_at <= self.opens_at || self.closes_at > starts_at {
            return bad(Field::Dates);
        }
        if self.cancellation_deadline > starts_at {
            return bad(Field::Dates);
        }
        if self.max_per_organisation == Some(0) {
            return bad(Field::Policy);
        }
        if let Promotion::Offer { hold_minutes } = self.promotion {
            // A year is far more than any sane hold; the bound keeps date arithmetic in range.
            if hold_minutes == 0 || hold_minutes > 525_600 {
                return bad(Field::Policy);
            }
        }
        Ok(())
    }

    /// Whether the window is open at `now` (ignoring a manual close).
    pub fn window_open(&self, now: DateTime<Utc>) -> bool {
        self.opens_at <= now && now < self.closes_at
    }

    /// When an offer made at `at` expires: after the hold, but never after registration closes.
    pub fn offer_expiry(&self, at: DateTime<Utc>, hold_minutes: u32) -> DateTime<Utc> {
        at.checked_add_signed(Duration::minutes(i64::from(hold_minutes)))
            .map_or(self.closes_at, |hold| hold.min(self.closes_at))
    }
}

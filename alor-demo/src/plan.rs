//! What a demo participant or organiser means to do, and when people are awake to do it.

use chrono::{DateTime, Duration, Timelike, Utc};

use alor_core::time::to_oslo;
use alor_core::{CancelReason, RegistrationId};

/// People answer between 07:30 and 22:30 local time: a night-time instant moves to the next
/// morning (`jitter` minutes after 07:30), unless that would be at or after `limit` (then the
/// night owl answers at once).
pub(crate) fn waking(at: DateTime<Utc>, limit: DateTime<Utc>, jitter: i64) -> DateTime<Utc> {
    let local = to_oslo(at);
    let minute = i64::from(local.hour() * 60 + local.minute());
    let shift = if minute < 7 * 60 + 30 {
        7 * 60 + 30 - minute
    } else if minute > 22 * 60 + 30 {
        24 * 60 + 7 * 60 + 30 - minute
    } else {
        0
    };
    let moved = at + Duration::minutes(if shift > 0 { shift + jitter } else { 0 });
    if moved < limit {
        moved
    } else {
        at
    }
}

/// How a person answers an offer of a freed seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    Accept,
    Decline,
    /// Says nothing; the hold expires.
    Silence,
}

/// Something planned for an instant. Some plans resolve to no step (a person cannot cancel a
/// registration that has already ended), so steps are made only when a plan comes due.
#[derive(Debug, Clone)]
pub(crate) enum Plan {
    SignUp {
        person: usize,
    },
    Cancel {
        person: usize,
        reason: CancelReason,
    },
    Answer {
        registration: RegistrationId,
        answer: Answer,
    },
    AcceptTooLate {
        registration: RegistrationId,
    },
    SignUpAgain,
    SignUpPrivateAddress {
        person: usize,
    },
    CancelDuplicate,
    Close,
    Reopen,
    CancelSomeSeat {
        reason: CancelReason,
        note: &'static str,
    },
    SignUpAfterClose {
        person: usize,
    },
    Substitute,
    CheckIn,
}

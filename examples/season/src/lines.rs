//! One line per event of the account, in words.

use std::fmt::Write as _;

use alor_core::{
    CancelReason, Event, Gathering, Ledger, Nok, PromotionCause, Recorded, Registration,
    RegistrationId, Status,
};

use crate::local;

pub(crate) fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

pub(crate) struct Names<'a>(pub(crate) &'a Ledger);

impl Names<'_> {
    pub(crate) fn reg(&self, id: RegistrationId) -> Option<&Registration> {
        self.0.registration(id)
    }

    /// "#12 Kari Ødegård (Avinor AS)"; the name is left out once erased.
    pub(crate) fn who(&self, id: RegistrationId) -> String {
        match self.reg(id) {
            Some(r) => {
                let name = r.contact.as_ref().map_or("(erased)", |c| c.name.as_str());
                format!("{id} {name} ({})", r.organisation.name)
            }
            None => id.to_string(),
        }
    }

    /// "#12 Kari Ødegård — Avinor AS, Akan contact, first time"
    pub(crate) fn long(&self, id: RegistrationId) -> String {
        match self.reg(id) {
            Some(r) => {
                let name = r.contact.as_ref().map_or("(erased)", |c| c.name.as_str());
                let new = if r.first_time { ", first time" } else { "" };
                format!(
                    "{id} {name} — {}, {}{new}",
                    r.organisation.name,
                    r.role.label(alor_core::Locale::En)
                )
            }
            None => id.to_string(),
        }
    }
}

pub(crate) fn cause_text(names: &Names, cause: PromotionCause) -> String {
    match cause {
        PromotionCause::SeatFreed { by } => {
            let how = match names.reg(by).map(|r| r.status) {
                Some(Status::Cancelled) => "cancelled",
                Some(Status::Declined) => "declined an offer",
                Some(Status::Expired) => "let a hold expire",
                _ => "gave up a seat",
            };
            format!("seat freed: {by} {how}")
        }
        PromotionCause::CapacityIncreased => "capacity raised".into(),
        PromotionCause::RegistrationReopened => "registration reopened with a seat free".into(),
        PromotionCause::RegistrationOpened => "registration opened with a seat free".into(),
    }
}

/// One timeline line per event (check-in is summed up separately).
pub(crate) fn event_line(
    names: &Names,
    gathering: &Gathering,
    recorded: &Recorded,
) -> Option<String> {
    let cap = gathering.policy.max_per_organisation;
    Some(match &recorded.event {
        Event::Registered {
            registration,
            status,
            ..
        } => match status {
            Status::Confirmed => format!("seat       {}", names.long(*registration)),
            _ => {
                let capped = names.reg(*registration).is_some_and(|r| {
                    cap.is_some_and(|cap| {
                        names.0.organisation_count(r.organisation.number).counted >= cap
                    })
                });
                let why = if capped {
                    "organisation at its cap"
                } else {
                    "full"
                };
                format!("waitlist   {} [{why}]", names.long(*registration))
            }
        },
        Event::Promoted {
            registration,
            cause,
        } => format!(
            "promoted   {} ({})",
            names.who(*registration),
            cause_text(names, *cause)
        ),
        Event::Offered {
            registration,
            expires_at,
            cause,
        } => format!(
            "offered    {} until {} ({})",
            names.who(*registration),
            local(*expires_at),
            cause_text(names, *cause)
        ),
        Event::OfferAccepted { registration } => {
            format!("accepted   {}", names.who(*registration))
        }
        Event::OfferDeclined { registration } => {
            format!("declined   {}", names.who(*registration))
        }
        Event::OfferExpired { registration } => {
            format!("expired    hold of {}", names.who(*registration))
        }
        Event::Cancelled {
            registration,
            by,
            reason,
            late,
        } => {
            let by = match by {
                alor_core::Actor::Organiser => ", by the organisers",
                alor_core::Actor::Participant => "",
            };
            let late = if *late { ", LATE" } else { "" };
            format!(
                "cancelled  {} ({}{by}{late})",
                names.who(*registration),
                reason_text(*reason)
            )
        }
        Event::Substituted {
            registration,
            substitute,
            ..
        } => format!(
            "substitute {} hands the seat to {}",
            names.who(*registration),
            names.long(*substitute)
        ),
        Event::AttendanceMarked { .. } => return None,
        Event::CapacityChanged { from, to } => format!("capacity   {from} → {to} seats"),
        Event::RegistrationClosed => "closed     registration paused by the organisers".into(),
        Event::RegistrationReopened => "reopened   registration open again".into(),
        Event::SeatOverridden {
            registration,
            reason,
            beyond_capacity,
        } => format!(
            "override   {} seated by the organisers ({reason}{})",
            names.who(*registration),
            if *beyond_capacity {
                ", beyond capacity"
            } else {
                ""
            }
        ),
        Event::Erased { registration } => format!("erased     personal data of {registration}"),
    })
}

pub(crate) fn reason_text(reason: CancelReason) -> &'static str {
    match reason {
        CancelReason::Illness => "illness",
        CancelReason::WorkConflict => "work got in the way",
        CancelReason::Travel => "travel",
        CancelReason::Duplicate => "duplicate",
        CancelReason::OrganiserDecision => "organisers' decision",
        CancelReason::Other => "other reason",
    }
}

/// Whole kroner with a space between thousands, as written in Norway: "2 950".
pub(crate) fn kroner(nok: Nok) -> String {
    let digits = (nok.0 / 100).to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

pub(crate) fn heading(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n== {title} ==");
}

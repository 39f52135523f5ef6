//! Registration checks for a sign-up form: valid fields, and what submitting would give.
//!
//! [`check()`] takes a [`PublicSnapshot`] (what a page may know about a gathering), the form as
//! typed ([`PersonDraft`]) and the current instant, and answers with every field problem and the
//! predicted outcome — a seat, a waitlist place with its number, or a refusal with the ledger's
//! error code — as messages in bokmål, nynorsk or English, ready to show. Every text comes from one
//! table, [`TEXTS`] (`check/texts.rs`).
//!
//! Nothing here is a second copy of a rule: the fields are checked by
//! [`PersonDraft::validate`], the same validator commands go through; the window, the
//! per-organisation cap and the seat-or-waitlist decision come from the function the ledger
//! itself decides a registration with (`ledger::admission`). The property test in
//! `alor-core/tests/check.rs` drives random ledgers through random histories and checks that
//! the prediction equals [`Ledger::decide`](crate::Ledger::decide) for random sign-ups.
//!
//! What a check cannot know: whether this person is already registered (see
//! [`crate::snapshot`] for why the page is not told), and sign-ups by others after the snapshot
//! was taken. The server's answer at submit is authoritative.
//!
//! ```
//! # use alor_core::*;
//! # fn demo(snapshot: &PublicSnapshot, now: chrono::DateTime<chrono::Utc>) {
//! let draft = PersonDraft {
//!     organisation_number: "985 198 293".into(),
//!     ..PersonDraft::default()
//! };
//! let result = check(snapshot, &draft, false, now, Locale::Nb);
//! assert!(!result.valid);
//! let org = result.messages.iter().find(|m| m.field == Some(Field::OrganisationNumber)).unwrap();
//! assert_eq!(org.text, "Organisasjonsnummeret har feil kontrollsiffer. Sjekk at du har skrevet det riktig.");
//! # }
//! ```

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::Serialize;

use crate::error::{Field, Problem, ValidationError};
use crate::ledger::admission::{self, Placement, WaitReason};
use crate::ledger::{Actor, LedgerError};
use crate::model::{OrgNumber, PersonDraft};
use crate::snapshot::PublicSnapshot;

mod texts;

pub(crate) use texts::text;
pub use texts::{fill, lookup, lookup_in, Locale, Text, TEXTS};

/// What submitting the form would give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// A confirmed seat.
    Seat,
    /// A place on the waitlist.
    Waitlist {
        /// 1-based place in the order the waitlist is served.
        position: u32,
        /// Why not a seat.
        reason: WaitReason,
    },
    /// The ledger would refuse the sign-up, with this [`LedgerError`] code
    /// (`registration_closed`, `registration_not_open`, `gathering_started`, `gathering_full`,
    /// `organisation_cap_reached`).
    Refused {
        /// The ledger's error code.
        code: &'static str,
    },
    /// The outcome depends on the organisation, and its number is not valid yet.
    Incomplete,
}

/// One message for the person filling in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    /// Stable machine code: a validation code (`invalid_email`), an outcome (`seat`,
    /// `waitlist`, `incomplete`) or a ledger error code (`registration_closed`).
    pub code: &'static str,
    /// The form field it is about, if any.
    pub field: Option<Field>,
    /// For a field: what is wrong ([`Problem::code`], e.g. `check_digit`).
    pub problem: Option<&'static str>,
    /// The message in the requested language.
    pub text: String,
}

/// The answer of [`check()`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    /// Every field is valid: the form can be submitted.
    pub valid: bool,
    /// What submitting would give, as far as the page can know. Computed even while other
    /// fields are still wrong, as soon as the organisation number is valid.
    pub outcome: Outcome,
    /// Field problems in form order, then one message about the outcome.
    pub messages: Vec<Message>,
    /// The snapshot is older than its `valid_until`: reload it for an exact prediction.
    pub stale: bool,
}

/// Checks a sign-up form against a gathering's public snapshot at `now`.
///
/// `first_time`: whether the person declares they have never attended the network before
/// (it matters under [`WaitlistOrder::FirstTimeFirst`](crate::WaitlistOrder::FirstTimeFirst)).
pub fn check(
    snapshot: &PublicSnapshot,
    draft: &PersonDraft,
    first_time: bool,
    now: DateTime<Utc>,
    locale: Locale,
) -> CheckResult {
    let errors = match draft.validate() {
        Ok(_) => Vec::new(),
        Err(errors) => errors,
    };
    let number = OrgNumber::parse(&draft.organisation_number).ok();
    let outcome = match admission::window(snapshot, Actor::Participant, now) {
        Err(refusal) => Outcome::Refused {
            code: refusal.code(),
        },
        Ok(()) => match number {
            None => Outcome::Incomplete,
            Some(number) => match admission::admit(snapshot, number, first_time) {
                Ok(admission) => match admission.placement {
                    Placement::Seat => Outcome::Seat,
                    Placement::Waitlist(reason) => Outcome::Waitlist {
                        position: snapshot.waitlist_place(admission.priority),
                        reason,
                    },
                },
                Err(refusal) => Outcome::Refused {
                    code: refusal.code(),
                },
            },
        },
    };
    let mut messages: Vec<Message> = errors
        .iter()
        .map(|error| Message {
            code: error.code(),
            field: Some(error.field),
            problem: Some(error.problem.code()),
            text: field_text(*error, locale),
        })
        .collect();
    messages.push(outcome_message(snapshot, outcome, locale));
    CheckResult {
        valid: errors.is_empty(),
        outcome,
        messages,
        stale: snapshot.valid_until.is_some_and(|until| now >= until),
    }
}

/// The message for a field problem, in `locale`.
pub fn field_text(error: ValidationError, locale: Locale) -> String {
    let field = error.field.as_str();
    let specific = [
        format!("field.{field}.{}", error.problem.code()),
        format!("field.{field}"),
    ];
    if let Some(text) = specific.iter().find_map(|key| lookup(key, locale)) {
        return text.to_owned();
    }
    let noun = noun(error.field, locale);
    match error.problem {
        Problem::Required => fill(text("problem.required", locale), &[("noun", noun)]),
        Problem::TooLong { max } => fill(
            text("problem.too_long", locale),
            &[("noun", noun), ("max", &max.to_string())],
        ),
        Problem::ControlCharacters => fill(
            text("problem.control_characters", locale),
            &[("noun", noun)],
        ),
        _ => fill(text("problem.invalid", locale), &[("noun", noun)]),
    }
}

/// The field's name as the subject of a sentence ("Navnet …", "The name …").
fn noun(field: Field, locale: Locale) -> &'static str {
    lookup(&format!("noun.{}", field.as_str()), locale).unwrap_or(field.as_str())
}

/// "4 plasser", "1 seat": the cap of seats per organisation, with its unit.
fn seats(cap: u32, locale: Locale) -> [(&'static str, String); 2] {
    let unit = if cap == 1 {
        "unit.seat.one"
    } else {
        "unit.seat.other"
    };
    [
        ("cap", cap.to_string()),
        ("seats", text(unit, locale).to_owned()),
    ]
}

fn fill_owned(template: &str, values: &[(&'static str, String)]) -> String {
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    fill(template, &values)
}

fn outcome_message(snapshot: &PublicSnapshot, outcome: Outcome, locale: Locale) -> Message {
    let cap = snapshot.gathering.policy.max_per_organisation.unwrap_or(0);
    let (code, text) = match outcome {
        Outcome::Seat => ("seat", text("outcome.seat", locale).to_owned()),
        Outcome::Waitlist { position, reason } => {
            let why = match reason {
                WaitReason::Full => text("wait.full", locale).to_owned(),
                WaitReason::OrganisationCap => {
                    fill_owned(text("wait.organisation_cap", locale), &seats(cap, locale))
                }
                WaitReason::OthersWaiting => text("wait.others_waiting", locale).to_owned(),
            };
            let values = [("why", why), ("position", position.to_string())];
            (
                "waitlist",
                fill_owned(text("outcome.waitlist", locale), &values),
            )
        }
        Outcome::Refused { code } => (code, refusal_text(snapshot, code, locale)),
        Outcome::Incomplete => ("incomplete", text("outcome.incomplete", locale).to_owned()),
    };
    Message {
        code,
        field: None,
        problem: None,
        text,
    }
}

fn refusal_text(snapshot: &PublicSnapshot, code: &str, locale: Locale) -> String {
    let policy = &snapshot.gathering.policy;
    let at = |instant| [("at", oslo_time(instant, locale))];
    match LedgerError::CODES.iter().find(|c| **c == code).copied() {
        Some("registration_not_open") => fill_owned(
            text("refused.registration_not_open", locale),
            &at(policy.opens_at),
        ),
        Some("registration_closed") if snapshot.manually_closed => {
            text("refused.registration_closed_manually", locale).to_owned()
        }
        Some("registration_closed") => fill_owned(
            text("refused.registration_closed", locale),
            &at(policy.closes_at),
        ),
        Some("gathering_started") => text("refused.gathering_started", locale).to_owned(),
        Some("gathering_full") => text("refused.gathering_full", locale).to_owned(),
        Some("organisation_cap_reached") => fill_owned(
            text("refused.organisation_cap_reached", locale),
            &seats(policy.max_per_organisation.unwrap_or(0), locale),
        ),
        _ => text("refused.other", locale).to_owned(),
    }
}

/// A date and time in Oslo, as people write it: "15. april 2026 kl. 23.59" or
/// "15 April 2026 at 23:59 (Oslo time)"; in the repeated autumn hour, with which of the two
/// ("25. oktober 2026 kl. 02.30 (vintertid)").
fn oslo_time(at: DateTime<Utc>, locale: Locale) -> String {
    let local = crate::time::to_oslo(at);
    let month = lookup(&format!("month.{:02}", local.month()), locale).unwrap_or("");
    let values = [
        ("day", local.day().to_string()),
        ("month", month.to_owned()),
        ("year", local.year().to_string()),
        ("hour", format!("{:02}", local.hour())),
        ("minute", format!("{:02}", local.minute())),
    ];
    // In the hour that happens twice (the end of summer time), say which of the two.
    if crate::time::is_repeated_oslo_time(at) {
        let zone = if crate::time::is_oslo_summer_time(at) {
            "date.summer_time"
        } else {
            "date.winter_time"
        };
        let mut values = values.to_vec();
        values.push(("zone", text(zone, locale).to_owned()));
        return fill_owned(text("date.at_repeated", locale), &values);
    }
    fill_owned(text("date.at", locale), &values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn oslo_time_follows_summer_time() {
        let winter = Utc.with_ymd_and_hms(2026, 1, 15, 22, 59, 0).unwrap();
        assert_eq!(oslo_time(winter, Locale::Nb), "15. januar 2026 kl. 23.59");
        let summer = Utc.with_ymd_and_hms(2026, 4, 15, 21, 59, 0).unwrap();
        assert_eq!(oslo_time(summer, Locale::Nb), "15. april 2026 kl. 23.59");
        assert_eq!(
            oslo_time(summer, Locale::En),
            "15 April 2026 at 23:59 (Oslo time)"
        );
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        let before = Utc.with_ymd_and_hms(2026, 3, 29, 0, 59, 0).unwrap();
        assert_eq!(oslo_time(before, Locale::Nb), "29. mars 2026 kl. 01.59");
        let after = Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap();
        assert_eq!(oslo_time(after, Locale::Nb), "29. mars 2026 kl. 03.00");
        let autumn = Utc.with_ymd_and_hms(2026, 10, 25, 1, 0, 0).unwrap();
        assert_eq!(
            oslo_time(autumn, Locale::Nb),
            "25. oktober 2026 kl. 02.00 (vintertid)"
        );
        // 25 October 2026, 02:30 happens twice: the message says which.
        let first = Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap();
        let second = Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap();
        assert_eq!(
            oslo_time(first, Locale::Nb),
            "25. oktober 2026 kl. 02.30 (sommertid)"
        );
        assert_eq!(
            oslo_time(second, Locale::Nn),
            "25. oktober 2026 kl. 02.30 (vintertid)"
        );
        assert_eq!(
            oslo_time(second, Locale::En),
            "25 October 2026 at 02:30 (Oslo winter time)"
        );
        // Never panics at the edges of the representable range.
        let _ = oslo_time(DateTime::<Utc>::MAX_UTC, Locale::Nb);
        let _ = oslo_time(DateTime::<Utc>::MIN_UTC, Locale::En);
    }

    #[test]
    fn every_field_problem_has_a_sentence() {
        let problems = [
            Problem::Required,
            Problem::TooLong { max: 200 },
            Problem::ControlCharacters,
            Problem::Malformed,
            Problem::NotNineDigits,
            Problem::CheckDigit,
            Problem::OutOfRange,
        ];
        for field in Field::ALL {
            for problem in problems {
                for locale in [Locale::Nb, Locale::En] {
                    let text = field_text(ValidationError::new(field, problem), locale);
                    assert!(text.ends_with('.'), "{text}");
                    assert!(
                        text.chars().next().is_some_and(char::is_uppercase),
                        "{text}"
                    );
                }
            }
        }
    }
}

//! Registration checks for a sign-up form: valid fields, and what submitting would give.
//!
//! [`check()`] takes a [`PublicSnapshot`] (what a page may know about a gathering), the form as
//! typed ([`PersonDraft`]) and the current instant, and answers with every field problem and the
//! predicted outcome — a seat, a waitlist place with its number, or a refusal with the ledger's
//! error code — as messages in bokmål or English, ready to show.
//!
//! Nothing here is a second copy of a rule: the fields are checked by
//! [`PersonDraft::validate`], the same validator commands go through; the window, the
//! per-organisation cap and the seat-or-waitlist decision come from the function the ledger
//! itself decides a registration with (`ledger::admission`). The property test in
//! `alor-core/tests/check.rs` drives random ledgers through random histories and checks that
//! the prediction equals [`Ledger::decide`](crate::Ledger::decide) for random sign-ups.
//!
//! What a check cannot know: whether this person is already registered (see
//! [`crate::public`] for why the page is not told), and sign-ups by others after the snapshot
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
use crate::model::{Locale, OrgNumber, PersonDraft};
use crate::public::PublicSnapshot;

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
    use Field as F;
    use Problem as P;
    let nb = locale == Locale::Nb;
    let specific = match (error.field, error.problem) {
        (F::Name, P::Required) => Some(if nb {
            "Skriv inn navnet ditt."
        } else {
            "Please enter your name."
        }),
        (F::Email, P::Required) => Some(if nb {
            "Skriv inn e-postadressen din."
        } else {
            "Please enter your e-mail address."
        }),
        (F::Email, P::Malformed) => Some(if nb {
            "E-postadressen ser ikke riktig ut. Den skal se slik ut: navn@virksomhet.no."
        } else {
            "The e-mail address does not look right. It should look like name@company.no."
        }),
        (F::Phone, P::Malformed) => Some(if nb {
            "Telefonnummeret må ha 8 til 15 sifre. Du kan skrive + foran landskoden."
        } else {
            "The phone number must have 8 to 15 digits, optionally with + and the country code."
        }),
        (F::OrganisationName, P::Required) => Some(if nb {
            "Skriv inn navnet på virksomheten din."
        } else {
            "Please enter the name of your organisation."
        }),
        (F::OrganisationNumber, P::Required) => Some(if nb {
            "Skriv inn organisasjonsnummeret (9 sifre)."
        } else {
            "Please enter the organisation number (9 digits)."
        }),
        (F::OrganisationNumber, P::NotNineDigits) => Some(if nb {
            "Organisasjonsnummeret må ha nøyaktig 9 sifre."
        } else {
            "The organisation number must have exactly 9 digits."
        }),
        (F::OrganisationNumber, P::CheckDigit) => Some(if nb {
            "Organisasjonsnummeret har feil kontrollsiffer. Sjekk at du har skrevet det riktig."
        } else {
            "The organisation number has a wrong check digit. Please check that it is typed correctly."
        }),
        (F::Sector, _) => Some(if nb {
            "Velg om virksomheten er privat eller offentlig."
        } else {
            "Please choose whether the organisation is private or public."
        }),
        (F::Role, P::Required) => Some(if nb {
            "Velg rollen din."
        } else {
            "Please choose your role."
        }),
        (F::Role, P::OutOfRange) => Some(if nb {
            "Velg en av rollene i listen."
        } else {
            "Please choose one of the roles in the list."
        }),
        _ => None,
    };
    if let Some(text) = specific {
        return text.to_owned();
    }
    let noun = noun(error.field, locale);
    match (error.problem, nb) {
        (P::Required, true) => format!("{noun} mangler."),
        (P::Required, false) => format!("{noun} is missing."),
        (P::TooLong { max }, true) => format!("{noun} kan ikke være lengre enn {max} tegn."),
        (P::TooLong { max }, false) => format!("{noun} cannot be longer than {max} characters."),
        (P::ControlCharacters, true) => format!("{noun} inneholder tegn som ikke er tillatt."),
        (P::ControlCharacters, false) => {
            format!("{noun} contains characters that are not allowed.")
        }
        (_, true) => format!("{noun} er ikke gyldig."),
        (_, false) => format!("{noun} is not valid."),
    }
}

/// The field's name as the subject of a sentence ("Navnet …", "The name …").
fn noun(field: Field, locale: Locale) -> &'static str {
    let (nb, en) = match field {
        Field::Name => ("Navnet", "The name"),
        Field::Email => ("E-postadressen", "The e-mail address"),
        Field::Phone => ("Telefonnummeret", "The phone number"),
        Field::OrganisationName => ("Navnet på virksomheten", "The organisation's name"),
        Field::OrganisationNumber => ("Organisasjonsnummeret", "The organisation number"),
        Field::Industry => ("Bransjen", "The industry"),
        Field::Sector => ("Sektoren", "The sector"),
        Field::Role => ("Rollen", "The role"),
        Field::Id => ("Id-en", "The id"),
        Field::Title => ("Tittelen", "The title"),
        Field::Reason => ("Begrunnelsen", "The reason"),
        Field::Policy => ("Påmeldingsreglene", "The registration rules"),
        Field::Dates => ("Datoene", "The dates"),
    };
    match locale {
        Locale::Nb => nb,
        Locale::En => en,
    }
}

fn outcome_message(snapshot: &PublicSnapshot, outcome: Outcome, locale: Locale) -> Message {
    let nb = locale == Locale::Nb;
    let policy = &snapshot.gathering.policy;
    let cap = policy.max_per_organisation.unwrap_or(0);
    let (code, text) = match outcome {
        Outcome::Seat => (
            "seat",
            if nb {
                "Du får plass på samlingen.".to_owned()
            } else {
                "You get a seat at the gathering.".to_owned()
            },
        ),
        Outcome::Waitlist { position, reason } => {
            let why = match (reason, nb) {
                (WaitReason::Full, true) => "Samlingen er full.".to_owned(),
                (WaitReason::Full, false) => "The gathering is full.".to_owned(),
                (WaitReason::OrganisationCap, true) => format!(
                    "Virksomheten din har nådd grensen på {cap} {} per virksomhet.",
                    if cap == 1 { "plass" } else { "plasser" }
                ),
                (WaitReason::OrganisationCap, false) => format!(
                    "Your organisation has reached the limit of {cap} {} per organisation.",
                    if cap == 1 { "seat" } else { "seats" }
                ),
                (WaitReason::OthersWaiting, true) => {
                    "Det står allerede noen på venteliste foran deg.".to_owned()
                }
                (WaitReason::OthersWaiting, false) => {
                    "Others are already waiting ahead of you.".to_owned()
                }
            };
            let place = if nb {
                format!("Du kommer på venteliste som nummer {position}.")
            } else {
                format!("You will be number {position} on the waitlist.")
            };
            ("waitlist", format!("{why} {place}"))
        }
        Outcome::Refused { code } => (code, refusal_text(snapshot, code, locale)),
        Outcome::Incomplete => (
            "incomplete",
            if nb {
                "Fyll inn et gyldig organisasjonsnummer, så ser du om du får plass.".to_owned()
            } else {
                "Enter a valid organisation number to see whether you get a seat.".to_owned()
            },
        ),
    };
    Message {
        code,
        field: None,
        problem: None,
        text,
    }
}

fn refusal_text(snapshot: &PublicSnapshot, code: &str, locale: Locale) -> String {
    let nb = locale == Locale::Nb;
    let policy = &snapshot.gathering.policy;
    let cap = policy.max_per_organisation.unwrap_or(0);
    let not_open = LedgerError::RegistrationNotOpen.code();
    let closed = LedgerError::RegistrationClosed.code();
    let started = LedgerError::GatheringStarted.code();
    let full = LedgerError::GatheringFull.code();
    let capped = LedgerError::OrganisationCapReached.code();
    if code == not_open {
        let at = oslo_time(policy.opens_at, locale);
        if nb {
            format!("Påmeldingen har ikke åpnet ennå. Den åpner {at}.")
        } else {
            format!("Registration has not opened yet. It opens {at}.")
        }
    } else if code == closed && snapshot.manually_closed {
        if nb {
            "Arrangøren har stengt påmeldingen.".to_owned()
        } else {
            "The organisers have closed registration.".to_owned()
        }
    } else if code == closed {
        let at = oslo_time(policy.closes_at, locale);
        if nb {
            format!("Påmeldingsfristen har gått ut. Påmeldingen stengte {at}.")
        } else {
            format!("The registration deadline has passed. Registration closed {at}.")
        }
    } else if code == started {
        if nb {
            "Samlingen har allerede begynt, så det er ikke lenger mulig å melde seg på.".to_owned()
        } else {
            "The gathering has already started, so it is no longer possible to sign up.".to_owned()
        }
    } else if code == full {
        if nb {
            "Samlingen er full, og det er ingen venteliste.".to_owned()
        } else {
            "The gathering is full, and there is no waitlist.".to_owned()
        }
    } else if code == capped {
        if nb {
            format!(
                "Virksomheten din har nådd grensen på {cap} {} per virksomhet, og det er ingen venteliste.",
                if cap == 1 { "plass" } else { "plasser" }
            )
        } else {
            format!(
                "Your organisation has reached the limit of {cap} {} per organisation, and there is no waitlist.",
                if cap == 1 { "seat" } else { "seats" }
            )
        }
    } else if nb {
        "Påmeldingen kan ikke tas imot.".to_owned()
    } else {
        "The sign-up cannot be accepted.".to_owned()
    }
}

/// A date and time in Oslo, as people write it: "15. april 2026 kl. 23.59" or
/// "15 April 2026 at 23:59 (Oslo time)".
fn oslo_time(at: DateTime<Utc>, locale: Locale) -> String {
    // The EU summer-time rule lives once, next to the demo season that first needed it.
    let local = crate::time::to_oslo(at);
    let month = local.month0() as usize;
    const NB: [&str; 12] = [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (day, year, hour, minute) = (local.day(), local.year(), local.hour(), local.minute());
    match locale {
        Locale::Nb => format!("{day}. {} {year} kl. {hour:02}.{minute:02}", NB[month % 12]),
        Locale::En => format!(
            "{day} {} {year} at {hour:02}:{minute:02} (Oslo time)",
            EN[month % 12]
        ),
    }
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
        assert_eq!(oslo_time(autumn, Locale::Nb), "25. oktober 2026 kl. 02.00");
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
        let fields = [
            Field::Name,
            Field::Email,
            Field::Phone,
            Field::OrganisationName,
            Field::OrganisationNumber,
            Field::Industry,
            Field::Sector,
            Field::Role,
        ];
        for field in fields {
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

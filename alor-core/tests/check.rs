//! The browser-side check predicts exactly what the ledger decides.
//!
//! A property test builds random ledgers (random policies, random command histories by
//! participants and organisers, with cancellations, offers, capacity changes, closes and
//! overrides), takes the public snapshot at a random later instant, and compares
//! `check(snapshot, draft, now)` with `ledger.decide(Register)` for a random sign-up: outcome,
//! waitlist position and error code. Example tests pin the messages people read.

use alor_core::*;
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

const ORGS: [&str; 4] = ["985198292", "974760673", "923609016", "964965226"];

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap()
}

fn minutes(n: i64) -> Duration {
    Duration::minutes(n)
}

fn draft(person: usize, org: usize) -> PersonDraft {
    PersonDraft {
        name: format!("Åse Ødegård {person}"),
        email: format!("person{person}@example.no"),
        organisation_name: format!("Virksomhet {org}"),
        organisation_number: ORGS[org % ORGS.len()].into(),
        sector: if org % 2 == 0 { "public" } else { "private" }.into(),
        role: "hr".into(),
        ..PersonDraft::default()
    }
}

fn person(person: usize, org: usize) -> Person {
    draft(person, org).validate().unwrap()
}

#[derive(Debug, Clone)]
struct Setup {
    capacity: u32,
    cap: Option<u32>,
    waitlist: bool,
    order: WaitlistOrder,
    hold_minutes: Option<u32>,
    opens_after: i64,
    open_for: i64,
    start_after_close: i64,
}

fn gathering(s: &Setup) -> Gathering {
    let opens_at = t0() + minutes(s.opens_after);
    let closes_at = opens_at + minutes(s.open_for);
    let starts_at = closes_at + minutes(s.start_after_close);
    Gathering {
        id: Slug::parse("rogaland-2026-host").unwrap(),
        network: Slug::parse("rogaland").unwrap(),
        title: Label::parse("Høstsamling 2026").unwrap(),
        theme: Label::parse("Fra bekymring til handling").unwrap(),
        starts_at,
        ends_at: starts_at + Duration::hours(7),
        venue: Venue {
            name: Label::parse("Sola Strand Hotel").unwrap(),
            town: Label::parse("Sola").unwrap(),
        },
        price: Nok::kroner(1_450),
        retention_days: None,
        policy: RegistrationPolicy {
            capacity: s.capacity,
            opens_at,
            closes_at,
            cancellation_deadline: closes_at,
            max_per_organisation: s.cap,
            waitlist: s.waitlist,
            waitlist_order: s.order,
            promotion: match s.hold_minutes {
                None => Promotion::Automatic,
                Some(hold_minutes) => Promotion::Offer { hold_minutes },
            },
        },
    }
}

fn setup() -> impl Strategy<Value = Setup> {
    (
        0u32..5,
        prop_oneof![Just(None), Just(Some(1u32)), Just(Some(2u32))],
        prop::bool::weighted(0.8),
        prop_oneof![
            Just(WaitlistOrder::JoinTime),
            Just(WaitlistOrder::FirstTimeFirst),
            Just(WaitlistOrder::NewOrganisationsFirst),
        ],
        prop_oneof![Just(None), (10u32..600).prop_map(Some)],
        0i64..600,
        600i64..4000,
        0i64..600,
    )
        .prop_map(
            |(capacity, cap, waitlist, order, hold_minutes, opens_after, open_for, start)| Setup {
                capacity,
                cap,
                waitlist,
                order,
                hold_minutes,
                opens_after,
                open_for,
                start_after_close: start,
            },
        )
}

#[derive(Debug, Clone)]
enum Op {
    Register {
        person: usize,
        org: usize,
        first_time: bool,
        organiser: bool,
    },
    Cancel(u32),
    Accept(u32),
    Decline(u32),
    Substitute(u32, usize),
    Capacity(u32),
    Close,
    Reopen,
    Override(u32),
    Timeout,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0usize..10, 0usize..4, any::<bool>(), prop::bool::weighted(0.2)).prop_map(
            |(person, org, first_time, organiser)| Op::Register { person, org, first_time, organiser }
        ),
        2 => (1u32..12).prop_map(Op::Cancel),
        1 => (1u32..12).prop_map(Op::Accept),
        1 => (1u32..12).prop_map(Op::Decline),
        1 => (1u32..12, 10usize..14).prop_map(|(id, p)| Op::Substitute(id, p)),
        1 => (0u32..6).prop_map(Op::Capacity),
        1 => Just(Op::Close),
        1 => Just(Op::Reopen),
        1 => (1u32..12).prop_map(Op::Override),
        1 => Just(Op::Timeout),
    ]
}

fn command(op: &Op, ledger: &Ledger) -> Command {
    match *op {
        Op::Register {
            person: p,
            org,
            first_time,
            organiser,
        } => Command::Register {
            person: person(p, org),
            first_time,
            by: if organiser {
                Actor::Organiser
            } else {
                Actor::Participant
            },
        },
        Op::Cancel(id) => Command::Cancel {
            registration: RegistrationId(id),
            by: Actor::Participant,
            reason: CancelReason::Illness,
        },
        Op::Accept(id) => Command::AcceptOffer {
            registration: RegistrationId(id),
        },
        Op::Decline(id) => Command::DeclineOffer {
            registration: RegistrationId(id),
        },
        Op::Substitute(id, p) => {
            // A colleague from the same organisation (if the registration exists).
            let org = ledger
                .registration(RegistrationId(id))
                .and_then(|r| {
                    ORGS.iter()
                        .position(|n| *n == r.organisation.number.to_string())
                })
                .unwrap_or(0);
            Command::Substitute {
                registration: RegistrationId(id),
                person: person(p, org),
                first_time: false,
            }
        }
        Op::Capacity(capacity) => Command::ChangeCapacity { capacity },
        Op::Close => Command::CloseRegistration,
        Op::Reopen => Command::ReopenRegistration,
        Op::Override(id) => Command::OverrideSeat {
            registration: RegistrationId(id),
            reason: Label::parse("Innleder").unwrap(),
        },
        Op::Timeout => Command::HandleTimeout,
    }
}

/// Runs a history: each op `step` minutes after the previous, from two hours before t0.
fn history(setup: &Setup, ops: &[(Op, i64)]) -> Ledger {
    let mut ledger = Ledger::new(gathering(setup)).unwrap();
    let mut now = t0() - Duration::hours(2);
    for (op, step) in ops {
        now += minutes(*step);
        let command = command(op, &ledger);
        // Refusals are part of the history too: they must change nothing.
        let _ = ledger.execute(&command, now, None);
    }
    ledger.verify().unwrap();
    ledger
}

/// What the ledger decides for a participant's sign-up, in the check's terms.
fn decided(ledger: &Ledger, person: Person, first_time: bool, now: DateTime<Utc>) -> Decided {
    let command = Command::Register {
        person,
        first_time,
        by: Actor::Participant,
    };
    match ledger.decide(&command, now, None) {
        Err(LedgerError::AlreadyRegistered) => Decided::AlreadyRegistered,
        Err(e) => Decided::Outcome(Outcome::Refused { code: e.code() }),
        Ok(events) => {
            let Some(Recorded {
                event:
                    Event::Registered {
                        registration,
                        status,
                        ..
                    },
                ..
            }) = events.last()
            else {
                panic!("a sign-up ends with its Registered event: {events:?}");
            };
            let mut after = ledger.clone();
            for event in &events {
                after.apply(event);
            }
            match status {
                Status::Confirmed => Decided::Outcome(Outcome::Seat),
                Status::Waitlisted => {
                    Decided::Waitlisted(after.waitlist_position(*registration).unwrap() as u32)
                }
                other => panic!("registered as {other}"),
            }
        }
    }
}

#[derive(Debug, PartialEq)]
enum Decided {
    Outcome(Outcome),
    Waitlisted(u32),
    AlreadyRegistered,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn check_predicts_the_ledger(
        setup in setup(),
        ops in prop::collection::vec((op(), 0i64..90), 0..40),
        (p, org, first_time) in (0usize..12, 0usize..4, any::<bool>()),
        later in prop_oneof![3 => 0i64..120, 1 => 0i64..6000],
    ) {
        let ledger = history(&setup, &ops);
        let now = ledger.last_event_at().unwrap_or(t0()) + minutes(later);
        let snapshot = ledger.public_snapshot_at(now);
        // The snapshot survives its JSON round trip and passes its own consistency check.
        prop_assert_eq!(&PublicSnapshot::from_json(&snapshot.to_json()).unwrap(), &snapshot);

        let form = draft(p, org);
        let result = check(&snapshot, &form, first_time, now, Locale::Nb);
        prop_assert!(result.valid);
        prop_assert!(!result.stale);
        match decided(&ledger, form.validate().unwrap(), first_time, now) {
            Decided::Outcome(outcome) => prop_assert_eq!(result.outcome, outcome),
            Decided::Waitlisted(position) => match result.outcome {
                Outcome::Waitlist { position: predicted, .. } => prop_assert_eq!(predicted, position),
                other => prop_assert!(false, "predicted {:?}, ledger waitlisted at {}", other, position),
            },
            // The page cannot know who is registered (by design): it must have predicted
            // what the person would get if they were not.
            Decided::AlreadyRegistered => prop_assert!(
                matches!(result.outcome, Outcome::Seat | Outcome::Waitlist { .. }
                    | Outcome::Refused { code: "gathering_full" | "organisation_cap_reached" }),
                "{:?}", result.outcome
            ),
        }
        // The last message is about the outcome, with the outcome's code.
        let last = result.messages.last().unwrap();
        prop_assert_eq!(last.field, None);
        match result.outcome {
            Outcome::Seat => prop_assert_eq!(last.code, "seat"),
            Outcome::Waitlist { .. } => prop_assert_eq!(last.code, "waitlist"),
            Outcome::Refused { code } => prop_assert_eq!(last.code, code),
            Outcome::Incomplete => prop_assert!(false, "a valid draft is never incomplete"),
        }
    }

    /// Field problems are exactly those of `PersonDraft::validate`, in form order, whatever
    /// is typed; the check never panics.
    #[test]
    fn field_messages_are_the_validator_s(
        name in ".{0,3}", email in "[a-z@.]{0,8}", phone in "[0-9 +a]{0,10}",
        number in "[0-9 ]{0,11}", sector in "(public|private|x|)", role in "(hr|manager|pilot|)",
        setup in setup(), later in -600i64..6000,
    ) {
        let form = PersonDraft {
            name, email, phone, organisation_name: "Avinor".into(), organisation_number: number,
            sector, role, ..PersonDraft::default()
        };
        let ledger = Ledger::new(gathering(&setup)).unwrap();
        let now = t0() + minutes(later);
        let result = check(&ledger.public_snapshot_at(now), &form, false, now, Locale::En);
        let expected: Vec<(&str, Option<Field>)> = match form.validate() {
            Ok(_) => vec![],
            Err(errors) => errors.iter().map(|e| (e.code(), Some(e.field))).collect(),
        };
        let fields: Vec<(&str, Option<Field>)> =
            result.messages.iter().filter(|m| m.field.is_some()).map(|m| (m.code, m.field)).collect();
        prop_assert_eq!(&fields, &expected);
        prop_assert_eq!(result.valid, expected.is_empty());
        prop_assert_eq!(result.messages.len(), expected.len() + 1);
        if OrgNumber::parse(&form.organisation_number).is_err() {
            let waits = matches!(result.outcome, Outcome::Incomplete | Outcome::Refused { .. });
            prop_assert!(waits, "{:?}", result.outcome);
        }
    }
}

fn setup_with(capacity: u32, cap: Option<u32>, order: WaitlistOrder) -> Setup {
    Setup {
        capacity,
        cap,
        waitlist: true,
        order,
        hold_minutes: None,
        opens_after: 0,
        open_for: 60 * 24 * 10,
        start_after_close: 60 * 24,
    }
}

fn register(ledger: &mut Ledger, p: usize, org: usize, first_time: bool, at: DateTime<Utc>) {
    let command = Command::Register {
        person: person(p, org),
        first_time,
        by: Actor::Participant,
    };
    ledger.execute(&command, at, None).unwrap();
}

fn outcome_text(snapshot: &PublicSnapshot, form: &PersonDraft, locale: Locale) -> String {
    let now = t0() + Duration::hours(5);
    let result = check(snapshot, form, false, now, locale);
    result.messages.last().unwrap().text.clone()
}

#[test]
fn seat_then_waitlist_with_its_number_in_norwegian() {
    let mut ledger = Ledger::new(gathering(&setup_with(1, None, WaitlistOrder::JoinTime))).unwrap();
    let at = t0() + Duration::hours(1);
    assert_eq!(
        outcome_text(&ledger.public_snapshot(), &draft(1, 0), Locale::Nb),
        "Du får plass på samlingen."
    );
    register(&mut ledger, 1, 0, false, at);
    register(&mut ledger, 2, 1, false, at);
    register(&mut ledger, 3, 2, false, at);
    let snapshot = ledger.public_snapshot();
    assert_eq!(
        outcome_text(&snapshot, &draft(4, 3), Locale::Nb),
        "Samlingen er full. Du kommer på venteliste som nummer 3."
    );
    assert_eq!(
        outcome_text(&snapshot, &draft(4, 3), Locale::En),
        "The gathering is full. You will be number 3 on the waitlist."
    );
}

#[test]
fn organisation_cap_sends_to_the_waitlist_with_the_reason() {
    let setup = setup_with(5, Some(1), WaitlistOrder::JoinTime);
    let mut ledger = Ledger::new(gathering(&setup)).unwrap();
    register(&mut ledger, 1, 0, false, t0() + Duration::hours(1));
    let snapshot = ledger.public_snapshot();
    assert_eq!(snapshot.organisations.len(), 1);
    let result = check(
        &snapshot,
        &draft(2, 0),
        false,
        t0() + Duration::hours(2),
        Locale::Nb,
    );
    assert_eq!(
        result.outcome,
        Outcome::Waitlist {
            position: 1,
            reason: WaitReason::OrganisationCap
        }
    );
    assert_eq!(
        result.messages.last().unwrap().text,
        "Virksomheten din har nådd grensen på 1 plass per virksomhet. Du kommer på venteliste som nummer 1."
    );
    // Another organisation still gets a seat.
    let other = check(
        &snapshot,
        &draft(2, 1),
        false,
        t0() + Duration::hours(2),
        Locale::Nb,
    );
    assert_eq!(other.outcome, Outcome::Seat);
}

#[test]
fn first_timers_go_ahead_of_the_regulars() {
    let setup = setup_with(1, None, WaitlistOrder::FirstTimeFirst);
    let mut ledger = Ledger::new(gathering(&setup)).unwrap();
    let at = t0() + Duration::hours(1);
    register(&mut ledger, 1, 0, false, at);
    register(&mut ledger, 2, 0, false, at);
    register(&mut ledger, 3, 0, true, at);
    let snapshot = ledger.public_snapshot();
    assert_eq!((snapshot.waitlist, snapshot.priority_waitlist), (2, 1));
    let now = at + Duration::hours(1);
    let first = check(&snapshot, &draft(4, 1), true, now, Locale::Nb);
    assert!(matches!(
        first.outcome,
        Outcome::Waitlist { position: 2, .. }
    ));
    let regular = check(&snapshot, &draft(4, 1), false, now, Locale::Nb);
    assert!(matches!(
        regular.outcome,
        Outcome::Waitlist { position: 3, .. }
    ));
}

#[test]
fn wrong_check_digit_is_explained_and_the_outcome_waits_for_it() {
    let ledger = Ledger::new(gathering(&setup_with(1, None, WaitlistOrder::JoinTime))).unwrap();
    let mut form = draft(1, 0);
    form.organisation_number = "985 198 293".into();
    let result = check(&ledger.public_snapshot(), &form, false, t0(), Locale::Nb);
    assert!(!result.valid);
    assert_eq!(result.outcome, Outcome::Incomplete);
    let message = &result.messages[0];
    assert_eq!(message.code, "invalid_organisation_number");
    assert_eq!(message.problem, Some("check_digit"));
    assert_eq!(
        message.text,
        "Organisasjonsnummeret har feil kontrollsiffer. Sjekk at du har skrevet det riktig."
    );
    // With a valid number the outcome shows while other fields are still being typed.
    form.organisation_number = "985 198 292".into();
    form.email = "kari@".into();
    let result = check(&ledger.public_snapshot(), &form, false, t0(), Locale::Nb);
    assert!(!result.valid);
    assert_eq!(result.outcome, Outcome::Seat);
    assert_eq!(result.messages[0].code, "invalid_email");
}

#[test]
fn window_messages_name_the_time_in_oslo() {
    let mut setup = setup_with(10, None, WaitlistOrder::JoinTime);
    setup.opens_after = 60;
    let mut ledger = Ledger::new(gathering(&setup)).unwrap();
    let snapshot = ledger.public_snapshot();
    let result = check(&snapshot, &draft(1, 0), false, t0(), Locale::Nb);
    assert_eq!(
        result.outcome,
        Outcome::Refused {
            code: "registration_not_open"
        }
    );
    // 09:00 UTC on 1 September is 11.00 in Oslo (summer time).
    assert_eq!(
        result.messages.last().unwrap().text,
        "Påmeldingen har ikke åpnet ennå. Den åpner 1. september 2026 kl. 11.00."
    );
    ledger
        .execute(&Command::CloseRegistration, t0() + Duration::hours(2), None)
        .unwrap();
    let closed = check(
        &ledger.public_snapshot(),
        &draft(1, 0),
        false,
        t0() + Duration::hours(3),
        Locale::Nb,
    );
    assert_eq!(
        closed.messages.last().unwrap().text,
        "Arrangøren har stengt påmeldingen."
    );
}

#[test]
fn the_snapshot_holds_no_personal_data() {
    let setup = setup_with(1, Some(2), WaitlistOrder::NewOrganisationsFirst);
    let mut ledger = Ledger::new(gathering(&setup)).unwrap();
    let at = t0() + Duration::hours(1);
    register(&mut ledger, 1, 0, true, at);
    register(&mut ledger, 2, 1, false, at);
    let json = ledger.public_snapshot().to_json();
    for secret in [
        "person1@example.no",
        "person2",
        "Ødegård",
        "hr",
        "joined_at",
    ] {
        assert!(!json.contains(secret), "{secret} leaked into {json}");
    }
    // Without a per-organisation rule, not even organisation numbers are listed.
    let plain = Ledger::new(gathering(&setup_with(1, None, WaitlistOrder::JoinTime))).unwrap();
    assert!(plain.public_snapshot().organisations.is_empty());
}

#[test]
fn a_snapshot_past_an_offer_s_expiry_is_stale_and_at_settles_it() {
    let mut setup = setup_with(1, None, WaitlistOrder::JoinTime);
    setup.hold_minutes = Some(60);
    let mut ledger = Ledger::new(gathering(&setup)).unwrap();
    let at = t0() + Duration::hours(1);
    register(&mut ledger, 1, 0, false, at);
    register(&mut ledger, 2, 1, false, at);
    let cancel = Command::Cancel {
        registration: RegistrationId(1),
        by: Actor::Participant,
        reason: CancelReason::Illness,
    };
    ledger.execute(&cancel, at, None).unwrap(); // #2 is offered the seat for an hour
    let old = ledger.public_snapshot();
    let later = at + Duration::hours(2);
    assert!(check(&old, &draft(3, 2), false, later, Locale::Nb).stale);
    let fresh = ledger.public_snapshot_at(later);
    let result = check(&fresh, &draft(3, 2), false, later, Locale::Nb);
    assert!(!result.stale);
    assert_eq!(result.outcome, Outcome::Seat); // the hold ran out and nobody else waits
}

#[test]
fn malformed_public_snapshots_are_refused_with_codes() {
    let ledger = Ledger::new(gathering(&setup_with(1, None, WaitlistOrder::JoinTime))).unwrap();
    let mut snapshot = ledger.public_snapshot();
    snapshot.priority_waitlist = 3;
    let err = PublicSnapshot::from_json(&snapshot.to_json()).unwrap_err();
    assert_eq!(err.code(), "inconsistent_snapshot");
    assert_eq!(
        PublicSnapshot::from_json("{}").unwrap_err().code(),
        "malformed_data"
    );
}

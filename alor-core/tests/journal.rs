//! The journal: a ledger and the events it recorded, kept free of erased people's contact
//! details; and the typed reasons a replay or a snapshot is refused with.

use alor_core::*;
use chrono::{DateTime, TimeZone, Utc};

fn at(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, 0, 0).unwrap()
}

/// Two seats, offers held for a day: enough for promotions, holds, expiries and erasure.
fn gathering() -> Gathering {
    Gathering {
        id: Slug::parse("rogaland-2026-host").unwrap(),
        network: Slug::parse("rogaland").unwrap(),
        title: Label::parse("Høstsamling 2026").unwrap(),
        theme: Label::parse("Pårørende").unwrap(),
        starts_at: at(10, 1, 8),
        ends_at: at(10, 1, 15),
        venue: Venue {
            name: Label::parse("Sola Strand Hotel").unwrap(),
            town: Label::parse("Sola").unwrap(),
        },
        price: Nok::kroner(1450),
        retention_days: None,
        policy: RegistrationPolicy {
            capacity: 2,
            opens_at: at(8, 1, 8),
            closes_at: at(9, 20, 22),
            cancellation_deadline: at(9, 24, 22),
            max_per_organisation: None,
            waitlist: true,
            waitlist_order: WaitlistOrder::JoinTime,
            promotion: Promotion::Offer {
                hold_minutes: 24 * 60,
            },
        },
    }
}

fn person(name: &str, email: &str) -> Person {
    PersonDraft {
        name: name.into(),
        email: email.into(),
        phone: "+47 912 34 567".into(),
        organisation_name: "Helse Stavanger HF".into(),
        organisation_number: "983974678".into(),
        sector: "public".into(),
        role: "occupational_health".into(),
        ..PersonDraft::default()
    }
    .validate()
    .unwrap()
}

fn register(name: &str, email: &str) -> Command {
    Command::Register {
        person: person(name, email),
        first_time: false,
        by: Actor::Participant,
    }
}

fn cancel(id: u32) -> Command {
    Command::Cancel {
        registration: RegistrationId(id),
        by: Actor::Participant,
        reason: CancelReason::Illness,
    }
}

/// A journal through sign-ups, a cancellation that offers the seat on, and a timer that lets
/// the offer expire and offers it to the next person. Returns every event `execute` and
/// `handle_timeout` returned, in order.
fn season() -> (Journal, Vec<Recorded>) {
    let mut journal = Journal::new(gathering()).unwrap();
    let mut returned = Vec::new();
    let steps = [
        (
            register("Øystein Ås", "oystein@helse-stavanger.no"),
            at(8, 2, 9),
        ),
        (
            register("Kari Bø 🌿", "kari@helse-stavanger.no"),
            at(8, 2, 10),
        ),
        (register("Per Li", "per@helse-stavanger.no"), at(8, 3, 10)),
        (
            register("Siri Dal", "siri@helse-stavanger.no"),
            at(8, 3, 11),
        ),
        (cancel(1), at(8, 5, 10)),
    ];
    for (command, now) in steps {
        let version = journal.ledger().version();
        returned.extend(journal.execute(&command, now, Some(version)).unwrap());
    }
    // Per's offer (made on 5 August, held a day) expires; the seat is offered on to Siri.
    let expired = journal.handle_timeout(at(8, 7, 9)).unwrap();
    assert_eq!(expired.len(), 2);
    assert!(matches!(
        expired[0].event,
        Event::OfferExpired {
            registration: RegistrationId(3)
        }
    ));
    assert!(matches!(
        expired[1].event,
        Event::Offered {
            registration: RegistrationId(4),
            ..
        }
    ));
    returned.extend(expired);
    (journal, returned)
}

#[test]
fn the_journal_keeps_exactly_the_events_it_returned() {
    let (journal, returned) = season();
    assert_eq!(journal.events(), &returned[..]);
    assert_eq!(journal.ledger().version(), returned.len() as u64);
    assert_eq!(journal.events_since(0).unwrap(), &returned[..]);
    assert_eq!(journal.events_since(5).unwrap(), &returned[5..]);
    assert!(journal
        .events_since(journal.ledger().version())
        .unwrap()
        .is_empty());
    assert!(journal.events_since(u64::MAX).unwrap().is_empty());
    assert_eq!(journal.kept_after(), 0);
    assert_eq!(journal.initial_gathering(), Some(&gathering()));
}

#[test]
fn the_log_replays_to_the_same_ledger() {
    let (journal, _) = season();
    let log = journal.to_log().unwrap();
    assert_eq!(
        log.gathering,
        gathering(),
        "the log starts from the gathering as created"
    );
    assert_eq!(&Ledger::from_log(&log).unwrap(), journal.ledger());
    assert_eq!(journal.to_json().unwrap(), log.to_json());
    // And back: a journal rebuilt from its JSON is the same journal.
    assert_eq!(
        Journal::from_json(&journal.to_json().unwrap()).unwrap(),
        journal
    );
    assert_eq!(Journal::from_log(&log).unwrap(), journal);
    assert_eq!(
        Journal::replay(gathering(), log.events.clone()).unwrap(),
        journal
    );
}

#[test]
fn an_erasure_leaves_no_contact_details_in_the_journal() {
    let (mut journal, _) = season();
    let version = journal.ledger().version();
    let erased = journal
        .execute(
            &Command::Erase {
                registration: RegistrationId(1),
            },
            at(8, 8, 10),
            Some(version),
        )
        .unwrap();
    assert_eq!(journal.events().last(), erased.last());
    let json = journal.to_json().unwrap();
    for personal in ["oystein@helse-stavanger.no", "Øystein", "Ås"] {
        assert!(
            !json.contains(personal),
            "{personal} is still in the journal"
        );
    }
    // Only the erased person is gone; the others are kept as they were.
    assert!(json.contains("kari@helse-stavanger.no"));
    // The redacted history still replays to the same state, and is rebuilt as it is.
    let log = journal.to_log().unwrap();
    assert_eq!(&Ledger::from_log(&log).unwrap(), journal.ledger());
    assert_eq!(Journal::from_log(&log).unwrap(), journal);
}

#[test]
fn a_log_with_an_unredacted_erasure_is_redacted_on_load() {
    let mut ledger = Ledger::new(gathering()).unwrap();
    let mut events = ledger
        .execute(
            &register("Per Li", "per@helse-stavanger.no"),
            at(8, 2, 9),
            None,
        )
        .unwrap();
    events.extend(ledger.execute(&cancel(1), at(8, 3, 9), None).unwrap());
    let erase = Command::Erase {
        registration: RegistrationId(1),
    };
    events.extend(ledger.execute(&erase, at(8, 3, 10), None).unwrap());
    let log = EventLog {
        schema_version: SCHEMA_VERSION,
        gathering: gathering(),
        events,
    };
    assert!(log.to_json().contains("per@helse-stavanger.no"));
    let journal = Journal::from_log(&log).unwrap();
    assert!(!journal
        .to_json()
        .unwrap()
        .contains("per@helse-stavanger.no"));
    assert_eq!(journal.ledger(), &ledger);
}

#[test]
fn a_refused_command_keeps_nothing() {
    let (mut journal, _) = season();
    let before = journal.clone();
    let again = journal.execute(
        &register("Kari Bø", "KARI@helse-stavanger.no"),
        at(8, 9, 10),
        None,
    );
    assert_eq!(again.unwrap_err().code(), "already_registered");
    let stale = journal.execute(
        &register("Ny", "ny@helse-stavanger.no"),
        at(8, 9, 10),
        Some(1),
    );
    assert_eq!(stale.unwrap_err().code(), "conflict");
    let backwards = journal.handle_timeout(at(8, 1, 9));
    assert_eq!(backwards.unwrap_err().code(), "time_went_backwards");
    assert_eq!(journal, before);
    // Deciding keeps nothing either, even when the decision would record events.
    let decided = journal
        .decide(&register("Ny", "ny@helse-stavanger.no"), at(8, 9, 10), None)
        .unwrap();
    assert!(!decided.is_empty());
    assert_eq!(journal, before);
}

#[test]
fn a_journal_from_a_snapshot_keeps_only_what_follows() {
    let (journal, _) = season();
    let version = journal.ledger().version();
    let mut restored = Journal::from_snapshot(journal.ledger().snapshot()).unwrap();
    assert_eq!(restored.ledger(), journal.ledger());
    assert_eq!(restored.kept_after(), version);
    assert_eq!(restored.initial_gathering(), None);
    assert!(restored.events().is_empty());

    let err = restored.events_since(version - 1).unwrap_err();
    assert_eq!(err.code(), "events_not_kept");
    assert_eq!(
        err,
        DataError::EventsNotKept {
            kept_after: version
        }
    );
    assert_eq!(restored.to_log().unwrap_err().code(), "events_not_kept");
    assert_eq!(restored.to_json().unwrap_err().code(), "events_not_kept");

    let accepted = restored
        .execute(
            &Command::AcceptOffer {
                registration: RegistrationId(4),
            },
            at(8, 7, 9),
            Some(version),
        )
        .unwrap();
    assert_eq!(restored.events(), &accepted[..]);
    assert_eq!(restored.events_since(version).unwrap(), &accepted[..]);
    assert_eq!(
        Journal::from_ledger(journal.ledger().clone()).kept_after(),
        version
    );
}

#[test]
fn a_corrupt_log_is_refused_with_a_typed_reason_and_the_usual_code() {
    let (journal, _) = season();
    let events = journal.events().to_vec();
    let refused = |events: Vec<Recorded>| match Journal::replay(gathering(), events) {
        Err(Error::Data(err)) => err,
        other => panic!("expected a data error, got {other:?}"),
    };

    let mut gap = events.clone();
    gap[2].seq = 9;
    assert_eq!(
        refused(gap),
        DataError::SequenceGap {
            expected: 3,
            found: 9
        }
    );

    let mut unknown = events.clone();
    unknown[4].event = Event::OfferAccepted {
        registration: RegistrationId(40),
    };
    let err = refused(unknown);
    assert_eq!(
        err,
        DataError::InapplicableEvent {
            seq: 5,
            reason: EventProblem::UnknownRegistration {
                registration: RegistrationId(40)
            }
        }
    );
    assert_eq!(err.code(), "inapplicable_event");
    assert_eq!(err.reason_code(), Some("unknown_registration"));
    assert_eq!(
        err.to_string(),
        "event 5 cannot be applied: unknown registration #40"
    );

    let mut backwards = events.clone();
    backwards[1].at = at(8, 1, 9);
    let err = refused(backwards);
    assert_eq!(err.reason_code(), Some("time_goes_backwards"));
    assert_eq!(
        err.to_string(),
        "event 2 cannot be applied: time goes backwards"
    );

    // A second sign-up of one person: the message names the registration, not the address.
    let mut twice = events[..2].to_vec();
    if let Event::Registered { person, .. } = &mut twice[1].event {
        person.email = Email::parse("oystein@helse-stavanger.no").unwrap();
    }
    let err = refused(twice);
    assert_eq!(
        err,
        DataError::InapplicableEvent {
            seq: 2,
            reason: EventProblem::SecondActiveRegistration {
                registration: RegistrationId(2)
            }
        }
    );
    assert!(!err.to_string().contains("oystein"));
}

#[test]
fn a_contradictory_snapshot_is_refused_with_a_typed_reason_and_the_usual_code() {
    let (journal, _) = season();
    let data_error = |snapshot: Snapshot| match Ledger::from_snapshot(snapshot) {
        Err(Error::Data(err)) => err,
        other => panic!("expected a data error, got {other:?}"),
    };

    let mut over = journal.ledger().snapshot();
    over.gathering.policy.capacity = 1;
    let err = data_error(over);
    assert_eq!(
        err,
        DataError::InconsistentSnapshot {
            reason: SnapshotProblem::OverCapacity {
                counted: 2,
                capacity: 1,
                overridden: 0
            }
        }
    );
    assert_eq!(err.code(), "inconsistent_snapshot");
    assert_eq!(err.reason_code(), Some("over_capacity"));
    assert_eq!(
        err.to_string(),
        "inconsistent snapshot: 2 counted seats exceed capacity 1 with 0 overrides"
    );

    let mut twice = journal.ledger().snapshot();
    let first = twice.registrations[1].contact.clone();
    twice.registrations[3].contact = first;
    let err = data_error(twice);
    assert_eq!(
        err,
        DataError::InconsistentSnapshot {
            reason: SnapshotProblem::SecondActiveRegistration {
                registration: RegistrationId(4)
            }
        }
    );
    assert!(!err.to_string().contains("kari"));

    let mut huge = journal.ledger().snapshot();
    huge.version = MAX_VERSION + 1;
    assert_eq!(data_error(huge).reason_code(), Some("version_too_high"));
}

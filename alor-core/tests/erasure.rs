//! Erasure: personal data leaves the state and the stored log; the history stays replayable.

use alor_core::*;
use chrono::{DateTime, TimeZone, Utc};

fn at(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, 0, 0).unwrap()
}

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
            promotion: Promotion::Automatic,
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

#[test]
fn erased_people_leave_no_trace_in_state_or_log() {
    let mut ledger = Ledger::new(gathering()).unwrap();
    let mut log = EventLog {
        schema_version: SCHEMA_VERSION,
        gathering: gathering(),
        events: Vec::new(),
    };
    let mut run = |ledger: &mut Ledger, command: Command, now| {
        let events = ledger
            .execute(&command, now, Some(ledger.version()))
            .unwrap();
        log.events.extend(events);
    };
    let register = |name: &str, email: &str| Command::Register {
        person: person(name, email),
        first_time: true,
        by: Actor::Participant,
    };
    run(
        &mut ledger,
        register("Øystein Ås", "oystein@helse-stavanger.no"),
        at(8, 2, 9),
    );
    run(
        &mut ledger,
        register("Kari Bø 🌿", "kari@helse-stavanger.no"),
        at(8, 2, 10),
    );
    run(
        &mut ledger,
        register("Per Li", "per@helse-stavanger.no"),
        at(8, 3, 10),
    );
    run(
        &mut ledger,
        Command::Substitute {
            registration: RegistrationId(2),
            person: person("Siri Dal", "siri@helse-stavanger.no"),
            first_time: false,
        },
        at(8, 4, 10),
    );
    run(
        &mut ledger,
        Command::Cancel {
            registration: RegistrationId(1),
            by: Actor::Participant,
            reason: CancelReason::Illness,
        },
        at(8, 5, 10),
    );

    // An active registration cannot be erased before the gathering has ended.
    let refused = ledger.execute(
        &Command::Erase {
            registration: RegistrationId(4),
        },
        at(8, 6, 10),
        None,
    );
    assert_eq!(refused.unwrap_err().code(), "erase_active");

    run(
        &mut ledger,
        Command::Erase {
            registration: RegistrationId(1),
        },
        at(8, 6, 10),
    );
    run(
        &mut ledger,
        Command::MarkAttended {
            registration: RegistrationId(4),
        },
        at(10, 1, 9),
    );
    run(
        &mut ledger,
        Command::Erase {
            registration: RegistrationId(4),
        },
        at(10, 2, 9),
    );
    let again = ledger.execute(
        &Command::Erase {
            registration: RegistrationId(4),
        },
        at(10, 2, 10),
        None,
    );
    assert_eq!(again.unwrap_err().code(), "already_erased");

    assert!(ledger
        .registration(RegistrationId(1))
        .unwrap()
        .contact
        .is_none());
    assert!(ledger
        .registration(RegistrationId(4))
        .unwrap()
        .contact
        .is_none());
    assert!(ledger
        .registration(RegistrationId(3))
        .unwrap()
        .contact
        .is_some());
    assert_eq!(
        ledger.registration(RegistrationId(4)).unwrap().status,
        Status::Attended
    );
    assert_eq!(
        ledger
            .registration(RegistrationId(4))
            .unwrap()
            .organisation
            .number
            .to_string(),
        "983974678"
    );

    let before = log.to_json();
    assert!(before.contains("oystein@helse-stavanger.no"));
    assert_eq!(log.redact_erased(), 2);
    assert_eq!(log.redact_erased(), 0, "redaction is idempotent");
    let after = log.to_json();
    for gone in [
        "oystein@helse-stavanger.no",
        "Øystein Ås",
        "siri@helse-stavanger.no",
        "Siri Dal",
    ] {
        assert!(!after.contains(gone), "{gone} survived redaction");
    }
    for kept in [
        "kari@helse-stavanger.no",
        "per@helse-stavanger.no",
        "983974678",
    ] {
        assert!(after.contains(kept), "{kept} was lost");
    }
    // Registration 2 (Kari) handed her seat on but was not erased: still there.
    assert!(ledger
        .registration(RegistrationId(2))
        .unwrap()
        .contact
        .is_some());

    let replayed = Ledger::from_log(&EventLog::from_json(&after).unwrap()).unwrap();
    assert_eq!(replayed, ledger);
    replayed.verify().unwrap();
}

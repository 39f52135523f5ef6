//! Shared fixtures: a small gathering and people to sign up.

#![allow(dead_code)] // each test file uses a different part

use alor_core::{
    Actor, Command, Gathering, Label, Nok, Person, PersonDraft, Promotion, RegistrationPolicy,
    Slug, Venue, WaitlistOrder,
};
use alor_store::Store;
use chrono::{DateTime, TimeZone, Utc};
use std::path::PathBuf;

pub fn at(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, 0, 0).unwrap()
}

/// Registration open 1 August to 20 September, gathering on 1 October.
pub fn gathering(id: &str, capacity: u32, waitlist: bool, promotion: Promotion) -> Gathering {
    Gathering {
        id: Slug::parse(id).unwrap(),
        network: Slug::parse("rogaland").unwrap(),
        title: Label::parse("Høstsamling 2026").unwrap(),
        theme: Label::parse("Fra bekymring til handling").unwrap(),
        starts_at: at(10, 1, 8),
        ends_at: at(10, 1, 15),
        venue: Venue {
            name: Label::parse("Sola Strand Hotel").unwrap(),
            town: Label::parse("Sola").unwrap(),
        },
        price: Nok::kroner(1450),
        retention_days: None,
        policy: RegistrationPolicy {
            capacity,
            opens_at: at(8, 1, 8),
            closes_at: at(9, 20, 22),
            cancellation_deadline: at(9, 24, 22),
            max_per_organisation: None,
            waitlist,
            waitlist_order: WaitlistOrder::JoinTime,
            promotion,
        },
    }
}

pub fn held_offers() -> Promotion {
    Promotion::Offer {
        hold_minutes: 48 * 60,
    }
}

pub fn person(name: &str, email: &str) -> Person {
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

pub fn register(person: Person) -> Command {
    Command::Register {
        person,
        first_time: false,
        by: Actor::Participant,
    }
}

/// The `n`th test participant, with a name and address found nowhere else in the tests.
pub fn participant(n: usize) -> Command {
    register(person(
        &format!("Deltaker Nummer {n}"),
        &format!("deltaker{n}@helse-stavanger.example"),
    ))
}

/// A store in a new file of its own, with these gatherings created. Keep the directory alive
/// while the file is in use: dropping it deletes the file.
pub fn store_file(gatherings: &[&Gathering]) -> (tempfile::TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alor.sqlite3");
    let mut store = Store::open(&path).unwrap();
    for g in gatherings {
        store.create_gathering(g).unwrap();
    }
    (dir, path, store)
}

//! alor Rogaland, its autumn gathering 2026, and the organisations and people of the demo.

use chrono::{DateTime, NaiveDate, Utc};

use alor_core::time::oslo_to_utc;
use alor_core::{
    Contact, Email, Gathering, Host, HostKind, Label, Network, Nok, OrgNumber, PersonName,
    Promotion, Region, RegistrationPolicy, Role, Slug, Venue, WaitlistOrder,
};

/// An Oslo wall-clock time in 2026 that exists (the demo's own constants).
pub(crate) fn oslo(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2026, month, day)
        .and_then(|d| d.and_hms_opt(hour, minute, 0))
        .and_then(|local| oslo_to_utc(local).ok())
        .expect("the demo's dates are real Oslo times")
}

// ---------------------------------------------------------------------------------------------
// The network and the gathering

fn label(text: &str) -> Label {
    Label::parse(text).expect("demo labels are valid")
}

pub(crate) fn rogaland_network() -> Network {
    Network {
        id: Slug::parse("rogaland").expect("valid slug"),
        name: label("alor Rogaland"),
        region: Region::Stavanger,
        hosts: vec![
            Host {
                name: label("KORUS Stavanger"),
                kind: HostKind::Korus,
            },
            Host {
                name: label("Rogaland A-senter"),
                kind: HostKind::Treatment,
            },
            Host {
                name: label("Akan kompetansesenter"),
                kind: HostKind::Akan,
            },
        ],
        contacts: vec![Contact {
            name: PersonName::parse("Tone Vik Ødegaard").expect("valid name"),
            email: Email::parse("tone.odegaard@korus-stavanger.example").expect("valid e-mail"),
            phone: None,
        }],
    }
}

/// Registration opens Monday 7 September 09:00 (Oslo).
pub(crate) fn opens_at() -> DateTime<Utc> {
    oslo(9, 7, 9, 0)
}

pub(crate) fn autumn_gathering() -> Gathering {
    Gathering {
        id: Slug::parse("rogaland-2026-host").expect("valid slug"),
        network: Slug::parse("rogaland").expect("valid slug"),
        title: label("Høstsamling 2026"),
        theme: label("Perspektiver på spillavhengighet og unge arbeidstakere"),
        // After summer time ends (Sunday 25 October): the gathering is in CET.
        starts_at: oslo(10, 28, 10, 0),
        ends_at: oslo(10, 29, 14, 0),
        venue: Venue {
            name: label("Sola Strand Hotel"),
            town: label("Sola"),
        },
        price: Nok::kroner(2_950),
        retention_days: None,
        policy: RegistrationPolicy {
            capacity: 70,
            opens_at: opens_at(),
            // Six weeks after opening.
            closes_at: oslo(10, 19, 9, 0),
            // A week before the gathering.
            cancellation_deadline: oslo(10, 21, 10, 0),
            max_per_organisation: Some(4),
            waitlist: true,
            waitlist_order: WaitlistOrder::JoinTime,
            promotion: Promotion::Offer {
                hold_minutes: 48 * 60,
            },
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Organisations and people

/// An organisation of the demo: name, first eight digits of its number, public sector?,
/// industry, e-mail domain (under `.example`), and how many of its people tend to sign up.
pub(crate) struct Org {
    pub(crate) name: &'static str,
    pub(crate) first_eight: &'static str,
    pub(crate) public: bool,
    pub(crate) industry: &'static str,
    pub(crate) domain: &'static str,
    pub(crate) weight: u32,
}

const fn org(
    name: &'static str,
    first_eight: &'static str,
    public: bool,
    industry: &'static str,
    domain: &'static str,
    weight: u32,
) -> Org {
    Org {
        name,
        first_eight,
        public,
        industry,
        domain,
        weight,
    }
}

#[rustfmt::skip]
pub(crate) const ORGS: &[Org] = &[
    org("Avinor AS", "98519829", true, "Luftfart", "avinor", 5),
    org("Equinor ASA", "92360901", false, "Olje og gass", "equinor", 5),
    org("Stavanger kommune", "96496522", true, "Kommune", "stavanger-kommune", 5),
    org("Sola kommune", "96496578", true, "Kommune", "sola-kommune", 4),
    org("Sandnes kommune", "96496455", true, "Kommune", "sandnes-kommune", 4),
    org("Helse Stavanger HF", "98397467", true, "Spesialisthelsetjeneste", "helse-stavanger", 5),
    org("NAV Rogaland", "88964078", true, "Offentlig forvaltning", "nav", 3),
    org("Lyse AS", "98000169", true, "Energi", "lyse", 3),
    org("Rogaland fylkeskommune", "97104550", true, "Fylkeskommune", "rogfk", 3),
    org("Universitetet i Stavanger", "97154641", true, "Utdanning", "uis", 3),
    org("Sør-Vest politidistrikt", "97431782", true, "Politi", "politiet", 3),
    org("Posten Norge AS", "98446751", true, "Post og logistikk", "posten", 3),
    org("Kolumbus AS", "98597153", true, "Kollektivtransport", "kolumbus", 2),
    org("Randaberg kommune", "96496512", true, "Kommune", "randaberg-kommune", 2),
    org("Klepp kommune", "95260181", true, "Kommune", "klepp-kommune", 2),
    org("Time kommune", "95908301", true, "Kommune", "time-kommune", 2),
    org("Hå kommune", "96613186", true, "Kommune", "ha-kommune", 2),
    org("Strand kommune", "90913909", true, "Kommune", "strand-kommune", 1),
    org("Karmøy kommune", "99603082", true, "Kommune", "karmoy-kommune", 2),
    org("Haugesund kommune", "94628194", true, "Kommune", "haugesund-kommune", 2),
    org("Statens vegvesen", "98219935", true, "Samferdsel", "vegvesen", 2),
    org("Skatteetaten", "91819093", true, "Offentlig forvaltning", "skatteetaten", 2),
    org("Helse Fonna HF", "97865797", true, "Spesialisthelsetjeneste", "helse-fonna", 2),
    org("Kriminalomsorgen region sørvest", "95432319", true, "Justis", "kriminalomsorgen", 1),
    org("Aker BP ASA", "98978314", false, "Olje og gass", "akerbp", 3),
    org("SpareBank 1 Sør-Norge ASA", "93725441", false, "Bank og finans", "sparebank1", 3),
    org("Skanska Norge AS", "91358282", false, "Bygg og anlegg", "skanska", 3),
    org("Veidekke Entreprenør AS", "98495916", false, "Bygg og anlegg", "veidekke", 3),
    org("Norled AS", "98545732", false, "Sjøtransport", "norled", 3),
    org("Halliburton AS", "91535443", false, "Oljeservice", "halliburton", 3),
    org("Stamina Helse AS", "98643011", false, "Bedriftshelsetjeneste", "stamina", 3),
    org("Avonova Helse AS", "99063752", false, "Bedriftshelsetjeneste", "avonova", 3),
    org("Kverneland Group Operations Norway AS", "98720311", false, "Industri", "kverneland", 2),
    org("Tine SA", "91211184", false, "Næringsmiddel", "tine", 2),
    org("Nortura SA", "98844722", false, "Næringsmiddel", "nortura", 2),
    org("ISS Facility Services AS", "93970313", false, "Renhold og drift", "iss", 2),
    org("Aibel AS", "94875749", false, "Oljeservice", "aibel", 3),
    org("Subsea7 Norway AS", "91186252", false, "Oljeservice", "subsea7", 2),
    org("ConocoPhillips Skandinavia AS", "97601895", false, "Olje og gass", "conocophillips", 3),
    org("Fjord Line AS", "95597971", false, "Sjøtransport", "fjordline", 2),
    org("Øglænd System AS", "91471049", false, "Industri", "oglaend", 2),
    org("Bravida Norge AS", "97465075", false, "Bygg og anlegg", "bravida", 2),
    org("Norsk Gjenvinning AS", "92917034", false, "Avfall og gjenvinning", "norskgjenvinning", 2),
];

impl Org {
    pub(crate) fn number(&self) -> String {
        let digits: Vec<u32> = self
            .first_eight
            .chars()
            .filter_map(|c| c.to_digit(10))
            .collect();
        let check = OrgNumber::check_digit(&digits).expect("the demo's numbers have a check digit");
        format!("{}{check}", self.first_eight)
    }

    pub(crate) fn is_health_service(&self) -> bool {
        self.industry == "Bedriftshelsetjeneste"
    }
}

#[rustfmt::skip]
pub(crate) const FIRST_NAMES: &[&str] = &[
    "Kari", "Ola", "Åse", "Øystein", "Bjørn", "Sigrid", "Tormod", "Ingrid", "Håkon", "Solveig",
    "Magnus", "Marte", "Jørgen", "Siv", "Eirik", "Randi", "Torunn", "Gunnar", "Liv", "Trond",
    "Hilde", "Kjetil", "Anne", "Geir", "Tone", "Sindre", "Ragnhild", "Lars", "Mette", "Frode",
    "Nina", "Arild", "Kristin", "Espen", "Astrid", "Øyvind", "Åsmund", "Terje", "Berit", "Stian",
    "Hege", "Amund", "Synnøve", "Mathias", "Camilla", "Fatima", "Ahmed", "Jonas", "Sunniva", "Ægir",
    "Mari", "Per", "Agnieszka", "Tomasz",
];

#[rustfmt::skip]
pub(crate) const LAST_NAMES: &[&str] = &[
    "Ødegård", "Åsland", "Sæther", "Hægeland", "Bø", "Tjøstheim", "Haugland", "Kvalheim", "Eriksen",
    "Larsen", "Håland", "Skjæveland", "Bjørheim", "Løland", "Næss", "Oftedal", "Tveit", "Aarsheim",
    "Egeland", "Vatne", "Rasmussen", "Sørensen", "Hetland", "Stangeland", "Søyland", "Ueland",
    "Gjerde", "Jæger", "Fosså", "Nilsen", "Berge", "Kowalska", "Hussain", "Lunde",
];

/// Roles by weight; occupational-health providers send occupational-health staff.
pub(crate) const ROLES: &[(Role, u32)] = &[
    (Role::Manager, 25),
    (Role::Hr, 18),
    (Role::OccupationalHealth, 10),
    (Role::Hse, 12),
    (Role::AkanContact, 11),
    (Role::SafetyRepresentative, 8),
    (Role::UnionRepresentative, 9),
    (Role::Colleague, 4),
    (Role::Other, 3),
];

/// E-mail local parts are ASCII: æ → ae, ø → o, å → a, anything else non-alphanumeric dropped.
pub(crate) fn ascii_fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.to_lowercase().chars() {
        match c {
            'æ' => out.push_str("ae"),
            'ø' => out.push('o'),
            'å' => out.push('a'),
            'é' | 'è' => out.push('e'),
            c if c.is_ascii_alphanumeric() => out.push(c),
            '-' | ' ' => out.push('-'),
            _ => {}
        }
    }
    out.trim_matches('-').to_string()
}

// ---------------------------------------------------------------------------------------------
// The generator

#[cfg(test)]
mod tests {
    use super::ORGS;
    use alor_core::OrgNumber;

    #[test]
    fn organisation_numbers_are_mod11_valid_and_avinor_is_real() {
        for org in ORGS {
            let number = org.number();
            assert!(OrgNumber::parse(&number).is_ok(), "{}", org.name);
        }
        assert_eq!(ORGS[0].number(), "985198292");
    }
}

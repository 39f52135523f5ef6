//! Validation of outside values, and JSON parsing with stable error codes.

use alor_core::{Command, Email, Error, Field, OrgNumber, PersonDraft, PersonName, Phone, Problem};

fn draft() -> PersonDraft {
    PersonDraft {
        name: "Åse Ødegård 🌿".into(),
        email: " Ase.Odegard@Sola.Kommune.NO ".into(),
        phone: "+47 912 34 567".into(),
        organisation_name: "Sola kommune".into(),
        organisation_number: "964 965 404".into(),
        sector: "public".into(),
        industry: String::new(),
        role: "hse".into(),
    }
}

#[test]
fn org_numbers_follow_mod11() {
    for valid in ["985198292", "974760673", "964 965 404", " 985 198 292 "] {
        assert!(OrgNumber::parse(valid).is_ok(), "{valid}");
    }
    assert_eq!(OrgNumber::parse("985198293"), Err(Problem::CheckDigit));
    assert_eq!(OrgNumber::parse("98519829"), Err(Problem::NotNineDigits));
    assert_eq!(OrgNumber::parse("9851982921"), Err(Problem::NotNineDigits));
    assert_eq!(OrgNumber::parse("98519829x"), Err(Problem::NotNineDigits));
    // Full-width digits and the spaces web pages use between groups are read as what they mean.
    assert_eq!(
        OrgNumber::parse("９８５１９８２９２").map(OrgNumber::get),
        Ok(985_198_292)
    );
    assert_eq!(
        OrgNumber::parse("985\u{a0}198\u{2009}292").map(OrgNumber::get),
        Ok(985_198_292)
    );
    assert_eq!(OrgNumber::parse("985-198-292"), Err(Problem::NotNineDigits));
    assert_eq!(OrgNumber::parse("٩٨٥١٩٨٢٩٢"), Err(Problem::NotNineDigits));
    assert_eq!(OrgNumber::parse(""), Err(Problem::Required));
    // A remainder of 0 gives check digit 0; a computed 10 means no valid number exists.
    assert_eq!(OrgNumber::check_digit(&[0, 0, 0, 0, 0, 0, 0, 0]), Some(0));
    let mut tens = 0;
    for n in 0..100_000u32 {
        let digits: Vec<u32> = format!("{:08}", n * 997)
            .chars()
            .map(|c| c as u32 - 48)
            .collect();
        match OrgNumber::check_digit(&digits[..8]) {
            Some(d) => {
                let text: String = digits[..8]
                    .iter()
                    .map(|d| char::from(b'0' + *d as u8))
                    .collect();
                assert!(OrgNumber::parse(&format!("{text}{d}")).is_ok());
                let wrong = (d + 1) % 10;
                assert!(OrgNumber::parse(&format!("{text}{wrong}")).is_err());
            }
            None => tens += 1,
        }
    }
    assert!(tens > 0, "some prefixes have no valid check digit");
    assert_eq!(
        OrgNumber::parse("000000000").unwrap().to_string(),
        "000000000"
    );
}

#[test]
fn emails_are_normalised_for_identity() {
    let a = Email::parse("Kari.Nordmann@Avinor.NO").unwrap();
    let b = Email::parse("  kari.nordmann@avinor.no").unwrap();
    assert_eq!(a, b);
    assert_eq!(a.as_str(), "kari.nordmann@avinor.no");
    assert!(Email::parse("øyvind@bølgen.no").is_ok());
    for bad in [
        "kari",
        "kari@",
        "@avinor.no",
        "kari@avinor",
        "kari nordmann@avinor.no",
        "kari@.no",
        "kari@avinor..no",
    ] {
        assert_eq!(Email::parse(bad), Err(Problem::Malformed), "{bad}");
    }
    assert_eq!(Email::parse("   "), Err(Problem::Required));
    let long = format!("{}@avinor.no", "a".repeat(300));
    assert!(matches!(Email::parse(&long), Err(Problem::TooLong { .. })));
}

#[test]
fn names_and_phones() {
    assert_eq!(
        PersonName::parse("  Åse   Ødegård 🌿 ").unwrap().as_str(),
        "Åse Ødegård 🌿"
    );
    assert_eq!(
        PersonName::parse("Kari\u{0}"),
        Err(Problem::ControlCharacters)
    );
    assert!(matches!(
        PersonName::parse(&"å".repeat(201)),
        Err(Problem::TooLong { max: 200 })
    ));
    assert!(PersonName::parse(&"å".repeat(200)).is_ok());
    assert_eq!(
        Phone::parse("+47 912 34 567").unwrap().as_str(),
        "+4791234567"
    );
    assert_eq!(Phone::parse("912-34-567").unwrap().as_str(), "91234567");
    assert_eq!(Phone::parse("1234"), Err(Problem::Malformed));
    assert_eq!(Phone::parse("9123456a"), Err(Problem::Malformed));
}

#[test]
fn a_draft_reports_every_bad_field_in_form_order() {
    let person = draft().validate().unwrap();
    assert_eq!(person.email.as_str(), "ase.odegard@sola.kommune.no");
    assert_eq!(person.phone.unwrap().as_str(), "+4791234567");

    let bad = PersonDraft {
        name: " ".into(),
        email: "ase".into(),
        organisation_number: "964965405".into(),
        sector: "ngo".into(),
        role: "boss".into(),
        ..draft()
    };
    let errors = bad.validate().unwrap_err();
    let got: Vec<(Field, &str)> = errors.iter().map(|e| (e.field, e.problem.code())).collect();
    assert_eq!(
        got,
        vec![
            (Field::Name, "required"),
            (Field::Email, "malformed"),
            (Field::OrganisationNumber, "check_digit"),
            (Field::Sector, "out_of_range"),
            (Field::Role, "out_of_range"),
        ]
    );
    assert_eq!(errors[2].code(), "invalid_organisation_number");
}

fn register_json(email: &str, number: &str) -> String {
    format!(
        r#"{{"type":"register","person":{{"name":"Kari Nordmann","email":"{email}","organisation":{{"name":"Avinor AS","number":"{number}","sector":"public"}},"role":"manager"}}}}"#
    )
}

#[test]
fn commands_parse_with_field_level_codes() {
    let ok = Command::from_json(&register_json("kari@avinor.no", "985198292")).unwrap();
    assert!(matches!(
        ok,
        Command::Register {
            first_time: false,
            ..
        }
    ));

    let cases = [
        (register_json("kari.nordmann", "985198292"), "invalid_email"),
        (register_json("kari@avinor.no", "985198293"), "invalid_organisation_number"),
        (r#"{"type":"register"}"#.to_string(), "malformed_data"),
        (r#"{"type":"teleport"}"#.to_string(), "malformed_data"),
        (r#"{"type":"cancel","registration":1}"#.to_string(), "malformed_data"),
        (r#"{"type":"cancel","registration":-1,"by":"participant","reason":"illness"}"#.to_string(), "malformed_data"),
        (r#"{"type":"override_seat","registration":1,"reason":"  "}"#.to_string(), "invalid_reason"),
        (r#"[1,2,3]"#.to_string(), "malformed_data"),
        ("{".to_string(), "malformed_data"),
        (String::new(), "malformed_data"),
        (r#"{"type":"register","person":{"name":"Kari","email":"kari@avinor.no","organisation":{"name":"Avinor AS","number":985198292,"sector":"public"},"role":"manager"}}"#.to_string(), "malformed_data"),
    ];
    for (json, code) in cases {
        let err = Command::from_json(&json).unwrap_err();
        assert_eq!(err.code(), code, "{json}");
    }
}

#[test]
fn error_messages_never_echo_personal_values() {
    let secrets = ["kari.secret@avinor.no", "Kari Hemmelig", "98765432"];
    let inputs: [String; 5] = [
        register_json("kari.secret@avinor", "985198292"),
        r#"{"type":"cancel","registration":"kari.secret@avinor.no","by":"participant","reason":"illness"}"#.into(),
        r#"{"type":"register","person":{"name":"Kari Hemmelig","email":"kari.secret@avinor.no","phone":98765432,"organisation":{"name":"Avinor AS","number":"985198292","sector":"public"},"role":"manager"}}"#.into(),
        r#"{"type":"register","person":{"name":"Kari Hemmelig","email":"kari.secret@avinor.no","organisation":{"name":"Avinor AS","number":"985198292","sector":"Kari Hemmelig"},"role":"manager"}}"#.into(),
        r#"{"type":"Kari Hemmelig"}"#.into(),
    ];
    for json in inputs {
        let err: Error = Command::from_json(&json).unwrap_err();
        let message = err.to_string();
        for secret in secrets {
            assert!(!message.contains(secret), "{message:?} leaks {secret:?}");
        }
    }
}

/// Error texts name what was expected (our own names), never what was given.
#[test]
fn malformed_data_lists_the_expected_values_and_never_the_given_one() {
    let message = |json: &str| {
        let err = serde_json::from_str::<alor_core::RegistrationPolicy>(json).unwrap_err();
        alor_core::DataError::from_json(&err).to_string()
    };
    let policy = |order: &str| {
        format!(
            r#"{{"capacity": 1, "opens_at": "2026-09-01T09:00:00Z", "closes_at": "2026-10-01T09:00:00Z",
               "cancellation_deadline": "2026-10-01T09:00:00Z", "waitlist_order": "{order}"}}"#
        )
    };
    let text = message(&policy("kari.expected@x.no"));
    assert!(
        text.contains("unknown variant, expected one of join_time"),
        "{text}"
    );
    assert!(!text.contains("kari") && !text.contains("x.no"), "{text}");
    // A bad instant names its field, not its value.
    let bad = policy("join_time").replace("2026-09-01T09:00:00Z", "1. september kl. 9");
    let text = message(&bad);
    assert!(
        text.contains("instant opens_at: not an RFC 3339 date and time"),
        "{text}"
    );
    assert!(!text.contains("september"), "{text}");
    let text = message(&policy("join_time").replace("\"2026-09-01T09:00:00Z\"", "5"));
    assert!(
        text.contains("expected an RFC 3339 date and time for opens_at"),
        "{text}"
    );
}

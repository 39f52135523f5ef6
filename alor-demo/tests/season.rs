//! The demo season: deterministic, serialisable, and playing out as its docs describe.

use alor_core::{Command, Event};
use alor_demo::{play, rogaland_autumn_season, DemoSeason};

#[test]
fn the_season_is_deterministic_and_serialisable() {
    let a = rogaland_autumn_season();
    let b = rogaland_autumn_season();
    assert_eq!(a, b);
    let json = serde_json::to_string(&a).unwrap();
    let back: DemoSeason = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
}

#[test]
fn the_season_plays_out_as_described() {
    let season = rogaland_autumn_season();
    for pair in season.steps.windows(2) {
        assert!(pair[0].at <= pair[1].at, "steps are in time order");
    }
    let played = play(&season, None).unwrap();
    let ledger = played.player.ledger();
    let all = played.player.log();
    let expired = all
        .iter()
        .filter(|e| matches!(e.event, Event::OfferExpired { .. }))
        .count();
    let count = |f: &dyn Fn(&Event) -> bool| all.iter().filter(|e| f(&e.event)).count();
    let sign_ups = season
        .steps
        .iter()
        .filter(|s| matches!(s.command, Command::Register { .. }) && s.expected_error.is_none())
        .count();
    assert!((100..=120).contains(&sign_ups), "{sign_ups} sign-ups");
    assert!(expired >= 1, "a hold expired");
    assert!(count(&|e| matches!(e, Event::OfferAccepted { .. })) >= 1);
    assert!(count(&|e| matches!(e, Event::OfferDeclined { .. })) >= 1);
    assert_eq!(count(&|e| matches!(e, Event::Substituted { .. })), 1);
    assert_eq!(count(&|e| matches!(e, Event::RegistrationClosed)), 1);
    assert_eq!(count(&|e| matches!(e, Event::RegistrationReopened)), 1);
    assert_eq!(
        count(&|e| matches!(e, Event::Cancelled { late: true, .. })),
        3
    );
    assert!(
        count(&|e| matches!(
            e,
            Event::AttendanceMarked {
                attended: false,
                ..
            }
        )) >= 1
    );
    assert!(count(&|e| matches!(e, Event::AttendanceMarked { attended: true, .. })) >= 50);
    assert!(
        ledger.waitlist_len() >= 1,
        "some are still waiting at the end"
    );
    for code in ["already_registered", "registration_closed", "offer_expired"] {
        assert!(
            season
                .steps
                .iter()
                .any(|s| s.expected_error.as_deref() == Some(code)),
            "a step refused with {code}"
        );
    }
    // 15–30 % first-time participants among those who signed up.
    let regs = ledger.registrations();
    let first = regs.iter().filter(|r| r.first_time).count() as f64 / regs.len() as f64;
    assert!((0.15..=0.30).contains(&first), "first-time share {first}");
    // The per-organisation cap held, and sent someone to the waitlist.
    assert!(ledger.organisation_counts().all(|(_, c)| c.counted <= 4));
    // Non-ASCII names: Ø, Å, Æ and an emoji.
    let names: String = regs
        .iter()
        .filter_map(|r| r.contact.as_ref().map(|c| c.name.as_str().to_string()))
        .collect();
    for needle in ["Ø", "Å", "Æ"] {
        assert!(names.contains(needle), "a name with {needle}");
    }
    assert!(
        names.chars().any(|c| c as u32 >= 0x1F300),
        "a name with an emoji"
    );
}

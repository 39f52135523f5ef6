//! The printed account says what the ledger says.

use alor_core::Status;
use alor_demo::{play, rogaland_autumn_season};
use alor_season::account;

#[test]
fn the_account_reports_what_the_ledger_says() {
    let season = rogaland_autumn_season();
    let played = play(&season, None).unwrap();
    let text = account(&season, &played);
    for section in [
        "== Timeline ==",
        "== Promotions and offers",
        "== Holds that expired ==",
        "== Substitution ==",
        "== Refused commands",
        "== Final seats ==",
        "== Waitlist outcome ==",
        "== First-time participants ==",
        "== Checks ==",
    ] {
        assert!(text.contains(section), "missing section {section}");
    }
    // Local times on both sides of the end of summer time.
    assert!(text.contains("CEST") && text.contains(" CET"));
    // Figures in the account equal the ledger's own counts.
    let ledger = played.player.ledger();
    let count = |s: Status| {
        ledger
            .registrations()
            .iter()
            .filter(|r| r.status == s)
            .count()
    };
    let attended = format!(
        "Attended {} · no-shows {}",
        count(Status::Attended),
        count(Status::NoShow)
    );
    assert!(text.contains(&attended), "expected «{attended}»");
    assert!(text.contains(&format!("counted seats {}", ledger.counted_seats())));
    assert!(text.contains(&format!(
        "Still waiting at the gathering: {}",
        ledger.waitlist_len()
    )));
    for code in ["already_registered", "registration_closed", "offer_expired"] {
        assert!(text.contains(code), "refusal {code} is reported");
    }
    assert!(text.contains("rebuilds the live ledger: yes"));
    // No e-mail addresses or other contact data in the account; names only.
    assert!(!text.contains('@'));
    assert!(!text.contains(".example"));
}

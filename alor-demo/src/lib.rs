//! A realistic, deterministic demo season: alor Rogaland's autumn gathering 2026.
//!
//! [`rogaland_autumn_season`] returns the network, the gathering and a time-ordered list of
//! [`DemoStep`]s — about 110 sign-ups over a six-week registration window and everything that
//! follows from them: cancellations (a few late), offers of freed seats that are accepted,
//! declined or left to expire, a seat handed to a colleague, a pause and reopening of
//! registration, refused commands, and check-in on the day with a few no-shows.
//!
//! The same season feeds every surface: the Rust example (`examples/season`), the Python
//! analyst example and the web page, so all of them show the same numbers. It is built from a
//! fixed-seed generator (splitmix64) and the ledger itself — no clock, no OS randomness — so
//! every call returns exactly the same steps.
//!
//! [`play`] replays the season as a host would: each step's [`command`](DemoStep::command) at
//! its instant [`at`](DemoStep::at), time passing in between through [`Ledger::next_deadline`]
//! and [`Ledger::handle_timeout`] (holds expire on their own). A step whose
//! [`expected_error`](DemoStep::expected_error) is set is one the ledger refuses, with that code:
//! a duplicate sign-up, a sign-up while registration is paused or closed, an accept after the
//! hold ran out.
//!
//! ```
//! use alor_demo::{play, rogaland_autumn_season, Record};
//!
//! let season = rogaland_autumn_season();
//! let played = play(&season, None).unwrap();
//! let refused = played.player.records().iter().filter(|r| matches!(r, Record::Step { result: Err(_), .. }));
//! assert_eq!(refused.count(), season.steps.iter().filter(|s| s.expected_error.is_some()).count());
//! assert!(played.max_counted <= 70);
//! ```
//!
//! [`Ledger::next_deadline`]: alor_core::Ledger::next_deadline
//! [`Ledger::handle_timeout`]: alor_core::Ledger::handle_timeout
//! [`OrgNumber::check_digit`]: alor_core::OrgNumber::check_digit
//!
//! The people are invented; their e-mail addresses use the reserved `.example` domain. The
//! organisation numbers are MOD11-valid, computed with [`OrgNumber::check_digit`] from eight
//! leading digits (Avinor AS's is its real number, 985 198 292); they are demo data, not a
//! register lookup.
//!
//! Times: the season runs in Europe/Oslo local time, across the end of summer time (the
//! gathering is after the last Sunday of October); [`alor_core::time`] converts.
//!
//! The crate also holds the [`synthetic`] participation data (eleven networks, twenty years) and
//! [`SplitMix64`], the one seeded generator both are drawn from, and [`play`], the one loop that
//! plays a season: the Rust example, the Python package and the web example's data all call it.

mod generator;
mod plan;
mod play;
mod rng;
mod rogaland;
mod synthetic;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use alor_core::{Command, Gathering, Network};

pub use play::{play, Moment, PlayError, Played, Player, Record};
pub use rng::SplitMix64;
pub use synthetic::{synthetic, SyntheticConfig, NETWORK_NAMES};

/// A whole registration season: who runs it, the gathering, and what happens, in time order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoSeason {
    /// The network holding the gathering (alor Rogaland).
    pub network: Network,
    /// The gathering as created, before any registration.
    pub gathering: Gathering,
    /// What happens, in time order (equal instants keep their order).
    pub steps: Vec<DemoStep>,
}

/// One thing a participant or organiser does, at one instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoStep {
    /// When it happens.
    pub at: DateTime<Utc>,
    /// What is asked of the ledger.
    pub command: Command,
    /// Why, in a few words, without personal data (e.g. "sign-up: Equinor ASA, HSE").
    pub note: String,
    /// The error code the ledger answers with, when it refuses the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_error: Option<String>,
}

/// The seed of the season's generator. Changing it changes every step.
pub const SEED: u64 = 0x00a1_0e20_2610_28ff;

/// alor Rogaland's autumn gathering 2026 at Sola Strand Hotel: 70 seats, registration open for
/// six weeks (7 September 09:00 to 19 October 09:00), cancellations free until 21 October 09:00,
/// freed seats offered with a 48-hour hold, at most 4 seats per organisation, waitlist served by
/// join time. The gathering itself is 28–29 October. See the [module docs](self).
pub fn rogaland_autumn_season() -> DemoSeason {
    let network = rogaland::rogaland_network();
    let gathering = rogaland::autumn_gathering();
    let steps = generator::Generator::new(&gathering).run();
    DemoSeason {
        network,
        gathering,
        steps,
    }
}

//! The one loop that plays a season: every example and binding calls [`play`].
//!
//! A [`Player`] does what a registration back end does: it executes each step with the version
//! it last saw (`expected_version`), keeps the event log, lets time pass between steps through
//! [`Ledger::next_deadline`] and [`Ledger::handle_timeout`] (holds expire on their own), and
//! records every refusal with its code: nothing is dropped silently. A step whose outcome is not
//! the one the season expects ([`DemoStep::expected_error`]) stops the play with
//! [`PlayError::UnexpectedOutcome`]: the demo data and the ledger disagree, which is a bug.
//!
//! ```
//! use alor_demo::{play, rogaland_autumn_season};
//!
//! let season = rogaland_autumn_season();
//! let played = play(&season, None).unwrap();
//! assert!(played.player.ledger().counted_seats() <= 70);
//! assert!(played.replay_matches && played.snapshot_round_trips);
//! ```

use chrono::{DateTime, Utc};

use alor_core::{Event, Gathering, Journal, Ledger, LedgerError, Recorded, Status};
use serde::Serialize;

use crate::{DemoSeason, DemoStep};

/// What the host saw happen: time passing, or a step decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// The host let time pass to a deadline the ledger named; holds expired.
    Timeout {
        /// The deadline.
        at: DateTime<Utc>,
        /// The events it caused (expiries, and the offers that followed).
        events: Vec<Recorded>,
    },
    /// A step of the season was executed.
    Step {
        /// Its index in the season.
        index: usize,
        /// When.
        at: DateTime<Utc>,
        /// The events recorded, or the refusal.
        result: Result<Vec<Recorded>, LedgerError>,
        /// For a sign-up that went to the waitlist: the place it got.
        waitlist_place: Option<usize>,
    },
}

/// The state after something happened: what a chart of the season plots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Moment {
    /// When.
    pub at: DateTime<Utc>,
    /// Seats counted against capacity.
    pub seats: u32,
    /// People on the waitlist.
    pub waitlist: usize,
    /// The capacity then.
    pub capacity: u32,
}

/// A registration back end in miniature: the core's [`Journal`] (the ledger and its stored
/// events), what happened, and the state after each change.
#[derive(Debug, Clone)]
pub struct Player {
    journal: Journal,
    records: Vec<Record>,
    timeline: Vec<Moment>,
}

impl Player {
    /// A player for a new gathering.
    pub fn new(gathering: Gathering) -> Result<Self, alor_core::Error> {
        let opens_at = gathering.policy.opens_at;
        let mut player = Player {
            journal: Journal::new(gathering)?,
            records: Vec::new(),
            timeline: Vec::new(),
        };
        player.note(opens_at);
        Ok(player)
    }

    fn note(&mut self, at: DateTime<Utc>) {
        let ledger = self.journal.ledger();
        self.timeline.push(Moment {
            at,
            seats: ledger.counted_seats(),
            waitlist: ledger.waitlist_len(),
            capacity: ledger.capacity(),
        });
    }

    /// The live ledger.
    pub fn ledger(&self) -> &Ledger {
        self.journal.ledger()
    }

    /// The journal: the ledger and every event recorded so far.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Every event recorded so far, in sequence order (what a host would store).
    pub fn log(&self) -> &[Recorded] {
        self.journal.events()
    }

    /// The state at the opening of registration and after each step and each expiry, in order.
    pub fn timeline(&self) -> &[Moment] {
        &self.timeline
    }

    /// What happened, in order.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// Lets time pass to `now`: calls `handle_timeout` at each deadline the ledger names, as a
    /// timer would.
    pub fn pass_time(&mut self, now: DateTime<Utc>) -> Result<(), LedgerError> {
        while let Some(deadline) = self.ledger().next_deadline().filter(|d| *d <= now) {
            let events = self.journal.handle_timeout(deadline)?;
            if events.is_empty() {
                break; // nothing due after all: never spin
            }
            self.note(deadline);
            self.records.push(Record::Timeout {
                at: deadline,
                events,
            });
        }
        Ok(())
    }

    /// Executes one step at its instant, stating the version last seen. A refusal is recorded
    /// with its code, like any other outcome; only a failure to let time pass is an error.
    pub fn step(&mut self, index: usize, step: &DemoStep) -> Result<&Record, LedgerError> {
        self.pass_time(step.at)?;
        let expected = Some(self.ledger().version());
        let result = self.journal.execute(&step.command, step.at, expected);
        let mut waitlist_place = None;
        if let Ok(events) = &result {
            for recorded in events {
                if let Event::Registered {
                    registration,
                    status: Status::Waitlisted,
                    ..
                } = recorded.event
                {
                    waitlist_place = self.ledger().waitlist_position(registration);
                }
            }
        }
        self.note(step.at);
        self.records.push(Record::Step {
            index,
            at: step.at,
            result,
            waitlist_place,
        });
        Ok(self.records.last().expect("just pushed"))
    }
}

/// A season played to the end, or to an instant.
#[derive(Debug, Clone)]
pub struct Played {
    /// The player after the last step.
    pub player: Player,
    /// The most seats counted at once.
    pub max_counted: u32,
    /// How many were on the waitlist when registration closed (or at the end of play, if it
    /// stopped before).
    pub waitlist_at_close: usize,
    /// Seats taken when registration closed (or at the end of play, if it stopped before).
    pub seats_at_close: u32,
    /// Whether replaying the stored log rebuilt exactly the live ledger.
    pub replay_matches: bool,
    /// Whether the snapshot survived a JSON round trip unchanged.
    pub snapshot_round_trips: bool,
}

/// Why a season could not be played.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlayError {
    /// The ledger, its log or its snapshot failed (a bug: the demo's inputs are valid).
    #[error(transparent)]
    Core(#[from] alor_core::Error),
    /// A step's outcome differs from the one the season expects.
    #[error(
        "unexpected_outcome: demo step {index} gave {found:?}, the season expects {expected:?}"
    )]
    UnexpectedOutcome {
        /// The step's index in the season.
        index: usize,
        /// The error code the season expects (`None`: success).
        expected: Option<String>,
        /// The error code the ledger gave (`None`: success).
        found: Option<String>,
    },
}

impl From<LedgerError> for PlayError {
    fn from(error: LedgerError) -> Self {
        PlayError::Core(error.into())
    }
}

impl PlayError {
    /// The stable machine code: the core's, or `unexpected_outcome`.
    pub fn code(&self) -> &'static str {
        match self {
            PlayError::Core(e) => e.code(),
            PlayError::UnexpectedOutcome { .. } => "unexpected_outcome",
        }
    }
}

/// Plays a season through a [`Player`]: every step at its instant, time passing in between,
/// and, with `until`, only the steps up to that instant (the state a page shows at that
/// moment). Checks that the stored log and the snapshot rebuild the live ledger.
pub fn play(season: &DemoSeason, until: Option<DateTime<Utc>>) -> Result<Played, PlayError> {
    let mut player = Player::new(season.gathering.clone())?;
    let end = until.unwrap_or(DateTime::<Utc>::MAX_UTC);
    let closes_at = season.gathering.policy.closes_at.min(end);
    let mut max_counted = 0;
    let mut at_close = None;
    for (index, step) in season
        .steps
        .iter()
        .enumerate()
        .take_while(|(_, s)| s.at <= end)
    {
        if at_close.is_none() && step.at >= closes_at {
            player.pass_time(closes_at)?;
            at_close = Some((
                player.ledger().waitlist_len(),
                player.ledger().counted_seats(),
            ));
        }
        let found = match player.step(index, step)? {
            Record::Step { result, .. } => result.as_ref().err().map(|e| e.code().to_string()),
            Record::Timeout { .. } => None,
        };
        if found != step.expected_error {
            return Err(PlayError::UnexpectedOutcome {
                index,
                expected: step.expected_error.clone(),
                found,
            });
        }
        max_counted = max_counted.max(player.ledger().counted_seats());
    }
    let (waitlist_at_close, seats_at_close) = match at_close {
        Some(at_close) => at_close,
        None => {
            player.pass_time(closes_at)?;
            (
                player.ledger().waitlist_len(),
                player.ledger().counted_seats(),
            )
        }
    };
    if let Some(until) = until {
        player.pass_time(until)?;
    }
    let replayed = Ledger::replay(season.gathering.clone(), player.log())?;
    let restored = Ledger::from_json(&player.ledger().to_json())?;
    Ok(Played {
        replay_matches: &replayed == player.ledger(),
        snapshot_round_trips: &restored == player.ledger(),
        player,
        max_counted,
        waitlist_at_close,
        seats_at_close,
    })
}

//! Europe/Oslo time: the one zone alor's gatherings, deadlines and messages are stated in.
//!
//! Every instant inside the library is a `DateTime<Utc>`; local time appears only where people
//! read or type it. The zone's rules come from the IANA time-zone database through `chrono-tz`
//! (compiled with that zone alone: see `.cargo/config.toml`), never from a rule written here.
//! Tested against Python's `zoneinfo` at every change of offset from 1980 to 2099
//! (`tests/python/test_time.py`). One limit: chrono-tz's table of transitions ends with 2099, so
//! from 2100 on Oslo is taken to stay on winter time (UTC+1) all year.
//!
//! ## Local times that do not exist, or exist twice
//!
//! On the last Sunday of March the clocks jump from 02:00 to 03:00, so 02:30 that night does not
//! exist; on the last Sunday of October they go back from 03:00 to 02:00, so 02:30 happens twice,
//! first in summer time (CEST, UTC+2) and then in winter time (CET, UTC+1). Every entry point that
//! takes an Oslo wall-clock time resolves them the same way, through [`oslo_to_utc`]:
//!
//! - a time that does not exist is refused with [`LocalTimeError::Nonexistent`] (code
//!   `nonexistent_local_time`): a deadline of "02.30" on that night is a mistake to show the
//!   organiser, not a time to guess;
//! - a time that exists twice resolves to the **earlier** instant (summer time), as Python's
//!   `zoneinfo` does with `fold=0`; [`oslo_to_utc_with`] takes [`Fold::Later`] for the other one.
//!
//! ```
//! use alor_core::time::{oslo_to_utc, oslo_to_utc_with, to_oslo, Fold, LocalTimeError};
//! use chrono::{NaiveDate, TimeZone, Utc};
//!
//! let local = |d, h, m| NaiveDate::from_ymd_opt(2026, 10, d).unwrap().and_hms_opt(h, m, 0).unwrap();
//! // 25 October 2026, 02:30 happens twice: summer time first.
//! assert_eq!(oslo_to_utc(local(25, 2, 30)), Ok(Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap()));
//! assert_eq!(
//!     oslo_to_utc_with(local(25, 2, 30), Fold::Later),
//!     Ok(Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap()),
//! );
//! // 29 March 2026, 02:30 never happens.
//! let spring = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap().and_hms_opt(2, 30, 0).unwrap();
//! assert_eq!(oslo_to_utc(spring).unwrap_err().code(), "nonexistent_local_time");
//! assert_eq!(to_oslo(Utc.with_ymd_and_hms(2026, 7, 1, 10, 0, 0).unwrap()).to_string(), "2026-07-01 12:00:00 CEST");
//! ```

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// The zone: Europe/Oslo.
pub const OSLO: Tz = chrono_tz::Europe::Oslo;

/// Which of the two instants a wall-clock time that occurs twice (the autumn change) means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Fold {
    /// The first occurrence, still in summer time (the default everywhere).
    #[default]
    Earlier,
    /// The second occurrence, in winter time.
    Later,
}

/// An Oslo wall-clock time that names no instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum LocalTimeError {
    /// The time falls in the hour skipped when summer time starts.
    #[error("nonexistent_local_time: the time falls in the hour skipped when summer time starts in Europe/Oslo")]
    Nonexistent,
}

impl LocalTimeError {
    /// Every code of this enum.
    pub const CODES: &'static [&'static str] = &["nonexistent_local_time"];

    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            LocalTimeError::Nonexistent => "nonexistent_local_time",
        }
    }
}

/// `at` in Europe/Oslo local time.
pub fn to_oslo(at: DateTime<Utc>) -> DateTime<Tz> {
    at.with_timezone(&OSLO)
}

/// The calendar date in Oslo at `at` (a gathering's day, a report's year).
pub fn oslo_date(at: DateTime<Utc>) -> NaiveDate {
    to_oslo(at).date_naive()
}

/// Whether Norway is on summer time (CEST, UTC+2) at `at`.
pub fn is_oslo_summer_time(at: DateTime<Utc>) -> bool {
    oslo_offset_seconds(at) == 2 * 3600
}

/// Oslo's offset from UTC at `at`, in seconds (3600 in winter, 7200 in summer).
pub fn oslo_offset_seconds(at: DateTime<Utc>) -> i32 {
    to_oslo(at).offset().fix().local_minus_utc()
}

/// "CEST" or "CET": the abbreviation of Oslo's offset at `at`.
pub fn oslo_zone_name(at: DateTime<Utc>) -> &'static str {
    if is_oslo_summer_time(at) {
        "CEST"
    } else {
        "CET"
    }
}

/// Whether the Oslo wall-clock time of `at` occurs twice (the repeated hour of the autumn change),
/// so a message that shows it must also say which of the two it is.
pub fn is_repeated_oslo_time(at: DateTime<Utc>) -> bool {
    // Summer time in Norway is a 20th and 21st century affair (the zone data's changes lie within
    // these years); far outside them chrono cannot even represent the local time.
    if !(1900..=2200).contains(&at.year()) {
        return false;
    }
    matches!(
        OSLO.from_local_datetime(&to_oslo(at).naive_local()),
        LocalResult::Ambiguous(..)
    )
}

/// The instant of an Oslo wall-clock time, resolved as the [module docs](self) say: a repeated
/// time gives the earlier instant, a skipped one an error.
pub fn oslo_to_utc(local: NaiveDateTime) -> Result<DateTime<Utc>, LocalTimeError> {
    oslo_to_utc_with(local, Fold::Earlier)
}

/// The instant of an Oslo wall-clock time, choosing which one a repeated time means.
pub fn oslo_to_utc_with(local: NaiveDateTime, fold: Fold) -> Result<DateTime<Utc>, LocalTimeError> {
    match OSLO.from_local_datetime(&local) {
        LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
        LocalResult::Ambiguous(earlier, later) => Ok(match fold {
            Fold::Earlier => earlier,
            Fold::Later => later,
        }
        .with_timezone(&Utc)),
        LocalResult::None => Err(LocalTimeError::Nonexistent),
    }
}

/// The one RFC 3339 grammar of every surface: the instants of the core's JSON shapes are read
/// by [`parse_rfc3339`] (chrono's strict RFC 3339 parser), whether they come from a server, from
/// Python or from a page. Written by chrono's serde, as `2026-10-28T09:00:00Z`.
pub mod rfc3339 {
    use chrono::{DateTime, Utc};
    use serde::de::{self, Deserializer, Visitor};

    /// Reads one instant, named in its errors: "instant opens_at: not an RFC 3339 date and time
    /// with an offset" says which field to fix, and never echoes the value (it may be anything a
    /// person typed).
    struct Instant(&'static str);

    impl Visitor<'_> for Instant {
        type Value = DateTime<Utc>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "an RFC 3339 date and time for {}", self.0)
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
            super::parse_rfc3339(text).ok_or_else(|| {
                E::custom(format_args!(
                    "instant {}: not an RFC 3339 date and time with an offset",
                    self.0
                ))
            })
        }
    }

    struct MaybeInstant(&'static str);

    impl<'de> Visitor<'de> for MaybeInstant {
        type Value = Option<DateTime<Utc>>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "an RFC 3339 date and time or null for {}", self.0)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(Instant(self.0)).map(Some)
        }
    }

    /// Reads an instant whose field is not named (for `#[serde(deserialize_with)]`).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        d.deserialize_str(Instant("a field"))
    }

    /// Reads an optional instant: `null` or missing is `None` (with `#[serde(default)]`).
    pub fn deserialize_option<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        d.deserialize_option(MaybeInstant("a field"))
    }

    macro_rules! named {
        ($visitor:ident, $ty:ty, $how:ident: $($name:ident),* $(,)?) => {
            $(
                #[doc = concat!("Reads `", stringify!($name), "`, naming it in errors.")]
                pub fn $name<'de, D: Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                    d.$how(super::$visitor(stringify!($name)))
                }
            )*
        };
    }

    /// The instants of the core's types, by field name (each `INSTANT_KEYS` entry).
    pub mod field {
        use super::{DateTime, Deserializer, Utc};
        named!(Instant, DateTime<Utc>, deserialize_str:
            at, starts_at, ends_at, opens_at, closes_at, cancellation_deadline, joined_at, expires_at);
    }

    /// The optional instants of the core's types, by field name.
    pub mod optional {
        use super::{DateTime, Deserializer, Utc};
        named!(MaybeInstant, Option<DateTime<Utc>>, deserialize_option:
            as_of, valid_until, seated_at, offered_at, offer_expires_at, cancelled_at, last_event_at);
    }
}

/// An RFC 3339 date and time (`2026-10-28T10:00:00+01:00`, `…Z`) as a UTC instant; `None` for
/// anything else. The grammar every surface reads instants with.
pub fn parse_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn every_instant_of_a_changeover_day_round_trips_or_is_the_repeated_hour() {
        // 25 October 2026: every minute of the day, to local and back.
        let start = Utc.with_ymd_and_hms(2026, 10, 24, 21, 0, 0).unwrap();
        for minute in 0..(26 * 60) {
            let at = start + Duration::minutes(minute);
            let local = to_oslo(at).naive_local();
            let fold = if is_repeated_oslo_time(at) && !is_oslo_summer_time(at) {
                Fold::Later
            } else {
                Fold::Earlier
            };
            assert_eq!(oslo_to_utc_with(local, fold), Ok(at), "{at}");
        }
    }

    #[test]
    fn the_repeated_hour_is_exactly_one_hour_twice() {
        let start = Utc.with_ymd_and_hms(2026, 10, 24, 22, 0, 0).unwrap();
        let repeated = (0..(4 * 60))
            .filter(|m| is_repeated_oslo_time(start + Duration::minutes(*m)))
            .count();
        assert_eq!(repeated, 120);
    }
}

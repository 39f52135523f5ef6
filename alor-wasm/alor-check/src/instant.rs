//! Date-times as chrono reads them, without chrono's general-purpose parser.
//!
//! The core's JSON has instants as RFC 3339 strings, which chrono's serde impl reads with
//! `DateTime<FixedOffset>`'s `FromStr` (a relaxed RFC 3339). That parser is built on chrono's
//! format-item machinery (`Parsed`, RFC 2822 support and all), a fifth of a page module. This is
//! the same grammar written out, with chrono's own constructors deciding which dates, times and
//! offsets exist, so the answers are chrono's: the tests compare both on thousands of strings.
//!
//! The grammar, as chrono 0.4 has it: optional leading white space; a year of up to four digits,
//! or any number of digits after `+` or `-`; `-`, month, `-`, day (one or two digits each, white
//! space allowed around the dashes); `T`, `t` or a space; hour `:` minute `:` second (one or two
//! digits, white space allowed before each number and around the colons), second 60 being a leap
//! second; an optional `.` and fraction (extra digits beyond nine ignored); white space; then
//! `Z`, `z`, `UTC` in any case, or a sign (`+`, `-` or U+2212) with two-digit hours, any run of
//! colons and white space, and two-digit minutes; trailing white space.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

/// Up to `max` ASCII digits (at least one), as chrono's scanner reads them.
fn number(s: &str, max: usize) -> Option<(&str, i64)> {
    let bytes = s.as_bytes();
    let mut n: i64 = 0;
    let mut i = 0;
    while i < max && i < bytes.len() && bytes[i].is_ascii_digit() {
        n = n.checked_mul(10)?.checked_add(i64::from(bytes[i] - b'0'))?;
        i += 1;
    }
    if i == 0 {
        return None;
    }
    Some((s.get(i..)?, n))
}

/// A number after optional white space, then optional white space and the separator.
fn field(s: &str, max: usize, separator: char) -> Option<(&str, i64)> {
    let (s, n) = number(s.trim_start(), max)?;
    Some((s.trim_start().strip_prefix(separator)?, n))
}

/// The offset in seconds east, and the rest of the text.
fn offset(s: &str) -> Option<(&str, i32)> {
    if s.len() >= 3 && s.as_bytes().get(..3)?.eq_ignore_ascii_case(b"UTC") {
        return Some((s.get(3..)?, 0));
    }
    let sign = s.chars().next()?;
    let s = s.get(sign.len_utf8()..)?;
    let negative = match sign {
        'Z' | 'z' => return Some((s, 0)),
        '+' => false,
        '-' | '\u{2212}' => true,
        _ => return None,
    };
    let two = |s: &str, first: std::ops::RangeInclusive<u8>| -> Option<i32> {
        match *s.as_bytes() {
            [a, b, ..] if first.contains(&a) && b.is_ascii_digit() => {
                Some(i32::from(a - b'0') * 10 + i32::from(b - b'0'))
            }
            _ => None,
        }
    };
    let hours = two(s, b'0'..=b'9')?;
    let s = s
        .get(2..)?
        .trim_start_matches(|c: char| c == ':' || c.is_whitespace());
    let minutes = two(s, b'0'..=b'5')?;
    let seconds = hours * 3600 + minutes * 60;
    Some((s.get(2..)?, if negative { -seconds } else { seconds }))
}

/// Parses an instant exactly as `text.parse::<DateTime<Utc>>()` does (chrono 0.4), or `None`.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let s = text.trim_start();
    let (s, year) = if let Some(rest) = s.strip_prefix('-') {
        let (s, v) = number(rest, usize::MAX)?;
        (s, 0i64.checked_sub(v)?)
    } else if let Some(rest) = s.strip_prefix('+') {
        number(rest, usize::MAX)?
    } else {
        number(s, 4)?
    };
    let s = s.trim_start().strip_prefix('-')?;
    let (s, month) = field(s, 2, '-')?;
    let (s, day) = number(s.trim_start(), 2)?;
    let s = match s.as_bytes().first() {
        Some(b't' | b'T' | b' ') => s.get(1..)?,
        _ => return None,
    };
    let (s, hour) = field(s, 2, ':')?;
    let (s, minute) = field(s, 2, ':')?;
    let (s, second) = number(s.trim_start(), 2)?;
    let (s, nano) = match s.strip_prefix('.') {
        Some(fraction) => {
            let (rest, digits) = number(fraction, 9)?;
            let scale = 10i64.checked_pow(9 - (fraction.len() - rest.len()) as u32)?;
            (
                rest.trim_start_matches(|c: char| c.is_ascii_digit()),
                digits * scale,
            )
        }
        None => (s, 0),
    };
    let (s, offset) = offset(s.trim_start())?;
    if !s.trim_start().is_empty() {
        return None;
    }
    // chrono's ranges; a leap second is 59 s plus a second of nanoseconds.
    let (second, nano) = match second {
        0..=59 => (second, nano),
        60 => (59, nano + 1_000_000_000),
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        u32::try_from(month).ok()?,
        u32::try_from(day).ok()?,
    )?;
    let time = NaiveTime::from_hms_nano_opt(
        u32::try_from(hour).ok()?,
        u32::try_from(minute).ok()?,
        second as u32,
        u32::try_from(nano).ok()?,
    )?;
    let local = FixedOffset::east_opt(offset)?
        .from_local_datetime(&date.and_time(time))
        .single()?;
    Some(local.with_timezone(&Utc))
}

//! The answers as JSON text (for `JSON.parse` on the JS side), in exactly the shapes serde
//! writes for the core's types — `CheckResult`, `PublicSnapshot` — so both modules, the server
//! and the scenario files agree on every key. The tests compare with `serde_json::to_value`.

use std::fmt::Write as _;

use alor_core::{
    CheckResult, Gathering, Outcome, Promotion, PublicSnapshot, RegistrationPolicy, WaitReason,
    WaitlistOrder,
};
use chrono::{DateTime, Datelike, Timelike, Utc};

/// A JSON text being written.
#[derive(Default)]
pub struct Json(String);

impl Json {
    /// The text.
    pub fn finish(self) -> String {
        self.0
    }

    fn raw(&mut self, text: &str) -> &mut Self {
        self.0.push_str(text);
        self
    }

    /// A string, escaped.
    pub fn string(&mut self, text: &str) -> &mut Self {
        self.0.push('"');
        for c in text.chars() {
            match c {
                '"' => self.0.push_str("\\\""),
                '\\' => self.0.push_str("\\\\"),
                '\n' => self.0.push_str("\\n"),
                '\r' => self.0.push_str("\\r"),
                '\t' => self.0.push_str("\\t"),
                c if (c as u32) < 0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.0.push_str("\\u00");
                    self.0.push(HEX[(c as usize) >> 4] as char);
                    self.0.push(HEX[(c as usize) & 15] as char);
                }
                c => self.0.push(c),
            }
        }
        self.0.push('"');
        self
    }

    fn number(&mut self, n: u64) -> &mut Self {
        let _ = write!(self.0, "{n}");
        self
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, b: bool) -> &mut Self {
        self.raw(if b { "true" } else { "false" })
    }

    fn null(&mut self) -> &mut Self {
        self.raw("null")
    }

    fn optional_string(&mut self, text: Option<&str>) -> &mut Self {
        match text {
            Some(text) => self.string(text),
            None => self.null(),
        }
    }

    /// What chrono's serde impl writes (`to_rfc3339_opts(SecondsFormat::AutoSi, true)`), without
    /// pulling in chrono's formatting machinery: `2026-09-02T08:00:00Z`, a fraction only when
    /// there is one (3, 6 or 9 digits), second 60 for a leap second.
    fn instant(&mut self, at: DateTime<Utc>) -> &mut Self {
        let (year, month, day) = (at.year(), at.month(), at.day());
        let (hour, minute, mut second) = (at.hour(), at.minute(), at.second());
        let mut nano = at.nanosecond();
        if nano >= 1_000_000_000 {
            second += 1;
            nano -= 1_000_000_000;
        }
        let _ = if (0..=9999).contains(&year) {
            write!(self.0, "\"{year:04}")
        } else {
            write!(self.0, "\"{year:+05}")
        };
        let _ = write!(
            self.0,
            "-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}"
        );
        let _ = if nano == 0 {
            Ok(())
        } else if nano.is_multiple_of(1_000_000) {
            write!(self.0, ".{:03}", nano / 1_000_000)
        } else if nano.is_multiple_of(1_000) {
            write!(self.0, ".{:06}", nano / 1_000)
        } else {
            write!(self.0, ".{nano:09}")
        };
        self.raw("Z\"")
    }

    fn optional_instant(&mut self, at: Option<DateTime<Utc>>) -> &mut Self {
        match at {
            Some(at) => self.instant(at),
            None => self.null(),
        }
    }

    /// `{`, then `key` for each member, then `close`.
    pub fn open(&mut self) -> &mut Self {
        self.raw("{")
    }

    /// A member's key (with the comma before it unless it is the first).
    pub fn key(&mut self, key: &str) -> &mut Self {
        if !self.0.ends_with('{') {
            self.0.push(',');
        }
        self.string(key).raw(":")
    }

    /// `}`.
    pub fn close(&mut self) -> &mut Self {
        self.raw("}")
    }

    /// An array of objects, each written by `item`.
    pub fn array<T>(&mut self, items: &[T], mut item: impl FnMut(&mut Self, &T)) -> &mut Self {
        self.raw("[");
        for (i, value) in items.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            item(self, value);
        }
        self.raw("]")
    }
}

fn wait_reason(reason: WaitReason) -> &'static str {
    match reason {
        WaitReason::Full => "full",
        WaitReason::OrganisationCap => "organisation_cap",
        WaitReason::OthersWaiting => "others_waiting",
    }
}

/// A check's answer (`alor_core::CheckResult`).
pub fn check_result(result: &CheckResult) -> String {
    let mut j = Json::default();
    j.open()
        .key("valid")
        .boolean(result.valid)
        .key("outcome")
        .open();
    match result.outcome {
        Outcome::Seat => j.key("kind").string("seat"),
        Outcome::Waitlist { position, reason } => j
            .key("kind")
            .string("waitlist")
            .key("position")
            .number(u64::from(position))
            .key("reason")
            .string(wait_reason(reason)),
        Outcome::Refused { code } => j.key("kind").string("refused").key("code").string(code),
        Outcome::Incomplete => j.key("kind").string("incomplete"),
    };
    j.close().key("messages").array(&result.messages, |j, m| {
        j.open()
            .key("code")
            .string(m.code)
            .key("field")
            .optional_string(m.field.map(|f| f.as_str()))
            .key("problem")
            .optional_string(m.problem)
            .key("text")
            .string(&m.text)
            .close();
    });
    j.key("stale").boolean(result.stale).close();
    j.finish()
}

fn policy(j: &mut Json, p: &RegistrationPolicy) {
    j.open()
        .key("capacity")
        .number(u64::from(p.capacity))
        .key("opens_at")
        .instant(p.opens_at)
        .key("closes_at")
        .instant(p.closes_at)
        .key("cancellation_deadline")
        .instant(p.cancellation_deadline);
    if let Some(cap) = p.max_per_organisation {
        j.key("max_per_organisation").number(u64::from(cap));
    }
    j.key("waitlist").boolean(p.waitlist).key("waitlist_order");
    j.string(match p.waitlist_order {
        WaitlistOrder::JoinTime => "join_time",
        WaitlistOrder::FirstTimeFirst => "first_time_first",
        WaitlistOrder::NewOrganisationsFirst => "new_organisations_first",
    });
    j.key("promotion").open().key("mode");
    match p.promotion {
        Promotion::Automatic => j.string("automatic"),
        Promotion::Offer { hold_minutes } => j
            .string("offer")
            .key("hold_minutes")
            .number(u64::from(hold_minutes)),
    };
    j.close().close();
}

fn gathering(j: &mut Json, g: &Gathering) {
    j.open()
        .key("id")
        .string(g.id.as_str())
        .key("network")
        .string(g.network.as_str())
        .key("title")
        .string(g.title.as_str())
        .key("theme")
        .string(g.theme.as_str())
        .key("starts_at")
        .instant(g.starts_at)
        .key("ends_at")
        .instant(g.ends_at)
        .key("venue")
        .open()
        .key("name")
        .string(g.venue.name.as_str())
        .key("town")
        .string(g.venue.town.as_str())
        .close()
        .key("price")
        .number(g.price.0)
        .key("policy");
    policy(j, &g.policy);
    j.close();
}

/// A public snapshot.
pub fn snapshot(s: &PublicSnapshot) -> String {
    let mut j = Json::default();
    j.open()
        .key("schema_version")
        .number(u64::from(s.schema_version))
        .key("gathering");
    gathering(&mut j, &s.gathering);
    j.key("version")
        .number(s.version)
        .key("as_of")
        .optional_instant(s.as_of)
        .key("valid_until")
        .optional_instant(s.valid_until)
        .key("manually_closed")
        .boolean(s.manually_closed)
        .key("counted_seats")
        .number(u64::from(s.counted_seats))
        .key("waitlist")
        .number(u64::from(s.waitlist))
        .key("priority_waitlist")
        .number(u64::from(s.priority_waitlist))
        .key("eligible_waiting")
        .boolean(s.eligible_waiting)
        .key("organisations")
        .open();
    for (number, count) in &s.organisations {
        j.key(&number.to_string())
            .open()
            .key("counted")
            .number(u64::from(count.counted))
            .key("active")
            .number(u64::from(count.active))
            .close();
    }
    j.close().close();
    j.finish()
}

/// Choices for a select: `[{value, label}]`.
pub fn choices(items: &[(&str, &str)]) -> String {
    let mut j = Json::default();
    j.array(items, |j, (value, label)| {
        j.open()
            .key("value")
            .string(value)
            .key("label")
            .string(label)
            .close();
    });
    j.finish()
}

//! The serde-free reader and writer against serde: the same documents accepted with the same
//! values, the same refused, the same JSON written. Native tests (no JS needed): thousands of
//! mutated documents in well under a second.

use alor_core::demo::rogaland_autumn_season;
use alor_core::{check, Ledger, Locale, PersonDraft, Promotion, PublicSnapshot, WaitlistOrder};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::{json, Value};

use crate::{instant, read, write};

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Copy, const N: usize>(&mut self, items: &[T; N]) -> T {
        items[self.below(N)]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Public snapshots of the demo season at several points, under several policies.
fn snapshots() -> Vec<PublicSnapshot> {
    let season = rogaland_autumn_season();
    let mut out = Vec::new();
    for variant in 0..3 {
        let mut gathering = season.gathering.clone();
        match variant {
            0 => {}
            1 => {
                gathering.policy.max_per_organisation = None;
                gathering.policy.promotion = Promotion::Automatic;
                gathering.policy.waitlist_order = WaitlistOrder::NewOrganisationsFirst;
            }
            _ => gathering.policy.waitlist_order = WaitlistOrder::FirstTimeFirst,
        }
        let Ok(mut ledger) = Ledger::new(gathering) else {
            continue;
        };
        for (i, step) in season.steps.iter().enumerate() {
            let _ = ledger.execute(&step.command, step.at, None);
            if i % 40 == 0 {
                out.push(ledger.public_snapshot_at(step.at + Duration::minutes(1)));
            }
        }
        out.push(ledger.public_snapshot());
    }
    out
}

fn same<T: PartialEq + std::fmt::Debug>(
    text: &str,
    ours: Result<T, alor_core::DataError>,
    serde: Result<T, serde_json::Error>,
) {
    match (&ours, &serde) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "different values for {text}"),
        (Err(_), Err(_)) => {}
        _ => panic!(
            "disagree on {text}\n  ours:  {:?}\n  serde: {:?}",
            ours.as_ref().map(|_| "ok"),
            serde.as_ref().map(|_| "ok")
        ),
    }
}

/// Values that exercise the edges of every JSON type and of serde's integer rules.
fn oddity(rng: &mut Rng) -> Value {
    let numbers = [
        "0",
        "-0",
        "1",
        "-1",
        "1.5",
        "1.0",
        "1e2",
        "4294967295",
        "4294967296",
        "18446744073709551615",
        "18446744073709551616",
        "9007199254740993",
        "1e400",
        "-1e400",
        "1.7976931348623157e308",
    ];
    let strings = [
        "",
        " ",
        "x",
        "985198292",
        "985 198 292",
        "985198293",
        "2026-09-02T10:00:00+02:00",
        "2026-09-02t10:00:00z",
        "2026-09-02 10:00:00 UTC",
        "2026-02-30T10:00:00Z",
        "automatic",
        "offer",
        "join_time",
        "new_organisations_first",
        "nb",
        "en",
        "Ø🎉",
        "9999999999",
    ];
    match rng.below(9) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(50)),
        2 => serde_json::from_str(rng.pick(&numbers)).unwrap_or(Value::Null),
        3 => Value::String(rng.pick(&strings).to_string()),
        4 => json!([]),
        5 => json!({}),
        6 => json!({"mode": "offer", "hold_minutes": 30}),
        7 => json!({"counted": 1, "active": 2}),
        _ => json!([rng.pick(&strings).to_string(), 5]),
    }
}

/// Every path to a value inside `v`.
fn paths(v: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let children: Vec<(String, &Value)> = match v {
        Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => return,
    };
    for (key, child) in children {
        path.push(key);
        out.push(path.clone());
        paths(child, path, out);
        path.pop();
    }
}

fn at<'a>(v: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, key| match v {
        Value::Object(m) => m.get_mut(key),
        Value::Array(a) => a.get_mut(key.parse::<usize>().ok()?),
        _ => None,
    })
}

/// An object turned into serde's other struct form: its values, in the type's field order.
fn as_array(v: &Value, order: &[&str]) -> Value {
    match v {
        Value::Object(m) => Value::Array(
            order
                .iter()
                .map_while(|k| m.get(*k).cloned())
                .collect::<Vec<_>>(),
        ),
        other => other.clone(),
    }
}

/// A structural mutation of a valid document: a value replaced, removed, added, duplicated or
/// turned into the array form.
fn mutate(rng: &mut Rng, base: &Value) -> String {
    let mut doc = base.clone();
    let mut all = Vec::new();
    paths(&doc, &mut Vec::new(), &mut all);
    let rounds = 1 + rng.below(2);
    for _ in 0..rounds {
        if all.is_empty() {
            break;
        }
        let path = all[rng.below(all.len())].clone();
        let (parent, last) = path.split_at(path.len() - 1);
        let value = oddity(rng);
        let Some(parent) = at(&mut doc, parent) else {
            continue;
        };
        match (rng.below(5), parent) {
            (0, Value::Object(m)) => {
                m.remove(&last[0]);
            }
            (1, Value::Object(m)) => {
                m.insert(
                    rng.pick(&["extra", "mode", "hold_minutes", "now"])
                        .to_string(),
                    value,
                );
            }
            (2, p) => {
                let orders: [&[&str]; 4] = [
                    &[
                        "schema_version",
                        "gathering",
                        "version",
                        "as_of",
                        "valid_until",
                        "manually_closed",
                        "counted_seats",
                        "waitlist",
                        "priority_waitlist",
                        "eligible_waiting",
                        "organisations",
                    ],
                    &[
                        "id",
                        "network",
                        "title",
                        "theme",
                        "starts_at",
                        "ends_at",
                        "venue",
                        "price",
                        "policy",
                    ],
                    &[
                        "capacity",
                        "opens_at",
                        "closes_at",
                        "cancellation_deadline",
                        "max_per_organisation",
                        "waitlist",
                        "waitlist_order",
                        "promotion",
                    ],
                    &["counted", "active"],
                ];
                if let Some(child) = at(p, &last[..1]) {
                    *child = as_array(child, rng.pick(&orders));
                }
            }
            (_, p) => {
                if let Some(child) = at(p, &last[..1]) {
                    *child = value;
                }
            }
        }
    }
    let mut text = doc.to_string();
    // Text-level edits serde_json::Value cannot express: duplicate keys, escapes, syntax.
    if rng.chance(15) {
        let edits: [(&str, &str); 9] = [
            ("\"version\":", "\"version\":1,\"version\":"),
            ("\"capacity\":", "\"capacity\":1,\"capacity\":"),
            ("\"mode\":", "\"mode\":\"offer\",\"mode\":"),
            ("\"title\":\"", "\"title\":\"\\ud800"),
            ("\"title\":\"", "\"title\":\"\\ud83d\\ude00\\u00f8\\n"),
            ("\"mode\":", "\"x\":\"\\udc00\",\"mode\":"),
            ("\"mode\":", "\"x\":[[[[[[1e999]]]]]],\"mode\":"),
            (":", ": \t\r\n"),
            ("}", ",}"),
        ];
        let (from, to) = rng.pick(&edits);
        text = text.replacen(from, to, 1);
    }
    if rng.chance(10) {
        let chars: Vec<char> = text.chars().collect();
        let i = rng.below(chars.len().max(1));
        let mut out: String = chars[..i].iter().collect();
        match rng.below(3) {
            0 => {}
            1 => out.push(rng.pick(&['"', '{', '[', ',', ':', '0', '-', '\\', 'e', ' '])),
            _ => out.push_str(&chars[i..].iter().take(1).collect::<String>()),
        }
        out.extend(chars.iter().skip(i + 1));
        text = out;
    }
    text
}

#[test]
fn snapshots_read_as_serde_reads_them() {
    let snapshots = snapshots();
    assert!(snapshots.iter().any(|s| !s.organisations.is_empty()));
    let mut rng = Rng(20261203);
    let (mut ok, mut refused) = (0, 0);
    for snapshot in &snapshots {
        let text = serde_json::to_string(snapshot).unwrap();
        assert_eq!(read::snapshot(&text).as_ref(), Ok(snapshot));
    }
    // Mutations of a few of them (a debug build of serde_json is slow: keep the test quick).
    for snapshot in snapshots.iter().step_by(2) {
        let base = serde_json::to_value(snapshot).unwrap();
        for _ in 0..600 {
            let text = mutate(&mut rng, &base);
            let ours = read::snapshot(&text);
            if ours.is_ok() {
                ok += 1;
            } else {
                refused += 1;
            }
            same(&text, ours, serde_json::from_str::<PublicSnapshot>(&text));
        }
    }
    assert!(ok > 500 && refused > 500, "{ok} read, {refused} refused");
}

#[test]
fn odd_documents_read_as_serde_reads_them() {
    let snapshot = serde_json::to_value(&snapshots()[3]).unwrap();
    let policy = |p: Value| {
        let mut s = snapshot.clone();
        s["gathering"]["policy"] = p;
        s.to_string()
    };
    let base_policy = snapshot["gathering"]["policy"].clone();
    let with = |key: &str, v: Value| {
        let mut p = base_policy.clone();
        p[key] = v;
        p
    };
    let deep = format!("{}1{}", "[".repeat(130), "]".repeat(130));
    let deep_ok = format!("{}1{}", "[".repeat(120), "]".repeat(120));
    let cases = vec![
        String::new(),
        " ".into(),
        "null".into(),
        "[]".into(),
        "{}".into(),
        format!("\u{feff}{snapshot}"),
        format!("{snapshot} "),
        format!("{snapshot} x"),
        policy(with(
            "promotion",
            json!({"mode": "automatic", "x": [1, {"a": null}]}),
        )),
        policy(with(
            "promotion",
            json!({"x": 1, "mode": "offer", "hold_minutes": 5}),
        )),
        policy(with("promotion", json!({"mode": "offer"}))),
        policy(with(
            "promotion",
            json!({"mode": "offer", "hold_minutes": 5.0}),
        )),
        policy(with(
            "promotion",
            json!({"mode": "offer", "hold_minutes": -5}),
        )),
        policy(with(
            "promotion",
            json!({"mode": "automatic", "hold_minutes": "x"}),
        )),
        policy(with("promotion", json!({"mode": 0}))),
        policy(with("promotion", json!(["offer", 5]))),
        policy(with("promotion", json!(["offer", 5, 6]))),
        policy(with("promotion", json!(["offer"]))),
        policy(with("promotion", json!(["automatic"]))),
        policy(with("promotion", json!(["automatic", 1]))),
        policy(with("promotion", json!([]))),
        policy(with("waitlist_order", json!({"join_time": null}))),
        policy(with("waitlist_order", json!({"join_time": 1}))),
        policy(with(
            "waitlist_order",
            json!({"join_time": null, "x": null}),
        )),
        policy(with("waitlist_order", json!({}))),
        policy(with("max_per_organisation", Value::Null)),
        policy(with("promotion", json!({"mode": "automatic", "x": 1e300}))),
        policy(with(
            "promotion",
            json!({"mode": "automatic", "x": "\u{0}"}),
        )),
        policy(with(
            "promotion",
            serde_json::from_str(&format!("{{\"mode\":\"automatic\",\"x\":{deep}}}"))
                .unwrap_or(Value::Null),
        )),
        policy(with(
            "promotion",
            serde_json::from_str(&format!("{{\"mode\":\"automatic\",\"x\":{deep_ok}}}"))
                .unwrap_or(Value::Null),
        )),
    ];
    let mut texts = cases;
    // Deep nesting, too deep for serde_json::Value itself: as text.
    let policy_text = base_policy.to_string();
    for depth in [100, 120, 123, 124, 125, 126, 127, 200] {
        let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let p = policy_text.replacen("\"mode\":", &format!("\"x\":{nested},\"mode\":"), 1);
        texts.push(snapshot.to_string().replacen(&policy_text, &p, 1));
    }
    for text in &texts {
        same(
            text,
            read::snapshot(text),
            serde_json::from_str::<PublicSnapshot>(text),
        );
    }
}

#[test]
fn drafts_read_as_serde_reads_them() {
    let mut rng = Rng(7);
    let base = json!({"name": "Åse Ødegård", "email": "ase@lyse.example", "phone": "",
        "organisation_name": "Lyse AS", "organisation_number": "980 001 237",
        "sector": "private", "industry": "", "role": "manager"});
    let order = [
        "name",
        "email",
        "phone",
        "organisation_name",
        "organisation_number",
        "sector",
        "industry",
        "role",
    ];
    let mut texts = vec![
        "[]".to_string(),
        "[\"a\"]".into(),
        as_array(&base, &order).to_string(),
        format!("[{}]", ["\"x\""; 9].join(",")),
        "{\"unknown\": [1e999, {\"a\": \"\\udc00\"}]}".into(),
        format!("{{\"x\": {}}}", "[".repeat(300) + &"]".repeat(300)),
        "{\"name\": \"a\", \"name\": \"b\"}".into(),
        "\"text\"".into(),
    ];
    for _ in 0..3000 {
        let mut draft = base.clone();
        let key = rng.pick(&order);
        match rng.below(4) {
            0 => draft[key] = oddity(&mut rng),
            1 => {
                draft.as_object_mut().unwrap().remove(key);
            }
            2 => draft["extra"] = oddity(&mut rng),
            _ => draft = as_array(&draft, &order),
        }
        texts.push(draft.to_string());
    }
    for text in &texts {
        same(
            text,
            read::draft(text),
            serde_json::from_str::<PersonDraft>(text),
        );
    }
}

/// The options as alor-wasm read them with serde before this crate existed.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SerdeOptions {
    #[serde(default, deserialize_with = "present")]
    now: Option<DateTime<Utc>>,
    #[serde(default)]
    locale: Locale,
    #[serde(default)]
    first_time: bool,
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    DateTime::<Utc>::deserialize(d).map(Some)
}

#[test]
fn options_read_as_serde_reads_them() {
    let texts = [
        "{}",
        "[]",
        "null",
        "{\"now\": null}",
        "{\"now\": \"2026-09-02T10:00:00+02:00\", \"locale\": \"en\", \"firstTime\": true}",
        "[\"2026-09-02T10:00:00+02:00\", \"en\", true]",
        "[\"2026-09-02T10:00:00+02:00\", \"en\", true, 1]",
        "{\"locale\": {\"en\": null}}",
        "{\"locale\": \"sv\"}",
        "{\"locale\": null}",
        "{\"firstTime\": 1}",
        "{\"first_time\": true}",
        "{\"now\": \"2026-09-02\"}",
        "{\"now\": 0}",
        "\"nb\"",
    ];
    for text in texts {
        let ours = read::options(text).map(|o| SerdeOptions {
            now: o.now,
            locale: o.locale,
            first_time: o.first_time,
        });
        same(text, ours, serde_json::from_str::<SerdeOptions>(text));
    }
}

#[test]
fn instants_parse_as_chrono_parses_them() {
    let mut rng = Rng(99);
    let tokens = [
        "2026",
        "-",
        "09",
        "9",
        "02",
        "2",
        "T",
        "t",
        " ",
        "10",
        ":",
        "00",
        "60",
        "59",
        "23",
        "24",
        "Z",
        "z",
        "UTC",
        "utc",
        "+",
        "\u{2212}",
        "02:00",
        "0200",
        "02",
        ".",
        "5",
        "123456789012",
        "\u{a0}",
        "\u{2003}",
        "\n",
        "+002026",
        "-0001",
        "+99999999999999999999",
        "29",
        "30",
        "31",
        "13",
        "0",
        "x",
        "ø",
        "+23:59",
        "+24:00",
        "-23:59",
        "::",
        "262143",
        "-262144",
    ];
    let valid = [
        "2026-09-02T10:00:00+02:00",
        "2026-09-02T10:00:00.123456789Z",
        "2026-12-31T23:59:60Z",
        "2024-02-29T00:00:00-00:30",
        "+262142-12-31T23:59:59Z",
        "-0001-01-01T00:00:00Z",
    ];
    let mut texts: Vec<String> = Vec::new();
    for _ in 0..20000 {
        let text = if rng.chance(50) {
            let n = 1 + rng.below(14);
            (0..n).map(|_| rng.pick(&tokens)).collect::<String>()
        } else {
            let chars: Vec<char> = rng.pick(&valid).chars().collect::<Vec<_>>();
            let i = rng.below(chars.len());
            let mut out: String = chars[..i].iter().collect();
            if rng.chance(70) {
                out.push_str(rng.pick(&tokens));
            }
            out.extend(chars.iter().skip(i + usize::from(rng.chance(50))));
            out
        };
        texts.push(text);
    }
    texts.extend(valid.iter().map(|s| s.to_string()));
    let mut accepted = 0;
    for text in &texts {
        let chrono = text.parse::<DateTime<Utc>>().ok();
        assert_eq!(instant::parse(text), chrono, "{text:?}");
        accepted += usize::from(chrono.is_some());
    }
    assert!(accepted > 2000, "only {accepted} valid instants generated");
}

#[test]
fn written_json_is_what_serde_writes() {
    let snapshots = snapshots();
    let season = rogaland_autumn_season();
    let drafts = [
        PersonDraft::default(),
        PersonDraft {
            name: "Åse \"Ø\" \\ \u{1}\t".into(),
            email: "ase@lyse.example".into(),
            organisation_name: "Lyse AS".into(),
            organisation_number: "980 001 237".into(),
            sector: "private".into(),
            role: "manager".into(),
            ..PersonDraft::default()
        },
    ];
    let policy = &season.gathering.policy;
    let instants = [
        policy.opens_at - Duration::days(1),
        policy.opens_at + Duration::days(3),
        policy.closes_at,
        season.gathering.starts_at,
    ];
    for snapshot in &snapshots {
        let ours: Value = serde_json::from_str(&write::snapshot(snapshot)).unwrap();
        assert_eq!(ours, serde_json::to_value(snapshot).unwrap());
        for draft in &drafts {
            for now in instants {
                for (first, locale) in [(false, Locale::Nb), (true, Locale::En)] {
                    let result = check(snapshot, draft, first, now, locale);
                    let ours: Value = serde_json::from_str(&write::check_result(&result)).unwrap();
                    assert_eq!(ours, serde_json::to_value(&result).unwrap());
                }
            }
        }
    }
    let mut offer = snapshots[0].clone();
    offer.gathering.policy.promotion = Promotion::Offer { hold_minutes: 7 };
    offer.gathering.policy.max_per_organisation = Some(2);
    let ours: Value = serde_json::from_str(&write::snapshot(&offer)).unwrap();
    assert_eq!(ours, serde_json::to_value(&offer).unwrap());
}

#[test]
#[ignore = "a timing, not a test: cargo test --release -p alor-check -- --ignored"]
fn reader_speed() {
    let snapshot = snapshots()
        .into_iter()
        .max_by_key(|s| s.organisations.len())
        .unwrap();
    let text = serde_json::to_string(&snapshot).unwrap();
    let time = |f: &dyn Fn()| {
        let start = std::time::Instant::now();
        for _ in 0..2000 {
            f();
        }
        start.elapsed().as_secs_f64() / 2000.0 * 1e6
    };
    let ours = time(&|| drop(read::snapshot(&text)));
    let serde = time(&|| drop(serde_json::from_str::<PublicSnapshot>(&text)));
    println!(
        "{} bytes: ours {ours:.1} µs, serde_json {serde:.1} µs",
        text.len()
    );
}

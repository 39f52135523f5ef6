//! Participation analytics: every report against a small case computed by hand, suppression,
//! pseudonymisation, CSV errors, the HTML report, and datasets built from ledgers.

use alor_analytics::{
    AnalyticsError, CellProblem, Dataset, DatasetBuilder, Outcome, Pseudonymiser, Report,
    Suppression, Table, ALL_NETWORKS,
};
use alor_core::{Command, Ledger, Locale};
use alor_demo::{synthetic, SyntheticConfig};

const X: &str = "985198292"; // private
const Y: &str = "974376016"; // public
const Z: &str = "939971831"; // private

/// Two networks, four gatherings, five persons. In chronological order:
/// a-2020-var (10 Mar), b-2020-host (1 Sep), a-2020-host (10 Oct), a-2021-var (10 Mar 2021).
/// p1 (X, manager), p2 (Y, hr), p3 (X, hse), p4 (Z, manager), p5 (Y, akan_contact).
fn small_csv() -> String {
    let rows = [
        "a,a-2020-var,2020-03-10,3,1,p1@x.no,X,private,manager,attended,false,2020-01-05T10:00:00Z,2020-01-05T10:00:00Z",
        "a,a-2020-var,2020-03-10,3,1,p2@x.no,Y,public,hr,attended,false,2020-01-06T10:00:00Z,2020-01-06T10:00:00Z",
        "a,a-2020-var,2020-03-10,3,1,p3@x.no,X,private,hse,no_show,false,2020-01-07T10:00:00Z,2020-01-07T10:00:00Z",
        "a,a-2020-var,2020-03-10,3,1,p4@x.no,Z,private,manager,waitlisted_never_seated,true,2020-01-08T10:00:00Z,",
        "a,a-2020-host,2020-10-10,3,0,p1@x.no,X,private,manager,attended,false,2020-08-05T10:00:00Z,2020-08-05T10:00:00Z",
        "a,a-2020-host,2020-10-10,3,0,p3@x.no,X,private,hse,attended,false,2020-08-06T10:00:00Z,2020-08-06T10:00:00Z",
        "a,a-2020-host,2020-10-10,3,0,p5@x.no,Y,public,akan_contact,late_cancellation,false,2020-08-07T10:00:00Z,2020-08-07T10:00:00Z",
        "b,b-2020-host,2020-09-01,2,0,p2@x.no,Y,public,hr,attended,false,2020-06-01T10:00:00Z,2020-06-01T10:00:00Z",
        "b,b-2020-host,2020-09-01,2,0,p5@x.no,Y,public,akan_contact,attended,false,2020-06-02T10:00:00Z,2020-06-02T10:00:00Z",
        "a,a-2021-var,2021-03-10,2,2,p5@x.no,Y,public,akan_contact,attended,true,2021-01-01T10:00:00Z,2021-01-03T10:00:00Z",
        "a,a-2021-var,2021-03-10,2,2,p1@x.no,X,private,manager,attended,false,2020-12-01T10:00:00Z,2020-12-01T10:00:00Z",
        "a,a-2021-var,2021-03-10,2,2,p4@x.no,Z,private,manager,cancelled,true,2021-01-02T10:00:00Z,",
    ];
    let mut out = String::from(
        "network,gathering,date,capacity,peak_waitlist,person,organisation,sector,role,status,waitlisted,joined_at,seated_at\n",
    );
    for r in rows {
        out.push_str(
            &r.replace(",X,", &format!(",{X},"))
                .replace(",Y,", &format!(",{Y},"))
                .replace(",Z,", &format!(",{Z},")),
        );
        out.push('\n');
    }
    out
}

fn small() -> Dataset {
    Dataset::from_csv(&small_csv()).expect("the small case is valid")
}

fn off() -> Suppression {
    Suppression::off()
}

fn ids(data: &Dataset) -> Vec<String> {
    data.gatherings().map(|g| g.id.clone()).collect()
}

#[test]
fn gatherings_are_in_chronological_order_and_rows_grouped() {
    let data = small();
    assert_eq!(
        ids(&data),
        ["a-2020-var", "b-2020-host", "a-2020-host", "a-2021-var"]
    );
    assert_eq!(data.len(), 12);
    assert_eq!(data.person_count(), 5);
    assert_eq!(data.organisation_count(), 3);
    // Rows of b-2020-host come second although they were written later.
    assert_eq!(data.row(4).unwrap().gathering, "b-2020-host");
    assert_eq!(data.row(4).unwrap().person, Some("p2@x.no"));
}

#[test]
fn first_time_share_by_hand() {
    let data = small();
    let ft = data.first_time();
    let got: Vec<(u32, u32, u32)> = ft
        .iter()
        .map(|g| (g.attendees, g.first_time_network, g.first_time_national))
        .collect();
    // a-2020-var: p1, p2 both new. b-2020-host: p2 (known nationally), p5 new; both new to b.
    // a-2020-host: p1 returns, p3 first attends (a no-show is not an attendance).
    // a-2021-var: p5 new to a but known nationally, p1 returns.
    assert_eq!(got, [(2, 2, 2), (2, 2, 1), (2, 1, 1), (2, 1, 0)]);
    assert_eq!(ft[2].share_network(), Some(0.5));
    assert_eq!(ft[3].share_national(), Some(0.0));

    let table = data.first_time_table(off());
    assert_eq!(table.int("returning_network", 2), Some(1));
    assert_eq!(table.float("first_time_share_network", 0), Some(1.0));
    assert_eq!(table.text("gathering", 3), Some("a-2021-var"));
}

#[test]
fn retention_by_hand() {
    let data = small();
    let national: Vec<_> = data
        .retention(None)
        .iter()
        .map(|r| (r.cohort, r.year, r.cohort_size, r.returned))
        .collect();
    // Cohort 2020: p1, p2, p3, p5 (p4 never attended). In 2021: p1 and p5.
    assert_eq!(national, [(2020, 2021, 4, 2)]);
    let a: Vec<_> = data
        .retention(Some("a"))
        .iter()
        .map(|r| (r.cohort, r.year, r.cohort_size, r.returned))
        .collect();
    // In a: cohort 2020 is p1, p2, p3; only p1 comes back. p5's cohort in a is 2021.
    assert_eq!(a, [(2020, 2021, 3, 1)]);
    let b: Vec<_> = data
        .retention(Some("b"))
        .iter()
        .map(|r| (r.cohort_size, r.returned))
        .collect();
    assert_eq!(b, [(2, 0)]);
    assert!(data.retention(Some("nowhere")).is_empty());
    let table = data.retention_table(None, off());
    assert_eq!(table.float("retention", 0), Some(0.5));
}

#[test]
fn reach_and_new_organisations_by_hand() {
    let data = small();
    let reach: Vec<_> = data
        .reach()
        .iter()
        .map(|r| {
            (
                data.networks()[r.network as usize].clone(),
                r.year,
                r.persons,
                r.new_persons,
                r.organisations,
                r.new_organisations,
                r.new_organisations_national,
            )
        })
        .collect();
    assert_eq!(
        reach,
        [
            ("a".to_owned(), 2020, 3, 3, 2, 2, 2),
            ("a".to_owned(), 2021, 2, 1, 2, 0, 0),
            ("b".to_owned(), 2020, 2, 2, 1, 1, 1),
        ]
    );
}

#[test]
fn sector_and_role_mix_by_hand() {
    let data = small();
    let mix = data.mix();
    // a 2020: p1 (X) twice, p2 (Y), p3 (X).
    assert_eq!(mix[0].sectors, [3, 1]);
    assert_eq!(mix[0].roles[0], 2); // manager
    assert_eq!(mix[0].roles[1], 1); // hr
    assert_eq!(mix[0].roles[3], 1); // hse
    let table = data.mix_table(off());
    assert_eq!(table.rows(), 3 * 11);
    assert_eq!(table.text("category", 0), Some("private"));
    assert_eq!(table.float("share", 0), Some(0.75));
}

#[test]
fn fill_rate_waitlist_and_no_shows_by_hand() {
    let data = small();
    let t = data.gathering_table(off());
    // a-2020-var: 3 seats taken of 3 (p3 no-show holds a seat), peak 1, one waitlisted never seated.
    assert_eq!(t.int("seats_taken", 0), Some(3));
    assert_eq!(t.float("fill_rate", 0), Some(1.0));
    assert_eq!(t.float("waitlist_pressure", 0), Some(1.0 / 3.0));
    assert_eq!(t.float("no_show_rate", 0), Some(1.0 / 3.0));
    assert_eq!(t.float("seated_from_waitlist_share", 0), Some(0.0));
    assert_eq!(t.float("median_wait_hours", 0), None);
    // a-2020-host: p5 cancelled late after holding a seat: 1 of 3 ever seated.
    assert_eq!(t.float("late_cancellation_rate", 2), Some(1.0 / 3.0));
    assert_eq!(t.float("fill_rate", 2), Some(2.0 / 3.0));
    // a-2021-var: p5 waited 48 hours for a seat, p4 gave up: half the waitlisted got a seat.
    assert_eq!(t.float("median_wait_hours", 3), Some(48.0));
    assert_eq!(t.float("seated_from_waitlist_share", 3), Some(0.5));
    assert_eq!(t.float("waitlist_pressure", 3), Some(1.0));
}

#[test]
fn national_report_by_hand() {
    let data = small();
    let t = data.national_report(off());
    let rows: Vec<(String, i64)> = (0..t.rows())
        .map(|r| {
            (
                t.text("network", r).unwrap().to_owned(),
                t.int("year", r).unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, i64)> = [
        ("a", 2020),
        ("b", 2020),
        (ALL_NETWORKS, 2020),
        ("a", 2021),
        (ALL_NETWORKS, 2021),
    ]
    .iter()
    .map(|(n, y)| ((*n).to_owned(), *y))
    .collect();
    assert_eq!(rows, expected);
    // a 2020: two gatherings, 6 seats, 7 registrations, 4 attendances by 3 persons,
    // 3 first-time attendances (2 + 1) and 1 returning.
    assert_eq!(t.int("gatherings", 0), Some(2));
    assert_eq!(t.int("capacity", 0), Some(6));
    assert_eq!(t.int("registrations", 0), Some(7));
    assert_eq!(t.int("attendances", 0), Some(4));
    assert_eq!(t.int("unique_participants", 0), Some(3));
    assert_eq!(t.int("first_time", 0), Some(3));
    assert_eq!(t.int("returning", 0), Some(1));
    assert_eq!(t.float("first_time_share", 0), Some(0.75));
    assert_eq!(t.int("private_attendances", 0), Some(3));
    assert_eq!(t.float("fill_rate", 0), Some(5.0 / 6.0));
    // All networks 2020: attendances add up (4 + 2); persons are counted once nationally
    // (p1, p2, p3, p5); new organisations nationally are X and Y.
    assert_eq!(t.int("attendances", 2), Some(6));
    assert_eq!(t.int("unique_participants", 2), Some(4));
    assert_eq!(t.int("unique_organisations", 2), Some(2));
    assert_eq!(t.int("new_organisations", 2), Some(2));
    // First attendance anywhere in 2020: p1, p2 (a-2020-var), p5 (b), p3 (a-2020-host).
    assert_eq!(t.int("first_time_national", 2), Some(4));
    // Y was new in both a and b in 2020, but is one new organisation nationally.
    assert_eq!(t.int("new_organisations", 1), Some(1));
    assert_eq!(t.int("peak_waitlist", 2), Some(1));
    assert!(t.to_csv().lines().count() == 6);
    let json: serde_json::Value = serde_json::from_str(&t.to_json()).unwrap();
    assert_eq!(json["rows"][2]["network"], "all");
    assert_eq!(json["rows"][2]["attendances"], 6);
    assert!(json["min_count"].is_null());
}

// ---------------------------------------------------------------------------------------------
// Suppression

/// A valid organisation number for each `i` (first eight digits 2000000i, skipping the
/// prefixes that have no check digit).
fn org(i: usize) -> String {
    (0..)
        .map(|k| 20_000_000 + 2 * i as u32 + k)
        .find_map(|first8| {
            let digits: Vec<u32> = format!("{first8:08}")
                .bytes()
                .map(|b| u32::from(b - b'0'))
                .collect();
            alor_core::OrgNumber::check_digit(&digits).map(|c| format!("{first8:08}{c}"))
        })
        .unwrap()
}

/// Network `big` with `n_big` attendees, `small` with `n_small`, one gathering each in 2024,
/// all first-time, all private, each from their own organisation.
fn two_networks(n_big: usize, n_small: usize) -> Dataset {
    let mut csv = String::from(
        "network,gathering,date,capacity,peak_waitlist,person,organisation,sector,role,status,waitlisted,joined_at,seated_at\n",
    );
    for (net, n, offset) in [("big", n_big, 0), ("small", n_small, 1000)] {
        for i in 0..n {
            let o = org(offset + i);
            csv.push_str(&format!(
                "{net},{net}-2024,2024-10-01,40,0,{net}{i}@x.no,{o},private,manager,attended,false,2024-08-01T10:00:00Z,2024-08-01T10:00:00Z\n"
            ));
        }
    }
    Dataset::from_csv(&csv).unwrap()
}

/// Every additive group of the national report has zero or at least two hidden cells.
fn assert_no_lonely_hidden_cell(t: &Table) {
    let hidden = |c: &str, r: usize| t.int(c, r).is_none();
    for r in 0..t.rows() {
        for group in [
            &["first_time", "returning", "anonymous", "attendances"][..],
            &["private_attendances", "public_attendances", "attendances"][..],
        ] {
            let n = group.iter().filter(|c| hidden(c, r)).count();
            assert_ne!(
                n, 1,
                "row {r}: one hidden cell in {group:?} can be recovered"
            );
        }
    }
    let years: std::collections::BTreeSet<i64> =
        (0..t.rows()).filter_map(|r| t.int("year", r)).collect();
    for year in years {
        let rows: Vec<usize> = (0..t.rows())
            .filter(|&r| t.int("year", r) == Some(year))
            .collect();
        for c in [
            "registrations",
            "attendances",
            "first_time",
            "returning",
            "private_attendances",
            "seats_taken",
            "no_shows",
        ] {
            let n = rows.iter().filter(|&&r| hidden(c, r)).count();
            assert_ne!(
                n, 1,
                "year {year} column {c}: one hidden cell can be recovered from the total"
            );
        }
    }
}

#[test]
fn small_cells_are_suppressed_with_secondary_suppression_across_networks() {
    let data = two_networks(20, 3);
    let raw = data.national_report(off());
    assert_eq!(raw.int("attendances", 1), Some(3));
    assert_eq!(raw.suppressed_cells, 0);

    let t = data.national_report(Suppression::default());
    assert_eq!(t.min_count, Some(5));
    // Primary: the small network's 3 attendances.
    assert_eq!(t.int("attendances", 1), None);
    // Secondary: the big network's attendances, else 23 - 20 would reveal the 3.
    assert_eq!(t.int("attendances", 0), None);
    // The national total stays visible.
    assert_eq!(t.int("attendances", 2), Some(23));
    // Rates over a hidden count are hidden too.
    assert_eq!(t.float("first_time_share", 1), None);
    assert!(t.suppressed_cells >= 2);
    assert_no_lonely_hidden_cell(&t);
    // The CSV shows hidden cells as empty, the JSON as null.
    let json: serde_json::Value = serde_json::from_str(&t.to_json()).unwrap();
    assert!(json["rows"][1]["attendances"].is_null());
    assert_eq!(json["rows"][2]["attendances"], 23);
}

#[test]
fn nothing_is_hidden_when_every_count_is_large_enough() {
    let data = two_networks(20, 9);
    let t = data.national_report(Suppression::default());
    assert_eq!(t.int("attendances", 1), Some(9));
    assert_eq!(t.int("attendances", 0), Some(20));
    // Zero counts are not small cells (no no-shows, nothing public).
    assert_eq!(t.int("no_shows", 0), Some(0));
    assert_eq!(t.suppressed_cells, 0);
}

#[test]
fn threshold_is_configurable_but_never_below_three() {
    let data = two_networks(20, 4);
    let k3 = data.national_report(Suppression::new(3).unwrap());
    assert_eq!(k3.int("attendances", 1), Some(4));
    let k5 = data.national_report(Suppression::new(5).unwrap());
    assert_eq!(k5.int("attendances", 1), None);
    for k in [0, 1, 2] {
        let err = Suppression::new(k).unwrap_err();
        assert_eq!(err.code(), "suppression_threshold_too_low");
        assert_eq!(
            err,
            AnalyticsError::SuppressionThresholdTooLow {
                requested: k,
                minimum: 3
            }
        );
    }
}

#[test]
fn suppression_holds_on_generated_data_in_every_table() {
    let data = synthetic(&SyntheticConfig {
        networks: 4,
        years: 3,
        registrations_per_gathering: 12,
        ..SyntheticConfig::default()
    })
    .unwrap();
    let t = data.national_report(Suppression::default());
    assert!(
        t.suppressed_cells > 0,
        "small gatherings must have small cells"
    );
    assert_no_lonely_hidden_cell(&t);
    // No visible count in any table is between 1 and 4.
    for table in [
        data.national_report(Suppression::default()),
        data.first_time_table(Suppression::default()),
        data.gathering_table(Suppression::default()),
        data.mix_table(Suppression::default()),
        data.reach_table(Suppression::default()),
        data.retention_table(None, Suppression::default()),
    ] {
        for c in &table.columns {
            if let alor_analytics::Values::Int(v) = &c.values {
                if [
                    "year",
                    "cohort",
                    "years_after",
                    "capacity",
                    "peak_waitlist",
                    "gatherings",
                ]
                .contains(&c.name)
                {
                    continue;
                }
                assert!(
                    v.iter().flatten().all(|x| *x == 0 || *x >= 5),
                    "{}: {} shows a small count",
                    table.name,
                    c.name
                );
            }
        }
    }
    // Mix: sectors add up to the total in each network-year.
    let mix = data.mix_table(Suppression::default());
    for block in 0..mix.rows() / 11 {
        let rows = [block * 11, block * 11 + 1];
        let hidden = rows
            .iter()
            .filter(|&&r| mix.int("attendances", r).is_none())
            .count()
            + usize::from(mix.int("total", block * 11).is_none());
        assert_ne!(hidden, 1, "sector block {block}");
    }
}

// ---------------------------------------------------------------------------------------------
// Pseudonymisation

const KEY_A: &[u8] = b"a secret key of at least 32 bytes, kept by the analyst";
const KEY_B: &[u8] = b"another secret key of at least 32 bytes, for another export";

#[test]
fn pseudonyms_are_stable_per_key_and_differ_across_keys() {
    let a = Pseudonymiser::new(KEY_A).unwrap();
    let a2 = Pseudonymiser::new(KEY_A).unwrap();
    let b = Pseudonymiser::new(KEY_B).unwrap();
    let p = a.pseudonym("kari.nordmann@avinor.no");
    assert_eq!(p, a2.pseudonym("kari.nordmann@avinor.no"));
    assert_ne!(p, b.pseudonym("kari.nordmann@avinor.no"));
    assert_ne!(p, a.pseudonym("ola.nordmann@avinor.no"));
    assert_eq!(p.len(), 66);
    assert!(p.starts_with("p_") && p[2..].bytes().all(|c| c.is_ascii_hexdigit()));
    assert!(format!("{a:?}").find("secret").is_none());
}

#[test]
fn pseudonym_matches_hmac_sha256_reference() {
    // Computed independently with Python's standard library:
    // hmac.new(bytes([0x0b]) * 32, b"alor:person:kari@x.no", hashlib.sha256).hexdigest()
    let p = Pseudonymiser::new(&[0x0bu8; 32]).unwrap();
    assert_eq!(
        p.pseudonym("kari@x.no"),
        "p_6b832e77cee591a78ed12a3bc24dbea3b5ef67336fd021f2230f4db86750bd83"
    );
}

#[test]
fn short_or_empty_keys_are_refused() {
    for key in [&b""[..], b"short", &[7u8; 31]] {
        let err = Pseudonymiser::new(key).unwrap_err();
        assert_eq!(err.code(), "pseudonym_key_too_short");
    }
    assert!(Pseudonymiser::new(&[7u8; 32]).is_ok());
}

#[test]
fn pseudonymised_export_keeps_the_figures_and_drops_the_addresses() {
    let data = small();
    let p = Pseudonymiser::new(KEY_A).unwrap();
    let pseudo = data.pseudonymised(&p);
    let csv = pseudo.to_csv();
    for i in 1..=5 {
        assert!(
            !csv.contains(&format!("p{i}@x.no")),
            "raw key in the export"
        );
    }
    assert!(csv.contains(&p.pseudonym("p1@x.no")));
    // Same figures, and the export reads back to the same figures.
    assert_eq!(pseudo.first_time(), data.first_time());
    assert_eq!(pseudo.retention(None), data.retention(None));
    let back = Dataset::from_csv(&csv).unwrap();
    assert_eq!(back.national_report(off()), data.national_report(off()));
}

// ---------------------------------------------------------------------------------------------
// CSV

#[test]
fn csv_round_trips() {
    let data = small();
    let again = Dataset::from_csv(&data.to_csv()).unwrap();
    assert_eq!(again, data);
    // Column order is free, CRLF and a byte-order mark are fine.
    let text = small_csv();
    let mut lines: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    for l in &mut lines {
        l.swap(0, 12);
    }
    let swapped = format!(
        "\u{feff}{}\r\n",
        lines
            .iter()
            .map(|l| l.join(","))
            .collect::<Vec<_>>()
            .join("\r\n")
    );
    assert_eq!(Dataset::from_csv(&swapped).unwrap(), data);
}

#[test]
fn csv_quoting_round_trips_and_a_cut_off_quote_is_malformed() {
    // A person key with a comma, quotes and a line break is quoted, with doubled quotes.
    let text = with_line(2, |l| l.replace("p1@x.no", "\"o,\"\"k\"\"\nx\""));
    let data = Dataset::from_csv(&text).unwrap();
    assert_eq!(data.row(0).unwrap().person, Some("o,\"k\"\nx"));
    let written = data.to_csv();
    assert!(written.contains(",\"o,\"\"k\"\"\nx\","), "{written}");
    assert_eq!(Dataset::from_csv(&written).unwrap().to_csv(), written);
    // A quote opened in the last field and never closed: the row is refused, not read as if
    // the file were complete.
    let cut_off = format!("{}\"", small_csv().trim_end());
    assert_eq!(
        row_errors(&cut_off),
        [(13, String::new(), CellProblem::Malformed)]
    );
    // Blank lines are not rows; rows keep their numbers among the records.
    let blank = small_csv().replacen('\n', "\n\n", 1);
    assert_eq!(Dataset::from_csv(&blank).unwrap(), small());
}

#[test]
fn an_unknown_column_name_is_never_echoed_from_columns_either() {
    let columns: Vec<(String, Vec<Option<String>>)> = vec![
        ("network".into(), vec![Some("a".into())]),
        ("ola.nordmann@example.no".into(), vec![]),
    ];
    let err = Dataset::from_columns(&columns).unwrap_err();
    assert_eq!(
        err,
        AnalyticsError::ColumnLengthMismatch {
            column: "column 2".into(),
            found: 0,
            expected: 1
        }
    );
    assert!(!err.to_string().contains("nordmann"));
}

fn row_errors(csv: &str) -> Vec<(usize, String, CellProblem)> {
    match Dataset::from_csv(csv) {
        Err(AnalyticsError::InvalidRows { errors, .. }) => errors
            .into_iter()
            .map(|e| (e.row, e.column, e.problem))
            .collect(),
        other => panic!("expected invalid_rows, got {other:?}"),
    }
}

fn with_line(line: usize, edit: impl Fn(&str) -> String) -> String {
    small_csv()
        .lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == line { edit(l) } else { l.to_owned() })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn csv_errors_name_row_and_column_and_never_the_value() {
    let bad_org = with_line(3, |l| l.replace(Y, "974376017"));
    assert_eq!(
        row_errors(&bad_org),
        [(
            3,
            "organisation".into(),
            CellProblem::InvalidOrganisationNumber
        )]
    );

    let bad_status = with_line(5, |l| l.replace("waitlisted_never_seated", "maybe"));
    assert_eq!(
        row_errors(&bad_status),
        [(5, "status".into(), CellProblem::OutOfRange)]
    );

    let bad_date = with_line(2, |l| l.replace("2020-03-10", "10.03.2020"));
    assert_eq!(
        row_errors(&bad_date)[0],
        (2, "date".into(), CellProblem::Malformed)
    );
    let far_future = with_line(13, |l| l.replace("2021-03-10", "9021-03-10"));
    assert_eq!(
        row_errors(&far_future),
        [(13, "date".into(), CellProblem::OutOfRange)]
    );

    let no_join = with_line(4, |l| l.replace("2020-01-07T10:00:00Z,2020", ",2020"));
    assert_eq!(
        row_errors(&no_join),
        [(4, "joined_at".into(), CellProblem::Required)]
    );

    let other_capacity = with_line(3, |l| l.replace(",3,1,", ",4,1,"));
    assert_eq!(
        row_errors(&other_capacity),
        [(3, "capacity".into(), CellProblem::Inconsistent)]
    );

    let seated_missing = with_line(2, |l| l.trim_end_matches("2020-01-05T10:00:00Z").to_owned());
    assert_eq!(
        row_errors(&seated_missing),
        [(2, "seated_at".into(), CellProblem::Required)]
    );

    let short_row = with_line(6, |l| l.rsplit_once(',').unwrap().0.to_owned());
    assert_eq!(
        row_errors(&short_row),
        [(6, String::new(), CellProblem::WrongFieldCount)]
    );

    // A second attended row of p1 at a-2020-var (line 6 is a-2020-host; move it).
    let duplicate = with_line(6, |l| {
        l.replace("a-2020-host,2020-10-10,3,0", "a-2020-var,2020-03-10,3,1")
    });
    assert_eq!(
        row_errors(&duplicate),
        [(6, "person".into(), CellProblem::Duplicate)]
    );

    // An unknown header is named by its position, never by its text (it could be anything).
    let unknown_column = small_csv().replacen("seated_at", "kari@example.no", 1);
    let err = Dataset::from_csv(&unknown_column).unwrap_err();
    let errors = row_errors(&unknown_column);
    assert!(errors.contains(&(1, "column 13".into(), CellProblem::UnknownColumn)));
    assert!(errors.contains(&(1, "seated_at".into(), CellProblem::MissingColumn)));
    assert!(!err.to_string().contains("kari"), "{err}");
    assert!(
        err.to_string().contains("row 1 column 13: unknown_column"),
        "{err}"
    );

    // Several bad rows: all reported, in row order, and the message has no personal value.
    let many = with_line(2, |l| l.replace("p1@x.no", "").replace("manager", "boss"));
    let many = many.replace(",hse,", ",chef,");
    let err = Dataset::from_csv(&many).unwrap_err();
    let AnalyticsError::InvalidRows { count, errors } = &err else {
        panic!()
    };
    assert_eq!(*count, 3);
    assert_eq!(errors[0].row, 2);
    assert_eq!(errors[0].column, "role");
    assert_eq!(errors[1].row, 4);
    let message = err.to_string();
    assert!(!message.contains("@x.no") && !message.contains("boss") && !message.contains("chef"));
    assert_eq!(err.code(), "invalid_rows");
}

#[test]
fn a_year_column_is_accepted_when_it_matches_the_date() {
    let with_year = |edit: &dyn Fn(usize, &str) -> String| {
        small_csv()
            .lines()
            .enumerate()
            .map(|(i, l)| edit(i, l))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let good = with_year(&|i, l| {
        if i == 0 {
            format!("{l},year")
        } else {
            format!("{l},{}", &l.split(',').nth(2).unwrap()[..4])
        }
    });
    assert_eq!(Dataset::from_csv(&good).unwrap(), small());
    let bad = with_year(&|i, l| {
        if i == 0 {
            format!("{l},year")
        } else {
            format!("{l},1999")
        }
    });
    assert_eq!(
        row_errors(&bad)[0],
        (2, "year".into(), CellProblem::Inconsistent)
    );
}

#[test]
fn empty_person_is_an_erased_person() {
    let csv = with_line(2, |l| l.replace("p1@x.no", ""));
    let data = Dataset::from_csv(&csv).unwrap();
    let ft = data.first_time();
    // p1's first attendance is anonymous now: a-2020-var has one identified first-timer (p2),
    // and p1 at a-2020-host becomes "first time" in a.
    assert_eq!(
        (ft[0].attendees, ft[0].anonymous, ft[0].first_time_network),
        (2, 1, 1)
    );
    assert_eq!(ft[0].share_network(), Some(1.0));
    assert_eq!(ft[2].first_time_network, 2);
}

#[test]
fn columns_input_reports_rows_from_one() {
    let data = small();
    let csv = data.to_csv();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let mut columns: Vec<(String, Vec<Option<String>>)> = header
        .iter()
        .enumerate()
        .map(|(c, name)| {
            (
                (*name).to_owned(),
                rows.iter()
                    .map(|r| Some(r[c].to_owned()).filter(|v| !v.is_empty()))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(Dataset::from_columns(&columns).unwrap(), data);
    columns[7].1[4] = Some("both".into());
    match Dataset::from_columns(&columns) {
        Err(AnalyticsError::InvalidRows { errors, .. }) => {
            assert_eq!((errors[0].row, errors[0].column.as_str()), (5, "sector"));
        }
        other => panic!("{other:?}"),
    }
    columns[0].1.pop();
    assert_eq!(
        Dataset::from_columns(&columns).unwrap_err().code(),
        "column_length_mismatch"
    );
}

// ---------------------------------------------------------------------------------------------
// HTML

#[test]
fn html_report_is_self_contained_with_four_accessible_charts() {
    let data = synthetic(&SyntheticConfig {
        years: 6,
        ..SyntheticConfig::default()
    })
    .unwrap();
    for (locale, lang, title) in [
        (Locale::Nb, "nb", "Andel nye deltakere"),
        (Locale::En, "en", "First-time share"),
    ] {
        let html = data.html_report(locale, Suppression::default());
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        assert!(html.contains(title));
        for id in [
            "chart-first-time",
            "chart-fill-rate",
            "chart-waitlist",
            "chart-sector",
        ] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
            assert!(html.contains(&format!("aria-labelledby=\"{id}-title {id}-desc\"")));
            assert!(html.contains(&format!("<title id=\"{id}-title\">")));
        }
        for tag in ["svg", "figure", "table", "title", "desc", "main", "html"] {
            assert_eq!(
                html.matches(&format!("<{tag}")).count(),
                html.matches(&format!("</{tag}>")).count(),
                "<{tag}> not balanced"
            );
        }
        assert!(html.contains("<polyline"));
        assert!(html.contains("class=\"bar\""));
        // Nothing from elsewhere: no scripts, no external links (only the SVG namespace).
        assert!(!html.contains("<script"));
        assert!(!html.contains("src="));
        assert_eq!(
            html.matches("http").count(),
            html.matches("http://www.w3.org/2000/svg").count()
        );
    }
}

#[test]
fn html_escapes_network_names_and_survives_an_empty_dataset() {
    let empty = DatasetBuilder::new().finish().unwrap();
    let html = empty.html_report(Locale::En, Suppression::default());
    assert!(html.contains("No data"));
    assert_eq!(html.matches("<svg").count(), 4);
}

// ---------------------------------------------------------------------------------------------
// From ledgers

fn demo_log() -> (alor_core::EventLog, Ledger) {
    let season = alor_demo::rogaland_autumn_season();
    let mut ledger = Ledger::new(season.gathering.clone()).unwrap();
    let mut events = Vec::new();
    for step in &season.steps {
        if let Ok(mut recorded) = ledger.execute(&step.command, step.at, None) {
            events.append(&mut recorded);
        }
    }
    let log = alor_core::EventLog {
        schema_version: alor_core::SCHEMA_VERSION,
        gathering: season.gathering,
        events,
    };
    (log, ledger)
}

#[test]
fn dataset_from_an_event_log_matches_the_ledger() {
    let (log, ledger) = demo_log();
    let mut builder = DatasetBuilder::new();
    builder.add_log(&log).unwrap();
    let data = builder.finish().unwrap();
    assert_eq!(data.len(), ledger.registrations().len());
    let info = data.gatherings().next().unwrap().clone();
    assert_eq!(info.network, "rogaland");
    assert_eq!(info.capacity, ledger.capacity());
    // The exact peak waitlist from replaying the events.
    let mut replay = Ledger::new(log.gathering.clone()).unwrap();
    let mut peak = 0;
    for e in &log.events {
        replay.try_apply(e).unwrap();
        peak = peak.max(replay.waitlist_len());
    }
    assert_eq!(info.peak_waitlist as usize, peak);
    assert!(peak > 0, "the demo season has a waitlist");
    for (i, reg) in ledger.registrations().iter().enumerate() {
        let row = data.row(i).unwrap();
        assert_eq!(row.person, reg.contact.as_ref().map(|c| c.email.as_str()));
        assert_eq!(row.organisation, reg.organisation.number);
        assert_eq!(row.outcome, Outcome::of(reg));
        assert_eq!(row.joined_at, reg.joined_at);
        assert_eq!(row.seated_at, reg.seated_at);
    }
    let attended = ledger
        .registrations()
        .iter()
        .filter(|r| r.status == alor_core::Status::Attended)
        .count();
    assert_eq!(data.first_time()[0].attendees as usize, attended);

    // From the ledger's state alone: the same rows, and the same peak from the timestamps.
    let mut from_state = DatasetBuilder::new();
    from_state.add_ledger(&ledger).unwrap();
    let from_state = from_state.finish().unwrap();
    assert_eq!(from_state.first_time(), data.first_time());
    assert_eq!(
        from_state.gatherings().next().unwrap().peak_waitlist,
        info.peak_waitlist
    );
    assert_eq!(
        from_state.gathering_stats()[0].waitlisted,
        data.gathering_stats()[0].waitlisted
    );
}

#[test]
fn erased_registrations_become_anonymous_persons() {
    let (_, mut ledger) = demo_log();
    let end = ledger.gathering().ends_at + chrono::Duration::days(1);
    let id = ledger.registrations()[0].id;
    ledger
        .execute(&Command::Erase { registration: id }, end, None)
        .unwrap();
    let mut b = DatasetBuilder::new();
    b.add_ledger(&ledger).unwrap();
    let data = b.finish().unwrap();
    assert_eq!(data.row(0).unwrap().person, None);
    let p = Pseudonymiser::new(KEY_A).unwrap();
    assert!(data
        .pseudonymised(&p)
        .to_csv()
        .lines()
        .nth(1)
        .unwrap()
        .contains(",,"));
}

#[test]
fn a_log_of_another_schema_version_is_refused() {
    let (mut log, _) = demo_log();
    log.schema_version = 99;
    let err = DatasetBuilder::new().add_log(&log).unwrap_err();
    assert_eq!(err.code(), "unsupported_schema_version");
}

// ---------------------------------------------------------------------------------------------
// Synthetic data

#[test]
fn synthetic_data_is_deterministic_and_realistic() {
    let config = SyntheticConfig::default();
    let a = synthetic(&config).unwrap();
    let b = synthetic(&config).unwrap();
    assert_eq!(a, b);
    let c = synthetic(&SyntheticConfig { seed: 7, ..config }).unwrap();
    assert_ne!(a, c);
    assert_eq!(a.networks().len(), 11);
    assert_eq!(a.gatherings().len(), 11 * 20 * 2);
    // 15–30 % newcomers per gathering once networks are established (after the first year).
    let ft = a.first_time();
    let later: Vec<f64> = ft
        .iter()
        .skip(22)
        .filter_map(|g| g.share_network())
        .collect();
    let mean = later.iter().sum::<f64>() / later.len() as f64;
    assert!(
        (0.15..=0.32).contains(&mean),
        "mean first-time share {mean}"
    );
    // Waitlists in popular years, not in all.
    let with_waitlist = a.gatherings().filter(|g| g.peak_waitlist > 0).count();
    assert!(with_waitlist > 40 && with_waitlist < 400, "{with_waitlist}");
    // A long tail of organisations: the largest sends far more than the median.
    let mut per_org = vec![0u32; a.organisation_count()];
    for &o in a.columns().organisation {
        per_org[o as usize] += 1;
    }
    per_org.sort_unstable();
    let median = per_org[per_org.len() / 2];
    let top = *per_org.last().unwrap();
    assert!(top >= 10 * median.max(1), "top {top}, median {median}");
    // Seats are never given beyond capacity; waitlisted people get freed seats.
    let info: Vec<_> = a.gatherings().cloned().collect();
    let stats = a.gathering_stats();
    assert!(stats
        .iter()
        .all(|s| s.seats_taken <= info[s.gathering as usize].capacity));
    assert!(stats.iter().map(|s| s.seated_from_waitlist).sum::<u32>() > 0);
    // Generated organisation numbers are valid and none is a real one (they start with 1).
    assert!((0..a.len()).all(|i| a.row(i).unwrap().organisation.to_string().starts_with('1')));
}

#[test]
fn synthetic_options_are_checked() {
    for config in [
        SyntheticConfig {
            networks: 0,
            ..SyntheticConfig::default()
        },
        SyntheticConfig {
            years: 0,
            ..SyntheticConfig::default()
        },
        SyntheticConfig {
            gatherings_per_year: 13,
            ..SyntheticConfig::default()
        },
        SyntheticConfig {
            registrations_per_gathering: 0,
            ..SyntheticConfig::default()
        },
        SyntheticConfig {
            first_year: 2190,
            ..SyntheticConfig::default()
        },
    ] {
        assert_eq!(synthetic(&config).unwrap_err().code(), "invalid_option");
    }
    assert_eq!(
        SyntheticConfig::with_rows(10_000_000).registrations_per_gathering,
        22_727
    );
}

/// First-time counts by brute force: for each attended row, look for an earlier attended row
/// of the same person (in the same network, and anywhere).
fn first_time_reference(data: &Dataset) -> Vec<(u32, u32, u32)> {
    use std::collections::HashSet;
    let order: Vec<String> = data.gatherings().map(|g| g.id.clone()).collect();
    let mut seen_network: HashSet<(String, String)> = HashSet::new();
    let mut seen_national: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for id in &order {
        let rows: Vec<_> = (0..data.len())
            .filter_map(|i| data.row(i))
            .filter(|r| r.gathering == id && r.outcome == Outcome::Attended)
            .collect();
        let (mut ftn, mut ftnat) = (0, 0);
        for r in &rows {
            let p = r.person.unwrap().to_owned();
            ftn += u32::from(seen_network.insert((r.network.to_owned(), p.clone())));
            ftnat += u32::from(seen_national.insert(p));
        }
        out.push((rows.len() as u32, ftn, ftnat));
    }
    out
}

#[test]
fn first_time_matches_brute_force_for_few_and_many_networks() {
    // 5 networks: 16-bit masks; 20: 64-bit masks; 70: pair sets.
    for networks in [5, 20, 70] {
        let data = synthetic(&SyntheticConfig {
            networks,
            years: 3,
            registrations_per_gathering: 6,
            ..SyntheticConfig::default()
        })
        .unwrap();
        let got: Vec<_> = data
            .first_time()
            .iter()
            .map(|g| (g.attendees, g.first_time_network, g.first_time_national))
            .collect();
        assert_eq!(got, first_time_reference(&data), "{networks} networks");
        // Some people attend more than one network, so national and network counts differ.
        assert!(got.iter().any(|g| g.1 != g.2), "{networks} networks");
    }
}

// ---------------------------------------------------------------------------------------------
// The report catalogue

#[test]
fn every_report_is_named_once_and_its_table_carries_the_name() {
    let data = small();
    assert_eq!(Report::ALL.len(), Report::NAMES.len());
    for (report, name) in Report::ALL.into_iter().zip(Report::NAMES) {
        assert_eq!(report.name(), name);
        assert_eq!(Report::parse(name), Ok(report));
        assert_eq!(name.parse::<Report>(), Ok(report));
        assert_eq!(data.report(report, None, off()).name, name);
    }
    assert_eq!(
        data.report(Report::Retention, Some("b"), off()),
        data.retention_table(Some("b"), off())
    );
    assert_eq!(
        data.report(Report::Reach, Some("b"), off()),
        data.reach_table(off()),
        "only retention takes a network"
    );
    let err = Report::parse("kari@example.no").unwrap_err();
    assert_eq!(err, AnalyticsError::InvalidReport);
    assert_eq!(err.code(), "invalid_report");
    assert!(AnalyticsError::CODES.contains(&"invalid_report"));
    assert_eq!(
        err.to_string(),
        "report must be one of first_time, retention, reach, mix, gatherings, national_report"
    );
}

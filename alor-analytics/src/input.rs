//! Text cells into a dataset: the one validation of CSV and Arrow input (every column cast to
//! text), reporting each bad cell by row and column and never its value.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::dataset::{Dataset, DatasetBuilder, GatheringInfo, Outcome, RowInput, YEARS};
use super::error::{AnalyticsError, CellProblem, RowError};
use alor_core::{OrgNumber, Role, Sector, Slug};

/// The columns of the participation CSV, in the order [`Dataset::to_csv`] writes them.
pub const CSV_COLUMNS: [&str; 13] = [
    "network",
    "gathering",
    "date",
    "capacity",
    "peak_waitlist",
    "person",
    "organisation",
    "sector",
    "role",
    "status",
    "waitlisted",
    "joined_at",
    "seated_at",
];

/// Columns that may be present besides [`CSV_COLUMNS`]: derived values, checked against the
/// data (`year` must be the year of `date`). `Dataset.to_arrow()` in Python writes `year`.
pub const DERIVED_COLUMNS: [&str; 1] = ["year"];

/// Columns that may be empty.
const OPTIONAL: [&str; 2] = ["person", "seated_at"];

/// A table of text cells, column by column: what CSV parsing produces and what bindings hand
/// over from Arrow tables (every column cast to text).
pub trait TextColumns {
    /// The column names.
    fn names(&self) -> Vec<String>;
    /// The number of rows.
    fn rows(&self) -> usize;
    /// The cell at `column`, `row`; `None` or `""` for empty.
    fn cell(&self, column: usize, row: usize) -> Option<&str>;
}

/// Named columns of optional strings.
impl TextColumns for [(String, Vec<Option<String>>)] {
    fn names(&self) -> Vec<String> {
        self.iter().map(|(n, _)| n.clone()).collect()
    }
    fn rows(&self) -> usize {
        self.first().map_or(0, |(_, c)| c.len())
    }
    fn cell(&self, column: usize, row: usize) -> Option<&str> {
        self.get(column)?.1.get(row)?.as_deref()
    }
}

/// How an input column is named in errors: by its schema name when it is one, else by its
/// 1-based position (`column 3`), never by its header text, which could be anything,
/// personal data included.
fn column_label(names: &[String], index: usize) -> String {
    let name = names.get(index).map_or("", String::as_str);
    match CSV_COLUMNS
        .iter()
        .chain(DERIVED_COLUMNS.iter())
        .find(|c| **c == name)
    {
        Some(known) => (*known).to_owned(),
        None => format!("column {}", index + 1),
    }
}

pub(crate) fn invalid(errors: Vec<RowError>, count: usize) -> AnalyticsError {
    AnalyticsError::InvalidRows { count, errors }
}

impl Dataset {
    /// Builds a dataset from named text columns (every column of [`CSV_COLUMNS`], same
    /// contents as the CSV). Rows are numbered from 1. This is how Arrow tables come in from
    /// Python: each column cast to text.
    pub fn from_columns(
        columns: &[(String, Vec<Option<String>>)],
    ) -> Result<Dataset, AnalyticsError> {
        let expected = columns.first().map_or(0, |(_, c)| c.len());
        let names = columns.names();
        for (i, (_, values)) in columns.iter().enumerate() {
            if values.len() != expected {
                return Err(AnalyticsError::ColumnLengthMismatch {
                    column: column_label(&names, i),
                    found: values.len(),
                    expected,
                });
            }
        }
        from_text(columns, 1)
    }
}

fn parse_instant(text: &str) -> Result<DateTime<Utc>, CellProblem> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| CellProblem::Malformed)
}

/// Collects bad cells: every one counted, the first [`AnalyticsError::MAX_LISTED`] listed.
#[derive(Default)]
struct Sink {
    count: usize,
    errors: Vec<RowError>,
}

impl Sink {
    fn report(&mut self, row: usize, column: &str, problem: CellProblem) {
        self.count += 1;
        if self.errors.len() < AnalyticsError::MAX_LISTED {
            self.errors.push(RowError {
                row,
                column: column.to_owned(),
                problem,
            });
        }
    }

    fn check(&mut self, row: usize, column: &str, result: Result<(), CellProblem>) {
        if let Err(problem) = result {
            self.report(row, column, problem);
        }
    }

    fn into_error(self) -> AnalyticsError {
        invalid(self.errors, self.count)
    }
}

fn ok<T, E>(problem: CellProblem) -> impl Fn(Result<T, E>) -> Result<(), CellProblem> {
    move |r| r.map(|_| ()).map_err(|_| problem)
}

fn bool_of(v: &str) -> Option<bool> {
    match v {
        "true" | "True" | "TRUE" | "1" => Some(true),
        "false" | "False" | "FALSE" | "0" => Some(false),
        _ => None,
    }
}

/// The position of each of [`CSV_COLUMNS`] among `names`, or every header problem: unknown,
/// repeated and missing columns.
pub(crate) fn header_positions(
    names: &[String],
    header_row: usize,
) -> Result<(Vec<usize>, Option<usize>), AnalyticsError> {
    let mut sink = Sink::default();
    let mut position: HashMap<&str, usize> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        let known = CSV_COLUMNS
            .iter()
            .chain(DERIVED_COLUMNS.iter())
            .find(|c| **c == name.as_str());
        match known {
            Some(c) if !position.contains_key(c) => {
                position.insert(c, i);
            }
            Some(c) => sink.report(header_row, c, CellProblem::Inconsistent),
            None => sink.report(
                header_row,
                &column_label(names, i),
                CellProblem::UnknownColumn,
            ),
        }
    }
    for c in CSV_COLUMNS {
        if !position.contains_key(c) {
            sink.report(header_row, c, CellProblem::MissingColumn);
        }
    }
    if sink.count > 0 {
        return Err(sink.into_error());
    }
    let year = position.get("year").copied();
    Ok((CSV_COLUMNS.iter().map(|c| position[c]).collect(), year))
}

pub(crate) fn from_text<T: TextColumns + ?Sized>(
    source: &T,
    first_row: usize,
) -> Result<Dataset, AnalyticsError> {
    let (column_of, year_column) =
        header_positions(&source.names(), first_row.saturating_sub(1).max(1))?;
    let mut sink = Sink::default();
    let rows = source.rows();
    let mut builder = DatasetBuilder::with_capacity(rows);
    for r in 0..rows {
        let row = r + first_row;
        let before = sink.count;
        let mut cells = [None; 13];
        for (k, name) in CSV_COLUMNS.iter().enumerate() {
            let v = source
                .cell(column_of[k], r)
                .map(str::trim)
                .filter(|v| !v.is_empty());
            if v.is_none() && !OPTIONAL.contains(name) {
                sink.report(row, name, CellProblem::Required);
            }
            cells[k] = v;
        }
        let [network, gathering, date, capacity, peak, person, org, sector, role, status, waitlisted, joined, seated] =
            cells;
        let slug = ok(CellProblem::Malformed);
        if let Some(v) = network {
            sink.check(row, "network", slug(Slug::parse(v)));
        }
        if let Some(v) = gathering {
            sink.check(row, "gathering", slug(Slug::parse(v)));
        }
        let date_v = date.map(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d"));
        match &date_v {
            Some(Ok(d)) if !YEARS.contains(&chrono::Datelike::year(d)) => {
                sink.report(row, "date", CellProblem::OutOfRange);
            }
            Some(v) => sink.check(row, "date", ok(CellProblem::Malformed)(v.as_ref())),
            None => {}
        }
        let cap_v = capacity.map(str::parse::<u32>);
        if let Some(v) = &cap_v {
            sink.check(row, "capacity", ok(CellProblem::Malformed)(v.as_ref()));
        }
        let peak_v = peak.map(str::parse::<u32>);
        if let Some(v) = &peak_v {
            sink.check(row, "peak_waitlist", ok(CellProblem::Malformed)(v.as_ref()));
        }
        let org_v = org.map(OrgNumber::parse);
        if let Some(v) = &org_v {
            sink.check(
                row,
                "organisation",
                ok(CellProblem::InvalidOrganisationNumber)(v.as_ref()),
            );
        }
        let sector_v = sector.map(Sector::parse);
        if let Some(v) = &sector_v {
            sink.check(row, "sector", ok(CellProblem::OutOfRange)(v.as_ref()));
        }
        let role_v = role.map(Role::parse);
        if let Some(v) = &role_v {
            sink.check(row, "role", ok(CellProblem::OutOfRange)(v.as_ref()));
        }
        let status_v = status.map(|v| Outcome::parse(v).ok_or(()));
        if let Some(v) = &status_v {
            sink.check(row, "status", ok(CellProblem::OutOfRange)(v.as_ref()));
        }
        let wait_v = waitlisted.map(|v| bool_of(v).ok_or(()));
        if let Some(v) = &wait_v {
            sink.check(row, "waitlisted", ok(CellProblem::Malformed)(v.as_ref()));
        }
        let join_v = joined.map(parse_instant);
        if let Some(v) = &join_v {
            sink.check(row, "joined_at", v.map(|_| ()));
        }
        let seat_v = seated.map(parse_instant);
        if let Some(v) = &seat_v {
            sink.check(row, "seated_at", v.map(|_| ()));
        }
        if let (Some(c), Some(Ok(d))) = (year_column, &date_v) {
            let year = source.cell(c, r).map(str::trim).filter(|v| !v.is_empty());
            if year.and_then(|y| y.parse::<i32>().ok()) != Some(chrono::Datelike::year(d)) {
                sink.report(row, "year", CellProblem::Inconsistent);
            }
        }
        if let (Some(Ok(j)), Some(Ok(s))) = (join_v, seat_v) {
            if s < j {
                sink.report(row, "seated_at", CellProblem::OutOfRange);
            }
        }
        if let (Some(Ok(o)), None) = (status_v, seated) {
            if matches!(
                o,
                Outcome::Attended
                    | Outcome::NoShow
                    | Outcome::Confirmed
                    | Outcome::LateCancellation
                    | Outcome::Transferred
            ) {
                sink.report(row, "seated_at", CellProblem::Required);
            }
        }
        if sink.count != before {
            continue;
        }
        let (
            Some(network),
            Some(gathering),
            Some(Ok(date)),
            Some(Ok(capacity)),
            Some(Ok(peak_waitlist)),
            Some(Ok(organisation)),
            Some(Ok(sector)),
            Some(Ok(role)),
            Some(Ok(outcome)),
            Some(Ok(waitlisted)),
            Some(Ok(joined_at)),
        ) = (
            network, gathering, date_v, cap_v, peak_v, org_v, sector_v, role_v, status_v, wait_v,
            join_v,
        )
        else {
            continue;
        };
        let info = GatheringInfo {
            id: gathering.to_owned(),
            network: network.to_owned(),
            date,
            capacity,
            peak_waitlist,
        };
        let g = match builder.gathering_index(gathering) {
            Some(g) => {
                if let Some(known) = builder.gathering_info(g) {
                    let mismatch = [
                        ("network", known.network != info.network),
                        ("date", known.date != info.date),
                        ("capacity", known.capacity != info.capacity),
                        ("peak_waitlist", known.peak_waitlist != info.peak_waitlist),
                    ];
                    for (name, differs) in mismatch {
                        if differs {
                            sink.report(row, name, CellProblem::Inconsistent);
                        }
                    }
                }
                if sink.count != before {
                    continue;
                }
                g
            }
            None => match builder.add_gathering(info) {
                Ok(g) => g,
                Err(p) => {
                    sink.report(row, "gathering", p);
                    continue;
                }
            },
        };
        builder.push(&RowInput {
            gathering: g,
            person,
            organisation,
            sector,
            role,
            outcome,
            waitlisted,
            joined_at,
            seated_at: seat_v.and_then(Result::ok),
        })?;
    }
    if sink.count > 0 {
        return Err(sink.into_error());
    }
    // The builder numbers rows 1, 2, … in the order they were pushed, which is input order.
    builder.finish().map_err(|e| match e {
        AnalyticsError::InvalidRows { count, errors } => AnalyticsError::InvalidRows {
            count,
            errors: errors
                .into_iter()
                .map(|mut e| {
                    e.row += first_row - 1;
                    e
                })
                .collect(),
        },
        other => other,
    })
}

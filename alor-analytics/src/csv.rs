//! The dataset as CSV text, read and written with the `csv` crate. The cells are checked
//! where Arrow input is checked too (`input`).

use ::csv::StringRecord;
use chrono::{DateTime, SecondsFormat, Utc};

use super::dataset::{Dataset, NO_TIME};
use super::error::{AnalyticsError, CellProblem, RowError};
use super::input::{from_text, header_positions, invalid, TextColumns, CSV_COLUMNS};

/// The records of a CSV text after the header, as the `csv` crate read them.
struct CsvRecords {
    header: Vec<String>,
    records: Vec<StringRecord>,
}

impl TextColumns for CsvRecords {
    fn names(&self) -> Vec<String> {
        self.header.clone()
    }
    fn rows(&self) -> usize {
        self.records.len()
    }
    fn cell(&self, column: usize, row: usize) -> Option<&str> {
        self.records.get(row)?.get(column)
    }
}

/// Splits CSV text (RFC 4180: comma separated, `"` quoting with `""` escapes, LF or CRLF line
/// ends, an optional UTF-8 byte-order mark) into records with the `csv` crate. Blank lines
/// carry no data and are not records. Records may have any number of fields: a wrong count is
/// reported by row afterwards, never dropped.
fn read_records(text: &str) -> Result<Vec<StringRecord>, RowError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let malformed = |row: usize| RowError {
        row,
        column: String::new(),
        problem: CellProblem::Malformed,
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        // The input is UTF-8 and split only at ASCII bytes, so this is never expected; if it
        // happens it is still a row-numbered error, not a panic.
        records.push(record.map_err(|_| malformed(records.len() + 1))?);
    }
    if let Some(last) = records.last() {
        let start = usize::try_from(last.position().map_or(0, |p| p.byte())).unwrap_or(0);
        if ends_inside_quotes(text.get(start..).unwrap_or_default()) {
            return Err(malformed(records.len()));
        }
    }
    Ok(records)
}

/// Whether the raw text of the last record ends inside a quoted field. The `csv` crate closes
/// such a field at the end of the input without an error, which would read a cut-off file as
/// valid; RFC 4180 calls it malformed, and so do we. Only this one question is answered here:
/// splitting into fields is the crate's job.
fn ends_inside_quotes(raw: &str) -> bool {
    let mut bytes = raw.bytes().peekable();
    let (mut quoted, mut field_start) = (false, true);
    while let Some(b) = bytes.next() {
        if quoted {
            if b == b'"' && bytes.next_if_eq(&b'"').is_none() {
                quoted = false;
            }
            continue;
        }
        match b {
            b'"' if field_start => quoted = true,
            b',' | b'\n' | b'\r' => {
                field_start = true;
                continue;
            }
            _ => {}
        }
        field_start = false;
    }
    quoted
}

/// CSV text written with the `csv` crate: comma separated, LF line ends, a field quoted only
/// when it holds a comma, a quote or a line break (the same bytes as RFC 4180's minimal
/// quoting, which the tables' CSV has always had).
pub(crate) struct CsvText {
    writer: ::csv::Writer<Vec<u8>>,
}

impl CsvText {
    /// An empty text with room for about `bytes` bytes.
    pub(crate) fn with_capacity(bytes: usize) -> Self {
        CsvText {
            writer: ::csv::WriterBuilder::new().from_writer(Vec::with_capacity(bytes)),
        }
    }

    /// Appends one field to the current record.
    pub(crate) fn field(&mut self, value: &str) {
        // Writing into a `Vec` cannot fail: the only errors of `csv::Writer` are I/O errors.
        let written = self.writer.write_field(value);
        debug_assert!(written.is_ok());
    }

    /// Ends the current record.
    pub(crate) fn end_record(&mut self) {
        let written = self.writer.write_record(None::<&[u8]>);
        debug_assert!(written.is_ok());
    }

    /// The text. Every field was a `&str` and the writer adds only ASCII, so it is UTF-8.
    pub(crate) fn finish(self) -> String {
        let bytes = self.writer.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

impl Dataset {
    /// Reads the participation CSV.
    ///
    /// The first row is a header naming the columns (any order; every column of
    /// [`CSV_COLUMNS`] must be present and no other). One row per registration:
    ///
    /// | column | content |
    /// |---|---|
    /// | `network` | network id, a slug (`rogaland`) |
    /// | `gathering` | gathering id, a slug (`rogaland-2026-host`) |
    /// | `date` | the gathering's date, `YYYY-MM-DD` |
    /// | `capacity` | seats, a whole number (the same on every row of a gathering) |
    /// | `peak_waitlist` | the longest the waitlist was (the same on every row of a gathering) |
    /// | `person` | person key: a normalised e-mail or a pseudonym; empty for an erased person |
    /// | `organisation` | organisation number, nine digits with a valid MOD11 check digit |
    /// | `sector` | `private` or `public` |
    /// | `role` | a [`Role`](alor_core::Role) name (`manager`, `hr`, `akan_contact`, …) |
    /// | `status` | an [`Outcome`](crate::Outcome) name (`attended`, `no_show`, `late_cancellation`, …) |
    /// | `waitlisted` | `true`/`false` (or `1`/`0`): ever on the waitlist |
    /// | `joined_at` | RFC 3339 instant (`2026-09-02T09:00:00Z`) |
    /// | `seated_at` | RFC 3339 instant, empty if never seated |
    ///
    /// A `year` column may be present too (as `Dataset.to_arrow()` writes it in Python); it
    /// must be the year of `date`.
    ///
    /// Every bad cell is reported with its row (the header is row 1) and column in
    /// [`AnalyticsError::InvalidRows`]; the values themselves are never echoed. Nothing is
    /// dropped: the dataset is built only if every row is valid.
    pub fn from_csv(text: &str) -> Result<Dataset, AnalyticsError> {
        let mut records = read_records(text).map_err(|e| invalid(vec![e], 1))?;
        if records.is_empty() {
            return Err(invalid(
                vec![RowError {
                    row: 1,
                    column: CSV_COLUMNS[0].into(),
                    problem: CellProblem::MissingColumn,
                }],
                1,
            ));
        }
        let header: Vec<String> = records
            .remove(0)
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        // Header problems first: with a wrong header every row has the wrong field count.
        header_positions(&header, 1)?;
        let mut errors = Vec::new();
        let mut count = 0;
        for (i, r) in records.iter().enumerate() {
            if r.len() != header.len() {
                count += 1;
                if errors.len() < AnalyticsError::MAX_LISTED {
                    errors.push(RowError {
                        row: i + 2,
                        column: String::new(),
                        problem: CellProblem::WrongFieldCount,
                    });
                }
            }
        }
        if count > 0 {
            return Err(invalid(errors, count));
        }
        from_text(&CsvRecords { header, records }, 2)
    }

    /// Writes the dataset as CSV in the schema [`Dataset::from_csv`] reads (header first,
    /// rows in the dataset's order, LF line ends).
    pub fn to_csv(&self) -> String {
        let mut out = CsvText::with_capacity(self.len() * 120 + 200);
        for name in CSV_COLUMNS {
            out.field(name);
        }
        out.end_record();
        // The gathering's five fields and the organisation numbers repeat on many rows:
        // formatted once each.
        let gatherings: Vec<[String; 5]> = self
            .gatherings
            .iter()
            .map(|g| {
                let info = &g.info;
                [
                    info.network.clone(),
                    info.id.clone(),
                    info.date.to_string(),
                    info.capacity.to_string(),
                    info.peak_waitlist.to_string(),
                ]
            })
            .collect();
        let organisations: Vec<String> =
            self.organisations.iter().map(ToString::to_string).collect();
        for i in 0..self.len() {
            for cell in &gatherings[self.gathering[i] as usize] {
                out.field(cell);
            }
            out.field(
                self.person_keys[self.person[i] as usize]
                    .as_deref()
                    .unwrap_or_default(),
            );
            out.field(&organisations[self.organisation[i] as usize]);
            out.field(self.sector[i].as_str());
            out.field(self.role[i].as_str());
            out.field(self.outcome[i].as_str());
            out.field(if self.waitlisted[i] { "true" } else { "false" });
            out.field(&instant(self.joined_at[i]));
            if self.seated_at[i] == NO_TIME {
                out.field("");
            } else {
                out.field(&instant(self.seated_at[i]));
            }
            out.end_record();
        }
        out.finish()
    }
}

fn instant(seconds: i64) -> String {
    DateTime::<Utc>::from_timestamp(seconds, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

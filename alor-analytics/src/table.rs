//! Report tables: named, typed columns with suppressed cells as missing values; CSV and JSON.

use std::fmt::Write as _;

use serde_json::{Map, Number, Value};

use super::csv::CsvText;
use super::privacy::{suppress, Group, Suppression};

/// The values of one column. A `None` is a suppressed cell or a value that does not exist
/// (a rate over zero).
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Text (ids, dates, category names).
    Text(Vec<String>),
    /// Whole numbers (counts, years, capacities).
    Int(Vec<Option<i64>>),
    /// Fractions and other real numbers (shares between 0 and 1, hours).
    Float(Vec<Option<f64>>),
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::Text(v) => v.len(),
            Values::Int(v) => v.len(),
            Values::Float(v) => v.len(),
        }
    }
}

/// One named column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Stable snake_case name (the CSV header and JSON key).
    pub name: &'static str,
    /// The values.
    pub values: Values,
}

/// A report: a rectangular table of named columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The report's stable name (`first_time`, `national_report`, …).
    pub name: &'static str,
    /// The columns, in order.
    pub columns: Vec<Column>,
    /// How many cells were suppressed (primary and secondary, counts only).
    pub suppressed_cells: usize,
    /// The suppression threshold applied, if any.
    pub min_count: Option<u32>,
}

impl Table {
    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    /// A column by name.
    pub fn column(&self, name: &str) -> Option<&Values> {
        self.columns
            .iter()
            .find(|c| c.name == name)
            .map(|c| &c.values)
    }

    /// An integer cell (`None` if suppressed, missing, or not an integer column).
    pub fn int(&self, name: &str, row: usize) -> Option<i64> {
        match self.column(name)? {
            Values::Int(v) => v.get(row).copied().flatten(),
            _ => None,
        }
    }

    /// A real-number cell.
    pub fn float(&self, name: &str, row: usize) -> Option<f64> {
        match self.column(name)? {
            Values::Float(v) => v.get(row).copied().flatten(),
            _ => None,
        }
    }

    /// A text cell.
    pub fn text(&self, name: &str, row: usize) -> Option<&str> {
        match self.column(name)? {
            Values::Text(v) => v.get(row).map(String::as_str),
            _ => None,
        }
    }

    /// CSV with a header row; suppressed and missing cells are empty; LF line ends.
    pub fn to_csv(&self) -> String {
        let mut out = CsvText::with_capacity(64 * (self.rows() + 1) * self.columns.len());
        for c in &self.columns {
            out.field(c.name);
        }
        out.end_record();
        let mut number = String::new();
        for r in 0..self.rows() {
            for c in &self.columns {
                number.clear();
                match &c.values {
                    Values::Text(v) => {
                        out.field(&v[r]);
                        continue;
                    }
                    Values::Int(v) => {
                        if let Some(x) = v[r] {
                            let _ = write!(number, "{x}");
                        }
                    }
                    Values::Float(v) => {
                        if let Some(x) = v[r].filter(|x| x.is_finite()) {
                            let _ = write!(number, "{x}");
                        }
                    }
                }
                out.field(&number);
            }
            out.end_record();
        }
        out.finish()
    }

    /// JSON: `{"name", "min_count", "suppressed_cells", "rows": [{column: value, …}, …]}`
    /// with `null` for suppressed and missing cells.
    pub fn to_json(&self) -> String {
        let rows: Vec<Value> = (0..self.rows())
            .map(|r| {
                let mut m = Map::new();
                for c in &self.columns {
                    let v = match &c.values {
                        Values::Text(v) => Value::String(v[r].clone()),
                        Values::Int(v) => v[r].map_or(Value::Null, |x| Value::Number(x.into())),
                        Values::Float(v) => v[r]
                            .and_then(Number::from_f64)
                            .map_or(Value::Null, Value::Number),
                    };
                    m.insert(c.name.to_owned(), v);
                }
                Value::Object(m)
            })
            .collect();
        let mut top = Map::new();
        top.insert("name".into(), Value::String(self.name.into()));
        top.insert(
            "min_count".into(),
            self.min_count
                .map_or(Value::Null, |k| Value::Number(k.into())),
        );
        top.insert(
            "suppressed_cells".into(),
            Value::Number(self.suppressed_cells.into()),
        );
        top.insert("rows".into(), Value::Array(rows));
        Value::Object(top).to_string()
    }
}

/// A column while a table is being built.
enum Draft {
    Text(Vec<String>),
    Int(Vec<Option<i64>>),
    /// Counts of persons or registrations: subject to suppression.
    Count(Vec<u64>),
    /// A derived value that must be hidden when any count it is computed from is hidden.
    Derived(Vec<Option<f64>>, Vec<usize>),
}

/// Builds a [`Table`] whose count columns are suppressed together, with additive groups.
pub(crate) struct Sheet {
    name: &'static str,
    rows: usize,
    columns: Vec<(&'static str, Draft)>,
    groups: Vec<Group>,
}

impl Sheet {
    pub(crate) fn new(name: &'static str, rows: usize) -> Self {
        Sheet {
            name,
            rows,
            columns: Vec::new(),
            groups: Vec::new(),
        }
    }

    pub(crate) fn text(&mut self, name: &'static str, values: Vec<String>) -> usize {
        debug_assert_eq!(values.len(), self.rows);
        self.columns.push((name, Draft::Text(values)));
        self.columns.len() - 1
    }

    pub(crate) fn int(&mut self, name: &'static str, values: Vec<Option<i64>>) -> usize {
        debug_assert_eq!(values.len(), self.rows);
        self.columns.push((name, Draft::Int(values)));
        self.columns.len() - 1
    }

    pub(crate) fn count(&mut self, name: &'static str, values: Vec<u64>) -> usize {
        debug_assert_eq!(values.len(), self.rows);
        self.columns.push((name, Draft::Count(values)));
        self.columns.len() - 1
    }

    /// A value hidden whenever one of the counts in `depends` (column indexes) is hidden.
    pub(crate) fn derived(
        &mut self,
        name: &'static str,
        values: Vec<Option<f64>>,
        depends: Vec<usize>,
    ) -> usize {
        debug_assert_eq!(values.len(), self.rows);
        self.columns.push((name, Draft::Derived(values, depends)));
        self.columns.len() - 1
    }

    /// `numerator / denominator` of two count columns, hidden if either is.
    pub(crate) fn ratio(
        &mut self,
        name: &'static str,
        numerator: usize,
        denominator: usize,
    ) -> usize {
        let values = (0..self.rows)
            .map(|r| {
                let (n, d) = (
                    self.count_value(numerator, r),
                    self.count_value(denominator, r),
                );
                (d > 0).then(|| n as f64 / d as f64)
            })
            .collect();
        self.derived(name, values, vec![numerator, denominator])
    }

    pub(crate) fn count_value(&self, column: usize, row: usize) -> u64 {
        match &self.columns[column].1 {
            Draft::Count(v) => v[row],
            _ => 0,
        }
    }

    /// Declares that in row `row`, the count columns `members` add up to column `total`.
    pub(crate) fn row_group(&mut self, row: usize, members: &[usize], total: usize) {
        self.groups.push(Group {
            members: members.iter().map(|&c| self.cell(c, row)).collect(),
            total: self.cell(total, row),
        });
    }

    /// Declares that in column `column`, the rows `members` add up to row `total`.
    pub(crate) fn column_group(&mut self, column: usize, members: &[usize], total: usize) {
        self.groups.push(Group {
            members: members.iter().map(|&r| self.cell(column, r)).collect(),
            total: self.cell(column, total),
        });
    }

    /// Declares that the cells `members` (column, row) add up to the cell `total`.
    pub(crate) fn group(&mut self, members: &[(usize, usize)], total: (usize, usize)) {
        self.groups.push(Group {
            members: members.iter().map(|&(c, r)| self.cell(c, r)).collect(),
            total: self.cell(total.0, total.1),
        });
    }

    fn cell(&self, column: usize, row: usize) -> usize {
        column * self.rows + row
    }

    pub(crate) fn finish(self, rule: Suppression) -> Table {
        let n = self.columns.len() * self.rows;
        let mut values = vec![0u64; n];
        let mut sensitive = vec![false; n];
        for (c, (_, d)) in self.columns.iter().enumerate() {
            if let Draft::Count(v) = d {
                for (r, x) in v.iter().enumerate() {
                    values[c * self.rows + r] = *x;
                    sensitive[c * self.rows + r] = true;
                }
            }
        }
        let hidden = suppress(&values, &sensitive, &self.groups, rule);
        let rows = self.rows;
        let suppressed_cells = hidden.iter().filter(|h| **h).count();
        let columns = self
            .columns
            .into_iter()
            .enumerate()
            .map(|(c, (name, d))| {
                let values = match d {
                    Draft::Text(v) => Values::Text(v),
                    Draft::Int(v) => Values::Int(v),
                    Draft::Count(v) => Values::Int(
                        v.into_iter()
                            .enumerate()
                            .map(|(r, x)| {
                                (!hidden[c * rows + r])
                                    .then(|| i64::try_from(x).unwrap_or(i64::MAX))
                            })
                            .collect(),
                    ),
                    Draft::Derived(v, deps) => Values::Float(
                        v.into_iter()
                            .enumerate()
                            .map(|(r, x)| {
                                if deps.iter().any(|&d| hidden[d * rows + r]) {
                                    None
                                } else {
                                    x
                                }
                            })
                            .collect(),
                    ),
                };
                Column { name, values }
            })
            .collect();
        Table {
            name: self.name,
            columns,
            suppressed_cells,
            min_count: rule.min_count(),
        }
    }
}

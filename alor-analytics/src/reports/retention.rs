//! Cohort retention: of the persons first attending in one year, how many came back later.

use crate::catalogue::Report;
use crate::dataset::{Dataset, Outcome};
use crate::privacy::Suppression;
use crate::table::{Sheet, Table};

/// One cohort's return in one later year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// The year of first attendance.
    pub cohort: i32,
    /// The later year.
    pub year: i32,
    /// Persons in the cohort.
    pub cohort_size: u32,
    /// Of those, persons attending in `year`.
    pub returned: u32,
}

impl Dataset {
    fn network_index(&self, network: Option<&str>) -> Option<Option<u32>> {
        match network {
            None => Some(None),
            Some(id) => self
                .networks
                .iter()
                .position(|n| n == id)
                .map(|i| Some(i as u32)),
        }
    }

    /// network) and each later year, how many of the cohort attended. An unknown network gives
    /// an empty list. One pass sets a bit per (person, year), then one pass over persons.
    pub fn retention(&self, network: Option<&str>) -> Vec<Retention> {
        let (Some((first, last)), Some(filter)) = (self.years(), self.network_index(network))
        else {
            return Vec::new();
        };
        let span = (last - first + 1) as usize;
        let words = span.div_ceil(64);
        let persons = self.person_keys.len();
        let mut masks = vec![0u64; persons * words];
        for (g, info) in self.gatherings.iter().enumerate() {
            if filter.is_some_and(|n| n != info.network) {
                continue;
            }
            let y = (info.year - first) as usize;
            let (w, m) = (y >> 6, 1u64 << (y & 63));
            let range = self.rows_of(g);
            for (o, &p) in self.outcome[range.clone()].iter().zip(&self.person[range]) {
                if *o == Outcome::Attended {
                    masks[p as usize * words + w] |= m;
                }
            }
        }
        let mut size = vec![0u32; span];
        let mut returned = vec![0u32; span * span];
        for (p, key) in self.person_keys.iter().enumerate() {
            if key.is_none() {
                continue;
            }
            let mask = &masks[p * words..(p + 1) * words];
            let Some(cohort) = mask.iter().enumerate().find_map(|(w, &bits)| {
                (bits != 0).then(|| w * 64 + bits.trailing_zeros() as usize)
            }) else {
                continue;
            };
            size[cohort] += 1;
            for (w, &bits) in mask.iter().enumerate() {
                let mut bits = bits;
                while bits != 0 {
                    let y = w * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    if y > cohort {
                        returned[cohort * span + y] += 1;
                    }
                }
            }
        }
        let mut out = Vec::new();
        for c in 0..span {
            if size[c] == 0 {
                continue;
            }
            for y in c + 1..span {
                out.push(Retention {
                    cohort: first + c as i32,
                    year: first + y as i32,
                    cohort_size: size[c],
                    returned: returned[c * span + y],
                });
            }
        }
        out
    }

    /// Cohort retention (see [`Dataset::retention`]) as a table.
    pub fn retention_table(&self, network: Option<&str>, rule: Suppression) -> Table {
        let rows = self.retention(network);
        let mut sheet = Sheet::new(Report::Retention.name(), rows.len());
        sheet.int(
            "cohort",
            rows.iter().map(|r| Some(i64::from(r.cohort))).collect(),
        );
        sheet.int(
            "year",
            rows.iter().map(|r| Some(i64::from(r.year))).collect(),
        );
        sheet.int(
            "years_after",
            rows.iter()
                .map(|r| Some(i64::from(r.year - r.cohort)))
                .collect(),
        );
        let size = sheet.count(
            "cohort_size",
            rows.iter().map(|r| u64::from(r.cohort_size)).collect(),
        );
        let ret = sheet.count(
            "returned",
            rows.iter().map(|r| u64::from(r.returned)).collect(),
        );
        sheet.ratio("retention", ret, size);
        sheet.finish(rule)
    }
}

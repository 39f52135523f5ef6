//! Sector and role mix of attendances per network and year.

use crate::catalogue::Report;
use crate::dataset::{Dataset, Outcome};
use crate::privacy::Suppression;
use crate::table::{Sheet, Table};
use alor_core::{Role, Sector};

/// Sector and role counts of attendances in one network and year.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mix {
    /// Network index.
    pub network: u32,
    /// Year.
    pub year: i32,
    /// Attendances by [`Sector::ALL`] order.
    pub sectors: [u32; 2],
    /// Attendances by [`Role::ALL`] order.
    pub roles: [u32; 9],
}

impl Dataset {
    /// Sector and role mix of attendances per network and year.
    pub fn mix(&self) -> Vec<Mix> {
        let mut out = Vec::new();
        for ((_, year), gs) in self.network_years() {
            let mut mix = Mix {
                network: self.gatherings[gs[0]].network,
                year,
                ..Mix::default()
            };
            for g in gs {
                for r in self.rows_of(g) {
                    if self.outcome[r] == Outcome::Attended {
                        mix.sectors[self.sector[r] as usize] += 1;
                        mix.roles[self.role[r] as usize] += 1;
                    }
                }
            }
            out.push(mix);
        }
        out
    }

    /// Sector and role mix per network and year, long format: one row per category.
    pub fn mix_table(&self, rule: Suppression) -> Table {
        let mixes = self.mix();
        let mut network = Vec::new();
        let mut year = Vec::new();
        let mut dimension = Vec::new();
        let mut category = Vec::new();
        let mut count = Vec::new();
        let mut total = Vec::new();
        for m in &mixes {
            let all: u32 = m.sectors.iter().sum();
            let cats = Sector::ALL
                .iter()
                .map(|s| ("sector", s.as_str(), m.sectors[*s as usize]))
                .chain(
                    Role::ALL
                        .iter()
                        .map(|r| ("role", r.as_str(), m.roles[*r as usize])),
                );
            for (dim, cat, n) in cats {
                network.push(self.networks[m.network as usize].clone());
                year.push(Some(i64::from(m.year)));
                dimension.push(dim.to_owned());
                category.push(cat.to_owned());
                count.push(u64::from(n));
                total.push(u64::from(all));
            }
        }
        let rows = count.len();
        let mut sheet = Sheet::new(Report::Mix.name(), rows);
        sheet.text("network", network);
        sheet.int("year", year);
        sheet.text("dimension", dimension);
        sheet.text("category", category);
        let c = sheet.count("attendances", count);
        let t = sheet.count("total", total);
        sheet.ratio("share", c, t);
        // The categories of one dimension in one network-year add up to the total: every one
        // of those rows carries the same total, so the group is (categories, first row's total).
        let per = Sector::ALL.len() + Role::ALL.len();
        for m in 0..mixes.len() {
            let base = m * per;
            let sectors: Vec<usize> = (base..base + Sector::ALL.len()).collect();
            let roles: Vec<usize> = (base + Sector::ALL.len()..base + per).collect();
            let members = |rows: &[usize]| rows.iter().map(|&r| (c, r)).collect::<Vec<_>>();
            sheet.group(&members(&sectors), (t, base));
            sheet.group(&members(&roles), (t, base));
            // The total column repeats one number: hiding it in one row hides it in all.
            for r in base + 1..base + per {
                sheet.column_group(t, &[r], base);
            }
        }
        sheet.finish(rule)
    }
}

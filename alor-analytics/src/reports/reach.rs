//! Reach: persons and organisations per network and year, and how many were new.

use crate::catalogue::Report;
use crate::dataset::{Dataset, Outcome};
use crate::privacy::Suppression;
use crate::table::{Sheet, Table};

/// Reach of one network in one year.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reach {
    /// Network index.
    pub network: u32,
    /// Year.
    pub year: i32,
    /// Distinct persons attending.
    pub persons: u32,
    /// Persons attending this network for the first time.
    pub new_persons: u32,
    /// Distinct organisations attending.
    pub organisations: u32,
    /// Organisations attending this network for the first time.
    pub new_organisations: u32,
    /// Organisations attending any network for the first time (in this year).
    pub new_organisations_national: u32,
}

impl Dataset {
    /// Persons and organisations reached per network and year (attendees only).
    pub fn reach(&self) -> Vec<Reach> {
        let persons = self.person_keys.len();
        let orgs = self.organisations.len();
        // First year each organisation attended anywhere.
        let mut org_first_year = vec![i32::MAX; orgs];
        for (g, info) in self.gatherings.iter().enumerate() {
            for r in self.rows_of(g) {
                if self.outcome[r] == Outcome::Attended {
                    let o = self.organisation[r] as usize;
                    org_first_year[o] = org_first_year[o].min(info.year);
                }
            }
        }
        let mut person_stamp = vec![u32::MAX; persons];
        let mut org_stamp = vec![u32::MAX; orgs];
        let mut person_net = vec![u32::MAX; persons];
        let mut org_net = vec![u32::MAX; orgs];
        let mut out = Vec::new();
        for (stamp, ((_, year), gs)) in self.network_years().into_iter().enumerate() {
            let stamp = stamp as u32;
            let net = self.gatherings[gs[0]].network;
            let mut reach = Reach {
                network: net,
                year,
                ..Reach::default()
            };
            for g in gs {
                for r in self.rows_of(g) {
                    if self.outcome[r] != Outcome::Attended {
                        continue;
                    }
                    let p = self.person[r] as usize;
                    if person_stamp[p] != stamp {
                        person_stamp[p] = stamp;
                        reach.persons += 1;
                        if person_net[p] != net {
                            person_net[p] = net;
                            reach.new_persons += 1;
                        }
                    }
                    let o = self.organisation[r] as usize;
                    if org_stamp[o] != stamp {
                        org_stamp[o] = stamp;
                        reach.organisations += 1;
                        if org_net[o] != net {
                            org_net[o] = net;
                            reach.new_organisations += 1;
                        }
                        if org_first_year[o] == year {
                            reach.new_organisations_national += 1;
                        }
                    }
                }
            }
            out.push(reach);
        }
        out
    }

    /// Persons and organisations reached per network and year.
    pub fn reach_table(&self, rule: Suppression) -> Table {
        let rows = self.reach();
        let mut sheet = Sheet::new(Report::Reach.name(), rows.len());
        sheet.text(
            "network",
            rows.iter()
                .map(|r| self.networks[r.network as usize].clone())
                .collect(),
        );
        sheet.int(
            "year",
            rows.iter().map(|r| Some(i64::from(r.year))).collect(),
        );
        let col = |f: fn(&Reach) -> u32| rows.iter().map(|r| u64::from(f(r))).collect();
        sheet.count("persons", col(|r| r.persons));
        sheet.count("new_persons", col(|r| r.new_persons));
        sheet.count("organisations", col(|r| r.organisations));
        sheet.count("new_organisations", col(|r| r.new_organisations));
        sheet.count(
            "new_organisations_national",
            col(|r| r.new_organisations_national),
        );
        sheet.finish(rule)
    }
}

//! The reports, computed in single passes over the columns.
//!
//! Definitions (all identity-based: a person is a person key, an organisation an organisation
//! number):
//!
//! - **attendee**: a row with outcome `attended`. A person has at most one per gathering.
//! - **first time in the network**: an attendee with no attended row at an earlier gathering of
//!   the same network (gatherings ordered by date, then id). **Nationally**: at no earlier
//!   gathering of any network. Erased (anonymous) persons are neither first-time nor returning:
//!   shares are taken over identified attendees.
//! - **returning**: an identified attendee who is not first-time in the network.
//! - **cohort**: the calendar year of a person's first attendance (in the dataset, or in one
//!   network); **retention** in year `y` is the share of the cohort attending in `y`.
//! - **seats taken**: rows holding a seat at the end (attended, no-show, confirmed, offered);
//!   **fill rate** = seats taken / capacity.
//! - **waitlist pressure** = peak waitlist / capacity; **seated from the waitlist** = rows
//!   ever waitlisted that got a seat; **wait** = seat time − join time of those rows.
//! - **no-show rate** = no-shows / (attended + no-shows); **late-cancellation rate** = late
//!   cancellations / rows that ever held a seat.

use std::collections::{BTreeMap, HashSet};

use super::dataset::{Dataset, Outcome, NO_TIME};
use super::privacy::Suppression;
use super::table::{Sheet, Table};
use alor_core::{Role, Sector};

/// First-time counts of one gathering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FirstTime {
    /// Index of the gathering in [`Dataset::gatherings`] order.
    pub gathering: u32,
    /// Attendees.
    pub attendees: u32,
    /// Attendees whose identity was erased.
    pub anonymous: u32,
    /// First time in this network.
    pub first_time_network: u32,
    /// First time in any network.
    pub first_time_national: u32,
}

impl FirstTime {
    /// Identified attendees.
    pub const fn identified(&self) -> u32 {
        self.attendees - self.anonymous
    }

    /// First-time share in the network (over identified attendees), `None` without attendees.
    pub fn share_network(&self) -> Option<f64> {
        let d = self.identified();
        (d > 0).then(|| f64::from(self.first_time_network) / f64::from(d))
    }

    /// First-time share nationally.
    pub fn share_national(&self) -> Option<f64> {
        let d = self.identified();
        (d > 0).then(|| f64::from(self.first_time_national) / f64::from(d))
    }
}

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

/// Registration figures of one gathering.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GatheringStats {
    /// Gathering index.
    pub gathering: u32,
    /// Rows.
    pub registrations: u32,
    /// Rows holding a seat at the end.
    pub seats_taken: u32,
    /// Rows that ever held a seat.
    pub ever_seated: u32,
    /// Attended.
    pub attended: u32,
    /// No-shows.
    pub no_shows: u32,
    /// Cancelled in time (or from the waitlist).
    pub cancellations: u32,
    /// Late cancellations.
    pub late_cancellations: u32,
    /// Rows ever on the waitlist.
    pub waitlisted: u32,
    /// Of those, rows that got a seat.
    pub seated_from_waitlist: u32,
    /// Median wait of those, in hours.
    pub median_wait_hours: Option<f64>,
}

fn ratio(n: u32, d: u32) -> Option<f64> {
    (d > 0).then(|| f64::from(n) / f64::from(d))
}

/// A per-person set of networks as a bit mask.
trait NetworkMask: Copy {
    fn bit(network: u32) -> Self;
    fn is_empty(self) -> bool;
    fn has(self, bit: Self) -> bool;
    fn with(self, bit: Self) -> Self;
}

macro_rules! network_mask {
    ($t:ty) => {
        impl NetworkMask for $t {
            #[inline]
            fn bit(network: u32) -> Self {
                1 << network
            }
            #[inline]
            fn is_empty(self) -> bool {
                self == 0
            }
            #[inline]
            fn has(self, bit: Self) -> bool {
                self & bit != 0
            }
            #[inline]
            fn with(self, bit: Self) -> Self {
                self | bit
            }
        }
    };
}

network_mask!(u16);
network_mask!(u64);

/// A set of `(a, b)` pairs of dense indexes: a bitset when it fits in 256 MiB, else a hash set.
enum PairSet {
    Bits(Vec<u64>, usize),
    Hash(HashSet<u64>, usize),
}

impl PairSet {
    fn new(a: usize, b: usize) -> Self {
        let bits = a.saturating_mul(b);
        if bits <= 1 << 31 {
            PairSet::Bits(vec![0; bits.div_ceil(64)], b)
        } else {
            PairSet::Hash(HashSet::new(), b)
        }
    }

    /// Inserts; returns whether it was new.
    #[inline]
    fn insert(&mut self, a: usize, b: usize) -> bool {
        match self {
            PairSet::Bits(words, width) => {
                let i = a * *width + b;
                let (w, m) = (i >> 6, 1u64 << (i & 63));
                let new = words[w] & m == 0;
                words[w] |= m;
                new
            }
            PairSet::Hash(set, width) => set.insert((a * *width + b) as u64),
        }
    }
}

impl Dataset {
    fn anonymous_persons(&self) -> Vec<bool> {
        self.person_keys.iter().map(Option::is_none).collect()
    }

    fn has_anonymous(&self) -> bool {
        self.person_keys.iter().any(Option::is_none)
    }

    /// First-time counts per gathering, in chronological order: one pass over the attended
    /// rows. With up to 64 networks each person carries a bit mask of the networks attended so
    /// far (empty mask: never attended anywhere), so a row costs one memory access; with more
    /// networks a seen-bit per person and per (network, person) is used.
    pub fn first_time(&self) -> Vec<FirstTime> {
        let persons = self.person_keys.len();
        let anonymous = if self.has_anonymous() {
            Some(self.anonymous_persons())
        } else {
            None
        };
        match self.networks.len() {
            0..=16 => self.first_time_masks(vec![0u16; persons], anonymous.as_deref()),
            17..=64 => self.first_time_masks(vec![0u64; persons], anonymous.as_deref()),
            _ => self.first_time_pairs(anonymous.as_deref()),
        }
    }

    fn first_time_masks<M: NetworkMask>(
        &self,
        mut seen: Vec<M>,
        anonymous: Option<&[bool]>,
    ) -> Vec<FirstTime> {
        let mut out = Vec::with_capacity(self.gatherings.len());
        for (g, info) in self.gatherings.iter().enumerate() {
            let bit = M::bit(info.network);
            let mut ft = FirstTime {
                gathering: g as u32,
                ..FirstTime::default()
            };
            let range = self.rows_of(g);
            let outcome = &self.outcome[range.clone()];
            let person = &self.person[range];
            for (o, &p) in outcome.iter().zip(person) {
                if *o != Outcome::Attended {
                    continue;
                }
                let p = p as usize;
                ft.attendees += 1;
                if anonymous.is_some_and(|a| a[p]) {
                    ft.anonymous += 1;
                    continue;
                }
                let m = seen[p];
                ft.first_time_national += u32::from(m.is_empty());
                if !m.has(bit) {
                    ft.first_time_network += 1;
                    seen[p] = m.with(bit);
                }
            }
            out.push(ft);
        }
        out
    }

    fn first_time_pairs(&self, anonymous: Option<&[bool]>) -> Vec<FirstTime> {
        let persons = self.person_keys.len();
        let mut national = vec![0u64; persons.div_ceil(64)];
        let mut network = PairSet::new(self.networks.len(), persons);
        let mut out = Vec::with_capacity(self.gatherings.len());
        for (g, info) in self.gatherings.iter().enumerate() {
            let net = info.network as usize;
            let mut ft = FirstTime {
                gathering: g as u32,
                ..FirstTime::default()
            };
            for r in self.rows_of(g) {
                if self.outcome[r] != Outcome::Attended {
                    continue;
                }
                let p = self.person[r] as usize;
                ft.attendees += 1;
                if anonymous.is_some_and(|a| a[p]) {
                    ft.anonymous += 1;
                    continue;
                }
                let (w, m) = (p >> 6, 1u64 << (p & 63));
                if national[w] & m == 0 {
                    national[w] |= m;
                    ft.first_time_national += 1;
                }
                if network.insert(net, p) {
                    ft.first_time_network += 1;
                }
            }
            out.push(ft);
        }
        out
    }

    /// The first and last year with a gathering.
    pub fn years(&self) -> Option<(i32, i32)> {
        let first = self.gatherings.iter().map(|g| g.year).min()?;
        let last = self.gatherings.iter().map(|g| g.year).max()?;
        Some((first, last))
    }

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

    /// Cohort retention: for each cohort (year of first attendance, nationally or in one
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

    /// Gatherings grouped by (network, year), networks in id order, years ascending.
    fn network_years(&self) -> BTreeMap<(&str, i32), Vec<usize>> {
        let mut groups: BTreeMap<(&str, i32), Vec<usize>> = BTreeMap::new();
        for (g, info) in self.gatherings.iter().enumerate() {
            groups
                .entry((self.networks[info.network as usize].as_str(), info.year))
                .or_default()
                .push(g);
        }
        groups
    }

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

    /// Registration figures per gathering, in chronological order.
    pub fn gathering_stats(&self) -> Vec<GatheringStats> {
        let mut waits: Vec<i64> = Vec::new();
        (0..self.gatherings.len())
            .map(|g| {
                let mut s = GatheringStats {
                    gathering: g as u32,
                    ..GatheringStats::default()
                };
                waits.clear();
                for r in self.rows_of(g) {
                    let o = self.outcome[r];
                    s.registrations += 1;
                    s.seats_taken += u32::from(o.holds_seat());
                    let seated = self.seated_at[r] != NO_TIME;
                    s.ever_seated += u32::from(seated);
                    match o {
                        Outcome::Attended => s.attended += 1,
                        Outcome::NoShow => s.no_shows += 1,
                        Outcome::Cancelled => s.cancellations += 1,
                        Outcome::LateCancellation => s.late_cancellations += 1,
                        _ => {}
                    }
                    if self.waitlisted[r] {
                        s.waitlisted += 1;
                        if seated {
                            s.seated_from_waitlist += 1;
                            waits.push(self.seated_at[r] - self.joined_at[r]);
                        }
                    }
                }
                s.median_wait_hours = median(&mut waits).map(|secs| secs / 3600.0);
                s
            })
            .collect()
    }
}

/// The median (mean of the two middle values for an even count).
fn median(values: &mut [i64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mid = n / 2;
    let (_, &mut upper, _) = values.select_nth_unstable(mid);
    if n % 2 == 1 {
        return Some(upper as f64);
    }
    let lower = *values[..mid].iter().max().unwrap_or(&upper);
    Some((lower as f64 + upper as f64) / 2.0)
}

/// The report tables. Each takes the suppression rule; counts of persons and registrations are
/// suppressed, keys, years, capacities and peak waitlists are not.
impl Dataset {
    fn gathering_keys(&self, sheet: &mut Sheet, gatherings: &[u32]) {
        let info = |g: &u32| &self.gatherings[*g as usize].info;
        sheet.text(
            "network",
            gatherings.iter().map(|g| info(g).network.clone()).collect(),
        );
        sheet.text(
            "gathering",
            gatherings.iter().map(|g| info(g).id.clone()).collect(),
        );
        sheet.text(
            "date",
            gatherings
                .iter()
                .map(|g| info(g).date.to_string())
                .collect(),
        );
        sheet.int(
            "year",
            gatherings
                .iter()
                .map(|g| Some(i64::from(self.gatherings[*g as usize].year)))
                .collect(),
        );
    }

    /// First-time share per gathering (in the network and nationally) and returning attendees.
    pub fn first_time_table(&self, rule: Suppression) -> Table {
        let rows = self.first_time();
        let mut sheet = Sheet::new("first_time", rows.len());
        let gs: Vec<u32> = rows.iter().map(|r| r.gathering).collect();
        self.gathering_keys(&mut sheet, &gs);
        let col = |f: fn(&FirstTime) -> u32| rows.iter().map(|r| u64::from(f(r))).collect();
        let attendees = sheet.count("attendees", col(|r| r.attendees));
        let ftn = sheet.count("first_time_network", col(|r| r.first_time_network));
        let returning = sheet.count(
            "returning_network",
            col(|r| r.identified() - r.first_time_network),
        );
        let anonymous = sheet.count("anonymous", col(|r| r.anonymous));
        let ftnat = sheet.count("first_time_national", col(|r| r.first_time_national));
        let identified: Vec<Option<f64>> = rows.iter().map(FirstTime::share_network).collect();
        sheet.derived(
            "first_time_share_network",
            identified,
            vec![ftn, returning, anonymous, attendees],
        );
        let national: Vec<Option<f64>> = rows.iter().map(FirstTime::share_national).collect();
        sheet.derived(
            "first_time_share_national",
            national,
            vec![ftnat, anonymous, attendees],
        );
        for r in 0..rows.len() {
            sheet.row_group(r, &[ftn, returning, anonymous], attendees);
        }
        sheet.finish(rule)
    }

    /// Cohort retention (see [`Dataset::retention`]) as a table.
    pub fn retention_table(&self, network: Option<&str>, rule: Suppression) -> Table {
        let rows = self.retention(network);
        let mut sheet = Sheet::new("retention", rows.len());
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

    /// Persons and organisations reached per network and year.
    pub fn reach_table(&self, rule: Suppression) -> Table {
        let rows = self.reach();
        let mut sheet = Sheet::new("reach", rows.len());
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
        let mut sheet = Sheet::new("mix", rows);
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

    /// Fill rate, waitlist pressure, no-show and late-cancellation rates per gathering.
    pub fn gathering_table(&self, rule: Suppression) -> Table {
        let stats = self.gathering_stats();
        let mut sheet = Sheet::new("gatherings", stats.len());
        let gs: Vec<u32> = stats.iter().map(|s| s.gathering).collect();
        self.gathering_keys(&mut sheet, &gs);
        let info = |s: &GatheringStats| &self.gatherings[s.gathering as usize].info;
        sheet.int(
            "capacity",
            stats
                .iter()
                .map(|s| Some(i64::from(info(s).capacity)))
                .collect(),
        );
        sheet.int(
            "peak_waitlist",
            stats
                .iter()
                .map(|s| Some(i64::from(info(s).peak_waitlist)))
                .collect(),
        );
        let col = |f: fn(&GatheringStats) -> u32| stats.iter().map(|s| u64::from(f(s))).collect();
        sheet.count("registrations", col(|s| s.registrations));
        let taken = sheet.count("seats_taken", col(|s| s.seats_taken));
        let attended = sheet.count("attended", col(|s| s.attended));
        let no_shows = sheet.count("no_shows", col(|s| s.no_shows));
        let seated = sheet.count("ever_seated", col(|s| s.ever_seated));
        sheet.count("cancellations", col(|s| s.cancellations));
        let late = sheet.count("late_cancellations", col(|s| s.late_cancellations));
        let waitlisted = sheet.count("waitlisted", col(|s| s.waitlisted));
        let from_wait = sheet.count("seated_from_waitlist", col(|s| s.seated_from_waitlist));
        sheet.derived(
            "fill_rate",
            stats
                .iter()
                .map(|s| ratio(s.seats_taken, info(s).capacity))
                .collect(),
            vec![taken],
        );
        sheet.derived(
            "waitlist_pressure",
            stats
                .iter()
                .map(|s| ratio(info(s).peak_waitlist, info(s).capacity))
                .collect(),
            vec![],
        );
        sheet.ratio("seated_from_waitlist_share", from_wait, waitlisted);
        sheet.derived(
            "median_wait_hours",
            stats.iter().map(|s| s.median_wait_hours).collect(),
            vec![from_wait],
        );
        sheet.derived(
            "no_show_rate",
            stats
                .iter()
                .map(|s| ratio(s.no_shows, s.attended + s.no_shows))
                .collect(),
            vec![no_shows, attended],
        );
        sheet.ratio("late_cancellation_rate", late, seated);
        sheet.finish(rule)
    }
}

//! A deterministic generator of realistic participation data, for examples, tests and
//! benchmarks. The same configuration always gives the same dataset, on every platform: the
//! generator uses its own fixed-seed PRNG (SplitMix64), never the operating system's randomness.
//!
//! The model: each network holds `gatherings_per_year` gatherings a year (spring in March to
//! May, autumn in September to November). Demand varies by network and year; in *popular*
//! years (about one in three) capacity is set below demand, so a waitlist forms and
//! cancellations are filled from it. Each gathering has 15–30 % newcomers to the network (a
//! tenth of them known from another network); the others are returning participants drawn
//! from the network's recent attendees. Organisations are reached by preferential attachment,
//! which gives the long tail seen in practice: a few large organisations (a municipality, an
//! oil company) send many people, most send one or two. About 8 % of seats are cancelled (a
//! third of those late), 8 % of seated people do not show up.
//!
//! Person keys look like `person-0000123@syntetisk.invalid` (the reserved `.invalid` domain);
//! organisation numbers start with 1 (no real organisation has such a number) and carry a valid
//! MOD11 check digit.

use chrono::NaiveDate;

use alor_analytics::{AnalyticsError, Dataset, DatasetBuilder, GatheringInfo, Outcome, NO_TIME};
use alor_core::{OrgNumber, Role, Sector};

use crate::rng::SplitMix64;

/// The networks used for the first eleven generated networks.
pub const NETWORK_NAMES: [&str; 11] = [
    "rogaland",
    "haugesund",
    "bergen",
    "alesund",
    "kristiansund",
    "trondheim",
    "molde",
    "oslo",
    "kristiansand",
    "tonsberg",
    "verdal",
];

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticConfig {
    /// The PRNG seed.
    pub seed: u64,
    /// Number of networks (1 to 1000).
    pub networks: u32,
    /// The first year (all years within [`alor_analytics::YEARS`]).
    pub first_year: i32,
    /// Number of years (1 to 200).
    pub years: u32,
    /// Gatherings per network per year (1 to 12).
    pub gatherings_per_year: u32,
    /// Average registrations per gathering (1 to 10 million).
    pub registrations_per_gathering: u32,
}

impl Default for SyntheticConfig {
    /// 11 networks × 20 years (2006–2025) × 2 gatherings of about 75 registrations.
    fn default() -> Self {
        SyntheticConfig {
            seed: 2006,
            networks: 11,
            first_year: 2006,
            years: 20,
            gatherings_per_year: 2,
            registrations_per_gathering: 75,
        }
    }
}

impl SyntheticConfig {
    /// The default shape scaled to about `rows` registrations in total.
    pub fn with_rows(rows: u64) -> Self {
        let base = SyntheticConfig::default();
        let gatherings =
            u64::from(base.networks) * u64::from(base.years) * u64::from(base.gatherings_per_year);
        SyntheticConfig {
            registrations_per_gathering: u32::try_from((rows / gatherings).max(1))
                .unwrap_or(u32::MAX),
            ..base
        }
    }
}

/// The synthetic data's draws: the demo's one generator, with a seed of the configuration's.
struct Rng(SplitMix64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(SplitMix64::new(seed ^ 0x5851_f42d_4c95_7f2d))
    }

    #[inline]
    fn unit(&mut self) -> f64 {
        self.0.unit()
    }

    #[inline]
    fn below(&mut self, n: usize) -> usize {
        self.0.scaled_below(n)
    }

    #[inline]
    fn chance(&mut self, p: f64) -> bool {
        self.0.chance(p)
    }
}

const ROLE_WEIGHTS: [(Role, u32); 9] = [
    (Role::Manager, 30),
    (Role::Hr, 18),
    (Role::OccupationalHealth, 14),
    (Role::Hse, 10),
    (Role::AkanContact, 10),
    (Role::SafetyRepresentative, 7),
    (Role::UnionRepresentative, 6),
    (Role::Colleague, 3),
    (Role::Other, 2),
];

fn pick_role(rng: &mut Rng) -> Role {
    let total: u32 = ROLE_WEIGHTS.iter().map(|w| w.1).sum();
    let mut x = rng.below(total as usize) as u32;
    for (role, w) in ROLE_WEIGHTS {
        if x < w {
            return role;
        }
        x -= w;
    }
    Role::Other
}

struct People {
    role: Vec<Role>,
    organisation: Vec<u32>,
    org_numbers: Vec<OrgNumber>,
    org_sector: Vec<Sector>,
    next_org_prefix: u32,
}

impl People {
    fn new_org(&mut self, rng: &mut Rng) -> u32 {
        loop {
            let first8 = self.next_org_prefix;
            self.next_org_prefix += 1;
            let digits: Vec<u32> = (0..8).rev().map(|i| first8 / 10u32.pow(i) % 10).collect();
            if let Some(check) = OrgNumber::check_digit(&digits) {
                if let Ok(n) = OrgNumber::parse(&format!("{first8:08}{check}")) {
                    self.org_numbers.push(n);
                    self.org_sector.push(if rng.chance(0.55) {
                        Sector::Private
                    } else {
                        Sector::Public
                    });
                    return (self.org_numbers.len() - 1) as u32;
                }
            }
        }
    }

    fn new_person(&mut self, rng: &mut Rng, pool: &[u32]) -> u32 {
        // Preferential attachment: join the organisation of someone already in the network.
        let org = if !pool.is_empty() && rng.chance(0.72) {
            self.organisation[pool[rng.below(pool.len())] as usize]
        } else {
            self.new_org(rng)
        };
        self.role.push(pick_role(rng));
        self.organisation.push(org);
        (self.role.len() - 1) as u32
    }
}

fn check(ok: bool, option: &'static str) -> Result<(), AnalyticsError> {
    if ok {
        Ok(())
    } else {
        Err(AnalyticsError::InvalidOption { option })
    }
}

/// Generates a dataset. Rows come out already in gathering order, so building it needs no sort.
// Parallel per-registration arrays read more clearly with one index than with zipped iterators.
#[allow(clippy::needless_range_loop)]
pub fn synthetic(config: &SyntheticConfig) -> Result<Dataset, AnalyticsError> {
    check((1..=1000).contains(&config.networks), "networks")?;
    check((1..=200).contains(&config.years), "years")?;
    check(
        (1..=12).contains(&config.gatherings_per_year),
        "gatherings_per_year",
    )?;
    check(
        (1..=10_000_000).contains(&config.registrations_per_gathering),
        "registrations_per_gathering",
    )?;
    check(
        alor_analytics::YEARS.contains(&config.first_year)
            && alor_analytics::YEARS.contains(&(config.first_year + config.years as i32 - 1)),
        "first_year",
    )?;
    let mut rng = Rng::new(config.seed);
    let networks: Vec<String> = (0..config.networks as usize)
        .map(|i| match NETWORK_NAMES.get(i) {
            Some(n) => (*n).to_owned(),
            None => format!("network-{:03}", i + 1),
        })
        .collect();
    let popularity: Vec<f64> = networks.iter().map(|_| 0.7 + 0.6 * rng.unit()).collect();
    // Gatherings: dates spread over spring (Mar–May) and autumn (Sep–Nov).
    let per_year = config.gatherings_per_year as usize;
    let mut plan: Vec<(NaiveDate, String, usize, f64, bool)> = Vec::new();
    for y in 0..config.years as i32 {
        let year = config.first_year + y;
        let year_factor = 0.85 + 0.3 * rng.unit();
        for (n, name) in networks.iter().enumerate() {
            let popular = rng.chance(0.33);
            for k in 0..per_year {
                // Month slots spread evenly through the year, avoiding summer and Christmas.
                let months = [3u32, 4, 5, 9, 10, 11];
                let slot = k * months.len() / per_year;
                let month = months[slot.min(months.len() - 1)];
                let day = 1 + rng.below(28) as u32;
                let date = NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN);
                let season = if month < 7 { "var" } else { "host" };
                let id = if per_year == 2 {
                    format!("{name}-{year}-{season}")
                } else {
                    format!("{name}-{year}-{}", k + 1)
                };
                plan.push((date, id, n, popularity[n] * year_factor, popular));
            }
        }
    }
    plan.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let base = f64::from(config.registrations_per_gathering);
    let expected_rows = (base * plan.len() as f64) as usize;
    let mut builder = DatasetBuilder::with_capacity(expected_rows + expected_rows / 8);
    let mut people = People {
        role: Vec::new(),
        organisation: Vec::new(),
        org_numbers: Vec::new(),
        org_sector: Vec::new(),
        next_org_prefix: 10_000_000,
    };
    let mut pools: Vec<Vec<u32>> = vec![Vec::new(); networks.len()];
    let mut everyone: Vec<u32> = Vec::new();
    let mut stamp: Vec<u32> = Vec::new();
    let mut chosen: Vec<u32> = Vec::new();
    let mut joins: Vec<i64> = Vec::new();
    let mut seats: Vec<i64> = Vec::new();
    let mut outcomes: Vec<Outcome> = Vec::new();
    for (g, (date, id, net, factor, popular)) in plan.iter().enumerate() {
        let demand = ((base * factor * (0.9 + 0.2 * rng.unit())).round() as usize).max(1);
        let capacity = if *popular {
            ((demand as f64 / (1.1 + 0.15 * rng.unit())).round() as usize).max(1)
        } else {
            (demand as f64 * (1.05 + 0.2 * rng.unit())).round() as usize
        };
        let newcomer_share = 0.15 + 0.15 * rng.unit();
        // Choose the people signing up, each at most once per gathering.
        chosen.clear();
        let window = (base as usize * 6).max(50);
        for _ in 0..demand {
            let pool = &pools[*net];
            let mut person = None;
            if !pool.is_empty() && !rng.chance(newcomer_share) {
                for _ in 0..8 {
                    let recent = pool.len().min(window);
                    let p = pool[pool.len() - 1 - rng.below(recent)];
                    if stamp[p as usize] != g as u32 {
                        person = Some(p);
                        break;
                    }
                }
            } else if !everyone.is_empty() && rng.chance(0.1) {
                let p = everyone[everyone.len() - 1 - rng.below(everyone.len().min(window * 4))];
                if stamp[p as usize] != g as u32 {
                    person = Some(p);
                }
            }
            let p = match person {
                Some(p) => p,
                None => {
                    let p = people.new_person(&mut rng, &pools[*net]);
                    stamp.push(u32::MAX);
                    p
                }
            };
            stamp[p as usize] = g as u32;
            chosen.push(p);
        }
        // Join times through a 90-day window ending ten days before the gathering.
        let start = date
            .and_hms_opt(7, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .timestamp();
        let opens = start - 100 * 86_400;
        let span = 90 * 86_400;
        joins.clear();
        let step = span / (demand as i64 + 1);
        let mut t = opens;
        for _ in 0..demand {
            t += 1 + (rng.unit() * 2.0 * step as f64) as i64;
            joins.push(t.min(opens + span));
        }
        // Seat the first `capacity`; the rest wait. Cancellations pass seats down the line.
        seats.clear();
        outcomes.clear();
        let seated_now = capacity.min(demand);
        let mut next_waiting = seated_now;
        for i in 0..demand {
            seats.push(if i < seated_now { joins[i] } else { NO_TIME });
            outcomes.push(Outcome::WaitlistedNeverSeated);
        }
        let deadline = start - 7 * 86_400;
        for i in 0..demand {
            if seats[i] == NO_TIME {
                continue;
            }
            if rng.chance(0.08) {
                let late = rng.chance(0.33);
                let when = if late {
                    deadline + (rng.unit() * 6.0 * 86_400.0) as i64
                } else {
                    seats[i] + ((deadline - seats[i]).max(1) as f64 * rng.unit()) as i64
                };
                outcomes[i] = if late {
                    Outcome::LateCancellation
                } else {
                    Outcome::Cancelled
                };
                if next_waiting < demand {
                    let w = next_waiting;
                    next_waiting += 1;
                    seats[w] = when.max(joins[w]) + rng.below(3600) as i64;
                }
            } else if rng.chance(0.01) {
                outcomes[i] = Outcome::Transferred;
            } else {
                outcomes[i] = if rng.chance(0.92) {
                    Outcome::Attended
                } else {
                    Outcome::NoShow
                };
            }
        }
        // People promoted from the waitlist got their outcome in the loop above (they come
        // after the seat they took); of those never seated, some give up and cancel.
        for i in seated_now..demand {
            if seats[i] == NO_TIME && rng.chance(0.2) {
                outcomes[i] = Outcome::Cancelled;
            }
        }
        let info = GatheringInfo {
            id: id.clone(),
            network: networks[*net].clone(),
            date: *date,
            capacity: capacity as u32,
            peak_waitlist: demand.saturating_sub(seated_now) as u32,
        };
        let gi = builder
            .add_gathering(info)
            .map_err(|_| AnalyticsError::InvalidOption { option: "seed" })?;
        for i in 0..demand {
            let p = chosen[i];
            let org = people.organisation[p as usize];
            builder.push_raw(
                gi,
                p,
                org,
                people.org_sector[org as usize],
                people.role[p as usize],
                outcomes[i],
                i >= seated_now,
                joins[i],
                seats[i],
            );
            if outcomes[i] == Outcome::Attended {
                pools[*net].push(p);
                everyone.push(p);
            }
        }
        if builder.len() >= u32::MAX as usize - 10_000_000 {
            return Err(AnalyticsError::TooLarge {
                what: "rows",
                limit: u64::from(u32::MAX) - 10_000_000,
            });
        }
    }
    let keys = (0..people.role.len())
        .map(|p| Some(format!("person-{p:07}@syntetisk.invalid")))
        .collect();
    builder.set_dictionaries(keys, people.org_numbers);
    builder.finish()
}

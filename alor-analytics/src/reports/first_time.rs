//! First-time attendance per gathering, in the network and nationally.

use std::collections::HashSet;

use crate::catalogue::Report;
use crate::dataset::{Dataset, Outcome};
use crate::privacy::Suppression;
use crate::table::{Sheet, Table};

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

    /// First-time share per gathering (in the network and nationally) and returning attendees.
    pub fn first_time_table(&self, rule: Suppression) -> Table {
        let rows = self.first_time();
        let mut sheet = Sheet::new(Report::FirstTime.name(), rows.len());
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
}

//! Waitlist positions in O(log n), so that a page can show one on every check.
//!
//! The waitlist is served by class (priority first), then join time, then id. Ids are given in
//! the order sign-ups arrive and time never goes backwards in a ledger, so within a class the
//! serving order is the id order. A person's place is then the number of waitlisted people with
//! a lower id in their class (plus the whole priority class, for the others): two Fenwick trees
//! (binary indexed trees) over the ids, one per class, answer that in O(log n) and grow by one
//! slot per registration. Written by hand because `std` has no order statistics and alor-core
//! takes no dependencies beyond serde, serde_json, chrono, chrono-tz and thiserror; a Fenwick
//! tree over ids is a flat `Vec<u32>`, so it costs a sign-up or a cancellation far less than a
//! balanced tree of keys would (a treap of keys, tried first, made an uncapped promotion at 100 000 about 1.5–2.5× dearer).
//!
//! A snapshot whose join times do not rise with the ids (not one a ledger writes, but one that
//! loads) breaks the premise; [`Positions::in_id_order`] notes it, and positions are then counted
//! in the waitlist, linearly, but right.

use chrono::{DateTime, Utc};

use super::registration::WaitKey;

/// A Fenwick tree over `a[1..=n]`: prefix sums and point updates in O(log n), appending in
/// O(log n).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Fenwick {
    /// `tree[i - 1]` holds the sum of `a[i - lowbit(i) + 1 ..= i]`.
    tree: Vec<u32>,
}

fn lowbit(i: usize) -> usize {
    i & i.wrapping_neg()
}

impl Fenwick {
    /// Appends `a[n + 1] = value`.
    pub(super) fn push(&mut self, value: u32) {
        // The new slot covers `a[i - lowbit(i) + 1 ..= i]`: its value plus the slots that
        // cover the rest, found by one walk down from `i - 1`.
        let i = self.tree.len() + 1;
        let (mut sum, mut j, stop) = (value, i - 1, i - lowbit(i));
        while j > stop {
            sum += self.tree[j - 1];
            j -= lowbit(j);
        }
        self.tree.push(sum);
    }

    /// `a[i] += 1` or `a[i] -= 1` (1-based).
    pub(super) fn step(&mut self, mut i: usize, up: bool) {
        while i <= self.tree.len() {
            let slot = &mut self.tree[i - 1];
            *slot = if up { *slot + 1 } else { *slot - 1 };
            i += lowbit(i);
        }
    }

    /// `a[1] + … + a[i]`.
    pub(super) fn prefix(&self, mut i: usize) -> u32 {
        let mut sum = 0;
        while i > 0 {
            sum += self.tree[i - 1];
            i -= lowbit(i);
        }
        sum
    }
}

/// The waitlisted, counted by id within each class.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Positions {
    /// Index 0: the priority class; 1: the others. `a[id]` is 1 while `id` is waitlisted.
    classes: [Fenwick; 2],
    /// Whether every registration joined no earlier than those with lower ids.
    in_id_order: bool,
    /// The latest join time so far.
    latest: Option<DateTime<Utc>>,
}

impl Positions {
    pub(super) fn new() -> Self {
        Positions {
            in_id_order: true,
            ..Positions::default()
        }
    }

    /// Makes room for the next registration (ids are dense: 1, 2, 3, …).
    pub(super) fn grow(&mut self, joined_at: DateTime<Utc>) {
        self.in_id_order &= self.latest.is_none_or(|latest| latest <= joined_at);
        self.latest = self.latest.max(Some(joined_at));
        self.classes[0].push(0);
        self.classes[1].push(0);
    }

    /// Counts `key` in (`up`) or out of the waitlist.
    pub(super) fn step(&mut self, key: WaitKey, up: bool) {
        self.classes[usize::from(!key.priority())].step(key.id().0 as usize, up);
    }

    /// Whether positions can be counted by id (see the module's documentation).
    pub(super) fn in_id_order(&self) -> bool {
        self.in_id_order
    }

    /// How many waitlisted people are served before `key`, if [`Positions::in_id_order`].
    pub(super) fn before(&self, key: WaitKey) -> usize {
        let id = key.id().0 as usize;
        let ahead = if key.priority() {
            self.classes[0].prefix(id - 1)
        } else {
            self.classes[0].prefix(self.classes[0].tree.len()) + self.classes[1].prefix(id - 1)
        };
        ahead as usize
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::ledger::RegistrationId;

    #[test]
    fn prefix_sums_match_a_plain_array_through_appends_and_steps() {
        let (mut tree, mut plain) = (Fenwick::default(), Vec::new());
        let mut state = 0x9e37_79b9_u64;
        for _ in 0..5_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let r = (state >> 33) as usize;
            if r % 3 == 0 || plain.is_empty() {
                let value = (r % 4) as u32;
                tree.push(value);
                plain.push(value);
            } else {
                let i = r % plain.len();
                let up = plain[i] == 0 || r % 2 == 0;
                tree.step(i + 1, up);
                plain[i] = if up { plain[i] + 1 } else { plain[i] - 1 };
            }
            let i = r % (plain.len() + 1);
            assert_eq!(tree.prefix(i), plain[..i].iter().sum::<u32>());
        }
    }

    #[test]
    fn places_match_the_waitlist_order() {
        let start = Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap();
        let (mut positions, mut waitlist) = (Positions::new(), BTreeSet::new());
        let mut keys = Vec::new();
        for id in 1..=2_000u32 {
            // Several sign-ups share an instant; every seventh is in the priority class.
            let at = start + Duration::seconds(i64::from(id / 3));
            let key = WaitKey::new(id % 7 == 0, at, RegistrationId(id));
            positions.grow(at);
            keys.push(key);
            if id % 5 != 0 {
                positions.step(key, true);
                waitlist.insert(key);
            }
            if id % 11 == 0 {
                let leaving = keys[(id as usize * 7) % keys.len()];
                if waitlist.remove(&leaving) {
                    positions.step(leaving, false);
                }
            }
        }
        assert!(positions.in_id_order());
        for key in waitlist.iter().step_by(13) {
            assert_eq!(positions.before(*key), waitlist.range(..*key).count());
        }
    }

    #[test]
    fn a_join_time_earlier_than_a_lower_id_s_is_noticed() {
        let start = Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap();
        let mut positions = Positions::new();
        positions.grow(start);
        positions.grow(start);
        assert!(positions.in_id_order());
        positions.grow(start - Duration::seconds(1));
        assert!(!positions.in_id_order());
    }
}

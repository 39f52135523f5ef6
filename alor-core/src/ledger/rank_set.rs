//! An order-statistic set of waitlist keys: how many keys sort before a given one, in O(log n),
//! so that [`Ledger::waitlist_position`](super::Ledger::waitlist_position) does not count.
//!
//! Written by hand because `std`'s B-tree has no rank query and alor-core takes no dependencies
//! beyond serde, serde_json, chrono, chrono-tz and thiserror. A treap (a binary search tree that
//! is also a heap on one priority per key) with subtree sizes is the smallest structure that
//! answers it. The priority is a hash of the key, not a random draw, so the core stays
//! deterministic; the hash mixes all 128 bits, so the expected depth is O(log n) for any keys.
//! Nodes live in one vector (indices, not boxes), and freed slots are reused.

use super::registration::WaitKey;

const NIL: u32 = u32::MAX;

#[derive(Debug, Clone)]
struct Node {
    key: WaitKey,
    priority: u64,
    /// Keys in the subtree rooted here, this one included.
    size: u32,
    left: u32,
    right: u32,
}

/// A set of waitlist keys that knows each key's rank.
#[derive(Debug, Clone)]
pub(super) struct RankSet {
    nodes: Vec<Node>,
    free: Vec<u32>,
    root: u32,
}

impl Default for RankSet {
    fn default() -> Self {
        RankSet {
            nodes: Vec::new(),
            free: Vec::new(),
            root: NIL,
        }
    }
}

/// splitmix64's finaliser: a fixed, well-spread hash.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn priority(key: WaitKey) -> u64 {
    let bits = key.bits();
    mix(bits as u64 ^ mix((bits >> 64) as u64))
}

impl RankSet {
    /// How many keys are in the set.
    pub(super) fn len(&self) -> usize {
        self.size(self.root) as usize
    }

    /// How many keys in the set sort before `key`.
    pub(super) fn rank(&self, key: WaitKey) -> usize {
        let (mut t, mut before) = (self.root, 0);
        while t != NIL {
            let node = &self.nodes[t as usize];
            if node.key < key {
                before += self.size(node.left) as usize + 1;
                t = node.right;
            } else {
                t = node.left;
            }
        }
        before
    }

    /// Whether `key` is in the set.
    pub(super) fn contains(&self, key: WaitKey) -> bool {
        let mut t = self.root;
        while t != NIL {
            let node = &self.nodes[t as usize];
            if key == node.key {
                return true;
            }
            t = if key < node.key {
                node.left
            } else {
                node.right
            };
        }
        false
    }

    /// Adds `key`, which must be absent (the index knows: it inserts into its `BTreeSet` first),
    /// so that a sign-up costs one descent, not two.
    pub(super) fn insert(&mut self, key: WaitKey) {
        debug_assert!(!self.contains(key));
        let node = Node {
            key,
            priority: priority(key),
            size: 1,
            left: NIL,
            right: NIL,
        };
        let n = match self.free.pop() {
            Some(slot) => {
                self.nodes[slot as usize] = node;
                slot
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        };
        self.root = self.insert_into(self.root, n);
    }

    /// Removes `key`, which must be present (as for [`RankSet::insert`]).
    pub(super) fn remove(&mut self, key: WaitKey) {
        debug_assert!(self.contains(key));
        self.root = self.remove_from(self.root, key);
    }

    /// The keys in order (for equality, which must not depend on the tree's history).
    fn keys(&self) -> impl Iterator<Item = WaitKey> + '_ {
        let mut stack = Vec::new();
        let mut t = self.root;
        std::iter::from_fn(move || {
            while t != NIL {
                stack.push(t);
                t = self.nodes[t as usize].left;
            }
            let top = stack.pop()?;
            t = self.nodes[top as usize].right;
            Some(self.nodes[top as usize].key)
        })
    }

    fn size(&self, t: u32) -> u32 {
        if t == NIL {
            0
        } else {
            self.nodes[t as usize].size
        }
    }

    fn update(&mut self, t: u32) {
        let node = &self.nodes[t as usize];
        let size = self.size(node.left) + self.size(node.right) + 1;
        self.nodes[t as usize].size = size;
    }

    /// Splits the subtree at `t` into the keys below `key` and the rest.
    fn split(&mut self, t: u32, key: WaitKey) -> (u32, u32) {
        if t == NIL {
            return (NIL, NIL);
        }
        let node = &self.nodes[t as usize];
        if node.key < key {
            let (low, high) = self.split(node.right, key);
            self.nodes[t as usize].right = low;
            self.update(t);
            (t, high)
        } else {
            let (low, high) = self.split(node.left, key);
            self.nodes[t as usize].left = high;
            self.update(t);
            (low, t)
        }
    }

    /// Joins two subtrees, every key of `low` below every key of `high`.
    fn merge(&mut self, low: u32, high: u32) -> u32 {
        if low == NIL {
            return high;
        }
        if high == NIL {
            return low;
        }
        if self.nodes[low as usize].priority > self.nodes[high as usize].priority {
            let right = self.merge(self.nodes[low as usize].right, high);
            self.nodes[low as usize].right = right;
            self.update(low);
            low
        } else {
            let left = self.merge(low, self.nodes[high as usize].left);
            self.nodes[high as usize].left = left;
            self.update(high);
            high
        }
    }

    /// Inserts node `n` (not yet in the tree, its key absent) into the subtree at `t`.
    fn insert_into(&mut self, t: u32, n: u32) -> u32 {
        if t == NIL {
            return n;
        }
        let key = self.nodes[n as usize].key;
        if self.nodes[n as usize].priority > self.nodes[t as usize].priority {
            let (low, high) = self.split(t, key);
            let node = &mut self.nodes[n as usize];
            node.left = low;
            node.right = high;
            self.update(n);
            return n;
        }
        if key < self.nodes[t as usize].key {
            let left = self.insert_into(self.nodes[t as usize].left, n);
            self.nodes[t as usize].left = left;
        } else {
            let right = self.insert_into(self.nodes[t as usize].right, n);
            self.nodes[t as usize].right = right;
        }
        self.nodes[t as usize].size += 1;
        t
    }

    /// Removes `key` (present) from the subtree at `t`.
    fn remove_from(&mut self, t: u32, key: WaitKey) -> u32 {
        let node = &self.nodes[t as usize];
        if key == node.key {
            let joined = self.merge(node.left, node.right);
            self.free.push(t);
            return joined;
        }
        if key < node.key {
            let left = self.remove_from(node.left, key);
            self.nodes[t as usize].left = left;
        } else {
            let right = self.remove_from(node.right, key);
            self.nodes[t as usize].right = right;
        }
        self.nodes[t as usize].size -= 1;
        t
    }
}

/// Two sets are equal when they hold the same keys, whatever order they were inserted in.
impl PartialEq for RankSet {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.keys().eq(other.keys())
    }
}

impl Eq for RankSet {}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::ledger::RegistrationId;

    fn key(n: u64) -> WaitKey {
        let at = Utc.timestamp_opt((n % 97) as i64 * 60, 0).unwrap();
        WaitKey::new(n % 7 == 0, at, RegistrationId((n % 5_000) as u32 + 1))
    }

    fn depth(set: &RankSet, t: u32) -> usize {
        if t == NIL {
            0
        } else {
            let node = &set.nodes[t as usize];
            1 + depth(set, node.left).max(depth(set, node.right))
        }
    }

    #[test]
    fn ranks_match_a_sorted_set_through_random_inserts_and_removals() {
        let (mut set, mut model) = (RankSet::default(), BTreeSet::new());
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for step in 0..20_000 {
            state = mix(state);
            let k = key(state % 6_000);
            if state % 3 == 0 {
                if model.remove(&k) {
                    set.remove(k);
                }
            } else if model.insert(k) {
                set.insert(k);
            }
            assert_eq!(set.len(), model.len());
            if step % 97 == 0 {
                for probe in model.iter().step_by(37) {
                    assert_eq!(set.rank(*probe), model.range(..*probe).count());
                    assert!(set.contains(*probe));
                }
                let absent = key(state % 6_000 + 1);
                assert_eq!(set.rank(absent), model.range(..absent).count());
            }
        }
        assert!(set.keys().eq(model.iter().copied()));
    }

    #[test]
    fn stays_shallow_on_keys_inserted_in_order() {
        let mut set = RankSet::default();
        let at = Utc.timestamp_opt(0, 0).unwrap();
        for id in 1..=100_000 {
            set.insert(WaitKey::new(false, at, RegistrationId(id)));
        }
        // A balanced tree of 100 000 keys is 17 deep; a treap's expected depth is about 2.5×.
        assert!(
            depth(&set, set.root) < 60,
            "depth {}",
            depth(&set, set.root)
        );
        assert_eq!(
            set.rank(WaitKey::new(false, at, RegistrationId(50_001))),
            50_000
        );
    }

    #[test]
    fn equality_ignores_history() {
        let (mut a, mut b) = (RankSet::default(), RankSet::default());
        let keys: BTreeSet<WaitKey> = (0..600).map(key).collect();
        let first: Vec<WaitKey> = keys.iter().copied().take(500).collect();
        for k in &first {
            a.insert(*k);
        }
        for k in keys.iter().rev() {
            b.insert(*k);
        }
        for k in keys.iter().skip(500) {
            b.remove(*k);
        }
        assert_eq!(a, b);
        b.remove(first[3]);
        assert_ne!(a, b);
    }
}

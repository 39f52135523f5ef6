//! The index of active registrations by e-mail (normalised): who is signed up already.
//!
//! It used to be a `BTreeMap<Email, RegistrationId>`: every lookup compared e-mail strings about
//! twenty times (each a pointer chase to a cold heap string once the map is large), and every
//! entry kept its own copy of the address. It now keys each entry by a fixed 64-bit hash of the
//! address and confirms a hit against the registration's own e-mail, so the index holds no
//! strings and a lookup compares at most one string per registration sharing the hash. Distinct
//! addresses with equal hashes are told apart by that comparison, so a collision costs time,
//! never correctness.

use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};

use super::{Registration, RegistrationId};
use crate::model::Email;

/// The hash of a normalised e-mail address. `DefaultHasher::new()` is SipHash with a fixed
/// (zero) key: the same on every run, so the ledger stays deterministic. The value never leaves
/// the process (it is not stored or serialised), so it may change with the Rust version.
pub(super) fn email_hash(email: &Email) -> u64 {
    let mut hasher = DefaultHasher::new();
    email.as_str().hash(&mut hasher);
    hasher.finish()
}

/// Active registrations by e-mail.
///
/// For each hash, the active registrations whose e-mail has it: the lowest id in `first`, any
/// others (only after a hash collision) in `others`. Keeping the lowest id first makes the
/// contents canonical, so an index kept up to date equals one rebuilt from scratch. `first`'s
/// entries are 16 bytes, which keeps the table small for the cache.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct EmailIndex {
    first: HashMap<u64, RegistrationId, BuildHasherDefault<Prehashed>>,
    others: BTreeSet<(u64, RegistrationId)>,
}

impl EmailIndex {
    /// The active registration of the person with this e-mail (whose hash is `hash`), looked up
    /// among `registrations` (the ledger's, in id order).
    pub(super) fn get(
        &self,
        hash: u64,
        email: &Email,
        registrations: &[Registration],
    ) -> Option<RegistrationId> {
        let first = *self.first.get(&hash)?;
        let has_email = |id: &RegistrationId| {
            (id.0 as usize)
                .checked_sub(1)
                .and_then(|i| registrations.get(i))
                .and_then(|r| r.contact.as_ref())
                .is_some_and(|c| c.email == *email)
        };
        if has_email(&first) {
            return Some(first);
        }
        collided(&self.others, hash).find(has_email)
    }

    /// Records `id` as an active registration of the person whose e-mail has this hash. The
    /// caller has checked that the person has no other active registration.
    pub(super) fn insert(&mut self, hash: u64, id: RegistrationId) {
        match self.first.entry(hash) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(id);
            }
            std::collections::hash_map::Entry::Occupied(mut slot) => {
                let lowest = slot.get_mut();
                let other = if id < *lowest {
                    std::mem::replace(lowest, id)
                } else {
                    id
                };
                self.others.insert((hash, other));
            }
        }
    }

    /// Removes `id`, an active registration whose e-mail has this hash.
    pub(super) fn remove(&mut self, hash: u64, id: RegistrationId) {
        let std::collections::hash_map::Entry::Occupied(mut slot) = self.first.entry(hash) else {
            return;
        };
        if *slot.get() != id {
            self.others.remove(&(hash, id));
            return;
        }
        let next = collided(&self.others, hash).next();
        match next {
            None => {
                slot.remove();
            }
            Some(next) => {
                self.others.remove(&(hash, next));
                *slot.get_mut() = next;
            }
        }
    }
}

/// The ids after the first with this hash, in order.
fn collided(
    others: &BTreeSet<(u64, RegistrationId)>,
    hash: u64,
) -> impl Iterator<Item = RegistrationId> + '_ {
    others
        .range((hash, RegistrationId(0))..=(hash, RegistrationId(u32::MAX)))
        .map(|(_, id)| *id)
}

/// The keys are already SipHash values: the map uses them as they are instead of hashing again.
#[derive(Debug, Clone, Copy, Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys are hashed with this hasher; fold anything else in anyway.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Label, OrgNumber, Organisation, Person, PersonName, Role, Sector};

    fn registration(id: u32, email: &str) -> Registration {
        let person = Person {
            name: PersonName::parse("Kari Nordmann").unwrap(),
            email: Email::parse(email).unwrap(),
            phone: None,
            organisation: Organisation {
                name: Label::parse("Avinor AS").unwrap(),
                number: OrgNumber::parse("985198292").unwrap(),
                sector: Sector::Public,
                industry: None,
            },
            role: Role::Hse,
        };
        Registration::new(RegistrationId(id), &person, chrono::DateTime::UNIX_EPOCH)
    }

    #[test]
    fn a_hash_collision_is_told_apart_by_the_address() {
        let regs = [
            registration(1, "a@example.no"),
            registration(2, "b@example.no"),
        ];
        let email = |i: usize| &regs[i].contact.as_ref().unwrap().email;
        // Both under one hash, as if their addresses collided.
        let mut index = EmailIndex::default();
        index.insert(7, RegistrationId(2));
        index.insert(7, RegistrationId(1));
        assert_eq!(index.get(7, email(0), &regs), Some(RegistrationId(1)));
        assert_eq!(index.get(7, email(1), &regs), Some(RegistrationId(2)));
        let other = Email::parse("c@example.no").unwrap();
        assert_eq!(index.get(7, &other, &regs), None);
        index.remove(7, RegistrationId(1));
        assert_eq!(index.get(7, email(0), &regs), None);
        assert_eq!(index.get(7, email(1), &regs), Some(RegistrationId(2)));
    }

    #[test]
    fn colliding_hashes_stay_canonical() {
        let mut grown = EmailIndex::default();
        for id in [3, 1, 2] {
            grown.insert(7, RegistrationId(id));
        }
        grown.remove(7, RegistrationId(1));
        let mut direct = EmailIndex::default();
        direct.insert(7, RegistrationId(2));
        direct.insert(7, RegistrationId(3));
        assert_eq!(grown, direct);
        grown.remove(7, RegistrationId(3));
        grown.remove(7, RegistrationId(2));
        assert_eq!(grown, EmailIndex::default());
    }
}

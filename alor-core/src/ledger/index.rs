//! The derived index: everything that follows from the registrations (counts, the waitlist, the
//! holds, who is active under which e-mail), so that a decision never scans the registrations.
//!
//! Under a per-organisation cap, the first waitlisted person is not necessarily the one a freed
//! seat goes to: their organisation may be at its cap. So besides the waitlist in serving order,
//! each organisation keeps its own queue, and [`Index::heads`] holds the first of each queue whose
//! organisation has room. Its first element is the person a seat goes to, found in O(log n)
//! however many people of capped organisations wait ahead of them. Without a cap they are not
//! kept: the first waitlisted person is then the one.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::email_index::{email_hash, EmailIndex};
use super::positions::Positions;
use super::registration::WaitKey;
use super::{OrgCount, Registration, RegistrationId, SnapshotProblem, Status};
use crate::error::DataError;
use crate::model::OrgNumber;

/// Everything derived from the registrations, kept up to date incrementally and rebuilt from
/// scratch on load. Each registration *contributes* to the index according to its status;
/// a change is "withdraw the old contribution, add the new one".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Index {
    /// The policy's `max_per_organisation`, fixed for the gathering's life: it decides which
    /// queue heads are eligible.
    pub(super) cap: Option<u32>,
    /// The active registrations, by e-mail.
    pub(super) by_email: EmailIndex,
    /// The hash of each registration's e-mail, by id (0 once erased), so that a registration
    /// leaving or joining `by_email` costs neither re-reading its address nor re-hashing.
    pub(super) email_hashes: Vec<u64>,
    /// The waitlisted, in the order they are served.
    pub(super) waitlist: BTreeSet<WaitKey>,
    /// The same people counted by id, for their places on the waitlist.
    pub(super) positions: Positions,
    /// The first waitlisted person of every organisation that has room under the cap, in serving
    /// order. Empty without a cap (see [`Index::contribute`]).
    pub(super) heads: BTreeSet<WaitKey>,
    /// The open offers, by the instant their hold ends.
    pub(super) holds: BTreeSet<(DateTime<Utc>, RegistrationId)>,
    /// Counts and queue per organisation; an organisation whose counts are all zero has no
    /// entry (its queue is then empty: the waitlisted are active).
    pub(super) orgs: BTreeMap<OrgNumber, OrgEntry>,
    /// Seats that count against capacity.
    pub(super) counted: u32,
    /// Of those, the seats granted by an override beyond capacity.
    pub(super) overridden_counted: u32,
}

/// One organisation's counts and its waitlisted, in serving order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct OrgEntry {
    pub(super) count: OrgCount,
    /// Empty without a cap.
    pub(super) waiting: BTreeSet<WaitKey>,
}

impl OrgEntry {
    /// The organisation's first waitlisted person, if the organisation has room for a seat.
    fn eligible_head(&self, cap: Option<u32>) -> Option<WaitKey> {
        let room = cap.is_none_or(|cap| self.count.counted < cap);
        room.then(|| self.waiting.first().copied()).flatten()
    }
}

impl Index {
    pub(super) fn new(cap: Option<u32>) -> Self {
        Index {
            cap,
            by_email: EmailIndex::default(),
            email_hashes: Vec::new(),
            waitlist: BTreeSet::new(),
            positions: Positions::new(),
            heads: BTreeSet::new(),
            holds: BTreeSet::new(),
            orgs: BTreeMap::new(),
            counted: 0,
            overridden_counted: 0,
        }
    }

    pub(super) fn build(
        registrations: &[Registration],
        cap: Option<u32>,
    ) -> Result<Self, DataError> {
        let mut index = Index::new(cap);
        for (i, reg) in registrations.iter().enumerate() {
            if reg.id.0 as usize != i + 1 {
                return Err(DataError::InconsistentSnapshot {
                    reason: SnapshotProblem::IdOutOfPlace {
                        position: i + 1,
                        registration: reg.id,
                    },
                });
            }
            let hash = reg.contact.as_ref().map_or(0, |c| email_hash(&c.email));
            index.email_hashes.push(hash);
            index.positions.grow(reg.joined_at);
            if reg.status.is_active() {
                if let Some(contact) = &reg.contact {
                    let earlier = &registrations[..i];
                    if index.by_email.get(hash, &contact.email, earlier).is_some() {
                        return Err(DataError::InconsistentSnapshot {
                            reason: SnapshotProblem::SecondActiveRegistration {
                                registration: reg.id,
                            },
                        });
                    }
                }
            }
            if reg.status == Status::Offered && reg.offer_expires_at.is_none() {
                return Err(DataError::InconsistentSnapshot {
                    reason: SnapshotProblem::OfferWithoutExpiry {
                        registration: reg.id,
                    },
                });
            }
            index.add(reg);
        }
        Ok(index)
    }

    pub(super) fn add(&mut self, reg: &Registration) {
        self.contribute_email(reg, true);
        self.contribute(reg, true);
    }

    /// Adds a new registration (the next id); `hash` is its e-mail's if the caller has it.
    pub(super) fn add_new(&mut self, reg: &Registration, hash: Option<u64>) {
        debug_assert_eq!(reg.id.0 as usize, self.email_hashes.len() + 1);
        let hash = hash.unwrap_or_else(|| reg.contact.as_ref().map_or(0, |c| email_hash(&c.email)));
        self.email_hashes.push(hash);
        self.positions.grow(reg.joined_at);
        self.add(reg);
    }

    pub(super) fn email_hash_of(&self, id: RegistrationId) -> u64 {
        self.email_hashes[id.0 as usize - 1]
    }

    pub(super) fn withdraw(&mut self, reg: &Registration) {
        self.contribute_email(reg, false);
        self.contribute(reg, false);
    }

    fn contribute_email(&mut self, reg: &Registration, add: bool) {
        if reg.status.is_active() && reg.contact.is_some() {
            let hash = self.email_hash_of(reg.id);
            if add {
                self.by_email.insert(hash, reg.id);
            } else {
                self.by_email.remove(hash, reg.id);
            }
        }
    }

    /// Everything but the e-mail entry (see [`Index::contribute_email`]).
    pub(super) fn contribute(&mut self, reg: &Registration, add: bool) {
        let step = |n: &mut u32| {
            *n = if add { *n + 1 } else { *n - 1 };
        };
        let status = reg.status;
        let (active, counts) = (status.is_active(), status.counts_against_capacity());
        if counts {
            step(&mut self.counted);
            if reg.overridden {
                step(&mut self.overridden_counted);
            }
        }
        // One look-up of the organisation. A count that drops to zero is removed, so nothing
        // changes for an organisation this registration does not count towards.
        let waits = status == Status::Waitlisted;
        if active || counts {
            let number = reg.organisation.number;
            let entry = self.orgs.entry(number).or_default();
            let head_before = entry.eligible_head(self.cap);
            if active {
                step(&mut entry.count.active);
            }
            if counts {
                step(&mut entry.count.counted);
            }
            // Without a cap every organisation has room: the first waitlisted is the first
            // eligible, so the queues and heads (a cost on every sign-up) are kept only under one.
            if waits && self.cap.is_some() {
                if add {
                    entry.waiting.insert(reg.wait_key());
                } else {
                    entry.waiting.remove(&reg.wait_key());
                }
            }
            let head_after = entry.eligible_head(self.cap);
            if entry.count == OrgCount::default() {
                self.orgs.remove(&number);
            }
            if head_before != head_after {
                if let Some(key) = head_before {
                    self.heads.remove(&key);
                }
                if let Some(key) = head_after {
                    self.heads.insert(key);
                }
            }
        }
        match status {
            Status::Waitlisted => {
                let key = reg.wait_key();
                if add {
                    self.waitlist.insert(key);
                } else {
                    self.waitlist.remove(&key);
                }
                self.positions.step(key, add);
            }
            Status::Offered => {
                if let Some(expires) = reg.offer_expires_at {
                    if add {
                        self.holds.insert((expires, reg.id));
                    } else {
                        self.holds.remove(&(expires, reg.id));
                    }
                }
            }
            _ => {}
        }
    }
}

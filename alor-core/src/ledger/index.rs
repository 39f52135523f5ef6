//! The derived index: everything that follows from the registrations (counts, the waitlist, the
//! holds, who is active under which e-mail), so that a decision never scans the registrations.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::email_index::{email_hash, EmailIndex};
use super::registration::WaitKey;
use super::{OrgCount, Registration, RegistrationId, SnapshotProblem, Status};
use crate::error::DataError;
use crate::model::OrgNumber;

/// Everything derived from the registrations, kept up to date incrementally and rebuilt from
/// scratch on load. Each registration *contributes* to the index according to its status;
/// a change is "withdraw the old contribution, add the new one".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Index {
    /// The active registrations, by e-mail.
    pub(super) by_email: EmailIndex,
    /// The hash of each registration's e-mail, by id (0 once erased), so that a registration
    /// leaving or joining `by_email` costs neither re-reading its address nor re-hashing.
    pub(super) email_hashes: Vec<u64>,
    /// The waitlisted, in the order they are served.
    pub(super) waitlist: BTreeSet<WaitKey>,
    /// The open offers, by the instant their hold ends.
    pub(super) holds: BTreeSet<(DateTime<Utc>, RegistrationId)>,
    /// Counts per organisation; an organisation whose counts are all zero has no entry.
    pub(super) orgs: BTreeMap<OrgNumber, OrgCount>,
    /// Seats that count against capacity.
    pub(super) counted: u32,
    /// Of those, the seats granted by an override beyond capacity.
    pub(super) overridden_counted: u32,
}

impl Index {
    pub(super) fn build(registrations: &[Registration]) -> Result<Self, DataError> {
        let mut index = Index::default();
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
        // One look-up of the organisation, not three. A count that drops to zero is removed, so
        // nothing changes for an organisation this registration does not count towards.
        if active || counts {
            let number = reg.organisation.number;
            let count = self.orgs.entry(number).or_default();
            if active {
                step(&mut count.active);
            }
            if counts {
                step(&mut count.counted);
            }
            if *count == OrgCount::default() {
                self.orgs.remove(&number);
            }
        }
        match status {
            Status::Waitlisted => {
                if add {
                    self.waitlist.insert(reg.wait_key());
                } else {
                    self.waitlist.remove(&reg.wait_key());
                }
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

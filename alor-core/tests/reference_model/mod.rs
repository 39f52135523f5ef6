//! A naive reference model of the registration ledger, written from the documented rules and
//! independently of `alor_core::ledger`: a plain `Vec` of registrations, linear scans, counts
//! recomputed from scratch whenever they are needed, and the waitlist sorted afresh each time it
//! is served. It is slow on purpose: every rule should be obviously right by reading it.
//!
//! It shares only the *input and output nouns* with the library (`Command`, `Status`, `Gathering`)
//! and none of its logic: not the transition table, not `counts_against_capacity`, not the
//! window or offer-expiry helpers of the policy.
//!
//! Used by `tests/state_machine.rs` (the model-based test) and by `benches/ledger.rs` (for a speed ratio).

// The bench uses only part of the model.
#![allow(dead_code)]

use alor_core::{Actor, Command, Gathering, Person, Promotion, Status, WaitlistOrder};
use chrono::{DateTime, Duration, Utc};

/// One registration as the model sees it. Ids are positions + 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reg {
    /// Normalised e-mail; `None` once erased.
    pub email: Option<String>,
    /// Organisation number.
    pub org: u32,
    /// In the waitlist's priority class (fixed at join).
    pub priority: bool,
    /// Current status.
    pub status: Status,
    /// When the person signed up (or took over a seat as a substitute).
    pub joined_at: DateTime<Utc>,
    /// The hold of the last offer, kept after it ends.
    pub offer_expires_at: Option<DateTime<Utc>>,
    /// Cancelled at or after the cancellation deadline while holding a seat.
    pub late: bool,
    /// Seated by an override when no seat was free.
    pub beyond_capacity: bool,
}

/// A recorded event, reduced to what the model predicts: sequence number, instant, kind and the
/// registration it is about (`None` for gathering-wide events).
pub type EventSummary = (u64, DateTime<Utc>, &'static str, Option<u32>);

/// The model's whole state.
#[derive(Debug, Clone)]
pub struct Model {
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub cancellation_deadline: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: u32,
    pub max_per_organisation: Option<u32>,
    pub waitlist: bool,
    pub order: WaitlistOrder,
    pub promotion: Promotion,
    pub closed: bool,
    pub version: u64,
    pub last_at: Option<DateTime<Utc>>,
    pub regs: Vec<Reg>,
    /// Events recorded by the last successful command.
    pub last_events: Vec<EventSummary>,
}

/// Statuses that take a seat.
pub fn takes_seat(status: Status) -> bool {
    match status {
        Status::Offered | Status::Confirmed | Status::Attended | Status::NoShow => true,
        Status::Waitlisted
        | Status::Cancelled
        | Status::Declined
        | Status::Expired
        | Status::Transferred => false,
    }
}

/// Statuses that block a second sign-up of the same person.
pub fn is_live(status: Status) -> bool {
    match status {
        Status::Waitlisted
        | Status::Offered
        | Status::Confirmed
        | Status::Attended
        | Status::NoShow => true,
        Status::Cancelled | Status::Declined | Status::Expired | Status::Transferred => false,
    }
}

type Outcome = Result<(), &'static str>;

impl Model {
    /// An empty model of a gathering.
    pub fn new(gathering: &Gathering) -> Self {
        let p = &gathering.policy;
        Model {
            opens_at: p.opens_at,
            closes_at: p.closes_at,
            cancellation_deadline: p.cancellation_deadline,
            starts_at: gathering.starts_at,
            ends_at: gathering.ends_at,
            capacity: p.capacity,
            max_per_organisation: p.max_per_organisation,
            waitlist: p.waitlist,
            order: p.waitlist_order,
            promotion: p.promotion,
            closed: false,
            version: 0,
            last_at: None,
            regs: Vec::new(),
            last_events: Vec::new(),
        }
    }

    /// Seats taken, counted from scratch.
    pub fn counted(&self) -> u32 {
        self.regs.iter().filter(|r| takes_seat(r.status)).count() as u32
    }

    /// Seats taken by one organisation, counted from scratch.
    pub fn org_counted(&self, org: u32) -> u32 {
        self.regs
            .iter()
            .filter(|r| r.org == org && takes_seat(r.status))
            .count() as u32
    }

    fn org_has_live(&self, org: u32) -> bool {
        self.regs.iter().any(|r| r.org == org && is_live(r.status))
    }

    fn org_has_room(&self, org: u32) -> bool {
        match self.max_per_organisation {
            None => true,
            Some(cap) => self.org_counted(org) < cap,
        }
    }

    fn email_is_live(&self, email: &str) -> bool {
        self.regs
            .iter()
            .any(|r| is_live(r.status) && r.email.as_deref() == Some(email))
    }

    /// Whether freed seats may go to the waitlist at `at`: the window `[opens, closes)` is open,
    /// no organiser has closed registration, and the gathering has not started.
    pub fn promotions_allowed(&self, at: DateTime<Utc>) -> bool {
        !self.closed && self.opens_at <= at && at < self.closes_at && at < self.starts_at
    }

    /// Waitlisted ids whose organisation has room, sorted in policy order.
    pub fn eligible_waiting(&self) -> Vec<u32> {
        let mut waiting: Vec<(bool, DateTime<Utc>, u32)> = self
            .regs
            .iter()
            .enumerate()
            .filter(|(_, r)| r.status == Status::Waitlisted && self.org_has_room(r.org))
            .map(|(i, r)| (!r.priority, r.joined_at, i as u32 + 1))
            .collect();
        waiting.sort();
        waiting.into_iter().map(|(_, _, id)| id).collect()
    }

    fn reg(&self, id: u32) -> Result<&Reg, &'static str> {
        if id == 0 {
            return Err("unknown_registration");
        }
        self.regs.get(id as usize - 1).ok_or("unknown_registration")
    }

    fn reg_mut(&mut self, id: u32) -> &mut Reg {
        &mut self.regs[id as usize - 1]
    }

    fn emit(&mut self, at: DateTime<Utc>, kind: &'static str, id: Option<u32>) {
        self.version += 1;
        self.last_at = Some(at);
        self.last_events.push((self.version, at, kind, id));
    }

    /// Gives free seats, one at a time, to the first eligible person in line.
    fn fill(&mut self, at: DateTime<Utc>) {
        if !self.promotions_allowed(at) {
            return;
        }
        while self.counted() < self.capacity {
            let Some(&id) = self.eligible_waiting().first() else {
                return;
            };
            match self.promotion {
                Promotion::Automatic => {
                    self.emit(at, "promoted", Some(id));
                    self.reg_mut(id).status = Status::Confirmed;
                }
                Promotion::Offer { hold_minutes } => {
                    let hold_ends = at + Duration::minutes(i64::from(hold_minutes));
                    let expires = if hold_ends < self.closes_at {
                        hold_ends
                    } else {
                        self.closes_at
                    };
                    self.emit(at, "offered", Some(id));
                    let reg = self.reg_mut(id);
                    reg.status = Status::Offered;
                    reg.offer_expires_at = Some(expires);
                }
            }
        }
    }

    /// Lets time pass to `now`: the window opening hands out seats freed before it opened, at
    /// the opening instant, and every hold due by `now` expires at its own instant, earliest
    /// first, its seat going on at that instant.
    fn let_time_pass(&mut self, now: DateTime<Utc>) {
        if self.last_at.is_none_or(|last| last < self.opens_at) && self.opens_at <= now {
            self.fill(self.opens_at);
        }
        loop {
            let due = self
                .regs
                .iter()
                .enumerate()
                .filter(|(_, r)| r.status == Status::Offered)
                .filter_map(|(i, r)| r.offer_expires_at.map(|e| (e, i as u32 + 1)))
                .filter(|(e, _)| *e <= now)
                .min();
            let Some((expires, id)) = due else { return };
            self.emit(expires, "offer_expired", Some(id));
            self.reg_mut(id).status = Status::Expired;
            self.fill(expires);
        }
    }

    /// Runs a command: on success the model changes and `last_events` holds what was recorded;
    /// on error the model is unchanged and the error code is returned.
    pub fn step(
        &mut self,
        command: &Command,
        now: DateTime<Utc>,
        expected_version: Option<u64>,
    ) -> Outcome {
        if let Some(expected) = expected_version {
            if expected != self.version {
                return Err("conflict");
            }
        }
        if let Some(last) = self.last_at {
            if now < last {
                return Err("time_went_backwards");
            }
        }
        // All or nothing: work on a copy, keep it only if the command is accepted.
        let mut next = self.clone();
        next.last_events.clear();
        next.let_time_pass(now);
        next.run(command, now)?;
        *self = next;
        Ok(())
    }

    fn register(
        &mut self,
        person: &Person,
        first_time: bool,
        by: Actor,
        now: DateTime<Utc>,
    ) -> Outcome {
        if now >= self.starts_at {
            return Err("gathering_started");
        }
        if by == Actor::Participant {
            if now < self.opens_at {
                return Err("registration_not_open");
            }
            if self.closed || now >= self.closes_at {
                return Err("registration_closed");
            }
        }
        let email = person.email.as_str().to_owned();
        if self.email_is_live(&email) {
            return Err("already_registered");
        }
        let org = person.organisation.number.get();
        let priority = match self.order {
            WaitlistOrder::JoinTime => false,
            WaitlistOrder::FirstTimeFirst => first_time,
            WaitlistOrder::NewOrganisationsFirst => !self.org_has_live(org),
        };
        let seat_free = self.counted() < self.capacity;
        let room = self.org_has_room(org);
        let someone_waits = !self.eligible_waiting().is_empty();
        let status = if seat_free && room && !someone_waits {
            Status::Confirmed
        } else if self.waitlist {
            Status::Waitlisted
        } else if !seat_free {
            return Err("gathering_full");
        } else {
            return Err("organisation_cap_reached");
        };
        let id = self.regs.len() as u32 + 1;
        self.emit(now, "registered", Some(id));
        self.regs.push(Reg {
            email: Some(email),
            org,
            priority,
            status,
            joined_at: now,
            offer_expires_at: None,
            late: false,
            beyond_capacity: false,
        });
        Ok(())
    }

    fn run(&mut self, command: &Command, now: DateTime<Utc>) -> Outcome {
        match command {
            Command::Register {
                person,
                first_time,
                by,
            } => self.register(person, *first_time, *by, now),
            Command::Cancel { registration, .. } => {
                let id = registration.0;
                let from = self.reg(id)?.status;
                if !matches!(
                    from,
                    Status::Waitlisted | Status::Offered | Status::Confirmed
                ) {
                    return Err("invalid_transition");
                }
                if now >= self.starts_at {
                    return Err("gathering_started");
                }
                let had_seat = takes_seat(from);
                let late = had_seat && now >= self.cancellation_deadline;
                self.emit(now, "cancelled", Some(id));
                let reg = self.reg_mut(id);
                reg.status = Status::Cancelled;
                reg.late = late;
                if had_seat {
                    self.fill(now);
                }
                Ok(())
            }
            Command::AcceptOffer { registration } | Command::DeclineOffer { registration } => {
                let id = registration.0;
                match self.reg(id)?.status {
                    Status::Offered => {}
                    Status::Expired => return Err("offer_expired"),
                    _ => return Err("no_offer"),
                }
                if matches!(command, Command::AcceptOffer { .. }) {
                    self.emit(now, "offer_accepted", Some(id));
                    self.reg_mut(id).status = Status::Confirmed;
                } else {
                    self.emit(now, "offer_declined", Some(id));
                    self.reg_mut(id).status = Status::Declined;
                    self.fill(now);
                }
                Ok(())
            }
            Command::Substitute {
                registration,
                person,
                ..
            } => {
                let id = registration.0;
                let original = self.reg(id)?.clone();
                if original.status != Status::Confirmed {
                    return Err("invalid_transition");
                }
                if now >= self.starts_at {
                    return Err("gathering_started");
                }
                if original.org != person.organisation.number.get() {
                    return Err("substitute_other_organisation");
                }
                let email = person.email.as_str().to_owned();
                if self.email_is_live(&email) {
                    return Err("already_registered");
                }
                self.emit(now, "substituted", Some(id));
                self.reg_mut(id).status = Status::Transferred;
                self.regs.push(Reg {
                    email: Some(email),
                    org: original.org,
                    priority: false,
                    status: Status::Confirmed,
                    joined_at: now,
                    offer_expires_at: None,
                    late: false,
                    // The colleague takes over the very seat, beyond capacity or not.
                    beyond_capacity: original.beyond_capacity,
                });
                Ok(())
            }
            Command::MarkAttended { registration } | Command::MarkNoShow { registration } => {
                let id = registration.0;
                let attended = matches!(command, Command::MarkAttended { .. });
                let from = self.reg(id)?.status;
                let allowed = if attended {
                    matches!(from, Status::Confirmed | Status::NoShow)
                } else {
                    matches!(from, Status::Confirmed | Status::Attended)
                };
                if !allowed {
                    return Err("invalid_transition");
                }
                if now < self.starts_at {
                    return Err("attendance_not_open");
                }
                self.emit(now, "attendance_marked", Some(id));
                self.reg_mut(id).status = if attended {
                    Status::Attended
                } else {
                    Status::NoShow
                };
                Ok(())
            }
            Command::ChangeCapacity { capacity } => {
                if now >= self.starts_at {
                    return Err("gathering_started");
                }
                let taken = self
                    .regs
                    .iter()
                    .filter(|r| takes_seat(r.status) && !r.beyond_capacity)
                    .count() as u32;
                if *capacity < taken {
                    return Err("capacity_below_taken");
                }
                if *capacity != self.capacity {
                    let raised = *capacity > self.capacity;
                    self.emit(now, "capacity_changed", None);
                    self.capacity = *capacity;
                    if raised {
                        self.fill(now);
                    }
                }
                Ok(())
            }
            Command::CloseRegistration => {
                if self.closed {
                    return Err("already_closed");
                }
                self.emit(now, "registration_closed", None);
                self.closed = true;
                Ok(())
            }
            Command::ReopenRegistration => {
                if !self.closed {
                    return Err("already_open");
                }
                self.emit(now, "registration_reopened", None);
                self.closed = false;
                self.fill(now);
                Ok(())
            }
            Command::OverrideSeat { registration, .. } => {
                let id = registration.0;
                let from = self.reg(id)?.status;
                if from != Status::Waitlisted {
                    return Err("invalid_transition");
                }
                if now >= self.starts_at {
                    return Err("gathering_started");
                }
                let beyond = self.counted() >= self.capacity;
                self.emit(now, "seat_overridden", Some(id));
                let reg = self.reg_mut(id);
                reg.status = Status::Confirmed;
                reg.beyond_capacity = beyond;
                Ok(())
            }
            Command::Erase { registration } => {
                let id = registration.0;
                let reg = self.reg(id)?;
                if reg.email.is_none() {
                    return Err("already_erased");
                }
                if is_live(reg.status) && now < self.ends_at {
                    return Err("erase_active");
                }
                self.emit(now, "erased", Some(id));
                self.reg_mut(id).email = None;
                Ok(())
            }
            Command::HandleTimeout => Ok(()),
        }
    }
}

//! Ledgers and event logs into a [`DatasetBuilder`]: exact from a log, reconstructed from a
//! ledger's state.

use chrono::{DateTime, Utc};

use super::{DatasetBuilder, GatheringInfo, Outcome, RowInput};
use crate::error::{AnalyticsError, RowError};
use alor_core::{Event, EventLog, Ledger, Registration, Status};

impl DatasetBuilder {
    /// Adds every registration of a ledger. Person keys are the normalised e-mail addresses;
    /// erased registrations become anonymous persons. Whether a registration was waitlisted and
    /// the peak waitlist are reconstructed from the registrations' timestamps; use
    /// [`DatasetBuilder::add_log`] when the events are available, which is exact.
    pub fn add_ledger(&mut self, ledger: &Ledger) -> Result<u32, AnalyticsError> {
        let registrations = ledger.registrations();
        let waitlisted: Vec<bool> = registrations.iter().map(was_waitlisted).collect();
        let peak = peak_from_registrations(registrations, &waitlisted);
        self.add_registrations(ledger, &waitlisted, peak)
    }

    /// Adds a gathering from its event log, replaying it (each event checked): exact waitlist
    /// flags and peak waitlist length.
    pub fn add_log(&mut self, log: &EventLog) -> Result<u32, AnalyticsError> {
        if log.schema_version != alor_core::SCHEMA_VERSION {
            return Err(AnalyticsError::Core(
                alor_core::DataError::UnsupportedSchemaVersion {
                    found: log.schema_version,
                    supported: alor_core::SCHEMA_VERSION,
                }
                .into(),
            ));
        }
        let mut ledger = Ledger::new(log.gathering.clone()).map_err(alor_core::Error::from)?;
        let mut peak = 0usize;
        let mut waitlisted = Vec::new();
        for recorded in &log.events {
            ledger.try_apply(recorded).map_err(alor_core::Error::from)?;
            match &recorded.event {
                Event::Registered { status, .. } => {
                    waitlisted.push(*status == Status::Waitlisted);
                }
                Event::Substituted { .. } => waitlisted.push(false),
                _ => {}
            }
            peak = peak.max(ledger.waitlist_len());
        }
        let peak = u32::try_from(peak).unwrap_or(u32::MAX);
        self.add_registrations(&ledger, &waitlisted, peak)
    }

    fn add_registrations(
        &mut self,
        ledger: &Ledger,
        waitlisted: &[bool],
        peak_waitlist: u32,
    ) -> Result<u32, AnalyticsError> {
        let gathering = ledger.gathering();
        let info = GatheringInfo {
            id: gathering.id.as_str().to_owned(),
            network: gathering.network.as_str().to_owned(),
            date: alor_core::time::oslo_date(gathering.starts_at),
            capacity: gathering.policy.capacity,
            peak_waitlist,
        };
        let g = self
            .add_gathering(info)
            .map_err(|problem| AnalyticsError::InvalidRows {
                count: 1,
                errors: vec![RowError {
                    row: 1,
                    column: "gathering".into(),
                    problem,
                }],
            })?;
        for (reg, &was_waitlisted) in ledger.registrations().iter().zip(waitlisted) {
            let key = reg.contact.as_ref().map(|c| c.email.as_str());
            self.push(&RowInput {
                gathering: g,
                person: key,
                organisation: reg.organisation.number,
                sector: reg.organisation.sector,
                role: reg.role,
                outcome: Outcome::of(reg),
                waitlisted: was_waitlisted,
                joined_at: reg.joined_at,
                seated_at: reg.seated_at,
            })?;
        }
        Ok(g)
    }
}

/// Whether a registration was on the waitlist at some point, from its timestamps alone: it did
/// not get its seat at the instant it signed up.
fn was_waitlisted(reg: &Registration) -> bool {
    if reg.substitute_for.is_some() {
        return false;
    }
    reg.seated_at != Some(reg.joined_at)
        && (reg.seated_at.is_some()
            || reg.offered_at.is_some()
            || matches!(reg.status, Status::Waitlisted | Status::Cancelled))
}

/// The longest the waitlist was, from the intervals each registration spent on it.
fn peak_from_registrations(registrations: &[Registration], waitlisted: &[bool]) -> u32 {
    let mut edges: Vec<(DateTime<Utc>, i32)> = Vec::new();
    for (reg, &w) in registrations.iter().zip(waitlisted) {
        if !w {
            continue;
        }
        edges.push((reg.joined_at, 1));
        let left = reg
            .offered_at
            .or(reg.seated_at)
            .or(if reg.status == Status::Cancelled {
                reg.cancelled_at
            } else {
                None
            });
        if let Some(left) = left {
            edges.push((left, -1));
        }
    }
    // Leaving before joining at the same instant: a seat freed and taken in one step.
    edges.sort();
    let (mut now, mut peak) = (0i32, 0i32);
    for (_, step) in edges {
        now += step;
        peak = peak.max(now);
    }
    u32::try_from(peak).unwrap_or(0)
}

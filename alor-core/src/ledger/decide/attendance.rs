//! Attendance, marked at the check-in desk once the gathering has started.

use chrono::{DateTime, Utc};

use super::Pending;
use crate::ledger::{Event, LedgerError, RegistrationId, Status};

impl Pending<'_> {
    /// [`Command::MarkAttended`](crate::Command::MarkAttended) (`attended`) or
    /// [`Command::MarkNoShow`](crate::Command::MarkNoShow).
    pub(super) fn mark_attendance(
        &mut self,
        registration: RegistrationId,
        attended: bool,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        let to = if attended {
            Status::Attended
        } else {
            Status::NoShow
        };
        self.transition(registration, to)?;
        if now < self.base.gathering.starts_at {
            return Err(LedgerError::AttendanceNotOpen);
        }
        self.emit(
            now,
            Event::AttendanceMarked {
                registration,
                attended,
            },
        );
        Ok(())
    }
}

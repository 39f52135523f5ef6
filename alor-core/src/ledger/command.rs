use serde::{Deserialize, Serialize};

use super::RegistrationId;
use crate::error::{DataError, Error, Field, ValidationError};
use crate::model::{Label, Person, PersonDraft, PersonInput};

/// Who asks for a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The participant themself (bound by the registration window).
    #[default]
    Participant,
    /// An organiser (*tilrettelegger*): may register people outside the window, never beyond
    /// capacity; seating beyond capacity is the separate, recorded [`Command::OverrideSeat`].
    Organiser,
}

/// Why a registration was cancelled. A fixed list, so no personal free text is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    /// Illness.
    Illness,
    /// Work got in the way.
    WorkConflict,
    /// Travel problems.
    Travel,
    /// Registered twice or by mistake.
    Duplicate,
    /// The organisers cancelled it.
    OrganiserDecision,
    /// Anything else.
    Other,
}

/// A request to change a gathering's registrations. Decided by [`Ledger::decide`](super::Ledger::decide).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Sign a person up: a seat if one is free and nobody eligible waits, else the waitlist.
    Register {
        /// The person, already validated.
        person: Person,
        /// Whether the person has never attended this network before (the host knows the
        /// network's history; the ledger of one gathering does not).
        #[serde(default)]
        first_time: bool,
        /// Who registers.
        #[serde(default)]
        by: Actor,
    },
    /// Cancel a registration (seated, offered or waitlisted). A freed seat goes to the waitlist in
    /// the same step.
    Cancel {
        /// Which registration.
        registration: RegistrationId,
        /// Who cancels.
        by: Actor,
        /// Why.
        reason: CancelReason,
    },
    /// Hand a confirmed seat to a colleague from the same organisation.
    Substitute {
        /// The registration giving up its seat.
        registration: RegistrationId,
        /// The colleague taking it.
        person: Person,
        /// Whether the colleague is new to the network.
        #[serde(default)]
        first_time: bool,
    },
    /// Accept an offered seat.
    AcceptOffer {
        /// Which registration.
        registration: RegistrationId,
    },
    /// Decline an offered seat; it goes to the next in line.
    DeclineOffer {
        /// Which registration.
        registration: RegistrationId,
    },
    /// Record that a seated person came.
    MarkAttended {
        /// Which registration.
        registration: RegistrationId,
    },
    /// Record that a seated person did not come.
    MarkNoShow {
        /// Which registration.
        registration: RegistrationId,
    },
    /// Change the number of seats. More seats go to the waitlist at once; fewer than the seats
    /// already taken is refused.
    ChangeCapacity {
        /// The new capacity.
        capacity: u32,
    },
    /// Close registration before the deadline.
    CloseRegistration,
    /// Reopen registration closed by [`Command::CloseRegistration`] (within the window).
    ReopenRegistration,
    /// An organiser seats a waitlisted person regardless of order, window or capacity. Always
    /// recorded, with its reason and whether it went beyond capacity.
    OverrideSeat {
        /// Which (waitlisted) registration.
        registration: RegistrationId,
        /// Why (e.g. "Innleder", "Arrangør").
        reason: Label,
    },
    /// Erase a registration's personal data (name, e-mail, phone). Allowed once it is no longer
    /// active, or once the gathering has ended. Organisation, role and status are kept for
    /// statistics.
    Erase {
        /// Which registration.
        registration: RegistrationId,
    },
    /// Do nothing but let time pass: expire holds that are due. Same as
    /// [`Ledger::handle_timeout`](super::Ledger::handle_timeout).
    HandleTimeout,
}

impl Command {
    /// Every type tag, as written in JSON (`"type": …`), in declaration order. Scenario runners
    /// on every surface read this list to check that the scenario files cover each one.
    pub const TYPES: &'static [&'static str] = &[
        "register",
        "cancel",
        "substitute",
        "accept_offer",
        "decline_offer",
        "mark_attended",
        "mark_no_show",
        "change_capacity",
        "close_registration",
        "reopen_registration",
        "override_seat",
        "erase",
        "handle_timeout",
    ];

    /// This value's type tag, as written in JSON.
    pub const fn type_name(&self) -> &'static str {
        match self {
            Command::Register { .. } => "register",
            Command::Cancel { .. } => "cancel",
            Command::Substitute { .. } => "substitute",
            Command::AcceptOffer { .. } => "accept_offer",
            Command::DeclineOffer { .. } => "decline_offer",
            Command::MarkAttended { .. } => "mark_attended",
            Command::MarkNoShow { .. } => "mark_no_show",
            Command::ChangeCapacity { .. } => "change_capacity",
            Command::CloseRegistration => "close_registration",
            Command::ReopenRegistration => "reopen_registration",
            Command::OverrideSeat { .. } => "override_seat",
            Command::Erase { .. } => "erase",
            Command::HandleTimeout => "handle_timeout",
        }
    }
}

impl Command {
    /// Parses a command from JSON.
    ///
    /// A bad person or reason gives the field-level [`ValidationError`] (`invalid_email`,
    /// `invalid_organisation_number`, …) of the first bad field; any other problem of shape gives
    /// [`DataError::Malformed`] (`malformed_data`). Messages never echo the values.
    pub fn from_json(json: &str) -> Result<Command, Error> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| DataError::from_json(&e))?;
        Command::from_value(value)
    }

    /// Parses a command from an already parsed JSON value (see [`Command::from_json`]).
    pub fn from_value(value: serde_json::Value) -> Result<Command, Error> {
        if let Some(object) = value.as_object() {
            if let Some(person) = object.get("person") {
                let input =
                    PersonInput::deserialize(person).map_err(|e| DataError::from_json(&e))?;
                if let Err(errors) = PersonDraft::from(input).validate() {
                    return Err(errors[0].into());
                }
            }
            if let Some(serde_json::Value::String(reason)) = object.get("reason") {
                if object.get("type").and_then(|t| t.as_str()) == Some("override_seat") {
                    Label::parse(reason)
                        .map_err(|problem| ValidationError::new(Field::Reason, problem))?;
                }
            }
        }
        Command::deserialize(value).map_err(|e| DataError::from_json(&e).into())
    }
}

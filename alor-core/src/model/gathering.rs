//! Networks, their hosts and gatherings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Field, Problem, ValidationError};
use crate::policy::RegistrationPolicy;

use super::{Contact, Label, Slug};

/// The KORUS region a network belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// KORUS Stavanger.
    Stavanger,
    /// KORUS Vest (Bergen).
    Vest,
    /// KORUS Midt.
    Midt,
    /// KORUS Nord.
    Nord,
    /// KORUS Øst.
    Ost,
    /// KORUS Oslo.
    Oslo,
    /// KORUS Sør.
    Sor,
}

/// What kind of body co-hosts a network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostKind {
    /// A regional competence centre on substance use (KORUS).
    Korus,
    /// A treatment service (A-senter, TSB).
    Treatment,
    /// Akan, the national workplace competence centre.
    Akan,
    /// Anyone else.
    Other,
}

/// An organisation that runs a network.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Host {
    /// Name, e.g. "KORUS Stavanger", "Rogaland A-senter".
    pub name: Label,
    /// What kind of host.
    pub kind: HostKind,
}

/// A regional alor network (*alor-nettverk*).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// Id, e.g. `rogaland`.
    pub id: Slug,
    /// Name, e.g. "alor Rogaland".
    pub name: Label,
    /// The KORUS region.
    pub region: Region,
    /// The organisations that run it.
    pub hosts: Vec<Host>,
    /// Contact persons (*kontaktpersoner*).
    #[serde(default)]
    pub contacts: Vec<Contact>,
}

/// A price in Norwegian kroner, stored in øre so arithmetic is exact.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Nok(pub u64);

impl Nok {
    /// From whole kroner.
    pub const fn kroner(kr: u64) -> Self {
        Nok(kr * 100)
    }
}

/// Where a gathering is held.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Venue {
    /// Name, e.g. "Sola Strand Hotel".
    pub name: Label,
    /// Town, e.g. "Sola".
    pub town: Label,
}

/// A gathering (*samling*) of a network: what, when, where, and the registration rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gathering {
    /// Id, e.g. `rogaland-2026-host`.
    pub id: Slug,
    /// The network that holds it.
    pub network: Slug,
    /// Title, e.g. "Høstsamling 2026".
    pub title: Label,
    /// The theme, e.g. "Fra bekymring til handling".
    pub theme: Label,
    /// When it starts (the registration desk opens). Attendance can be marked from here on.
    #[serde(deserialize_with = "crate::time::rfc3339::field::starts_at")]
    pub starts_at: DateTime<Utc>,
    /// When it ends.
    #[serde(deserialize_with = "crate::time::rfc3339::field::ends_at")]
    pub ends_at: DateTime<Utc>,
    /// Where.
    pub venue: Venue,
    /// Price per participant (*selvkostpris*).
    pub price: Nok,
    /// The registration rules; the ledger keeps `capacity` current as it changes.
    pub policy: RegistrationPolicy,
    /// The retention policy: the participants' personal data is to be shredded this many days
    /// after the gathering ends ([`Gathering::shred_due_at`]). `None` keeps it until each
    /// registration is erased by hand. Absent from the JSON when `None`, so gatherings written
    /// before this field existed read and write byte for byte as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u32>,
}

impl Gathering {
    /// Parses a gathering from JSON and checks it.
    pub fn from_json(json: &str) -> Result<Self, crate::Error> {
        let gathering: Gathering =
            serde_json::from_str(json).map_err(|e| crate::DataError::from_json(&e))?;
        gathering.validate()?;
        Ok(gathering)
    }

    /// When the retention policy makes the personal data of this gathering due for shredding:
    /// `retention_days` after `ends_at`. `None` without a policy (or for a date past what can
    /// be represented, which is never due).
    pub fn shred_due_at(&self) -> Option<DateTime<Utc>> {
        let days = self.retention_days?;
        self.ends_at
            .checked_add_signed(chrono::Duration::days(i64::from(days)))
    }

    /// Whether the retention policy makes the personal data due for shredding at `now`. A host
    /// (e.g. `alor_store::Store::shred_due`) asks this of every gathering; the core decides.
    pub fn retention_due(&self, now: DateTime<Utc>) -> bool {
        self.shred_due_at().is_some_and(|due| now >= due)
    }

    /// Checks the dates and the policy against each other.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.ends_at < self.starts_at {
            return Err(ValidationError::new(Field::Dates, Problem::OutOfRange));
        }
        self.policy.validate(self.starts_at)
    }
}

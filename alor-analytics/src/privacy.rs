//! Small-cell suppression and keyed pseudonymisation.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::error::AnalyticsError;

/// Small-cell suppression of published counts.
///
/// A count of persons between 1 and `min_count - 1` is *primarily* suppressed. Then, for every
/// group of cells that adds up to a published total (sector counts to all attendances, networks
/// to the national row), a group with exactly one hidden cell gets a second one hidden —
/// the smallest other non-zero cell — so the hidden value cannot be recovered by subtraction
/// (*secondary* suppression). Rates whose numerator or denominator is hidden are hidden too.
///
/// The default is `min_count = 5`; the lowest allowed is 3 (Statistics Norway's rule), and
/// asking for less is an error. [`Suppression::off`] exists for internal work on data that
/// never leaves the analyst's machine: tables made with it must not be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Suppression {
    min_count: Option<u32>,
}

impl Default for Suppression {
    fn default() -> Self {
        Suppression {
            min_count: Some(Self::DEFAULT_MIN_COUNT),
        }
    }
}

impl Suppression {
    /// The default threshold.
    pub const DEFAULT_MIN_COUNT: u32 = 5;
    /// The lowest threshold allowed.
    pub const FLOOR: u32 = 3;

    /// Counts below `min_count` are hidden. Fails below [`Suppression::FLOOR`].
    pub fn new(min_count: u32) -> Result<Self, AnalyticsError> {
        if min_count < Self::FLOOR {
            return Err(AnalyticsError::SuppressionThresholdTooLow {
                requested: min_count,
                minimum: Self::FLOOR,
            });
        }
        Ok(Suppression {
            min_count: Some(min_count),
        })
    }

    /// No suppression: for internal analysis only, never for publication.
    pub const fn off() -> Self {
        Suppression { min_count: None }
    }

    /// The threshold, or `None` when off.
    pub const fn min_count(self) -> Option<u32> {
        self.min_count
    }
}

/// A set of cells that adds up to a total cell (all indexes into one flat list of counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    pub(crate) members: Vec<usize>,
    pub(crate) total: usize,
}

/// Which cells to hide: primary suppression of sensitive counts in `1..min_count`, then
/// secondary suppression until no additive group has exactly one hidden cell.
pub(crate) fn suppress(
    values: &[u64],
    sensitive: &[bool],
    groups: &[Group],
    rule: Suppression,
) -> Vec<bool> {
    let mut hidden = vec![false; values.len()];
    let Some(k) = rule.min_count else {
        return hidden;
    };
    for (i, (&v, &s)) in values.iter().zip(sensitive).enumerate() {
        hidden[i] = s && v > 0 && v < u64::from(k);
    }
    // Each pass hides at least one more cell or stops, so this ends within values.len() passes.
    loop {
        let mut changed = false;
        for group in groups {
            let cells = group.members.iter().copied().chain([group.total]);
            if cells.clone().filter(|&c| hidden[c]).count() != 1 {
                continue;
            }
            // The smallest visible non-zero member, else the total, else any visible member.
            let pick = group
                .members
                .iter()
                .copied()
                .filter(|&c| !hidden[c] && values[c] > 0)
                .min_by_key(|&c| (values[c], c))
                .or_else(|| (!hidden[group.total]).then_some(group.total))
                .or_else(|| group.members.iter().copied().find(|&c| !hidden[c]));
            if let Some(c) = pick {
                hidden[c] = true;
                changed = true;
            }
        }
        if !changed {
            return hidden;
        }
    }
}

/// Keyed pseudonyms: HMAC-SHA-256 of the person key under a secret key the caller keeps.
///
/// The same key gives the same pseudonym for the same person every time (so datasets exported
/// in different years still link up), another key gives unrelated pseudonyms, and without the
/// key a pseudonym cannot be linked back to an e-mail address by trying candidates (unlike a
/// plain hash). Keep the key out of the exported data.
#[derive(Clone)]
pub struct Pseudonymiser {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for Pseudonymiser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonymiser(..)")
    }
}

impl Pseudonymiser {
    /// The shortest key accepted, in bytes (the output size of SHA-256).
    pub const MIN_KEY_BYTES: usize = 32;

    /// A pseudonymiser with a secret key of at least [`Pseudonymiser::MIN_KEY_BYTES`] bytes.
    pub fn new(key: &[u8]) -> Result<Self, AnalyticsError> {
        if key.len() < Self::MIN_KEY_BYTES {
            return Err(AnalyticsError::PseudonymKeyTooShort {
                length: key.len(),
                minimum: Self::MIN_KEY_BYTES,
            });
        }
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).map_err(|_| {
            AnalyticsError::PseudonymKeyTooShort {
                length: key.len(),
                minimum: Self::MIN_KEY_BYTES,
            }
        })?;
        Ok(Pseudonymiser { mac })
    }

    /// The pseudonym of a person key: `p_` and 64 lower-case hex digits.
    pub fn pseudonym(&self, person_key: &str) -> String {
        let mut mac = self.mac.clone();
        // Domain separation: the same key may be used for other kinds of ids later.
        mac.update(b"alor:person:");
        mac.update(person_key.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut out = String::with_capacity(66);
        out.push_str("p_");
        for b in digest.iter() {
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
        out
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

//! The Norwegian organisation number and its MOD11 check.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Problem;

/// A Norwegian organisation number (*organisasjonsnummer*): nine digits whose last digit is a
/// MOD11 check digit over the first eight with weights 3, 2, 7, 6, 5, 4, 3, 2.
///
/// ```
/// use alor_core::OrgNumber;
/// assert_eq!(OrgNumber::parse("985 198 292").unwrap().to_string(), "985198292"); // Avinor AS
/// assert!(OrgNumber::parse("985198293").is_err()); // wrong check digit
/// assert_eq!(OrgNumber::parse("985\u{a0}198\u{202f}292").unwrap().get(), 985_198_292); // copied from a page
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgNumber(u32);

impl OrgNumber {
    const WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

    /// Parses an organisation number. White space is allowed between digit groups
    /// ("985 198 292"), of any kind: numbers copied from web pages and documents often carry
    /// no-break or thin spaces (U+00A0, U+2009, U+202F). Full-width digits (U+FF10 to U+FF19,
    /// from East Asian input methods) count as digits. Every surface parses here, so they agree.
    pub fn parse(text: &str) -> Result<Self, Problem> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(Problem::Required);
        }
        let mut digits = [0u32; 9];
        let mut n = 0;
        for c in trimmed.chars() {
            let digit = match c {
                '0'..='9' => c as u32 - '0' as u32,
                '\u{ff10}'..='\u{ff19}' => c as u32 - '\u{ff10}' as u32,
                _ if c.is_whitespace() => continue,
                _ => return Err(Problem::NotNineDigits),
            };
            if n == 9 {
                return Err(Problem::NotNineDigits);
            }
            digits[n] = digit;
            n += 1;
        }
        if n != 9 {
            return Err(Problem::NotNineDigits);
        }
        if Self::check_digit(&digits[..8]) != Some(digits[8]) {
            return Err(Problem::CheckDigit);
        }
        Ok(OrgNumber(digits.iter().fold(0, |acc, d| acc * 10 + d)))
    }

    /// The MOD11 check digit for eight leading digits, or `None` when the computed digit would
    /// be 10 (no valid number has those eight digits).
    pub fn check_digit(first_eight: &[u32]) -> Option<u32> {
        let sum: u32 = first_eight
            .iter()
            .zip(Self::WEIGHTS)
            .map(|(d, w)| d * w)
            .sum();
        match 11 - sum % 11 {
            11 => Some(0),
            10 => None,
            d => Some(d),
        }
    }

    /// The number as an integer (000000000 to 999999999).
    pub const fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<String> for OrgNumber {
    type Error = Problem;
    fn try_from(value: String) -> Result<Self, Problem> {
        Self::parse(&value)
    }
}

impl From<OrgNumber> for String {
    fn from(value: OrgNumber) -> String {
        value.to_string()
    }
}

impl fmt::Display for OrgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:09}", self.0)
    }
}

impl fmt::Debug for OrgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OrgNumber({:09})", self.0)
    }
}

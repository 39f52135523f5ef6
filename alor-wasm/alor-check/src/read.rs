//! JSON text to the core's values — the public snapshot, a form draft, check options — without
//! serde.
//!
//! Why not serde: serde's derived visitors, the buffering behind the internally tagged
//! `Promotion`, serde_json's parser and its error messages (which format floats) were most of a
//! page module's bytes. This reader is a small recursive-descent parser driven by the shapes it
//! expects, and it answers exactly as `serde_json::from_str` with the core's derived
//! `Deserialize` impls does: the same documents are accepted, with the same values, and the rest
//! are refused (`malformed_data`). That includes serde's less known rules — a struct may also be
//! a JSON array of its fields in order, a missing `Option` field is `None`, a unit variant may be
//! written `{"join_time": null}`, unknown fields are refused or skipped as the type says, a
//! duplicate field is an error, strings with an unpaired surrogate escape are refused where a
//! value is read but not where one is skipped, nesting stops at 128 levels where values are read.
//! The tests in `tests.rs` compare both on thousands of mutated documents. One difference is
//! known and harmless: a float literal that agrees with f64's overflow limit (about 1.8e308) in
//! its first 18 digits, in a value that is only buffered and then ignored (an unknown field next
//! to a `Promotion`'s `mode`), may be judged out of range differently. No JSON a JavaScript
//! engine writes comes near it.
//!
//! The shapes are written out here, so they must follow the core's types: a field added to
//! `Gathering`, `RegistrationPolicy` or `PublicSnapshot` makes the tests fail (they read the
//! core's own serialised snapshots) until this reader and `write.rs` know it too.
//!
//! Values are checked the way the core checks them, by its own parsers (`Label::parse`,
//! `OrgNumber::parse`, chrono's date and time constructors through [`crate::instant`]):
//! no rule is restated here, only the JSON shape.

use std::borrow::Cow;
use std::collections::BTreeMap;

use alor_core::{
    DataError, Gathering, Label, Locale, Nok, OrgCount, OrgNumber, PersonDraft, Promotion,
    PublicSnapshot, RegistrationPolicy, Slug, Venue, WaitlistOrder,
};
use chrono::{DateTime, Utc};

/// serde_json's nesting limit for values it reads (skipped values have none).
const MAX_DEPTH: u32 = 128;

/// What went wrong, and where (a byte offset into the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadError {
    at: usize,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Not JSON.
    Syntax(&'static str),
    /// The text ends too early.
    Eof,
    /// JSON, but not the expected shape or value.
    Shape(&'static str),
}

impl ReadError {
    /// As the core's `malformed_data` error, with the line and column and what was expected
    /// (never the value itself: it may be personal data).
    pub fn into_data_error(self, text: &str) -> DataError {
        let before = text.as_bytes().get(..self.at).unwrap_or(text.as_bytes());
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = 1 + before.iter().rev().take_while(|&&b| b != b'\n').count();
        let (category, what) = match self.kind {
            Kind::Syntax(what) => ("syntax error", what),
            Kind::Eof => ("unexpected end of input", "EOF while parsing a value"),
            Kind::Shape(what) => ("unexpected shape or value", what),
        };
        DataError::Malformed {
            detail: format!("{category} at line {line} column {column}: {what}"),
        }
    }
}

type Read<T> = Result<T, ReadError>;

/// Whether a field of a struct may be left out, and what it is then.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Missing {
    /// An error.
    Required,
    /// `None` in an object; an error in the array form (serde's rule for `Option` fields
    /// without `#[serde(default)]`).
    Optional,
    /// Its default value, in both forms.
    Defaulted,
}

struct Reader<'a> {
    src: &'a str,
    text: &'a [u8],
    at: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            src: text,
            text: text.as_bytes(),
            at: 0,
            depth: 0,
        }
    }

    #[inline(never)]
    fn fail<T>(&self, kind: Kind) -> Read<T> {
        Err(ReadError { at: self.at, kind })
    }

    #[inline(never)]
    fn shape<T>(&self, what: &'static str) -> Read<T> {
        self.fail(Kind::Shape(what))
    }

    /// A syntax error, or end of input if that is what was found.
    #[inline(never)]
    fn syntax<T>(&self, what: &'static str) -> Read<T> {
        if self.at >= self.text.len() {
            self.fail(Kind::Eof)
        } else {
            self.fail(Kind::Syntax(what))
        }
    }

    /// The next byte after white space (JSON's four kinds only).
    fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.text.get(self.at) {
            self.at += 1;
        }
        self.text.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn byte(&mut self) -> Option<u8> {
        let b = self.text.get(self.at).copied();
        self.at += 1;
        b
    }

    /// The rest of a literal whose first byte was peeked.
    fn literal(&mut self, word: &'static [u8]) -> Read<()> {
        for &expected in word {
            match self.text.get(self.at) {
                Some(&b) if b == expected => self.at += 1,
                Some(_) => return self.fail(Kind::Syntax("expected ident")),
                None => return self.fail(Kind::Eof),
            }
        }
        Ok(())
    }

    /// Only white space may follow the value.
    fn end(&mut self) -> Read<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => self.fail(Kind::Syntax("trailing characters")),
        }
    }

    fn enter(&mut self) -> Read<()> {
        // serde_json refuses the 128th level.
        if self.depth + 1 >= MAX_DEPTH {
            return self.fail(Kind::Syntax("recursion limit exceeded"));
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // --- scalars ---------------------------------------------------------------------------

    fn hex4(&mut self) -> Read<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = match self.byte() {
                Some(b) => (b as char).to_digit(16),
                None => return self.fail(Kind::Eof),
            };
            match digit {
                Some(d) => n = n * 16 + d,
                None => return self.fail(Kind::Syntax("invalid escape")),
            }
        }
        Ok(n)
    }

    /// A string whose opening quote was peeked. With `keep`, its value (an unpaired surrogate
    /// escape is an error, as serde_json has it), borrowed from the text unless it has escapes;
    /// without, only its syntax is checked (as serde_json does for a value it skips).
    #[inline(never)]
    fn string_inner(&mut self, keep: bool) -> Read<Cow<'a, str>> {
        self.at += 1;
        let mut out: Option<String> = None;
        loop {
            let start = self.at;
            while let Some(&b) = self.text.get(self.at) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // Both ends are at ASCII bytes, so on character boundaries: `get` never fails here,
            // and would give "" rather than panic if it did.
            let run = self.src.get(start..self.at).unwrap_or_default();
            match self.byte() {
                None => return self.fail(Kind::Eof),
                Some(b'"') => {
                    return Ok(match out {
                        Some(mut owned) => {
                            owned.push_str(run);
                            Cow::Owned(owned)
                        }
                        None => Cow::Borrowed(run),
                    })
                }
                Some(b'\\') => {
                    if keep {
                        out.get_or_insert_with(String::new).push_str(run);
                    }
                }
                Some(_) => {
                    self.at -= 1;
                    return self.fail(Kind::Syntax("control character while parsing a string"));
                }
            }
            let simple = match self.byte() {
                None => return self.fail(Kind::Eof),
                Some(b'"') => '"',
                Some(b'\\') => '\\',
                Some(b'/') => '/',
                Some(b'b') => '\u{8}',
                Some(b'f') => '\u{c}',
                Some(b'n') => '\n',
                Some(b'r') => '\r',
                Some(b't') => '\t',
                Some(b'u') => {
                    let unit = self.hex4()?;
                    if !keep {
                        continue;
                    }
                    self.code_point(unit)?
                }
                Some(_) => return self.fail(Kind::Syntax("invalid escape")),
            };
            if keep {
                out.get_or_insert_with(String::new).push(simple);
            }
        }
    }

    /// The character of a `\u` escape, reading the second half of a surrogate pair.
    fn code_point(&mut self, unit: u32) -> Read<char> {
        let unit = match unit {
            0xDC00..=0xDFFF => return self.fail(Kind::Syntax("lone leading surrogate")),
            0xD800..=0xDBFF => {
                if self.byte() != Some(b'\\') || self.byte() != Some(b'u') {
                    return self.syntax("unexpected end of hex escape");
                }
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return self.fail(Kind::Syntax("lone leading surrogate"));
                }
                0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            }
            _ => unit,
        };
        match char::from_u32(unit) {
            Some(c) => Ok(c),
            None => self.fail(Kind::Syntax("invalid unicode code point")),
        }
    }

    /// A number whose first byte was peeked: its value if it is an integer literal (no sign,
    /// fraction or exponent) that fits a u64, else `None` (serde_json reads those as negative
    /// or floating point numbers, which no field here takes). With `range`, a number serde_json
    /// would read as an infinite float is an error ("number out of range"; this compares the
    /// first 18 digits with the rounding limit above `f64::MAX`: see the module docs).
    #[inline(never)]
    fn number(&mut self, range: bool) -> Read<Option<u64>> {
        let negative = self.text.get(self.at) == Some(&b'-');
        if negative {
            self.at += 1;
        }
        let mut value = Some(0u64);
        // The first significant digits, for the range check, without allocating.
        let mut top = [0u8; 18];
        let mut top_len = 0;
        let mut significant = false;
        let mut whole_digits = 0i64;
        match self.text.get(self.at) {
            Some(b'0') => {
                self.at += 1;
                if let Some(b'0'..=b'9') = self.text.get(self.at) {
                    return self.fail(Kind::Syntax("invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                significant = true;
                while let Some(&b @ b'0'..=b'9') = self.text.get(self.at) {
                    self.at += 1;
                    value = value
                        .and_then(|v| v.checked_mul(10))
                        .and_then(|v| v.checked_add(u64::from(b - b'0')));
                    if top_len < top.len() {
                        top[top_len] = b;
                        top_len += 1;
                    }
                    whole_digits += 1;
                }
            }
            Some(_) => return self.fail(Kind::Syntax("invalid number")),
            None => return self.fail(Kind::Eof),
        }
        let mut integer = !negative;
        let mut leading_zeros = 0i64;
        let mut nonzero = value != Some(0);
        if self.text.get(self.at) == Some(&b'.') {
            self.at += 1;
            integer = false;
            let start = self.at;
            while let Some(&b @ b'0'..=b'9') = self.text.get(self.at) {
                self.at += 1;
                if !significant && b == b'0' {
                    leading_zeros += 1;
                    continue;
                }
                significant = true;
                nonzero |= b != b'0';
                if top_len < top.len() {
                    top[top_len] = b;
                    top_len += 1;
                }
            }
            if self.at == start {
                return self.syntax("invalid number");
            }
        }
        let mut exponent = 0i64;
        if let Some(b'e' | b'E') = self.text.get(self.at) {
            self.at += 1;
            integer = false;
            let minus = match self.text.get(self.at) {
                Some(b'-') => {
                    self.at += 1;
                    true
                }
                Some(b'+') => {
                    self.at += 1;
                    false
                }
                _ => false,
            };
            let start = self.at;
            while let Some(&b @ b'0'..=b'9') = self.text.get(self.at) {
                self.at += 1;
                exponent = exponent
                    .saturating_mul(10)
                    .saturating_add(i64::from(b - b'0'));
            }
            if self.at == start {
                return self.syntax("invalid number");
            }
            if minus {
                exponent = -exponent;
            }
        }
        if integer {
            return Ok(value);
        }
        if range && nonzero {
            // The decimal exponent of the first significant digit.
            let magnitude = if whole_digits > 0 {
                whole_digits - 1
            } else {
                -leading_zeros - 1
            }
            .saturating_add(exponent);
            let max = b"179769313486231581";
            let top = top.get(..top_len).unwrap_or_default();
            if magnitude > 308
                || (magnitude == 308 && top >= max.get(..top_len).unwrap_or_default())
            {
                return self.shape("number out of range");
            }
        }
        Ok(None)
    }

    // --- values that are skipped -------------------------------------------------------------

    /// Skips one value (an unknown field of a type that allows them), checking only its syntax,
    /// with no nesting limit — as serde_json ignores a value.
    #[inline(never)]
    fn skip(&mut self) -> Read<()> {
        let mut open: Vec<u8> = Vec::new();
        loop {
            match self.peek() {
                None => return self.fail(Kind::Eof),
                Some(b'"') => {
                    self.string_inner(false)?;
                }
                Some(b'-' | b'0'..=b'9') => {
                    self.number(false)?;
                }
                Some(b't') => self.literal(b"true")?,
                Some(b'f') => self.literal(b"false")?,
                Some(b'n') => self.literal(b"null")?,
                Some(b'[') => {
                    self.at += 1;
                    if !self.eat(b']') {
                        open.push(b']');
                        continue;
                    }
                }
                Some(b'{') => {
                    self.at += 1;
                    if !self.eat(b'}') {
                        open.push(b'}');
                        self.skip_key()?;
                        continue;
                    }
                }
                Some(_) => return self.fail(Kind::Syntax("expected value")),
            }
            // After a value: close what is complete, or go on to the next element.
            loop {
                let Some(&close) = open.last() else {
                    return Ok(());
                };
                if self.eat(b',') {
                    if close == b'}' {
                        self.skip_key()?;
                    }
                    break;
                }
                if self.eat(close) {
                    open.pop();
                    continue;
                }
                return self.syntax("expected `,` or a closing bracket");
            }
        }
    }

    fn skip_key(&mut self) -> Read<()> {
        match self.peek() {
            Some(b'"') => {
                self.string_inner(false)?;
            }
            _ => return self.syntax("key must be a string"),
        }
        self.colon()
    }

    fn colon(&mut self) -> Read<()> {
        if self.eat(b':') {
            Ok(())
        } else {
            self.syntax("expected `:`")
        }
    }

    // --- values that are read ----------------------------------------------------------------

    #[inline(never)]
    fn string(&mut self) -> Read<Cow<'a, str>> {
        match self.peek() {
            Some(b'"') => self.string_inner(true),
            None => self.fail(Kind::Eof),
            Some(_) => self.shape("invalid type, expected a string"),
        }
    }

    #[inline(never)]
    fn boolean(&mut self) -> Read<bool> {
        match self.peek() {
            Some(b't') => self.literal(b"true").map(|()| true),
            Some(b'f') => self.literal(b"false").map(|()| false),
            None => self.fail(Kind::Eof),
            Some(_) => self.shape("invalid type, expected a boolean"),
        }
    }

    #[inline(never)]
    fn unsigned(&mut self, max: u64) -> Read<u64> {
        let at = self.peek();
        match at {
            Some(b'-' | b'0'..=b'9') => match self.number(false)? {
                Some(n) if n <= max => Ok(n),
                Some(_) => self.shape("invalid value, integer out of range"),
                None => self.shape("invalid type, expected an unsigned integer"),
            },
            None => self.fail(Kind::Eof),
            Some(_) => self.shape("invalid type, expected an unsigned integer"),
        }
    }

    fn u32(&mut self) -> Read<u32> {
        self.unsigned(u64::from(u32::MAX)).map(|n| n as u32)
    }

    /// `null` (consumed) or not.
    #[inline(never)]
    fn null(&mut self) -> Read<bool> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    #[inline(never)]
    fn instant(&mut self) -> Read<DateTime<Utc>> {
        let text = self.string()?;
        // As chrono's serde impl parses it (RFC 3339, relaxed).
        crate::instant::parse(&text).map_or_else(
            || self.shape("invalid value, expected an RFC 3339 date-time"),
            Ok,
        )
    }

    #[inline(never)]
    fn label(&mut self) -> Read<Label> {
        let text = self.string()?;
        Label::parse(&text).or_else(|_| self.shape("invalid value, expected a label"))
    }

    #[inline(never)]
    fn slug(&mut self) -> Read<Slug> {
        let text = self.string()?;
        Slug::parse(&text).or_else(|_| self.shape("invalid value, expected an id"))
    }

    /// A struct, as serde derives it: an object of named fields, or an array of the fields in
    /// order. `field(reader, i)` reads the value of field `i`; the answer is whether it was the
    /// array form. Missing fields are checked by [`Reader::missing`].
    ///
    /// Not generic (a `dyn` callback, a bit set of the fields seen), so there is one copy of it.
    #[inline(never)]
    fn structure(
        &mut self,
        names: &[&'static str],
        deny_unknown: bool,
        field: &mut dyn FnMut(&mut Self, usize) -> Read<()>,
    ) -> Read<(bool, u32)> {
        let mut seen = 0u32;
        match self.peek() {
            Some(b'{') => {
                self.enter()?;
                self.at += 1;
                if !self.eat(b'}') {
                    loop {
                        let key = self.key()?;
                        match names.iter().position(|n| *n == key) {
                            Some(i) if seen & (1 << i) != 0 => {
                                return self.shape("duplicate field")
                            }
                            Some(i) => {
                                seen |= 1 << i;
                                field(self, i)?;
                            }
                            None if deny_unknown => return self.shape("unknown field"),
                            None => self.skip()?,
                        }
                        if self.eat(b',') {
                            continue;
                        }
                        if self.eat(b'}') {
                            break;
                        }
                        return self.syntax("expected `,` or `}`");
                    }
                }
                self.leave();
                Ok((false, seen))
            }
            Some(b'[') => {
                self.enter()?;
                self.at += 1;
                let mut i = 0;
                if !self.eat(b']') {
                    loop {
                        if i == names.len() {
                            return self.shape("invalid length, too many elements");
                        }
                        field(self, i)?;
                        seen |= 1 << i;
                        i += 1;
                        if self.eat(b',') {
                            continue;
                        }
                        if self.eat(b']') {
                            break;
                        }
                        return self.syntax("expected `,` or `]`");
                    }
                }
                self.leave();
                Ok((true, seen))
            }
            None => self.fail(Kind::Eof),
            Some(_) => self.shape("invalid type, expected an object"),
        }
    }

    /// Checks the fields left out of a struct against what each may be.
    fn missing(&self, (array, seen): (bool, u32), rules: &[Missing]) -> Read<()> {
        for (i, &rule) in rules.iter().enumerate() {
            let seen = seen & (1 << i) != 0;
            let ok = seen || rule == Missing::Defaulted || (rule == Missing::Optional && !array);
            if !ok {
                return if array {
                    self.shape("invalid length, too few elements")
                } else {
                    self.shape("missing field")
                };
            }
        }
        Ok(())
    }

    /// An object key and its colon.
    #[inline(never)]
    fn key(&mut self) -> Read<Cow<'a, str>> {
        let key = match self.peek() {
            Some(b'"') => self.string_inner(true)?,
            _ => return self.syntax("key must be a string"),
        };
        self.colon()?;
        Ok(key)
    }

    /// A unit variant of an externally tagged enum (as serde's derive reads one from
    /// serde_json): `"name"`, or `{"name": null}`.
    fn unit_variant<T: Copy>(&mut self, variants: &[(&str, T)]) -> Read<T> {
        let find = |name: &str| variants.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        match self.peek() {
            Some(b'"') => {
                let name = self.string_inner(true)?;
                find(&name).map_or_else(|| self.shape("unknown variant"), Ok)
            }
            Some(b'{') => {
                self.enter()?;
                self.at += 1;
                let name = match self.peek() {
                    Some(b'"') => self.string_inner(true)?,
                    None => return self.fail(Kind::Eof),
                    Some(_) => return self.shape("invalid type, expected a variant name"),
                };
                let variant = find(&name).map_or_else(|| self.shape("unknown variant"), Ok)?;
                self.colon()?;
                if !self.null()? {
                    return self.shape("invalid type, expected unit");
                }
                if !self.eat(b'}') {
                    return self.syntax("expected `}`");
                }
                self.leave();
                Ok(variant)
            }
            None => self.fail(Kind::Eof),
            Some(_) => self.shape("invalid type, expected an enum"),
        }
    }

    /// Any value, read in full as serde buffers the fields of an internally tagged enum:
    /// strings must be valid, numbers in range, nesting within the limit. `Some(n)` for an
    /// integer literal that fits a u64.
    #[inline(never)]
    fn content(&mut self) -> Read<Option<u64>> {
        match self.peek() {
            None => self.fail(Kind::Eof),
            Some(b'"') => self.string_inner(true).map(|_| None),
            Some(b'-' | b'0'..=b'9') => self.number(true),
            Some(b't') => self.literal(b"true").map(|()| None),
            Some(b'f') => self.literal(b"false").map(|()| None),
            Some(b'n') => self.literal(b"null").map(|()| None),
            Some(open @ (b'[' | b'{')) => {
                let close = if open == b'[' { b']' } else { b'}' };
                self.enter()?;
                self.at += 1;
                if !self.eat(close) {
                    loop {
                        if open == b'{' {
                            self.key()?;
                        }
                        self.content()?;
                        if self.eat(b',') {
                            continue;
                        }
                        if self.eat(close) {
                            break;
                        }
                        return self.syntax("expected `,` or a closing bracket");
                    }
                }
                self.leave();
                Ok(None)
            }
            Some(_) => self.fail(Kind::Syntax("expected value")),
        }
    }

    /// A u32 as serde reads it out of buffered content.
    fn content_u32(&mut self) -> Read<u32> {
        match self.content()? {
            Some(n) if n <= u64::from(u32::MAX) => Ok(n as u32),
            Some(_) => self.shape("invalid value, integer out of range"),
            None => self.shape("invalid type, expected an unsigned integer"),
        }
    }

    // --- the core's types --------------------------------------------------------------------

    /// `Promotion`, internally tagged by `mode` (`{"mode": "offer", "hold_minutes": 30}`).
    fn promotion(&mut self) -> Read<Promotion> {
        #[derive(Clone, Copy)]
        enum Mode {
            Automatic,
            Offer,
        }
        const MODES: [(&str, Mode); 2] = [("automatic", Mode::Automatic), ("offer", Mode::Offer)];
        let mode_of = |r: &mut Self| -> Read<Mode> {
            let name = r.string()?;
            match MODES.iter().find(|(n, _)| *n == name) {
                Some((_, mode)) => Ok(*mode),
                None => r.shape("unknown variant"),
            }
        };
        match self.peek() {
            Some(b'{') => {
                self.enter()?;
                self.at += 1;
                let mut mode = None;
                // hold_minutes: not seen, seen once (its value or its error), seen twice.
                let mut hold: Option<Read<u32>> = None;
                let mut twice = false;
                if !self.eat(b'}') {
                    loop {
                        let key = self.key()?;
                        if key == "mode" {
                            if mode.is_some() {
                                return self.shape("duplicate field `mode`");
                            }
                            mode = Some(mode_of(self)?);
                        } else if key == "hold_minutes" {
                            // Buffered first; its type is judged once the mode is known.
                            twice |= hold.is_some();
                            let value = self.content_u32();
                            if let Err(ReadError {
                                kind: Kind::Syntax(_) | Kind::Eof,
                                ..
                            })
                            | Err(ReadError {
                                kind: Kind::Shape("number out of range"),
                                ..
                            }) = value
                            {
                                return value.map(|_| Promotion::Automatic);
                            }
                            hold = Some(value);
                        } else {
                            self.content()?;
                        }
                        if self.eat(b',') {
                            continue;
                        }
                        if self.eat(b'}') {
                            break;
                        }
                        return self.syntax("expected `,` or `}`");
                    }
                }
                self.leave();
                match mode {
                    None => self.shape("missing field `mode`"),
                    Some(Mode::Automatic) => Ok(Promotion::Automatic),
                    Some(Mode::Offer) => match hold {
                        None => self.shape("missing field `hold_minutes`"),
                        Some(Err(e)) => Err(e),
                        Some(Ok(_)) if twice => self.shape("duplicate field `hold_minutes`"),
                        Some(Ok(hold_minutes)) => Ok(Promotion::Offer { hold_minutes }),
                    },
                }
            }
            Some(b'[') => {
                self.enter()?;
                self.at += 1;
                if self.eat(b']') {
                    return self.shape("missing field `mode`");
                }
                let mode = mode_of(self)?;
                let mut rest: Vec<Read<u32>> = Vec::new();
                while self.eat(b',') {
                    let value = self.content_u32();
                    if let Err(ReadError {
                        kind: Kind::Syntax(_) | Kind::Eof | Kind::Shape("number out of range"),
                        ..
                    }) = value
                    {
                        return value.map(|_| Promotion::Automatic);
                    }
                    rest.push(value);
                }
                if !self.eat(b']') {
                    return self.syntax("expected `,` or `]`");
                }
                self.leave();
                // The buffered rest must be used up: nothing for `automatic`, the hold for `offer`.
                match (mode, rest.as_slice()) {
                    (Mode::Automatic, []) => Ok(Promotion::Automatic),
                    (Mode::Automatic, _) => self.shape("invalid length"),
                    (Mode::Offer, [Ok(hold_minutes)]) => Ok(Promotion::Offer {
                        hold_minutes: *hold_minutes,
                    }),
                    (Mode::Offer, [Err(e), ..]) => Err(*e),
                    (Mode::Offer, _) => self.shape("invalid length"),
                }
            }
            None => self.fail(Kind::Eof),
            Some(_) => self.shape("invalid type, expected internally tagged enum Promotion"),
        }
    }

    fn policy(&mut self) -> Read<RegistrationPolicy> {
        let (mut capacity, mut opens_at, mut closes_at, mut cancellation_deadline) =
            (None, None, None, None);
        let (mut max_per_organisation, mut waitlist, mut waitlist_order, mut promotion) =
            (None, None, None, None);
        let names = [
            "capacity",
            "opens_at",
            "closes_at",
            "cancellation_deadline",
            "max_per_organisation",
            "waitlist",
            "waitlist_order",
            "promotion",
        ];
        let seen = self.structure(&names, true, &mut |r, i| {
            match i {
                0 => capacity = Some(r.u32()?),
                1 => opens_at = Some(r.instant()?),
                2 => closes_at = Some(r.instant()?),
                3 => cancellation_deadline = Some(r.instant()?),
                4 => max_per_organisation = Some(if r.null()? { None } else { Some(r.u32()?) }),
                5 => waitlist = Some(r.boolean()?),
                6 => {
                    waitlist_order = Some(r.unit_variant(&[
                        ("join_time", WaitlistOrder::JoinTime),
                        ("first_time_first", WaitlistOrder::FirstTimeFirst),
                        (
                            "new_organisations_first",
                            WaitlistOrder::NewOrganisationsFirst,
                        ),
                    ])?)
                }
                _ => promotion = Some(r.promotion()?),
            }
            Ok(())
        })?;
        use Missing::{Defaulted, Required};
        let rules = [
            Required, Required, Required, Required, Defaulted, Defaulted, Defaulted, Defaulted,
        ];
        self.missing(seen, &rules)?;
        match (capacity, opens_at, closes_at, cancellation_deadline) {
            (Some(capacity), Some(opens_at), Some(closes_at), Some(cancellation_deadline)) => {
                Ok(RegistrationPolicy {
                    capacity,
                    opens_at,
                    closes_at,
                    cancellation_deadline,
                    max_per_organisation: max_per_organisation.flatten(),
                    waitlist: waitlist.unwrap_or(true),
                    waitlist_order: waitlist_order.unwrap_or_default(),
                    promotion: promotion.unwrap_or_default(),
                })
            }
            _ => self.shape("missing field"),
        }
    }

    fn venue(&mut self) -> Read<Venue> {
        let (mut name, mut town) = (None, None);
        let seen = self.structure(&["name", "town"], true, &mut |r, i| {
            match i {
                0 => name = Some(r.label()?),
                _ => town = Some(r.label()?),
            }
            Ok(())
        })?;
        self.missing(seen, &[Missing::Required; 2])?;
        match (name, town) {
            (Some(name), Some(town)) => Ok(Venue { name, town }),
            _ => self.shape("missing field"),
        }
    }

    fn gathering(&mut self) -> Read<Gathering> {
        let (mut id, mut network, mut title, mut theme) = (None, None, None, None);
        let (mut starts_at, mut ends_at, mut venue, mut price, mut policy) =
            (None, None, None, None, None);
        let names = [
            "id",
            "network",
            "title",
            "theme",
            "starts_at",
            "ends_at",
            "venue",
            "price",
            "policy",
        ];
        let seen = self.structure(&names, true, &mut |r, i| {
            match i {
                0 => id = Some(r.slug()?),
                1 => network = Some(r.slug()?),
                2 => title = Some(r.label()?),
                3 => theme = Some(r.label()?),
                4 => starts_at = Some(r.instant()?),
                5 => ends_at = Some(r.instant()?),
                6 => venue = Some(r.venue()?),
                7 => price = Some(Nok(r.unsigned(u64::MAX)?)),
                _ => policy = Some(r.policy()?),
            }
            Ok(())
        })?;
        self.missing(seen, &[Missing::Required; 9])?;
        match (
            id, network, title, theme, starts_at, ends_at, venue, price, policy,
        ) {
            (
                Some(id),
                Some(network),
                Some(title),
                Some(theme),
                Some(starts_at),
                Some(ends_at),
                Some(venue),
                Some(price),
                Some(policy),
            ) => Ok(Gathering {
                id,
                network,
                title,
                theme,
                starts_at,
                ends_at,
                venue,
                price,
                policy,
            }),
            _ => self.shape("missing field"),
        }
    }

    fn org_count(&mut self) -> Read<OrgCount> {
        let (mut counted, mut active) = (None, None);
        let seen = self.structure(&["counted", "active"], false, &mut |r, i| {
            match i {
                0 => counted = Some(r.u32()?),
                _ => active = Some(r.u32()?),
            }
            Ok(())
        })?;
        self.missing(seen, &[Missing::Required; 2])?;
        match (counted, active) {
            (Some(counted), Some(active)) => Ok(OrgCount { counted, active }),
            _ => self.shape("missing field"),
        }
    }

    /// Organisation number → counts (a JSON object; a repeated key keeps the last value, as
    /// serde's map impl does).
    fn organisations(&mut self) -> Read<BTreeMap<OrgNumber, OrgCount>> {
        let mut map = BTreeMap::new();
        match self.peek() {
            Some(b'{') => {
                self.enter()?;
                self.at += 1;
                if !self.eat(b'}') {
                    loop {
                        let key = self.key()?;
                        let number = OrgNumber::parse(&key).or_else(|_| {
                            self.shape("invalid value, expected an organisation number")
                        })?;
                        map.insert(number, self.org_count()?);
                        if self.eat(b',') {
                            continue;
                        }
                        if self.eat(b'}') {
                            break;
                        }
                        return self.syntax("expected `,` or `}`");
                    }
                }
                self.leave();
                Ok(map)
            }
            None => self.fail(Kind::Eof),
            Some(_) => self.shape("invalid type, expected a map"),
        }
    }

    fn snapshot(&mut self) -> Read<PublicSnapshot> {
        let (mut schema_version, mut gathering, mut version) = (None, None, None);
        let (mut as_of, mut valid_until, mut manually_closed) = (None, None, None);
        let (mut counted_seats, mut waitlist, mut priority_waitlist) = (None, None, None);
        let (mut eligible_waiting, mut organisations) = (None, None);
        let names = [
            "schema_version",
            "gathering",
            "version",
            "as_of",
            "valid_until",
            "manually_closed",
            "counted_seats",
            "waitlist",
            "priority_waitlist",
            "eligible_waiting",
            "organisations",
        ];
        let seen = self.structure(&names, true, &mut |r, i| {
            match i {
                0 => schema_version = Some(r.u32()?),
                1 => gathering = Some(r.gathering()?),
                2 => version = Some(r.unsigned(u64::MAX)?),
                3 => as_of = Some(if r.null()? { None } else { Some(r.instant()?) }),
                4 => valid_until = Some(if r.null()? { None } else { Some(r.instant()?) }),
                5 => manually_closed = Some(r.boolean()?),
                6 => counted_seats = Some(r.u32()?),
                7 => waitlist = Some(r.u32()?),
                8 => priority_waitlist = Some(r.u32()?),
                9 => eligible_waiting = Some(r.boolean()?),
                _ => organisations = Some(r.organisations()?),
            }
            Ok(())
        })?;
        use Missing::{Defaulted, Optional, Required};
        let rules = [
            Required, Required, Required, Optional, Optional, Required, Required, Required,
            Required, Required, Defaulted,
        ];
        self.missing(seen, &rules)?;
        match (
            schema_version,
            gathering,
            version,
            manually_closed,
            counted_seats,
            waitlist,
            priority_waitlist,
            eligible_waiting,
        ) {
            (
                Some(schema_version),
                Some(gathering),
                Some(version),
                Some(manually_closed),
                Some(counted_seats),
                Some(waitlist),
                Some(priority_waitlist),
                Some(eligible_waiting),
            ) => Ok(PublicSnapshot {
                schema_version,
                gathering,
                version,
                as_of: as_of.flatten(),
                valid_until: valid_until.flatten(),
                manually_closed,
                counted_seats,
                waitlist,
                priority_waitlist,
                eligible_waiting,
                organisations: organisations.unwrap_or_default(),
            }),
            _ => self.shape("missing field"),
        }
    }

    fn draft(&mut self) -> Read<PersonDraft> {
        let mut draft = PersonDraft::default();
        let names = [
            "name",
            "email",
            "phone",
            "organisation_name",
            "organisation_number",
            "sector",
            "industry",
            "role",
        ];
        // `#[serde(default)]` on the struct, unknown fields skipped: nothing can be missing.
        self.structure(&names, false, &mut |r, i| {
            let value = r.string()?.into_owned();
            match i {
                0 => draft.name = value,
                1 => draft.email = value,
                2 => draft.phone = value,
                3 => draft.organisation_name = value,
                4 => draft.organisation_number = value,
                5 => draft.sector = value,
                6 => draft.industry = value,
                _ => draft.role = value,
            }
            Ok(())
        })?;
        Ok(draft)
    }

    fn options(&mut self) -> Read<CheckOptions> {
        let mut options = CheckOptions::default();
        self.structure(&["now", "locale", "firstTime"], true, &mut |r, i| {
            match i {
                // A `null` is an error, not "use the clock": an invalid Date becomes null in JSON.
                0 => options.now = Some(r.instant()?),
                1 => options.locale = r.unit_variant(&[("nb", Locale::Nb), ("en", Locale::En)])?,
                _ => options.first_time = r.boolean()?,
            }
            Ok(())
        })?;
        Ok(options)
    }
}

/// The options of a check (`{now, locale, firstTime}`, every one optional).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// The instant to check at; the host's clock when left out.
    pub now: Option<DateTime<Utc>>,
    /// The language of the messages.
    pub locale: Locale,
    /// Whether the person has never attended the network before.
    pub first_time: bool,
}

fn whole<'t, T>(
    text: &'t str,
    read: impl FnOnce(&mut Reader<'t>) -> Read<T>,
) -> Result<T, DataError> {
    let mut reader = Reader::new(text);
    read(&mut reader)
        .and_then(|value| reader.end().map(|()| value))
        .map_err(|e| e.into_data_error(text))
}

/// A public snapshot from JSON, as `serde_json::from_str::<PublicSnapshot>` reads it (not yet
/// checked: call `PublicSnapshot::validate`).
pub fn snapshot(text: &str) -> Result<PublicSnapshot, DataError> {
    whole(text, Reader::snapshot)
}

/// A form draft from JSON, as `serde_json::from_str::<PersonDraft>` reads it.
pub fn draft(text: &str) -> Result<PersonDraft, DataError> {
    whole(text, Reader::draft)
}

/// Check options from JSON (`{now, locale, firstTime}`, unknown keys refused).
pub fn options(text: &str) -> Result<CheckOptions, DataError> {
    whole(text, Reader::options)
}

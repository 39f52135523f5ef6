//! Core values serialised straight into Python objects, with no `serde_json::Value` between.
//!
//! The objects are the ones the JSON path ([`crate::convert::serde_to_py`]) gives: dicts, lists,
//! str, int, float, bool, None, and an aware UTC `datetime` for a string under one of the core's
//! [`INSTANT_KEYS`]. Field names and unit-variant names are `&'static str`s, so each becomes a
//! Python string once and is reused (an interned key also keeps its hash, which makes building
//! and reading the dict cheaper); `pythonize` builds a fresh string for every key of every event,
//! which was most of the output's cost.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

use alor_core::INSTANT_KEYS;
use chrono::{DateTime, Utc};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use serde::ser::{self, Serialize};

use crate::convert::from_utc;

/// A failed conversion: a Python error (an instant Python cannot hold), or a value the core
/// should never produce (a bug).
pub enum Failed {
    Python(PyErr),
    /// The serde message is not kept: it could quote a value.
    Unsupported,
}

impl fmt::Debug for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Failed")
    }
}

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value did not serialise")
    }
}

impl std::error::Error for Failed {}

impl ser::Error for Failed {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Failed::Unsupported
    }
}

impl From<std::convert::Infallible> for Failed {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

impl From<PyErr> for Failed {
    fn from(e: PyErr) -> Self {
        Failed::Python(e)
    }
}

type Out<'py> = Result<Bound<'py, PyAny>, Failed>;

/// Python strings of `&'static str`s (field and variant names), made once per process.
type Names = HashMap<(usize, usize), Py<PyString>, BuildHasherDefault<AddressHasher>>;

/// The keys are addresses and lengths of `&'static str`s, a few dozen of them, looked up for every
/// field of every event: a multiply-and-fold is enough, SipHash was a tenth of a `decide`.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
static NAMES: Mutex<Option<Names>> = Mutex::new(None);

fn name<'py>(py: Python<'py>, text: &'static str) -> Bound<'py, PyString> {
    let key = (text.as_ptr() as usize, text.len());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    let names = names.get_or_insert_with(Names::default);
    // PyString::intern does not run Python code, so holding the lock here cannot deadlock.
    names
        .entry(key)
        .or_insert_with(|| PyString::intern(py, text).unbind())
        .bind(py)
        .clone()
}

/// `value` as an aware datetime if `key` names an instant and `value` is an RFC 3339 string.
fn keyed<'py>(py: Python<'py>, key: &str, value: Bound<'py, PyAny>) -> Out<'py> {
    if !INSTANT_KEYS.contains(&key) {
        return Ok(value);
    }
    let Ok(text) = value.cast::<PyString>() else {
        return Ok(value);
    };
    match text.to_str().map(DateTime::parse_from_rfc3339) {
        Ok(Ok(at)) => Ok(from_utc(py, at.with_timezone(&Utc))?),
        _ => Ok(value),
    }
}

/// Serialises `value` into Python objects (see the module docs).
pub fn to_python<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> Out<'py> {
    value.serialize(PySer { py })
}

#[derive(Clone, Copy)]
pub struct PySer<'py> {
    py: Python<'py>,
}

pub struct Seq<'py> {
    py: Python<'py>,
    items: Vec<Bound<'py, PyAny>>,
    /// For a tuple variant: `{variant: [items]}`.
    variant: Option<&'static str>,
}

pub struct Dict<'py> {
    py: Python<'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
    /// For a struct variant: `{variant: {fields}}`.
    variant: Option<&'static str>,
}

fn wrap<'py>(py: Python<'py>, variant: Option<&'static str>, value: Bound<'py, PyAny>) -> Out<'py> {
    match variant {
        None => Ok(value),
        Some(v) => {
            let outer = PyDict::new(py);
            outer.set_item(name(py, v), value)?;
            Ok(outer.into_any())
        }
    }
}

impl<'py> ser::Serializer for PySer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    type SerializeSeq = Seq<'py>;
    type SerializeTuple = Seq<'py>;
    type SerializeTupleStruct = Seq<'py>;
    type SerializeTupleVariant = Seq<'py>;
    type SerializeMap = Dict<'py>;
    type SerializeStruct = Dict<'py>;
    type SerializeStructVariant = Dict<'py>;

    fn serialize_bool(self, v: bool) -> Out<'py> {
        Ok(pyo3::types::PyBool::new(self.py, v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> Out<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Out<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Out<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Out<'py> {
        Ok(v.into_pyobject(self.py)?.into_any())
    }
    fn serialize_u8(self, v: u8) -> Out<'py> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Out<'py> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Out<'py> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Out<'py> {
        Ok(v.into_pyobject(self.py)?.into_any())
    }
    fn serialize_f32(self, v: f32) -> Out<'py> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Out<'py> {
        // serde_json writes a non-finite float as null; so does this.
        if !v.is_finite() {
            return self.serialize_none();
        }
        Ok(v.into_pyobject(self.py)?.into_any())
    }
    fn serialize_char(self, v: char) -> Out<'py> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Out<'py> {
        Ok(PyString::new(self.py, v).into_any())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Out<'py> {
        Err(Failed::Unsupported)
    }
    fn serialize_none(self) -> Out<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _n: &'static str, _i: u32, variant: &'static str) -> Out<'py> {
        Ok(name(self.py, variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _n: &'static str, v: &T) -> Out<'py> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _n: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> Out<'py> {
        let inner = value.serialize(self)?;
        wrap(self.py, Some(variant), inner)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'py>, Failed> {
        Ok(Seq {
            py: self.py,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'py>, Failed> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _n: &'static str, len: usize) -> Result<Seq<'py>, Failed> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _n: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'py>, Failed> {
        let mut seq = self.serialize_seq(Some(len))?;
        seq.variant = Some(variant);
        Ok(seq)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Dict<'py>, Failed> {
        Ok(Dict {
            py: self.py,
            dict: PyDict::new(self.py),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _n: &'static str, len: usize) -> Result<Dict<'py>, Failed> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _n: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Dict<'py>, Failed> {
        let mut dict = self.serialize_map(Some(len))?;
        dict.variant = Some(variant);
        Ok(dict)
    }
}

impl<'py> Seq<'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        self.items.push(value.serialize(PySer { py: self.py })?);
        Ok(())
    }
    fn done(self) -> Out<'py> {
        let list = PyList::new(self.py, self.items)?.into_any();
        wrap(self.py, self.variant, list)
    }
}

macro_rules! seq_impl {
    ($trait:ident, $method:ident) => {
        impl<'py> ser::$trait for Seq<'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Failed;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
                self.push(value)
            }
            fn end(self) -> Out<'py> {
                self.done()
            }
        }
    };
}
seq_impl!(SerializeSeq, serialize_element);
seq_impl!(SerializeTuple, serialize_element);
seq_impl!(SerializeTupleStruct, serialize_field);
seq_impl!(SerializeTupleVariant, serialize_field);

impl<'py> Dict<'py> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Failed> {
        let value = value.serialize(PySer { py: self.py })?;
        let value = keyed(self.py, key, value)?;
        self.dict.set_item(name(self.py, key), value)?;
        Ok(())
    }
    fn done(self) -> Out<'py> {
        wrap(self.py, self.variant, self.dict.into_any())
    }
}

impl<'py> ser::SerializeMap for Dict<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Failed> {
        let key = key.serialize(PySer { py: self.py })?;
        // JSON object keys are strings; serde_json writes integer keys as their digits.
        let key = if key.is_instance_of::<PyString>() {
            key
        } else {
            key.str()?.into_any()
        };
        self.key = Some(key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        let key = self.key.take().ok_or_else(|| Failed::Unsupported)?;
        let value = value.serialize(PySer { py: self.py })?;
        let value = match key.cast::<PyString>().ok().and_then(|k| k.to_str().ok()) {
            Some(k) => keyed(self.py, k, value)?,
            None => value,
        };
        self.dict.set_item(key, value)?;
        Ok(())
    }
    fn end(self) -> Out<'py> {
        self.done()
    }
}

impl<'py> ser::SerializeStruct for Dict<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        self.field(key, value)
    }
    fn end(self) -> Out<'py> {
        self.done()
    }
}

impl<'py> ser::SerializeStructVariant for Dict<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        self.field(key, value)
    }
    fn end(self) -> Out<'py> {
        self.done()
    }
}

//! Python objects read straight into the core's serde types, with no `serde_json::Value` between.
//!
//! [`PyInput`] is a serde `Deserializer` over a Python value that accepts exactly what
//! [`crate::convert::to_json`] accepts (dicts with str keys, lists, tuples, str, int, float,
//! bool, None, aware datetimes as RFC 3339 strings) and nothing more, so the fast path can never
//! accept a value the old path would refuse. It reports no details: on any failure the caller
//! runs the old path (`to_json` + the core's `from_value`), which gives the exact error, code,
//! field and path it always gave. Errors are rare; a command that succeeds pays only for this
//! walk.

use std::fmt;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::convert::{is_datetime, to_utc, MAX_DEPTH};

/// "Not on the fast path": the caller re-runs the old path for the real error.
#[derive(Debug)]
pub struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("refused by the fast path")
    }
}

impl std::error::Error for Refused {}

impl de::Error for Refused {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Refused
    }
}

impl From<PyErr> for Refused {
    fn from(_: PyErr) -> Self {
        Refused
    }
}

/// A Python value as a serde `Deserializer` (see the module docs).
pub struct PyInput<'a, 'py> {
    value: &'a Bound<'py, PyAny>,
    depth: usize,
}

impl<'a, 'py> PyInput<'a, 'py> {
    pub fn new(value: &'a Bound<'py, PyAny>) -> Self {
        PyInput { value, depth: 0 }
    }
}

impl<'de> de::Deserializer<'de> for PyInput<'_, '_> {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        let value = self.value;
        if self.depth > MAX_DEPTH {
            return Err(Refused);
        }
        // The same order of checks as `to_json_at`, so both paths agree on every type.
        if value.is_none() {
            return visitor.visit_unit();
        }
        if let Ok(b) = value.cast::<PyBool>() {
            return visitor.visit_bool(b.is_true());
        }
        if value.is_instance_of::<PyInt>() {
            if let Ok(n) = value.extract::<u64>() {
                return visitor.visit_u64(n);
            }
            return visitor.visit_i64(value.extract::<i64>()?);
        }
        if let Ok(f) = value.cast::<PyFloat>() {
            let f = f.value();
            if !f.is_finite() {
                return Err(Refused);
            }
            return visitor.visit_f64(f);
        }
        if let Ok(s) = value.cast::<PyString>() {
            return visitor.visit_str(s.to_str()?);
        }
        if let Ok(dict) = value.cast::<PyDict>() {
            return visitor.visit_map(DictAccess {
                items: dict.iter(),
                value: None,
                depth: self.depth + 1,
            });
        }
        if let Ok(list) = value.cast::<PyList>() {
            return visitor.visit_seq(ItemsAccess {
                items: list.iter().collect::<Vec<_>>().into_iter(),
                depth: self.depth + 1,
            });
        }
        if let Ok(tuple) = value.cast::<PyTuple>() {
            return visitor.visit_seq(ItemsAccess {
                items: tuple.iter().collect::<Vec<_>>().into_iter(),
                depth: self.depth + 1,
            });
        }
        if is_datetime(value.py(), value)? {
            let at = to_utc(value, "")?;
            return visitor.visit_string(at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
        }
        Err(Refused)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct DictAccess<'py> {
    items: pyo3::types::iter::BoundDictIterator<'py>,
    value: Option<Bound<'py, PyAny>>,
    depth: usize,
}

impl<'de> MapAccess<'de> for DictAccess<'_> {
    type Error = Refused;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Refused> {
        let Some((key, value)) = self.items.next() else {
            return Ok(None);
        };
        let key = key.cast_into::<PyString>().map_err(|_| Refused)?;
        self.value = Some(value);
        seed.deserialize(de::value::StrDeserializer::<Refused>::new(key.to_str()?))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Refused> {
        let value = self.value.take().ok_or(Refused)?;
        seed.deserialize(PyInput {
            value: &value,
            depth: self.depth,
        })
    }
}

struct ItemsAccess<'py> {
    items: std::vec::IntoIter<Bound<'py, PyAny>>,
    depth: usize,
}

impl<'de> SeqAccess<'de> for ItemsAccess<'_> {
    type Error = Refused;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Refused> {
        match self.items.next() {
            None => Ok(None),
            Some(item) => seed
                .deserialize(PyInput {
                    value: &item,
                    depth: self.depth,
                })
                .map(Some),
        }
    }
}

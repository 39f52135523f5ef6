//! Bulk export as Arrow tables through the Arrow PyCapsule interface (`__arrow_c_stream__`).
//!
//! `polars.from_arrow`, `pyarrow.table` and pandas (through pyarrow) read these without a Python
//! object per row. The tables carry **no personal data**: no names, e-mail addresses or phone
//! numbers, and no organiser free text. Rows are keyed by the registration id; organisations by
//! their organisation number.
//!
//! HOOK(issue 5, analytics): a pseudonymous person key belongs in the registrations table once
//! alor-core offers keyed HMAC-SHA-256 over the normalised e-mail with a caller-supplied key. Add
//! it as a `person_key` column (fixed-size binary or hex string) in [`registrations_batch`], with
//! the key passed in from `Ledger.registrations_arrow(person_key=...)`; never export the e-mail.

use std::collections::HashMap;
use std::sync::Arc;

use alor_core::{
    Actor, CancelReason, Event, Gathering, Ledger, PromotionCause, Recorded, RegistrationId,
};
use arrow_array::builder::{BooleanBuilder, StringBuilder, UInt32Builder};
use arrow_array::ffi::FFI_ArrowSchema;
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{
    ArrayRef, BooleanArray, RecordBatch, RecordBatchIterator, StringArray,
    TimestampMicrosecondArray, UInt32Array, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use chrono::{DateTime, Utc};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyList};

use crate::errors::{guarded, Failure};

fn ts_type() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

fn timestamps(values: Vec<Option<i64>>) -> ArrayRef {
    Arc::new(TimestampMicrosecondArray::from(values).with_timezone("UTC"))
}

fn constant(text: &str, rows: usize) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(std::iter::repeat_n(
        text, rows,
    )))
}

/// The snake_case name serde gives a unit variant (or a tagged enum's `kind`), so the names in
/// the tables are exactly the core's JSON names, with no second list to keep in step.
fn serde_name<T: serde::Serialize>(value: &T) -> Option<String> {
    match serde_json::to_value(value).ok()? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Object(map) => map.get("kind")?.as_str().map(str::to_owned),
        _ => None,
    }
}

fn actor(a: Actor) -> String {
    serde_name(&a).unwrap_or_default()
}

fn cancel_reason(r: CancelReason) -> String {
    serde_name(&r).unwrap_or_default()
}

/// The columns of [`events_batch`].
pub fn events_schema() -> SchemaRef {
    let f = |name: &str, dt: DataType, nullable: bool| Field::new(name, dt, nullable);
    Arc::new(Schema::new(vec![
        f("network", DataType::Utf8, false),
        f("gathering", DataType::Utf8, false),
        f("seq", DataType::UInt64, false),
        f("at", ts_type(), false),
        f("type", DataType::Utf8, false),
        f("registration", DataType::UInt32, true),
        f("status", DataType::Utf8, true),
        f("organisation_number", DataType::Utf8, true),
        f("sector", DataType::Utf8, true),
        f("role", DataType::Utf8, true),
        f("first_time", DataType::Boolean, true),
        f("priority", DataType::Boolean, true),
        f("by", DataType::Utf8, true),
        f("cancel_reason", DataType::Utf8, true),
        f("late", DataType::Boolean, true),
        f("substitute", DataType::UInt32, true),
        f("attended", DataType::Boolean, true),
        f("expires_at", ts_type(), true),
        f("cause", DataType::Utf8, true),
        f("cause_registration", DataType::UInt32, true),
        f("capacity_from", DataType::UInt32, true),
        f("capacity_to", DataType::UInt32, true),
        f("beyond_capacity", DataType::Boolean, true),
    ]))
}

/// One row per event, with the fields each event carries (null where it carries none). Join
/// with the registrations table on `registration` for organisation, sector and role of events
/// that only name a registration.
pub fn events_batch(gathering: &Gathering, events: &[Recorded]) -> Result<RecordBatch, Failure> {
    let n = events.len();
    let mut seq = Vec::with_capacity(n);
    let mut at = Vec::with_capacity(n);
    let mut kind = StringBuilder::with_capacity(n, n * 10);
    let mut registration = UInt32Builder::with_capacity(n);
    let mut status = StringBuilder::new();
    let mut org = StringBuilder::new();
    let mut sector = StringBuilder::new();
    let mut role = StringBuilder::new();
    let mut first_time = BooleanBuilder::with_capacity(n);
    let mut priority = BooleanBuilder::with_capacity(n);
    let mut by = StringBuilder::new();
    let mut reason = StringBuilder::new();
    let mut late = BooleanBuilder::with_capacity(n);
    let mut substitute = UInt32Builder::with_capacity(n);
    let mut attended = BooleanBuilder::with_capacity(n);
    let mut expires_at = Vec::with_capacity(n);
    let mut cause = StringBuilder::new();
    let mut cause_registration = UInt32Builder::with_capacity(n);
    let mut capacity_from = UInt32Builder::with_capacity(n);
    let mut capacity_to = UInt32Builder::with_capacity(n);
    let mut beyond = BooleanBuilder::with_capacity(n);

    for recorded in events {
        seq.push(recorded.seq);
        at.push(Some(micros(recorded.at)));
        let event = &recorded.event;
        kind.append_value(Event::type_name(event));
        let mut row_registration = None;
        let mut row_person = None;
        let mut row_first_time = None;
        let mut row_status = None;
        let mut row_priority = None;
        let mut row_by = None;
        let mut row_reason = None;
        let mut row_late = None;
        let mut row_substitute = None;
        let mut row_attended = None;
        let mut row_expires = None;
        let mut row_cause = None;
        let mut row_capacity = None;
        let mut row_beyond = None;
        match event {
            Event::Registered {
                registration,
                person,
                first_time,
                priority,
                status,
                by,
            } => {
                row_registration = Some(*registration);
                row_person = Some(person);
                row_first_time = Some(*first_time);
                row_priority = Some(*priority);
                row_status = Some(status.as_str());
                row_by = Some(actor(*by));
            }
            Event::Promoted {
                registration,
                cause,
            } => {
                row_registration = Some(*registration);
                row_cause = Some(*cause);
            }
            Event::Offered {
                registration,
                expires_at,
                cause,
            } => {
                row_registration = Some(*registration);
                row_expires = Some(micros(*expires_at));
                row_cause = Some(*cause);
            }
            Event::OfferAccepted { registration }
            | Event::OfferDeclined { registration }
            | Event::OfferExpired { registration }
            | Event::Erased { registration } => row_registration = Some(*registration),
            Event::Cancelled {
                registration,
                by,
                reason,
                late,
            } => {
                row_registration = Some(*registration);
                row_by = Some(actor(*by));
                row_reason = Some(cancel_reason(*reason));
                row_late = Some(*late);
            }
            Event::Substituted {
                registration,
                substitute,
                person,
                first_time,
            } => {
                row_registration = Some(*registration);
                row_substitute = Some(substitute.0);
                row_person = Some(person);
                row_first_time = Some(*first_time);
            }
            Event::AttendanceMarked {
                registration,
                attended,
            } => {
                row_registration = Some(*registration);
                row_attended = Some(*attended);
            }
            Event::CapacityChanged { from, to } => row_capacity = Some((*from, *to)),
            Event::RegistrationClosed | Event::RegistrationReopened => {}
            Event::SeatOverridden {
                registration,
                beyond_capacity,
                ..
            } => {
                // The override's free-text reason stays out: it is organiser prose.
                row_registration = Some(*registration);
                row_beyond = Some(*beyond_capacity);
            }
        }
        registration.append_option(row_registration.map(|r: RegistrationId| r.0));
        status.append_option(row_status);
        match row_person {
            Some(p) => {
                org.append_value(p.organisation.number.to_string());
                sector.append_value(p.organisation.sector.as_str());
                role.append_value(p.role.as_str());
            }
            None => {
                org.append_null();
                sector.append_null();
                role.append_null();
            }
        }
        first_time.append_option(row_first_time);
        priority.append_option(row_priority);
        by.append_option(row_by);
        reason.append_option(row_reason);
        late.append_option(row_late);
        substitute.append_option(row_substitute);
        attended.append_option(row_attended);
        expires_at.push(row_expires);
        match row_cause {
            Some(c) => {
                cause.append_option(serde_name(&c));
                let by = match c {
                    PromotionCause::SeatFreed { by } => Some(by.0),
                    _ => None,
                };
                cause_registration.append_option(by);
            }
            None => {
                cause.append_null();
                cause_registration.append_null();
            }
        }
        capacity_from.append_option(row_capacity.map(|c| c.0));
        capacity_to.append_option(row_capacity.map(|c| c.1));
        beyond.append_option(row_beyond);
    }

    let columns: Vec<ArrayRef> = vec![
        constant(gathering.network.as_str(), n),
        constant(gathering.id.as_str(), n),
        Arc::new(UInt64Array::from(seq)),
        timestamps(at),
        Arc::new(kind.finish()),
        Arc::new(registration.finish()),
        Arc::new(status.finish()),
        Arc::new(org.finish()),
        Arc::new(sector.finish()),
        Arc::new(role.finish()),
        Arc::new(first_time.finish()),
        Arc::new(priority.finish()),
        Arc::new(by.finish()),
        Arc::new(reason.finish()),
        Arc::new(late.finish()),
        Arc::new(substitute.finish()),
        Arc::new(attended.finish()),
        timestamps(expires_at),
        Arc::new(cause.finish()),
        Arc::new(cause_registration.finish()),
        Arc::new(capacity_from.finish()),
        Arc::new(capacity_to.finish()),
        Arc::new(beyond.finish()),
    ];
    RecordBatch::try_new(events_schema(), columns)
        .map_err(|e| Failure::internal(format!("internal_error: events table: {e}")))
}

/// The columns of [`registrations_batch`].
pub fn registrations_schema() -> SchemaRef {
    let f = |name: &str, dt: DataType, nullable: bool| Field::new(name, dt, nullable);
    Arc::new(Schema::new(vec![
        f("network", DataType::Utf8, false),
        f("gathering", DataType::Utf8, false),
        f("registration", DataType::UInt32, false),
        f("status", DataType::Utf8, false),
        f("organisation_number", DataType::Utf8, false),
        f("sector", DataType::Utf8, false),
        f("industry", DataType::Utf8, true),
        f("role", DataType::Utf8, false),
        f("first_time", DataType::Boolean, false),
        f("priority", DataType::Boolean, false),
        f("registered_by", DataType::Utf8, false),
        f("joined_at", ts_type(), false),
        f("seated_at", ts_type(), true),
        f("offered_at", ts_type(), true),
        f("offer_expires_at", ts_type(), true),
        f("cancelled_at", ts_type(), true),
        f("cancelled_by", DataType::Utf8, true),
        f("cancel_reason", DataType::Utf8, true),
        f("late_cancellation", DataType::Boolean, false),
        f("overridden", DataType::Boolean, false),
        f("substitute_for", DataType::UInt32, true),
        f("substituted_by", DataType::UInt32, true),
        f("erased", DataType::Boolean, false),
        f("waitlist_position", DataType::UInt32, true),
    ]))
}

/// One row per registration in id order, with the current status and the history timestamps.
pub fn registrations_batch(ledger: &Ledger) -> Result<RecordBatch, Failure> {
    let regs = ledger.registrations();
    let n = regs.len();
    let positions: HashMap<RegistrationId, u32> = ledger
        .waitlist()
        .enumerate()
        .map(|(i, r)| (r.id, u32::try_from(i + 1).unwrap_or(u32::MAX)))
        .collect();
    let opt_ts = |get: fn(&alor_core::Registration) -> Option<DateTime<Utc>>| {
        timestamps(regs.iter().map(|r| get(r).map(micros)).collect())
    };
    let columns: Vec<ArrayRef> = vec![
        constant(ledger.gathering().network.as_str(), n),
        constant(ledger.gathering().id.as_str(), n),
        Arc::new(UInt32Array::from_iter_values(regs.iter().map(|r| r.id.0))),
        Arc::new(StringArray::from_iter_values(
            regs.iter().map(|r| r.status.as_str()),
        )),
        Arc::new(StringArray::from_iter_values(
            regs.iter().map(|r| r.organisation.number.to_string()),
        )),
        Arc::new(StringArray::from_iter_values(
            regs.iter().map(|r| r.organisation.sector.as_str()),
        )),
        Arc::new(StringArray::from_iter(
            regs.iter()
                .map(|r| r.organisation.industry.as_ref().map(|i| i.as_str())),
        )),
        Arc::new(StringArray::from_iter_values(
            regs.iter().map(|r| r.role.as_str()),
        )),
        Arc::new(BooleanArray::from_iter(
            regs.iter().map(|r| Some(r.first_time)),
        )),
        Arc::new(BooleanArray::from_iter(
            regs.iter().map(|r| Some(r.priority)),
        )),
        Arc::new(StringArray::from_iter_values(
            regs.iter().map(|r| actor(r.registered_by)),
        )),
        timestamps(regs.iter().map(|r| Some(micros(r.joined_at))).collect()),
        opt_ts(|r| r.seated_at),
        opt_ts(|r| r.offered_at),
        opt_ts(|r| r.offer_expires_at),
        opt_ts(|r| r.cancelled_at),
        Arc::new(StringArray::from_iter(
            regs.iter().map(|r| r.cancelled_by.map(actor)),
        )),
        Arc::new(StringArray::from_iter(
            regs.iter().map(|r| r.cancel_reason.map(cancel_reason)),
        )),
        Arc::new(BooleanArray::from_iter(
            regs.iter().map(|r| Some(r.late_cancellation)),
        )),
        Arc::new(BooleanArray::from_iter(
            regs.iter().map(|r| Some(r.overridden)),
        )),
        Arc::new(UInt32Array::from_iter(
            regs.iter().map(|r| r.substitute_for.map(|id| id.0)),
        )),
        Arc::new(UInt32Array::from_iter(
            regs.iter().map(|r| r.substituted_by.map(|id| id.0)),
        )),
        Arc::new(BooleanArray::from_iter(
            regs.iter().map(|r| Some(r.contact.is_none())),
        )),
        Arc::new(UInt32Array::from_iter(
            regs.iter().map(|r| positions.get(&r.id).copied()),
        )),
    ];
    RecordBatch::try_new(registrations_schema(), columns)
        .map_err(|e| Failure::internal(format!("internal_error: registrations table: {e}")))
}

/// An Arrow table made by alor: hand it to `polars.from_arrow(t)`, `pyarrow.table(t)` or
/// `pandas.DataFrame(pyarrow.table(t))`, or use the `to_*` helpers. Exported through the Arrow
/// PyCapsule interface, so no Python object is made per row. It can be read any number of times.
#[pyclass(frozen, module = "alor", name = "ArrowTable")]
pub struct ArrowTable {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
}

impl ArrowTable {
    pub fn new(batch: RecordBatch) -> Self {
        ArrowTable {
            schema: batch.schema(),
            batches: vec![batch],
        }
    }
}

#[pymethods]
impl ArrowTable {
    /// The Arrow C stream of the table, as a PyCapsule named `arrow_array_stream`.
    /// `requested_schema` is accepted as the protocol asks and ignored (the schema is fixed).
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        guarded(|| {
            let reader = RecordBatchIterator::new(
                self.batches.clone().into_iter().map(Ok),
                self.schema.clone(),
            );
            let stream = FFI_ArrowArrayStream::new(Box::new(reader));
            // The capsule owns the stream; its Drop releases it unless a consumer moved it out.
            PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
        })
    }

    /// The table's schema, as a PyCapsule named `arrow_schema`.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        guarded(|| {
            let schema = FFI_ArrowSchema::try_from(self.schema.as_ref())
                .map_err(|e| Failure::internal(format!("internal_error: schema: {e}")))?;
            PyCapsule::new_with_value(py, schema, c"arrow_schema")
        })
    }

    /// Number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// Column names, in order.
    #[getter]
    fn column_names<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.schema.fields().iter().map(|f| f.name().as_str()))
    }

    fn __len__(&self) -> usize {
        self.num_rows()
    }

    fn __repr__(&self) -> String {
        format!(
            "ArrowTable(rows={}, columns={})",
            self.num_rows(),
            self.schema.fields().len()
        )
    }

    /// As a `pyarrow.Table` (needs pyarrow).
    fn to_pyarrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("pyarrow")?.call_method1("table", (slf,))
    }

    /// As a `polars.DataFrame` (needs polars).
    fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("polars")?.call_method1("DataFrame", (slf,))
    }

    /// As a `pandas.DataFrame` (needs pandas and pyarrow); timestamps stay UTC-aware.
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::to_pyarrow(slf)?.call_method0("to_pandas")
    }
}

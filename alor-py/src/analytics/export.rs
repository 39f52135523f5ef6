//! Arrow export: report tables and the row-level dataset as Arrow record batches, built once
//! in Rust and handed to polars/pyarrow through the C stream interface without another copy.

use std::sync::Arc;

use alor_analytics::{Dataset, Outcome, Table, Values, NO_TIME};
use alor_core::{Role, Sector};
use arrow_array::types::{UInt32Type, UInt8Type};
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, DictionaryArray, Float64Array, Int32Array, Int64Array,
    RecordBatch, StringArray, TimestampMicrosecondArray, UInt32Array, UInt8Array,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};

use crate::errors::Failure;

fn internal(what: &str) -> impl Fn(arrow_schema::ArrowError) -> Failure + '_ {
    move |e| Failure::internal(format!("internal_error: {what}: {e}"))
}

/// A report table as Arrow: text → Utf8, counts → Int64, rates → Float64; suppressed cells
/// are nulls. The schema metadata carries `min_count` and `suppressed_cells`.
pub(super) fn table_batch(table: &Table) -> Result<RecordBatch, Failure> {
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for c in &table.columns {
        let (dt, array): (DataType, ArrayRef) = match &c.values {
            Values::Text(v) => (
                DataType::Utf8,
                Arc::new(StringArray::from_iter_values(v.iter())),
            ),
            Values::Int(v) => (DataType::Int64, Arc::new(Int64Array::from(v.clone()))),
            Values::Float(v) => (DataType::Float64, Arc::new(Float64Array::from(v.clone()))),
        };
        fields.push(Field::new(c.name, dt, true));
        columns.push(array);
    }
    let metadata: std::collections::HashMap<String, String> = [
        ("alor.report".to_owned(), table.name.to_owned()),
        (
            "alor.min_count".to_owned(),
            table
                .min_count
                .map_or_else(|| "none".to_owned(), |k| k.to_string()),
        ),
        (
            "alor.suppressed_cells".to_owned(),
            table.suppressed_cells.to_string(),
        ),
    ]
    .into_iter()
    .collect();
    let schema = Arc::new(Schema::new_with_metadata(fields, metadata));
    RecordBatch::try_new(schema, columns).map_err(internal("report table"))
}

fn dictionary_u8(codes: Vec<u8>, names: &[&str]) -> Result<ArrayRef, Failure> {
    let values: ArrayRef = Arc::new(StringArray::from_iter_values(names.iter()));
    let array = DictionaryArray::<UInt8Type>::try_new(UInt8Array::from(codes), values)
        .map_err(internal("dictionary"))?;
    Ok(Arc::new(array))
}

fn dictionary_u32(keys: UInt32Array, names: Vec<&str>) -> Result<ArrayRef, Failure> {
    let values: ArrayRef = Arc::new(StringArray::from(names));
    let array =
        DictionaryArray::<UInt32Type>::try_new(keys, values).map_err(internal("dictionary"))?;
    Ok(Arc::new(array))
}

fn utc_micros() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

/// The row-level dataset as Arrow, one row per registration. Categories are dictionary-encoded
/// (polars: Categorical; pandas: category). Keys too, or with `codes` as plain integers:
/// network index (into `Dataset.networks`), gathering index (chronological), person index
/// (null for erased persons) and the organisation number as an integer.
pub(super) fn dataset_batch(data: &Dataset, codes: bool) -> Result<RecordBatch, Failure> {
    let cols = data.columns();
    let gatherings: Vec<_> = data.gatherings().cloned().collect();
    let networks = data.networks().to_vec();
    let network_of: Vec<u32> = gatherings
        .iter()
        .map(|g| networks.iter().position(|n| *n == g.network).unwrap_or(0) as u32)
        .collect();
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let day_of: Vec<i32> = gatherings
        .iter()
        .map(|g| (g.date - epoch).num_days() as i32)
        .collect();
    let g = cols.gathering;
    let person_keys: UInt32Array = cols
        .person
        .iter()
        .map(|&p| data.person_key(p).map(|_| p))
        .collect();
    let network_keys = UInt32Array::from_iter_values(g.iter().map(|&x| network_of[x as usize]));
    let gathering_keys = UInt32Array::from(g.to_vec());
    let org_keys = UInt32Array::from(cols.organisation.to_vec());
    let key_columns: [ArrayRef; 4] = if codes {
        let org_number: Vec<u32> = (0..data.organisation_count() as u32)
            .map(|o| data.organisation_number(o).map_or(0, |n| n.get()))
            .collect();
        [
            Arc::new(network_keys),
            Arc::new(gathering_keys),
            Arc::new(person_keys),
            Arc::new(UInt32Array::from_iter_values(
                cols.organisation.iter().map(|&o| org_number[o as usize]),
            )),
        ]
    } else {
        let person_names: Vec<&str> = (0..data.person_count() as u32)
            .map(|p| data.person_key(p).unwrap_or(""))
            .collect();
        let org_names: Vec<String> = (0..data.organisation_count() as u32)
            .map(|o| {
                data.organisation_number(o)
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            })
            .collect();
        [
            dictionary_u32(network_keys, networks.iter().map(String::as_str).collect())?,
            dictionary_u32(
                gathering_keys,
                gatherings.iter().map(|x| x.id.as_str()).collect(),
            )?,
            dictionary_u32(person_keys, person_names)?,
            dictionary_u32(org_keys, org_names.iter().map(String::as_str).collect())?,
        ]
    };
    let [network_col, gathering_col, person_col, org_col] = key_columns;
    let sectors: Vec<&str> = Sector::ALL.iter().map(|s| s.as_str()).collect();
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    let outcomes: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
    let columns: Vec<ArrayRef> = vec![
        network_col,
        gathering_col,
        Arc::new(Date32Array::from_iter_values(
            g.iter().map(|&x| day_of[x as usize]),
        )),
        Arc::new(Int32Array::from_iter_values(g.iter().map(|&x| {
            use chrono::Datelike;
            gatherings[x as usize].date.year()
        }))),
        Arc::new(UInt32Array::from_iter_values(
            g.iter().map(|&x| gatherings[x as usize].capacity),
        )),
        Arc::new(UInt32Array::from_iter_values(
            g.iter().map(|&x| gatherings[x as usize].peak_waitlist),
        )),
        person_col,
        org_col,
        dictionary_u8(cols.sector.iter().map(|s| *s as u8).collect(), &sectors)?,
        dictionary_u8(cols.role.iter().map(|r| *r as u8).collect(), &roles)?,
        dictionary_u8(cols.outcome.iter().map(|o| *o as u8).collect(), &outcomes)?,
        Arc::new(BooleanArray::from(cols.waitlisted.to_vec())),
        Arc::new(
            TimestampMicrosecondArray::from_iter_values(
                cols.joined_at.iter().map(|t| t.saturating_mul(1_000_000)),
            )
            .with_timezone("UTC"),
        ),
        Arc::new(
            TimestampMicrosecondArray::from_iter(
                cols.seated_at
                    .iter()
                    .map(|&t| (t != NO_TIME).then(|| t.saturating_mul(1_000_000))),
            )
            .with_timezone("UTC"),
        ),
    ];
    let dict32 = || DataType::Dictionary(Box::new(DataType::UInt32), Box::new(DataType::Utf8));
    let dict8 = || DataType::Dictionary(Box::new(DataType::UInt8), Box::new(DataType::Utf8));
    let f = |name: &str, dt: DataType, nullable: bool| Field::new(name, dt, nullable);
    let key = || if codes { DataType::UInt32 } else { dict32() };
    let schema = Arc::new(Schema::new(vec![
        f("network", key(), false),
        f("gathering", key(), false),
        f("date", DataType::Date32, false),
        f("year", DataType::Int32, false),
        f("capacity", DataType::UInt32, false),
        f("peak_waitlist", DataType::UInt32, false),
        f("person", key(), true),
        f("organisation", key(), false),
        f("sector", dict8(), false),
        f("role", dict8(), false),
        f("status", dict8(), false),
        f("waitlisted", DataType::Boolean, false),
        f("joined_at", utc_micros(), false),
        f("seated_at", utc_micros(), true),
    ]));
    debug_assert_eq!(columns.len(), schema.fields().len());
    RecordBatch::try_new(schema, columns).map_err(internal("dataset table"))
}

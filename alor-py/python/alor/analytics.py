"""Participation analytics and the national report (issue 5), from Python.

Everything is computed in Rust (the ``alor-analytics`` crate); this module only re-exports the
``Dataset`` handle and adds two conveniences that convert data at the boundary.

Build a dataset
    ``Dataset.synthetic(...)`` (deterministic demo data: 11 networks × 20 years × 2 gatherings;
    ``rows=10_000_000`` for benchmarks), ``Dataset.from_csv(text)`` (schema: ``CSV_COLUMNS``),
    ``from_ledgers([ledger, ...])`` / ``Dataset.from_event_logs([json, ...])`` (exact, from the
    registration ledgers; person keys are normalised e-mail addresses), ``from_store(store)``
    (the stored event logs of an ``alor.Store``) and ``from_arrow(table)``
    (any Arrow table: pyarrow, polars, pandas via pyarrow). Bad input raises ``AnalyticsError``
    with code ``invalid_rows``; ``err.errors`` lists ``{"row", "column", "problem"}`` for every
    bad cell (values are never echoed). Nothing is dropped silently.

Reports
    ``REPORTS`` names them, from the compiled module's one catalogue: ``first_time``,
    ``retention``, ``reach``, ``mix``, ``gatherings`` and ``national_report``. Each is a
    ``Dataset`` method returning an ``ArrowTable`` (``.to_polars()``, ``.to_pandas()``,
    ``.to_pyarrow()``); ``report_csv(name)`` / ``report_json(name)`` give the same as text (an
    unknown name raises ``ValidationError`` ``invalid_report``); ``html_report(locale="nb"|"en")``
    is a self-contained page with SVG charts.

Privacy
    Small cells are suppressed by default (``min_count=5``; at least 3, lower raises
    ``AnalyticsError`` ``suppression_threshold_too_low``), with secondary suppression so totals
    do not reveal them; suppressed cells are nulls. ``min_count=None`` turns suppression off
    for internal work that is never published. ``dataset.pseudonymised(key)`` replaces person
    keys with HMAC-SHA-256 pseudonyms under your secret ``key`` (bytes, at least 32, e.g.
    ``secrets.token_bytes(32)``); keep the key out of the data. ``to_arrow()`` and ``to_csv()``
    export the person keys as they are, so pseudonymise first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._alor import (
    ANALYTICS_ERROR_CODES,
    CSV_COLUMNS,
    DEFAULT_MIN_COUNT,
    MIN_COUNT_FLOOR,
    MIN_KEY_BYTES,
    REPORTS,
    Dataset,
    Ledger,
    Store,
)
from ._errors import AnalyticsError, RowProblem

__all__ = [
    "ANALYTICS_ERROR_CODES",
    "CSV_COLUMNS",
    "DEFAULT_MIN_COUNT",
    "MIN_COUNT_FLOOR",
    "MIN_KEY_BYTES",
    "REPORTS",
    "AnalyticsError",
    "Dataset",
    "RowProblem",
    "from_arrow",
    "from_ledgers",
    "from_store",
]


def from_ledgers(ledgers: Iterable[Ledger]) -> Dataset:
    """A dataset from registration ledgers (each must keep its full event log, i.e. not be
    restored from a snapshot), replaying every log with each event checked."""
    return Dataset.from_event_logs([ledger.event_log_json() for ledger in ledgers])


def from_store(store: Store, gathering_ids: Iterable[str] | None = None) -> Dataset:
    """A dataset from the event logs stored in ``store`` (an ``alor.Store``): every gathering,
    or those in ``gathering_ids``, replayed with each event checked. A shredded or erased
    person's events are redacted in the store, so they count but carry no contact details."""
    ids = store.gathering_ids() if gathering_ids is None else list(gathering_ids)
    return Dataset.from_event_logs([store.event_log_json(gathering_id) for gathering_id in ids])


def _as_text(column: Any) -> list[str | None]:
    """One Arrow column as text in the CSV schema's formats (instants as RFC 3339 in UTC,
    dates as YYYY-MM-DD, booleans as true/false). Only a change of representation: every
    check happens in alor-analytics, which reports bad cells by row and column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    kind = column.type
    if pa.types.is_dictionary(kind):
        # Decode through the dictionary's values as text: polars hands categoricals over with
        # string_view values, which pyarrow cannot `take` from directly.
        dictionary = column.dictionary
        if not pa.types.is_string(dictionary.type):
            dictionary = _as_text_array(dictionary)
        column = dictionary.take(column.indices)
        kind = column.type
    if pa.types.is_timestamp(kind):
        if kind.tz is None:
            # A naive instant has no defined meaning here: left as is, it is reported as a
            # malformed cell (RFC 3339 needs an offset).
            column = pc.strftime(column, format="%Y-%m-%dT%H:%M:%S")
        else:
            column = pc.strftime(
                pc.cast(column, pa.timestamp("s", tz="UTC"), safe=False),
                format="%Y-%m-%dT%H:%M:%SZ",
            )
    elif pa.types.is_boolean(kind):
        column = pc.if_else(column, "true", "false")
    elif not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        column = pc.cast(column, pa.string())
    text: list[str | None] = column.to_pylist()
    return text


def _as_text_array(values: Any) -> Any:
    """A dictionary's values as a pyarrow string array."""
    import pyarrow as pa

    return pa.array(_as_text(values), type=pa.string())


def from_arrow(table: Any) -> Dataset:
    """A dataset from any Arrow table with the columns of ``CSV_COLUMNS`` (a ``pyarrow.Table``,
    a ``polars.DataFrame``, anything with ``__arrow_c_stream__``; for pandas use
    ``pyarrow.Table.from_pandas(df)``). ``Dataset.to_arrow()`` output reads back as is.

    Needs pyarrow. Columns are converted to text and validated cell by cell in alor-core, so
    errors name the row (from 1) and column; this import is not zero-copy."""
    import pyarrow as pa

    if not isinstance(table, pa.Table):
        table = pa.table(table)
    columns = {name: _as_text(table.column(name)) for name in table.column_names}
    return Dataset.from_columns(columns)

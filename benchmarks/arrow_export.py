"""Events out of alor into a DataFrame: the Arrow export versus per-row Python objects.

    .venv/bin/python benchmarks/arrow_export.py [events]      (default 1 000 000)

Builds a ledger of N events (a synthetic season: sign-ups, cancellations and promotions,
replayed and checked by the core), then times two ways to get the same polars DataFrame:

  arrow    polars.DataFrame(ledger.events_arrow())  — the Arrow PyCapsule stream, no Python
           object per row
  per-row  ledger.events_since(0) (one dict per event), flattened row by row into the same
           columns, then polars.DataFrame(rows)

It checks that both frames are equal, and prints both timings and their ratio. Also shown:
pandas through pyarrow, and the registrations table. Each timing is the best of `REPEATS` runs.
A script that prints figures, not a timed test: run it on a quiet machine.
"""

from __future__ import annotations

import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import polars as pl
import pyarrow as pa

import alor

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "python"))
from synthetic import event_log_json  # noqa: E402

T = TypeVar("T")
REPEATS = 3


def best_of(repeats: int, run: Callable[[], T]) -> tuple[float, T]:
    best, result = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    assert result is not None
    return best, result


def flatten(gathering: dict[str, Any], recorded: dict[str, Any]) -> dict[str, Any]:
    """One event dict as one row of the events table's columns (the per-row way)."""
    e = recorded["event"]
    person = e.get("person")
    cause = e.get("cause")
    return {
        "network": gathering["network"],
        "gathering": gathering["id"],
        "seq": recorded["seq"],
        "at": recorded["at"],
        "type": e["type"],
        "registration": e.get("registration"),
        "status": e.get("status"),
        "organisation_number": person["organisation"]["number"] if person else None,
        "sector": person["organisation"]["sector"] if person else None,
        "role": person["role"] if person else None,
        "first_time": e.get("first_time"),
        "priority": e.get("priority"),
        "by": e.get("by"),
        "cancel_reason": e.get("reason") if e["type"] == "cancelled" else None,
        "late": e.get("late"),
        "substitute": e.get("substitute"),
        "attended": e.get("attended"),
        "expires_at": e.get("expires_at"),
        "cause": cause["kind"] if cause else None,
        "cause_registration": cause.get("by") if cause else None,
        "capacity_from": e.get("from"),
        "capacity_to": e.get("to"),
        "beyond_capacity": e.get("beyond_capacity"),
    }


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    people = events // 2
    capacity = cancels = events // 4
    started = time.perf_counter()
    log = event_log_json(people=people, capacity=capacity, cancels=cancels)
    ledger = alor.Ledger.from_event_log_json(log)
    del log
    setup = time.perf_counter() - started
    gathering = ledger.gathering()
    assert ledger.version == events

    schema = ledger.events_arrow().to_polars().schema

    arrow_s, arrow_df = best_of(REPEATS, lambda: pl.DataFrame(ledger.events_arrow()))

    def per_row() -> pl.DataFrame:
        rows = [flatten(gathering, r) for r in ledger.events_since(0)]
        return pl.DataFrame(rows, schema=schema)

    row_s, row_df = best_of(1, per_row)
    assert arrow_df.equals(row_df), "the two ways disagree"
    pandas_s, pandas_df = best_of(REPEATS, lambda: pa.table(ledger.events_arrow()).to_pandas())
    assert len(pandas_df) == events
    regs_s, regs_df = best_of(REPEATS, lambda: pl.DataFrame(ledger.registrations_arrow()))
    assert regs_df.height == people

    print(f"alor {platform.python_implementation()} {platform.python_version()}, "
          f"{platform.machine()}, polars {pl.__version__}, pyarrow {pa.__version__}")
    print(f"{events:,} events ({people:,} registrations); setup (generate + replay) {setup:.1f} s")
    print(f"events -> polars via Arrow (PyCapsule):   {arrow_s * 1000:9.1f} ms")
    print(f"events -> polars via per-row dicts:       {row_s * 1000:9.1f} ms")
    print(f"ratio (per-row / Arrow):                  {row_s / arrow_s:9.1f} x")
    print(f"events -> pandas via Arrow (pyarrow):     {pandas_s * 1000:9.1f} ms")
    print(f"registrations -> polars via Arrow:        {regs_s * 1000:9.1f} ms")


if __name__ == "__main__":
    main()

"""First-time share per gathering and cohort retention on 10 M registrations:
alor vs polars vs pandas, same data, same run, same answers.

    .venv/bin/python benchmarks/analytics_bench.py [--rows 10000000] [--repeat 5]

The data come from alor's deterministic generator (11 networks × 20 years × 2 gatherings,
scaled to ``--rows`` registrations). polars and pandas get the same rows through Arrow, with
integer keys (``Dataset.to_arrow(codes=True)``: network, gathering in date order, person,
organisation number) and status as a category: their fastest representation. Only the
computation is timed, each starting from data already in memory: alor from its ``Dataset``
(sorted once when built), the rivals from their DataFrames. The alor timing is the full Python
call, including building the result table and handing it over as Arrow.

Definitions (alor-core docs): an attendee is a row with status ``attended``; first time in the
network means no attendance at an earlier gathering of that network, nationally at no earlier
gathering at all; a cohort is the year of first attendance, and retention counts cohort members
attending in each later year. The script asserts that all three give identical numbers, then
prints the best of ``--repeat`` runs and the ratios.
"""

from __future__ import annotations

import argparse
import gc
import platform
import time
from collections.abc import Callable
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa

import alor
from alor.analytics import Dataset


def best_of(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


# --- polars -----------------------------------------------------------------------------------

def polars_first_time(df: pl.DataFrame) -> pl.DataFrame:
    att = df.filter(pl.col("status") == "attended").select("network", "gathering", "person")
    return (
        att.with_columns(
            ftn=pl.col("gathering") == pl.col("gathering").min().over("network", "person"),
            ftnat=pl.col("gathering") == pl.col("gathering").min().over("person"),
        )
        .group_by("gathering")
        .agg(
            attendees=pl.len(),
            first_time_network=pl.col("ftn").sum(),
            first_time_national=pl.col("ftnat").sum(),
        )
        .sort("gathering")
    )


def polars_retention(df: pl.DataFrame) -> pl.DataFrame:
    years = df.filter(pl.col("status") == "attended").select("person", "year").unique()
    first = years.group_by("person").agg(cohort=pl.col("year").min())
    size = first.group_by("cohort").agg(cohort_size=pl.len())
    back = (
        years.join(first, on="person")
        .filter(pl.col("year") > pl.col("cohort"))
        .group_by("cohort", "year")
        .agg(returned=pl.len())
    )
    return back.join(size, on="cohort").sort("cohort", "year")


# --- pandas -----------------------------------------------------------------------------------

def pandas_first_time(df: pd.DataFrame) -> pd.DataFrame:
    att = df.loc[df["status"] == "attended", ["network", "gathering", "person"]]
    g = att["gathering"]
    ftn = g.eq(att.groupby(["network", "person"], sort=False)["gathering"].transform("min"))
    ftnat = g.eq(att.groupby("person", sort=False)["gathering"].transform("min"))
    out = pd.DataFrame({"gathering": g, "ftn": ftn, "ftnat": ftnat}).groupby("gathering").agg(
        attendees=("ftn", "size"),
        first_time_network=("ftn", "sum"),
        first_time_national=("ftnat", "sum"),
    )
    return out.reset_index()


def pandas_retention(df: pd.DataFrame) -> pd.DataFrame:
    years = df.loc[df["status"] == "attended", ["person", "year"]].drop_duplicates()
    cohort = years.groupby("person")["year"].transform("min")
    years = years.assign(cohort=cohort)
    size = years.loc[years["year"] == years["cohort"]].groupby("cohort").size()
    back = years.loc[years["year"] > years["cohort"]].groupby(["cohort", "year"]).size()
    out = back.rename("returned").reset_index()
    out["cohort_size"] = out["cohort"].map(size)
    return out.sort_values(["cohort", "year"]).reset_index(drop=True)


# --- alor -------------------------------------------------------------------------------------

def alor_first_time(ds: Dataset) -> alor.ArrowTable:
    return ds.first_time(min_count=None)


def alor_retention(ds: Dataset) -> alor.ArrowTable:
    return ds.retention(min_count=None)


def as_rows(df: pl.DataFrame, columns: list[str]) -> list[tuple[int, ...]]:
    return [tuple(int(v) for v in row) for row in df.select(columns).iter_rows()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    ds = Dataset.synthetic(rows=args.rows)
    generate = time.perf_counter() - start
    start = time.perf_counter()
    table = pa.table(ds.to_arrow(codes=True))
    export = time.perf_counter() - start
    pl_df = pl.from_arrow(table)
    assert isinstance(pl_df, pl.DataFrame)
    pd_df = table.to_pandas()
    del table
    print(f"alor {platform.python_implementation()} {platform.python_version()}, "
          f"polars {pl.__version__}, pandas {pd.__version__}, pyarrow {pa.__version__}")
    print(f"data: {len(ds):,} registrations, {ds.person_count:,} persons, "
          f"{ds.organisation_count:,} organisations, 440 gatherings")
    print(f"generated in {generate:.2f} s; exported to Arrow in {export:.2f} s (not timed below)")

    ft_columns = ["gathering", "attendees", "first_time_network", "first_time_national"]
    ret_columns = ["cohort", "year", "cohort_size", "returned"]
    results: dict[str, dict[str, float]] = {}
    answers: dict[str, dict[str, list[tuple[int, ...]]]] = {}

    t, ft = best_of(args.repeat, lambda: alor_first_time(ds))
    _, ret = best_of(1, lambda: alor_retention(ds))
    t_ret, _ = best_of(args.repeat, lambda: alor_retention(ds))
    ft_df = ft.to_polars().with_row_index("gathering_index")
    alor_ft = as_rows(
        ft_df.with_columns(pl.col("gathering_index").alias("gathering_code")),
        ["gathering_code", "attendees", "first_time_network", "first_time_national"],
    )
    alor_ret = [r for r in as_rows(ret.to_polars(), ret_columns) if r[3] > 0]
    results["alor"] = {"first_time": t, "retention": t_ret}
    answers["alor"] = {"first_time": alor_ft, "retention": alor_ret}

    t, out = best_of(args.repeat, lambda: polars_first_time(pl_df))
    t_ret, out_ret = best_of(args.repeat, lambda: polars_retention(pl_df))
    results["polars"] = {"first_time": t, "retention": t_ret}
    answers["polars"] = {
        "first_time": as_rows(out, ft_columns),
        "retention": as_rows(out_ret, ret_columns),
    }

    t, out_pd = best_of(args.repeat, lambda: pandas_first_time(pd_df))
    t_ret, ret_pd = best_of(args.repeat, lambda: pandas_retention(pd_df))
    results["pandas"] = {"first_time": t, "retention": t_ret}
    answers["pandas"] = {
        "first_time": as_rows(pl.from_pandas(out_pd), ft_columns),
        "retention": as_rows(pl.from_pandas(ret_pd), ret_columns),
    }

    # Every gathering has attendees here, so the alor row order (date order) matches the
    # gathering codes 0..439 that the rivals group by.
    for rival in ("polars", "pandas"):
        for report in ("first_time", "retention"):
            assert answers[rival][report] == answers["alor"][report], (
                f"{rival} and alor disagree on {report}"
            )
    total_ft = sum(r[2] for r in answers["alor"]["first_time"])
    print(f"all three agree: {len(alor_ft)} gatherings ({total_ft:,} first-time attendances), "
          f"{len(alor_ret)} cohort-year cells")
    print()
    print(f"{'report':<12} {'alor':>9} {'polars':>9} {'pandas':>9} {'polars/alor':>12} {'pandas/alor':>12}")
    for report in ("first_time", "retention"):
        a, p, d = (results[k][report] for k in ("alor", "polars", "pandas"))
        print(f"{report:<12} {a:>8.3f}s {p:>8.3f}s {d:>8.3f}s {p / a:>11.1f}x {d / a:>11.1f}x")
    a = results["alor"]["first_time"]
    worst = min(results["polars"]["first_time"], results["pandas"]["first_time"]) / a
    print()
    print(f"target: first-time share <= 0.2 s and >= 5x both rivals: "
          f"{a:.3f} s, {worst:.1f}x -> {'met' if a <= 0.2 and worst >= 5 else 'NOT met'}")
    worst_ret = min(results["polars"]["retention"], results["pandas"]["retention"]) / results["alor"]["retention"]
    print(f"retention: {worst_ret:.1f}x faster than the faster rival")


if __name__ == "__main__":
    main()

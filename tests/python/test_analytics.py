"""Participation analytics from Python: agreement with an independent pandas computation on
generated data, suppression, pseudonymisation, CSV and Arrow input errors, ledgers as input,
and the HTML report rendered by headless Chromium."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import alor
from alor.analytics import AnalyticsError, Dataset, from_arrow, from_ledgers

ROOT = Path(__file__).resolve().parents[2]
KEY = b"0123456789abcdef0123456789abcdef-analyst-key"
OTHER_KEY = b"fedcba9876543210fedcba9876543210-another-key"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return Dataset.synthetic(networks=5, years=6, registrations_per_gathering=60, seed=11)


@pytest.fixture(scope="module")
def frame(data: Dataset) -> pd.DataFrame:
    """The rows as pandas, with text keys, for the independent computations below."""
    df: pd.DataFrame = pa.table(data.to_arrow()).to_pandas()
    for column in ("network", "gathering", "person", "organisation", "status", "sector", "role"):
        df[column] = df[column].astype(str)
    return df


def gathering_order(df: pd.DataFrame) -> pd.Series:
    """Rank of each gathering by (date, id), as the dataset defines it."""
    keys = df[["gathering", "date"]].drop_duplicates().sort_values(["date", "gathering"])
    return pd.Series(range(len(keys)), index=keys["gathering"].to_numpy())


# --- agreement with pandas -------------------------------------------------------------------


def test_first_time_share_agrees_with_pandas(data: Dataset, frame: pd.DataFrame) -> None:
    order = gathering_order(frame)
    att = frame[frame["status"] == "attended"].copy()
    att["rank"] = att["gathering"].map(order)
    att["ftn"] = att["rank"] == att.groupby(["network", "person"])["rank"].transform("min")
    att["ftnat"] = att["rank"] == att.groupby("person")["rank"].transform("min")
    expected = att.groupby("gathering").agg(
        attendees=("ftn", "size"), ftn=("ftn", "sum"), ftnat=("ftnat", "sum")
    )
    got = data.first_time(min_count=None).to_pandas().set_index("gathering")
    assert list(got.index) == sorted(got.index, key=lambda g: order[g])
    assert len(got) == len(expected) == 5 * 6 * 2
    for gathering, row in expected.iterrows():
        assert got.loc[gathering, "attendees"] == row["attendees"]
        assert got.loc[gathering, "first_time_network"] == row["ftn"]
        assert got.loc[gathering, "first_time_national"] == row["ftnat"]
        assert got.loc[gathering, "first_time_share_network"] == pytest.approx(
            row["ftn"] / row["attendees"]
        )
    later = got[got["year"] > 2006]["first_time_share_network"]
    assert 0.12 < later.mean() < 0.35, "the generator promises 15–30 % newcomers"


def test_retention_agrees_with_pandas(data: Dataset, frame: pd.DataFrame) -> None:
    years = frame.loc[frame["status"] == "attended", ["person", "year"]].drop_duplicates()
    years["cohort"] = years.groupby("person")["year"].transform("min")
    size = years[years["year"] == years["cohort"]].groupby("cohort").size()
    back = years[years["year"] > years["cohort"]].groupby(["cohort", "year"]).size()
    got = data.retention(min_count=None).to_pandas()
    assert len(got) == sum(range(6))  # every cohort against every later year
    for row in got.itertuples():
        assert row.cohort_size == size[row.cohort]
        assert row.returned == back.get((row.cohort, row.year), 0)
        assert row.retention == pytest.approx(row.returned / row.cohort_size)


def test_reach_fill_rate_and_national_report_agree_with_pandas(
    data: Dataset, frame: pd.DataFrame
) -> None:
    att = frame[frame["status"] == "attended"]
    reach = data.reach(min_count=None).to_pandas().set_index(["network", "year"])
    persons = att.groupby(["network", "year"])["person"].nunique()
    orgs = att.groupby(["network", "year"])["organisation"].nunique()
    first_org_year = att.groupby(["network", "organisation"])["year"].min()
    new_orgs = first_org_year.reset_index().groupby(["network", "year"]).size()
    for key, value in persons.items():
        assert reach.loc[key, "persons"] == value
        assert reach.loc[key, "organisations"] == orgs[key]
        assert reach.loc[key, "new_organisations"] == new_orgs.get(key, 0)

    stats = data.gatherings(min_count=None).to_pandas().set_index("gathering")
    holds = frame["status"].isin(["attended", "no_show", "confirmed", "offered"])
    seats = frame[holds].groupby("gathering").size()
    capacity = frame.groupby("gathering")["capacity"].first()
    for gathering, taken in seats.items():
        assert stats.loc[gathering, "fill_rate"] == pytest.approx(taken / capacity[gathering])
    waited = frame[frame["waitlisted"] & frame["seated_at"].notna()]
    hours = (waited["seated_at"] - waited["joined_at"]).dt.total_seconds() / 3600
    median = hours.groupby(waited["gathering"]).median()
    for gathering, value in median.items():
        assert stats.loc[gathering, "median_wait_hours"] == pytest.approx(value)

    report = data.national_report(min_count=None).to_pandas()
    national = report[report["network"] == "all"].set_index("year")
    assert list(national.index) == list(range(2006, 2012))
    assert (national["unique_participants"] == att.groupby("year")["person"].nunique()).all()
    private = att[att["sector"] == "private"].groupby("year").size()
    assert (national["private_attendances"] == private).all()
    per_network = report[report["network"] != "all"].groupby("year")["attendances"].sum()
    assert (national["attendances"] == per_network).all()
    assert len(report) == 6 * (5 + 1)


# --- suppression -----------------------------------------------------------------------------

HEADER = ",".join(alor.analytics.CSV_COLUMNS)


def org_number(i: int) -> str:
    for first8 in range(30_000_000 + 7 * i, 30_000_000 + 7 * i + 7):
        digits = [int(c) for c in f"{first8:08d}"]
        rest = 11 - sum(d * w for d, w in zip(digits, [3, 2, 7, 6, 5, 4, 3, 2])) % 11
        if rest != 10:
            return f"{first8:08d}{0 if rest == 11 else rest}"
    raise AssertionError("no valid number in range")


def two_networks_csv(big: int, small: int) -> str:
    lines = [HEADER]
    for net, n, offset in (("big", big, 0), ("small", small, 500)):
        for i in range(n):
            lines.append(
                f"{net},{net}-2025,2025-10-01,40,0,{net}{i}@example.no,{org_number(offset + i)},"
                "private,manager,attended,false,2025-08-01T10:00:00Z,2025-08-01T10:00:00Z"
            )
    return "\n".join(lines) + "\n"


def test_small_cells_are_suppressed_by_default_with_secondary_suppression() -> None:
    ds = Dataset.from_csv(two_networks_csv(20, 3))
    raw = ds.national_report(min_count=None).to_pandas()
    assert list(raw["attendances"]) == [20, 3, 23]
    table = ds.national_report()
    df = table.to_pandas()
    assert pd.isna(df.loc[1, "attendances"])  # primary: 3 < 5
    assert pd.isna(df.loc[0, "attendances"])  # secondary: 23 - 20 would reveal it
    assert df.loc[2, "attendances"] == 23
    assert pd.isna(df.loc[1, "first_time_share"])
    metadata = pa.table(table).schema.metadata
    assert metadata[b"alor.min_count"] == b"5"
    assert int(metadata[b"alor.suppressed_cells"]) >= 2
    # The same through CSV and JSON.
    assert ds.report_csv("national_report").splitlines()[2].split(",")[5] == ""
    rows = json.loads(ds.report_json("national_report"))["rows"]
    assert rows[1]["attendances"] is None and rows[2]["attendances"] == 23
    # k = 3 shows the 3; k = 4 hides it again.
    assert ds.national_report(min_count=3).to_pandas().loc[1, "attendances"] == 3
    assert pd.isna(ds.national_report(min_count=4).to_pandas().loc[1, "attendances"])


@pytest.mark.parametrize("k", [2, 1, 0, -5])
def test_a_threshold_below_three_is_refused(k: int) -> None:
    ds = Dataset.from_csv(two_networks_csv(6, 6))
    with pytest.raises(AnalyticsError) as info:
        ds.first_time(min_count=k)
    assert info.value.code == "suppression_threshold_too_low"
    assert isinstance(info.value, alor.AlorError) and isinstance(info.value, ValueError)
    with pytest.raises(AnalyticsError):
        ds.html_report(min_count=k)


def test_no_small_count_is_visible_in_any_default_table(data: Dataset) -> None:
    keys = {"year", "cohort", "years_after", "capacity", "peak_waitlist", "gatherings"}
    small = Dataset.synthetic(networks=4, years=3, registrations_per_gathering=12, seed=3)
    for name in alor.analytics.REPORTS:
        table = pl.DataFrame(getattr(small, name)())
        for column, dtype in table.schema.items():
            if dtype == pl.Int64 and column not in keys:
                values = table[column].drop_nulls()
                assert ((values == 0) | (values >= 5)).all(), (name, column)


def test_the_report_names_come_from_the_compiled_catalogue(data: Dataset) -> None:
    assert alor.analytics.REPORTS == alor._alor.REPORTS == [
        "first_time", "retention", "reach", "mix", "gatherings", "national_report"
    ]
    for name in alor.analytics.REPORTS:
        assert json.loads(data.report_json(name, min_count=None))["name"] == name
    with pytest.raises(alor.ValidationError) as info:
        data.report_csv("kari@example.no")
    assert info.value.code == "invalid_report" and info.value.field == "report"
    assert "kari" not in str(info.value) and "national_report" in str(info.value)
    assert "invalid_report" in alor.ANALYTICS_ERROR_CODES


def test_an_unknown_csv_header_is_named_by_position_never_by_its_text() -> None:
    text = two_networks_csv(2, 0).replace(",seated_at", ",kari@example.no", 1)
    with pytest.raises(AnalyticsError) as info:
        Dataset.from_csv(text)
    assert {"row": 1, "column": "column 13", "problem": "unknown_column"} in info.value.errors
    assert "kari" not in str(info.value)


# --- pseudonymisation ------------------------------------------------------------------------


def test_pseudonyms_are_keyed_hmac_sha256_stable_and_key_specific() -> None:
    ds = Dataset.from_csv(two_networks_csv(6, 5))
    a = ds.pseudonymised(KEY).to_csv()
    assert a == ds.pseudonymised(KEY).to_csv()
    b = ds.pseudonymised(OTHER_KEY).to_csv()
    assert a != b
    expected = hmac.new(KEY, b"alor:person:big0@example.no", hashlib.sha256).hexdigest()
    assert f"p_{expected}" in a
    for text in (a, b):
        assert "@example.no" not in text
    arrow = pl.DataFrame(ds.pseudonymised(KEY).to_arrow())
    assert not arrow["person"].cast(pl.String).str.contains("@").any()
    # Figures do not change.
    assert ds.pseudonymised(KEY).report_csv("national_report", min_count=None) == ds.report_csv(
        "national_report", min_count=None
    )


@pytest.mark.parametrize("key", [b"", b"short", b"x" * 31])
def test_short_keys_are_refused(key: bytes) -> None:
    ds = Dataset.from_csv(two_networks_csv(6, 5))
    with pytest.raises(AnalyticsError) as info:
        ds.pseudonymised(key)
    assert info.value.code == "pseudonym_key_too_short"


def test_a_key_must_be_bytes() -> None:
    ds = Dataset.from_csv(two_networks_csv(6, 5))
    with pytest.raises(alor.ValidationError) as info:
        ds.pseudonymised("a string key that is long enough to pass the check")  # type: ignore[arg-type]
    assert info.value.code == "invalid_key"


# --- CSV and Arrow input errors --------------------------------------------------------------


def test_csv_errors_name_row_and_column_never_the_value() -> None:
    lines = two_networks_csv(3, 0).splitlines()
    lines[2] = lines[2].replace("manager", "boss").replace("big1@example.no", "")
    lines[3] = lines[3].replace("2025-10-01", "01.10.2025")
    with pytest.raises(AnalyticsError) as info:
        Dataset.from_csv("\n".join(lines))
    error = info.value
    assert error.code == "invalid_rows"
    assert [(e["row"], e["column"], e["problem"]) for e in error.errors] == [
        (3, "role", "out_of_range"),
        (4, "date", "malformed"),
    ]
    assert "boss" not in str(error) and "01.10.2025" not in str(error)
    assert "@" not in str(error)


def test_csv_with_a_missing_column_is_refused() -> None:
    text = two_networks_csv(2, 0).replace(",seated_at", "")
    with pytest.raises(AnalyticsError) as info:
        Dataset.from_csv(text)
    assert {"row": 1, "column": "seated_at", "problem": "missing_column"} in info.value.errors


def test_arrow_tables_round_trip_through_pyarrow_and_polars(data: Dataset) -> None:
    expected = data.report_csv("national_report", min_count=None)
    via_pyarrow = from_arrow(pa.table(data.to_arrow()))
    assert via_pyarrow.report_csv("national_report", min_count=None) == expected
    via_polars = from_arrow(pl.DataFrame(data.to_arrow()))
    assert via_polars.report_csv("national_report", min_count=None) == expected
    via_pandas = from_arrow(pa.Table.from_pandas(pa.table(data.to_arrow()).to_pandas()))
    assert len(via_pandas) == len(data)


def test_arrow_input_errors_name_the_row() -> None:
    ds = Dataset.from_csv(two_networks_csv(6, 0))
    df = pl.DataFrame(ds.to_arrow()).with_columns(pl.col("organisation").cast(pl.String))
    df = df.with_columns(
        pl.when(pl.int_range(pl.len()) == 3)
        .then(pl.lit("123456789"))
        .otherwise(pl.col("organisation"))
        .alias("organisation")
    )
    with pytest.raises(AnalyticsError) as info:
        from_arrow(df)
    assert info.value.errors == [
        {"row": 4, "column": "organisation", "problem": "invalid_organisation_number"}
    ]


def test_codes_export_uses_integer_keys(data: Dataset) -> None:
    df = pl.DataFrame(data.to_arrow(codes=True))
    assert df.schema["person"] == pl.UInt32 and df.schema["organisation"] == pl.UInt32
    assert df["network"].max() == len(data.networks) - 1
    assert df["gathering"].is_sorted()


# --- from ledgers ----------------------------------------------------------------------------


def test_a_dataset_from_a_replayed_season_matches_the_ledger() -> None:
    ledger = alor.demo.play_season()["ledger"]
    ds = from_ledgers([ledger])
    regs = pl.DataFrame(ledger.registrations_arrow())
    assert len(ds) == regs.height
    stats = ds.gatherings(min_count=None).to_pandas().iloc[0]
    assert stats["attended"] == (regs["status"] == "attended").sum()
    assert stats["capacity"] == ledger.capacity
    rows = pl.DataFrame(ds.to_arrow())
    assert rows["person"].cast(pl.String).str.contains("@").all()  # e-mail keys before pseudonyms
    assert not pl.DataFrame(ds.pseudonymised(KEY).to_arrow())["person"].cast(
        pl.String
    ).str.contains("@").any()


def test_a_bad_event_log_is_a_data_error() -> None:
    with pytest.raises(alor.DataError) as info:
        Dataset.from_event_logs(["{not json"])
    assert info.value.code == "malformed_data"


# --- HTML report in headless Chromium --------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_html_report_renders_in_headless_chromium(data: Dataset, tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(chromium).exists(), "chromium is required (scripts/setup installs it)"
    for locale, words in (("nb", "Andel nye deltakere"), ("en", "First-time share")):
        html = data.html_report(locale=locale)
        assert words in html and html.count("<svg") == 4
        page = tmp_path / f"report-{locale}.html"
        page.write_text(html, encoding="utf-8")
        shot = tmp_path / f"report-{locale}.png"
        profile = tmp_path / f"profile-{locale}"
        result = subprocess.run(
            [
                chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={shot}",
                "--window-size=1200,1600", page.as_uri(),
            ],
            capture_output=True, text=True, timeout=120, check=False,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        png = shot.read_bytes()
        assert png_size(png) == (1200, 1600)
        assert len(png) > 40_000, f"suspiciously plain screenshot ({len(png)} bytes)"
    # Kept for a person to look at, beside the browser tests' screenshots.
    keep = Path(os.environ.get("ALOR_REPORT_SCREENSHOT", ROOT / "out" / "analytics-report-nb.png"))
    keep.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "report-nb.png", keep)


# --- the analyst example ---------------------------------------------------------------------


def test_the_national_report_example_prints_the_table_and_saves_a_chart(tmp_path: Path) -> None:
    example = ROOT / "examples" / "analyst" / "national_report.py"
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONWARNINGS": "error"}
    result = subprocess.run(
        [sys.executable, str(example), str(tmp_path / "out")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "rogaland" in result.stdout and "first_time_share" in result.stdout
    png = (tmp_path / "out" / "first_time_share.png").read_bytes()
    assert png_size(png)[0] > 600 and len(png) > 20_000
    table = pd.read_csv(tmp_path / "out" / "national_report.csv")
    assert len(table) == 20 * 12 and set(table["network"]) >= {"rogaland", "all"}
    html = (tmp_path / "out" / "national_report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")

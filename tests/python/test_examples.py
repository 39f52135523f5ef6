"""The analyst example runs as a script and produces its table and a real PNG."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "analyst" / "season_analysis.py"


def test_the_analyst_example_prints_the_table_and_saves_the_plot(tmp_path: Path) -> None:
    png = tmp_path / "plots" / "season.png"
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONWARNINGS": "error"}
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), str(png)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Høstsamling 2026" in out and "seats" in out
    assert "waitlist_position" in out and "attended" in out  # the polars tables
    assert "@" not in out, "the analyst output must not show e-mail addresses"
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000, f"suspiciously small plot ({len(data)} bytes)"
    # The season's row of the national report, and its chart, beside the plot.
    report = pd.read_csv(png.with_name("national_report.csv"))
    assert list(report["network"]) == ["rogaland", "all"]
    assert (report["capacity"] == 70).all() and (report["gatherings"] == 1).all()
    seated = report.loc[0, "attendances"]
    assert 0 < seated <= 70 and seated == report.loc[1, "attendances"]
    assert {"first_time_share", "waitlist_pressure", "fill_rate"} <= set(report.columns)
    assert "national report saved to" in out
    mix = png.with_name("season-mix.png").read_bytes()
    assert mix[:8] == b"\x89PNG\r\n\x1a\n" and len(mix) > 20_000


def test_the_png_path_can_come_from_the_environment(tmp_path: Path) -> None:
    png = tmp_path / "from-env.png"
    env = {**os.environ, "MPLBACKEND": "Agg", "ALOR_SEASON_PNG": str(png)}
    result = subprocess.run(
        [sys.executable, str(EXAMPLE)], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert png.stat().st_size > 20_000

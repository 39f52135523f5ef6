# %% [markdown]
# # alor Rogaland, autumn 2026: the registration season, as an analyst sees it
#
# Replays the demo season — the very same deterministic season the Rust example
# (`./scripts/main`) prints — through the real ledger, shows the registrations as a polars
# table, plots seats and waitlist over time to a PNG, and turns the season into its row of the
# national report (table as CSV, and a chart of who came).
#
#     python examples/analyst/season_analysis.py [out/season.png]
#
# The PNG path is the first argument, else `$ALOR_SEASON_PNG`, else `out/season.png`; the
# national report table and its chart are written beside it (`national_report.csv`,
# `season-mix.png`). For every network over twenty years see `national_report.py`.
# Cells are marked `# %%`, so the file also opens as a notebook in VS Code or Jupytext.

# %%
from __future__ import annotations

import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib

matplotlib.use("Agg")  # files only, no display needed
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import polars as pl

import alor
from alor.analytics import from_ledgers

OSLO = ZoneInfo("Europe/Oslo")
png = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ALOR_SEASON_PNG", "out/season.png"))

# %% [markdown]
# ## Play the season
# Each step is a command at an instant. Between steps, time passes: the host asks the ledger
# for its next deadline (a held offer running out) and lets it expire on time. `play_season`
# is the one loop that does this on every surface (the Rust example, this notebook and the web
# example's data); it returns the ledger, and the seats taken, waitlist length and capacity
# after every change — read from the ledger, never recomputed here.

# %%
season = alor.demo.rogaland_autumn_season()
gathering = season["gathering"]
played = alor.demo.play_season()  # the one loop every surface uses (alor_demo::play in Rust)
ledger = played["ledger"]
timeline = played["timeline"]
refused: dict[str, int] = {}
for code in played["refused"]:
    refused[code] = refused.get(code, 0) + 1
assert played["refused"] == [s["expected_error"] for s in season["steps"] if s.get("expected_error")]

print(f"{gathering['title']} — {gathering['venue']['name']}: {ledger.version} events, "
      f"{ledger.counted_seats}/{ledger.capacity} seats, {ledger.waitlist_len} still waitlisted")
print("refused commands:", ", ".join(f"{code} × {n}" for code, n in sorted(refused.items())))

# %% [markdown]
# ## The registrations as a table
# The Arrow export carries no names, e-mail addresses or phone numbers: organisations by number,
# people by registration id.

# %%
registrations = pl.DataFrame(ledger.registrations_arrow())
pl.Config.set_tbl_cols(10)
pl.Config.set_tbl_width_chars(160)
print(registrations.select("registration", "status", "sector", "role", "first_time", "joined_at",
                           "seated_at", "waitlist_position").head(8))
print(registrations.group_by("status").len().sort("len", descending=True))
seated = registrations.filter(pl.col("seated_at").is_not_null())
wait_hours = (seated["seated_at"] - seated["joined_at"]).dt.total_hours()
print(f"first-time share among those who got a seat: {seated['first_time'].mean():.0%}; "
      f"longest wait for a seat: {wait_hours.max()} h")
print(registrations.group_by("sector", "role").len().sort("len", descending=True).head(6))

# %% [markdown]
# ## Seats and waitlist over time (Oslo time)

# %%
frame = pl.DataFrame(timeline)
fig, ax = plt.subplots(figsize=(10, 5), dpi=120)
times = [t.astimezone(OSLO) for t in frame["at"].to_list()]
ax.step(times, frame["seats"].to_list(), where="post", label="seats taken", linewidth=2)
ax.step(times, frame["waitlist"].to_list(), where="post", label="waitlist", linewidth=2)
ax.step(times, frame["capacity"].to_list(), where="post", label="capacity", linestyle="--",
        color="grey")
ax.axvline(gathering["policy"]["closes_at"].astimezone(OSLO), color="firebrick", linestyle=":",
           label="registration closes")
ax.set_title(f"alor Rogaland — {gathering['title']}: seats and waitlist")
ax.set_ylabel("people")
ax.xaxis.set_major_formatter(mdates.DateFormatter("%d.%m", tz=OSLO))
ax.grid(alpha=0.3)
ax.legend(loc="center right")
fig.autofmt_xdate()
png.parent.mkdir(parents=True, exist_ok=True)
fig.savefig(png, bbox_inches="tight")
plt.close(fig)
print(f"plot saved to {png}")

# %% [markdown]
# ## Into the national report
# The same ledger feeds the national report sent with the yearly grant report
# (*tilskuddsbrev*): `from_ledgers` replays its event log into a participation dataset, and
# `national_report()` gives one row per network per year plus a total. Small cells are
# suppressed (fewer than 5 shown as empty), with secondary suppression so totals do not reveal
# them. With every network's ledgers the table has a row per network; here it is one season,
# so every attendee is a first-timer (there is no earlier gathering in the data to return from).

# %%
data = from_ledgers([ledger])
report = data.national_report().to_polars()
pl.Config.set_tbl_cols(13)
print(report.select("network", "year", "gatherings", "capacity", "registrations", "attendances",
                    "first_time_share", "unique_organisations", "private_share", "fill_rate",
                    "peak_waitlist", "waitlist_pressure", "seated_from_waitlist_share"))
report_csv = png.with_name("national_report.csv")
report_csv.write_text(data.report_csv("national_report"), encoding="utf-8")
print(f"national report saved to {report_csv}")

# %% [markdown]
# ## Who came: sector and role mix (attendances; suppressed cells are marked, not drawn)

# %%
mix = data.mix().to_polars()
labels = [f"{row['dimension']}: {row['category']}" for row in mix.iter_rows(named=True)]
counts = mix["attendances"].fill_null(0).to_list()
fig, ax = plt.subplots(figsize=(8, 5), dpi=120)
bars = ax.barh(labels, counts, color=["#2b6cb0" if d == "sector" else "#2f855a"
                                      for d in mix["dimension"].to_list()])
for bar, shown in zip(bars, mix["attendances"].to_list()):
    ax.text(bar.get_width() + 0.5, bar.get_y() + bar.get_height() / 2,
            "suppressed" if shown is None else str(shown), va="center", fontsize=8)
ax.invert_yaxis()
ax.set_xlabel("attendances")
ax.set_title(f"alor Rogaland — {gathering['title']}: who came")
ax.grid(axis="x", alpha=0.3)
mix_png = png.with_name("season-mix.png")
fig.savefig(mix_png, bbox_inches="tight")
plt.close(fig)
print(f"chart saved to {mix_png}")

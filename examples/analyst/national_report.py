# %% [markdown]
# # The national report of the alor networks, from synthetic data
#
# The table sent with the yearly grant report (*tilskuddsbrev*): one row per network per year,
# plus a row for all networks, with small cells suppressed (fewer than 5 hidden, with
# secondary suppression so totals do not reveal them). Also a chart of the first-time share
# per network over the years, and the self-contained HTML report.
#
#     python examples/analyst/national_report.py [out-dir]
#
# Writes `national_report.csv`, `first_time_share.png` and `national_report.html` to the
# output directory (default `out/`). Every figure is computed by alor-core; this script only
# shows and plots them. Cells are marked `# %%`, so the file also opens as a notebook.

# %%
from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display needed
import matplotlib.pyplot as plt
import polars as pl

from alor.analytics import Dataset

out = Path(sys.argv[1] if len(sys.argv) > 1 else "out")
out.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## The data
# 11 networks × 20 years × 2 gatherings of deterministic synthetic registrations (the same on
# every machine). With real data use `alor.analytics.from_ledgers(...)`, `Dataset.from_csv(...)`
# or `alor.analytics.from_arrow(...)`, and `dataset.pseudonymised(key)` before sharing.

# %%
data = Dataset.synthetic()
print(data)

# %% [markdown]
# ## The national report (suppressed, as published)

# %%
report = pl.DataFrame(data.national_report())
pl.Config.set_tbl_cols(12)
pl.Config.set_tbl_rows(14)
pl.Config.set_tbl_width_chars(180)
latest = report["year"].max()
print(
    report.filter(pl.col("year") == latest).select(
        "network", "year", "gatherings", "registrations", "attendances", "unique_participants",
        "first_time", "first_time_share", "unique_organisations", "new_organisations",
        "fill_rate", "no_show_rate",
    )
)
report.write_csv(out / "national_report.csv")
hidden = report.select(pl.all().null_count()).sum_horizontal()[0]
print(f"{hidden} empty cells: suppressed, or a rate over zero (empty in the CSV as well)")

# %% [markdown]
# ## First-time share per network over the years
# The share of attendees who came to the network for the first time, pooled over the year's
# gatherings; the national line is the `all` row. A hidden (suppressed) value leaves a gap.

# %%
fig, ax = plt.subplots(figsize=(10, 5.5), dpi=110)
for network, rows in report.sort("year").group_by("network", maintain_order=True):
    name = str(network[0])
    national = name == "all"
    ax.plot(
        rows["year"].to_list(),
        rows["first_time_share"].to_list(),
        color="black" if national else None,
        linewidth=3 if national else 1,
        alpha=1 if national else 0.55,
        label="alle nettverk" if national else name,
    )
ax.set_title("Andel nye deltakere per nettverk (syntetiske data)")
ax.set_xlabel("År")
ax.set_ylabel("Andel nye i nettverket")
ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
ax.set_ylim(0, 1)
ax.legend(ncol=3, fontsize=8, loc="upper right")
ax.grid(alpha=0.3)
fig.tight_layout()
fig.savefig(out / "first_time_share.png")
print(f"saved {out / 'first_time_share.png'}")

# %% [markdown]
# ## The HTML report
# One file with inline SVG charts (first-time share, fill rate, waitlist pressure, sector mix)
# and the latest year's table, in bokmål; `locale="en"` for English.

# %%
(out / "national_report.html").write_text(data.html_report(locale="nb"), encoding="utf-8")
print(f"saved {out / 'national_report.html'}")

"""The cost of crossing the Python boundary: the criterion ledger workloads, from Python.

    scripts/test-python                                  # builds the release extension into .venv
    .venv/bin/python benchmarks/binding_ratio.py         # Python, Rust (criterion) and the ratio
    .venv/bin/python benchmarks/binding_ratio.py --js    # ... and the JS full module beside them

Mirrors `alor-core/benches/ledger.rs`: a full gathering (70 seats, automatic promotion, join-time
order, no per-organisation cap) at one instant inside the window, with 1 000 / 10 000 / 100 000
people waitlisted, and the same people (three organisations, `person{i}@example.no`, every fifth a
first-timer). Workloads:

- `register_and_cancel_waitlisted`: sign one more person up (waitlisted), cancel them: 2 commands;
- `decide_register`: decide one sign-up without applying it.

Python times a command the way a caller sends it: a dict in, event dicts out (the command dicts
are built beforehand, as the Rust loop's `Command`s are). Each figure is the median of 5 batches of
about 0.4 s. The Rust figures come from `cargo bench` (criterion's middle estimate, short warm-up
and measurement times); `--rust-from FILE` reads saved criterion output instead, and `--no-rust`
skips them. A script that prints figures, not a timed test.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import alor

ROOT = Path(__file__).resolve().parent.parent
SEATS = 70
SIZES = (1_000, 10_000, 100_000)
ORGS = ("985198292", "964965404", "974760673")
UTC = timezone.utc
NOW = datetime(2026, 9, 10, 12, tzinfo=UTC)


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 9, day, hour, tzinfo=UTC)


def gathering() -> dict[str, Any]:
    return {
        "id": "rogaland-2026-host",
        "network": "rogaland",
        "title": "Høstsamling 2026",
        "theme": "Fra bekymring til handling",
        "starts_at": at(29, 8),
        "ends_at": at(29, 15),
        "venue": {"name": "Sola Strand Hotel", "town": "Sola"},
        "price": 145_000,
        "policy": {
            "capacity": SEATS,
            "opens_at": at(1, 8),
            "closes_at": at(20, 22),
            "cancellation_deadline": at(15, 22),
            "waitlist": True,
            "waitlist_order": "join_time",
            "promotion": {"mode": "automatic"},
        },
    }


def register(i: int) -> dict[str, Any]:
    return {
        "type": "register",
        "person": {
            "name": "Åse Ødegård",
            "email": f"person{i}@example.no",
            "organisation": {"name": "Virksomhet AS", "number": ORGS[i % 3], "sector": "public"},
            "role": "manager",
        },
        "first_time": i % 5 == 0,
        "by": "participant",
    }


class Workload:
    """A ledger with SEATS taken and `waiting` waitlisted, and a pool of fresh sign-ups."""

    def __init__(self, waiting: int) -> None:
        taken = waiting + SEATS
        self.ledger = alor.Ledger(gathering())
        for i in range(taken):
            self.ledger.execute(register(i), NOW)
        assert self.ledger.waitlist_len == waiting
        # Each fresh person is cancelled before they come round again, as in the Rust loop.
        self.fresh = [register(taken + i) for i in range(1_000)]
        self.next = 0

    def register_and_cancel(self) -> None:
        command = self.fresh[self.next]
        self.next = (self.next + 1) % len(self.fresh)
        events = self.ledger.execute(command, NOW)
        registration = events[0]["event"]["registration"]
        self.ledger.execute(
            {"type": "cancel", "registration": registration, "by": "participant", "reason": "illness"},
            NOW,
        )

    def decide(self) -> None:
        self.ledger.decide(self.fresh[0], NOW)


def per_call_us(step: Callable[[], None], batch_seconds: float = 0.4, batches: int = 5) -> float:
    """Median µs per call over `batches` batches, each about `batch_seconds` long."""
    for _ in range(200):  # warm-up
        step()
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < 0.1:
        step()
        n += 1
    per_batch = max(100, int(n * batch_seconds / 0.1))
    times = []
    for _ in range(batches):
        start = time.perf_counter_ns()
        for _ in range(per_batch):
            step()
        times.append((time.perf_counter_ns() - start) / per_batch / 1_000)
    return statistics.median(times)


def python_figures(sizes: tuple[int, ...]) -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = {"register_and_cancel_waitlisted": {}, "decide_register": {}}
    for waiting in sizes:
        work = Workload(waiting)
        out["register_and_cancel_waitlisted"][waiting] = per_call_us(work.register_and_cancel)
        out["decide_register"][waiting] = per_call_us(work.decide)
        del work
    return out


UNITS = {"ps": 1e-6, "ns": 1e-3, "µs": 1.0, "us": 1.0, "ms": 1e3, "s": 1e6}


def parse_criterion(text: str) -> dict[str, dict[int, float]]:
    """Criterion's middle estimate per `ledger/<workload>/<n>`, in µs."""
    out: dict[str, dict[int, float]] = {}
    pattern = re.compile(
        r"ledger/(\w+)/(\d+)\s+time:\s+\[[\d.]+ \S+ ([\d.]+) (\S+) [\d.]+ \S+\]", re.MULTILINE
    )
    for name, n, value, unit in pattern.findall(text):
        out.setdefault(name, {})[int(n)] = float(value) * UNITS[unit]
    return out


def rust_figures() -> dict[str, dict[int, float]]:
    command = [
        "cargo", "bench", "-p", "alor-core", "--bench", "ledger", "--",
        "ledger/(register_and_cancel_waitlisted|decide_register)/",
        "--warm-up-time", "1", "--measurement-time", "3", "--noplot",
    ]
    print("$ " + " ".join(command), file=sys.stderr)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return parse_criterion(done.stdout)


def js_figures(sizes: tuple[int, ...]) -> dict[str, dict[int, float]]:
    script = ROOT / "benchmarks" / "binding_ratio.mjs"
    done = subprocess.run(
        ["node", str(script), "--json", ",".join(map(str, sizes))],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    raw = json.loads(done.stdout)
    return {name: {int(n): v for n, v in by.items()} for name, by in raw.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="waitlist lengths, comma-separated")
    parser.add_argument("--no-rust", action="store_true", help="skip cargo bench")
    parser.add_argument("--rust-from", type=Path, help="read saved criterion output instead of running it")
    parser.add_argument("--js", action="store_true", help="also time the JS full module (node)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(","))

    python = python_figures(sizes)
    js = js_figures(sizes) if args.js else {}
    if args.rust_from:
        rust = parse_criterion(args.rust_from.read_text())
    elif args.no_rust:
        rust = {}
    else:
        rust = rust_figures()
    if args.json:
        print(json.dumps({"python": python, "rust": rust, "js": js}, indent=1))
        return

    print(f"alor {alor.__file__}")
    print(f"{'workload':34} {'waitlisted':>10} {'Python µs':>10} {'Rust µs':>9} {'Py/Rust':>8}"
          + (f" {'JS µs':>8} {'JS/Rust':>8}" if js else ""))
    for name, by_size in python.items():
        for n, py_us in by_size.items():
            rust_us = rust.get(name, {}).get(n)
            line = f"{name:34} {n:>10,} {py_us:>10.2f} "
            line += f"{rust_us:>9.3f} {py_us / rust_us:>7.1f}×" if rust_us else f"{'-':>9} {'-':>8}"
            if js:
                js_us = js.get(name, {}).get(n)
                line += f" {js_us:>8.2f} " + (f"{js_us / rust_us:>7.1f}×" if js_us and rust_us else f"{'-':>8}")
            print(line)


if __name__ == "__main__":
    main()

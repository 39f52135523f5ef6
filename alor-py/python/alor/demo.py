"""Demo data: the very same deterministic season the Rust example (``examples/season``) uses."""

from __future__ import annotations

from typing import Any

from . import _alor
from ._alor import Ledger

__all__ = ["replay_season", "rogaland_autumn_season"]


def rogaland_autumn_season() -> dict[str, Any]:
    """alor Rogaland's autumn gathering 2026, generated deterministically by ``alor-core``:
    ``{"network": {...}, "gathering": {...}, "steps": [...]}``. Each step has ``at`` (a
    UTC-aware datetime), ``command`` (a command dict), ``note``, and ``expected_error`` (the code
    the ledger refuses the step with) only on steps that are refused. Same data on every call and every surface."""
    return _alor.demo_rogaland_autumn_season()


def replay_season(season: dict[str, Any]) -> Ledger:
    """Runs a season's steps through a new ledger, letting holds expire on time in between
    (``next_deadline``/``handle_timeout``), exactly as the Rust example does. Each step must
    give its ``expected_error`` (or succeed when that is None); a mismatch raises
    ``AssertionError``."""
    ledger = Ledger(season["gathering"])
    for step in season["steps"]:
        deadline = ledger.next_deadline()
        while deadline is not None and deadline <= step["at"]:
            ledger.handle_timeout(deadline)
            deadline = ledger.next_deadline()
        code: str | None = None
        try:
            ledger.execute(step["command"], step["at"], expected_version=ledger.version)
        except Exception as error:  # an AlorError carries the code
            code = getattr(error, "code", None)
            if code is None:
                raise
        expected = step.get("expected_error")
        if code != expected:
            raise AssertionError(
                f"demo step at {step['at']:%Y-%m-%d %H:%M} gave {code!r}, expected {expected!r}"
            )
    return ledger

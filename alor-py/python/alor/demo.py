"""Demo data: the very same deterministic season the Rust example (``examples/season``) uses."""

from __future__ import annotations

from typing import Any

from . import _alor

__all__ = ["rogaland_autumn_season"]


def rogaland_autumn_season() -> dict[str, Any]:
    """The demo season of alor Rogaland (autumn): ``{"gathering": {...}, "events": [...]}``
    with UTC-aware datetimes, ready for ``alor.Ledger.replay(season["gathering"],
    season["events"])``. Deterministic: the same data on every call and every surface."""
    season: dict[str, Any] = _alor.demo_rogaland_autumn_season()
    return season

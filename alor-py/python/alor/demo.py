"""Demo data: the very same deterministic season the Rust example (``examples/season``) plays."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict, cast

from . import _alor
from ._alor import Ledger

__all__ = ["Moment", "PlayedSeason", "play_season", "rogaland_autumn_season"]


class Moment(TypedDict):
    """The state after something happened: ``at`` (UTC-aware), ``seats`` taken, people on the
    ``waitlist``, ``capacity``."""

    at: datetime
    seats: int
    waitlist: int
    capacity: int


class PlayedSeason(TypedDict):
    """What ``play_season`` returns."""

    ledger: Ledger
    timeline: list[Moment]
    refused: list[str]


def rogaland_autumn_season() -> dict[str, Any]:
    """alor Rogaland's autumn gathering 2026, generated deterministically by ``alor-demo``:
    ``{"network": {...}, "gathering": {...}, "steps": [...]}``. Each step has ``at`` (a
    UTC-aware datetime), ``command`` (a command dict), ``note``, and ``expected_error`` (the code
    the ledger refuses the step with) only on steps that are refused. Same data on every call
    and every surface."""
    return _alor.demo_rogaland_autumn_season()


def play_season(until: datetime | None = None) -> PlayedSeason:
    """Plays the demo season through the one loop every surface uses (``alor_demo::play`` in
    Rust): each step at its instant, holds expiring on time in between, every refusal the one the
    season expects. With ``until`` (an aware datetime), only the steps up to then. Returns the
    ``ledger`` it leaves (with its full event log), the ``timeline`` of seats and waitlist after
    each change, and the codes of the ``refused`` steps in order."""
    return cast(PlayedSeason, _alor.demo_play_season(until))

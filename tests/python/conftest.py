"""Shared helpers for the Python tests of `alor`."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

UTC = timezone.utc
AVINOR = "985198292"
# MOD11-valid numbers of invented organisations (first eight digits + computed check digit).
ORGS = ["985198292", "964965226", "974760673", "811111112", "922222223"]


def at(day: int, hour: int = 9, minute: int = 0, month: int = 9) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def make_gathering(capacity: int = 2, **policy: Any) -> dict[str, Any]:
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
            "capacity": capacity,
            "opens_at": at(1, 8),
            "closes_at": at(20, 22),
            "cancellation_deadline": at(15, 22),
            **policy,
        },
    }


def person(i: int, org: str = AVINOR, role: str = "manager") -> dict[str, Any]:
    return {
        "name": f"Deltaker {i} Ødegård",
        "email": f"deltaker{i}@example.no",
        "organisation": {"name": f"Virksomhet {org}", "number": org, "sector": "public"},
        "role": role,
    }


def register(i: int, org: str = AVINOR, first_time: bool = False) -> dict[str, Any]:
    return {"type": "register", "person": person(i, org), "first_time": first_time}


@pytest.fixture
def gathering() -> dict[str, Any]:
    return make_gathering()

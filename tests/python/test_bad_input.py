"""Malformed input of every kind raises the expected alor exception and code, never a panic.

Each row calls the bindings with one bad input; the call must raise exactly the given
`AlorError` subclass with the given stable code, and a ledger involved must be unchanged.
`PanicException` derives from `BaseException`, so it would escape `pytest.raises(AlorError)`
and fail the row.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from conftest import at, make_gathering, person, register

import alor

V, L, D = alor.ValidationError, alor.LedgerError, alor.DataError


def ledger_with_one() -> alor.Ledger:
    ledger = alor.Ledger(make_gathering())
    ledger.execute(register(1), at(2))
    return ledger


def with_person(**changes: Any) -> dict[str, Any]:
    p = person(7)
    organisation = {**p["organisation"], **changes.pop("organisation", {})}
    return {"type": "register", "person": {**p, **changes, "organisation": organisation}}


def nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


def snapshot_with(**changes: Any) -> str:
    snap = json.loads(ledger_with_one().snapshot_json())
    snap.update(changes)
    return json.dumps(snap)


def log_with(**changes: Any) -> str:
    log = json.loads(ledger_with_one().event_log_json())
    log.update(changes)
    return json.dumps(log)


def full_log_with_waitlisted_edited_to_confirmed() -> str:
    """Capacity 1, two sign-ups; the second (waitlisted) edited to confirmed: 2 seats on 1."""
    ledger = alor.Ledger(make_gathering(capacity=1))
    ledger.execute(register(1), at(2))
    ledger.execute(register(2), at(2))
    log = json.loads(ledger.event_log_json())
    assert log["events"][1]["event"]["status"] == "waitlisted"
    log["events"][1]["event"]["status"] = "confirmed"
    return json.dumps(log)


def gathering_with(**changes: Any) -> dict[str, Any]:
    g = make_gathering()
    g.update(changes)
    return g


OSLO_LIKE = timezone(timedelta(hours=2))
TEN_MB = "Å" * (10 * 1024 * 1024)

# (id, call on a fresh ledger with one registration, exception class, code)
ROWS: list[tuple[str, Callable[[alor.Ledger], object], type[alor.AlorError], str]] = [
    ("command-int", lambda l: l.execute(42, at(3)), D, "malformed_data"),  # type: ignore[arg-type]
    ("command-none", lambda l: l.execute(None, at(3)), D, "malformed_data"),  # type: ignore[arg-type]
    ("command-bytes", lambda l: l.execute(b'{"type":"close_registration"}', at(3)), D, "malformed_data"),  # type: ignore[arg-type]
    ("command-garbage-json-text", lambda l: l.execute("{not json", at(3)), D, "malformed_data"),  # type: ignore[arg-type]
    ("command-unknown-type", lambda l: l.execute({"type": "teleport"}, at(3)), D, "malformed_data"),
    ("command-missing-type", lambda l: l.execute({"registration": 1}, at(3)), D, "malformed_data"),
    ("command-unknown-field", lambda l: l.execute({"type": "erase", "registration": 1, "x": 1}, at(3)), D, "malformed_data"),
    ("command-set-value", lambda l: l.execute({"type": "erase", "registration": {1}}, at(3)), D, "malformed_data"),
    ("command-nan", lambda l: l.execute({"type": "change_capacity", "capacity": float("nan")}, at(3)), D, "malformed_data"),
    ("command-nested-10000", lambda l: l.execute({"type": "erase", "registration": nested(10_000)}, at(3)), D, "malformed_data"),
    ("command-non-str-key", lambda l: l.execute({"type": "erase", 1: 2}, at(3)), D, "malformed_data"),  # type: ignore[dict-item]
    ("command-lone-surrogate", lambda l: l.execute(with_person(name="Kari \ud800"), at(3)), D, "malformed_data"),
    ("registration-negative", lambda l: l.execute({"type": "erase", "registration": -1}, at(3)), D, "malformed_data"),
    ("registration-huge", lambda l: l.execute({"type": "erase", "registration": 2**70}, at(3)), D, "malformed_data"),
    ("capacity-above-u32", lambda l: l.execute({"type": "change_capacity", "capacity": 2**32}, at(3)), D, "malformed_data"),
    ("email-malformed", lambda l: l.execute(with_person(email="kari.example.no"), at(3)), V, "invalid_email"),
    ("org-number-check-digit", lambda l: l.execute(with_person(organisation={"number": "985198293"}), at(3)), V, "invalid_organisation_number"),
    ("role-unknown", lambda l: l.execute(with_person(role="ceo"), at(3)), V, "invalid_role"),
    ("name-10-mb", lambda l: l.execute(with_person(name=TEN_MB), at(3)), V, "invalid_name"),
    ("override-reason-10-mb", lambda l: l.execute({"type": "override_seat", "registration": 1, "reason": TEN_MB}, at(3)), V, "invalid_reason"),
    ("at-naive", lambda l: l.execute({"type": "handle_timeout"}, datetime(2026, 9, 3, 9)), V, "naive_datetime"),
    ("at-string", lambda l: l.execute({"type": "handle_timeout"}, "2026-09-03T09:00:00Z"), V, "invalid_datetime"),  # type: ignore[arg-type]
    ("at-none", lambda l: l.handle_timeout(None), V, "invalid_datetime"),  # type: ignore[arg-type]
    ("at-out-of-utc-range", lambda l: l.handle_timeout(datetime(1, 1, 1, 0, 30, tzinfo=OSLO_LIKE)), V, "invalid_datetime"),
    ("at-before-last-event", lambda l: l.handle_timeout(at(1)), L, "time_went_backwards"),
    ("expected-version-negative", lambda l: l.execute({"type": "handle_timeout"}, at(3), -1), V, "invalid_version"),
    ("expected-version-2-64", lambda l: l.execute({"type": "handle_timeout"}, at(3), 2**64), V, "invalid_version"),
    ("expected-version-bool", lambda l: l.execute({"type": "handle_timeout"}, at(3), True), V, "invalid_version"),
    ("expected-version-str", lambda l: l.execute({"type": "handle_timeout"}, at(3), "1"), V, "invalid_version"),  # type: ignore[arg-type]
    ("expected-version-stale", lambda l: l.execute({"type": "close_registration"}, at(3), 0), L, "conflict"),
    ("events-since-negative", lambda l: l.events_since(-1), V, "invalid_version"),
    ("registration-id-float", lambda l: l.registration(1.0), V, "invalid_registration"),  # type: ignore[arg-type]
    ("waitlist-position-none", lambda l: l.waitlist_position(None), V, "invalid_registration"),  # type: ignore[arg-type]
    ("is-open-naive", lambda l: l.is_open(datetime(2026, 9, 3)), V, "naive_datetime"),
    ("snapshot-garbage", lambda l: alor.Ledger.from_snapshot_json("{garbage"), D, "malformed_data"),
    ("snapshot-bytes", lambda l: alor.Ledger.from_snapshot_json(b"{}"), D, "malformed_data"),  # type: ignore[arg-type]
    ("snapshot-none", lambda l: alor.Ledger.from_snapshot_json(None), D, "malformed_data"),  # type: ignore[arg-type]
    ("snapshot-schema-99", lambda l: alor.Ledger.from_snapshot_json(snapshot_with(schema_version=99)), D, "unsupported_schema_version"),
    ("snapshot-version-huge", lambda l: alor.Ledger.from_snapshot_json(snapshot_with(version=2**60)), D, "inconsistent_snapshot"),
    ("snapshot-version-below-registrations", lambda l: alor.Ledger.from_snapshot_json(snapshot_with(version=0)), D, "inconsistent_snapshot"),
    ("event-log-waitlisted-edited-to-confirmed", lambda l: alor.Ledger.from_event_log_json(full_log_with_waitlisted_edited_to_confirmed()), D, "inapplicable_event"),
    ("event-log-schema-2", lambda l: alor.Ledger.from_event_log_json(log_with(schema_version=2)), D, "unsupported_schema_version"),
    ("gathering-impossible-date", lambda l: alor.Ledger(gathering_with(starts_at="2026-02-30T08:00:00Z")), D, "malformed_data"),
    ("gathering-ends-before-start", lambda l: alor.Ledger(gathering_with(ends_at=at(28))), V, "invalid_dates"),
    ("gathering-none", lambda l: alor.Ledger(None), D, "malformed_data"),  # type: ignore[arg-type]
    ("gathering-naive-datetime", lambda l: alor.Ledger(gathering_with(starts_at=datetime(2026, 9, 29, 8))), V, "naive_datetime"),
    ("replay-sequence-gap", lambda l: alor.Ledger.replay(make_gathering(), [{**l.events_since(0)[0], "seq": 5}]), D, "sequence_gap"),
    ("replay-not-a-list", lambda l: alor.Ledger.replay(make_gathering(), "events"), D, "malformed_data"),  # type: ignore[arg-type]
    ("replay-garbage-event", lambda l: alor.Ledger.replay(make_gathering(), [{"seq": 1}]), D, "malformed_data"),
    ("org-number-int", lambda l: alor.validate_org_number(985198292), V, "invalid_organisation_number"),  # type: ignore[arg-type]
    ("org-number-letters", lambda l: alor.validate_org_number("98519829X"), V, "invalid_organisation_number"),
    ("person-draft-str", lambda l: alor.validate_person("Kari"), D, "malformed_data"),  # type: ignore[arg-type]
    ("person-draft-int-field", lambda l: alor.person_errors({"name": 5}), D, "malformed_data"),  # type: ignore[dict-item]
]


@pytest.mark.parametrize(("call", "cls", "code"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_bad_input_raises_the_expected_error(
    call: Callable[[alor.Ledger], object], cls: type[alor.AlorError], code: str
) -> None:
    ledger = ledger_with_one()
    before = ledger.snapshot_json()
    with pytest.raises(alor.AlorError) as caught:
        call(ledger)
    error = caught.value
    assert type(error) is cls, f"{type(error).__name__}: {error}"
    assert error.code == code, str(error)
    assert isinstance(error, ValueError)
    assert ledger.snapshot_json() == before, "a refused call changed the ledger"
    # Messages never echo personal data or the 10 MB input.
    assert "deltaker" not in str(error).lower() and len(str(error)) < 1_000


def test_the_table_is_large_enough() -> None:
    assert len(ROWS) >= 20
    assert len({r[0] for r in ROWS}) == len(ROWS)


def test_a_rust_panic_becomes_internal_error_not_panic_exception() -> None:
    with pytest.raises(alor.InternalError) as caught:
        alor._alor._panic_for_test()
    assert caught.value.code == "internal_error"
    assert isinstance(caught.value, alor.AlorError)


def test_validation_error_names_the_field() -> None:
    with pytest.raises(alor.ValidationError) as caught:
        ledger_with_one().execute(with_person(email="nope"), at(3))
    assert caught.value.field == "email"
    assert caught.value.errors == [{"field": "email", "code": "invalid_email", "problem": "malformed"}]
    with pytest.raises(alor.ValidationError) as naive:
        ledger_with_one().handle_timeout(datetime(2026, 9, 3))
    assert naive.value.field == "at"

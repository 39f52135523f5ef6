"""Every scenario file in tests/scenarios, run through the Python bindings.

Asserts what the Rust runner (alor-core/tests/scenarios.rs) asserts, step by step: the error
code (and area), or exactly the expected number of events each a recursive subset of the
recorded JSON; decide == execute; consecutive sequence numbers; a refused command changes
nothing; invariants hold; the snapshot JSON round-trips; the state assertions; and at the end
replaying the events (from dicts and from the event-log JSON) gives the same state.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

import alor

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
FILES = sorted(SCENARIOS.glob("*.json"))
AREAS = {alor.ValidationError: "validation", alor.LedgerError: "ledger", alor.DataError: "data"}
INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


def instant(text: str) -> datetime | None:
    if not INSTANT.match(text):
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def subset(expected: Any, actual: Any, path: str) -> None:
    """`expected` is a recursive subset of `actual` (the rule of tests/scenario.schema.json):
    objects by key, arrays element-wise with equal length, instants by value."""
    if expected is None:
        assert actual is None, f"{path}: expected null, found {actual!r}"
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, found {actual!r}"
        for key, value in expected.items():
            subset(value, actual.get(key), f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected an array, found {actual!r}"
        assert len(expected) == len(actual), (
            f"{path}: expected {len(expected)} elements, found {len(actual)}: {actual!r}"
        )
        for i, (w, h) in enumerate(zip(expected, actual)):
            subset(w, h, f"{path}[{i}]")
    elif isinstance(expected, str) and instant(expected) is not None:
        if isinstance(actual, datetime):
            assert actual.tzinfo is timezone.utc, f"{path}: {actual!r} is not UTC-aware"
            assert actual == instant(expected), f"{path}: expected {expected}, found {actual}"
        else:
            assert isinstance(actual, str) and instant(actual) == instant(expected), (
                f"{path}: expected the instant {expected}, found {actual!r}"
            )
    else:
        # bool is an int in Python: compare types too, as JSON does.
        assert type(expected) is type(actual) and expected == actual, (
            f"{path}: expected {expected!r}, found {actual!r}"
        )


def check_state(ledger: alor.Ledger, at: datetime, state: dict[str, Any]) -> None:
    plain = {
        "version": lambda: ledger.version,
        "capacity": lambda: ledger.capacity,
        "counted_seats": lambda: ledger.counted_seats,
        "free_seats": lambda: ledger.free_seats,
        "overridden_seats": lambda: ledger.overridden_seats,
        "waitlist": lambda: [r["id"] for r in ledger.waitlist()],
        "next_deadline": ledger.next_deadline,
        "is_open": lambda: ledger.is_open(at),
        "manually_closed": lambda: ledger.manually_closed,
    }
    counts = ledger.organisation_counts()
    for key, expected in state.items():
        if key in plain:
            subset(expected, plain[key](), key)
        elif key in ("waitlist_positions", "statuses", "registrations"):
            for rid, want in expected.items():
                reg = ledger.registration(int(rid))
                what = f"{key}[{rid}]"
                if reg is None:
                    subset(want, "no such registration", what)
                elif key == "waitlist_positions":
                    subset(want, ledger.waitlist_position(int(rid)), what)
                elif key == "statuses":
                    subset(want, reg["status"], what)
                else:
                    subset(want, reg, what)
        elif key == "organisations":
            for number, want in expected.items():
                assert set(want) == {"counted", "active"}, f"{key}[{number}] needs both counts"
                have = counts.get(number, {"counted": 0, "active": 0})
                subset(want, have, f"{key}[{number}]")
        else:
            pytest.fail(f"unknown state key {key!r}")


def check_error(expect: dict[str, Any], error: alor.AlorError) -> None:
    assert "error" in expect, f"expected events, got error {error.code} ({error})"
    assert error.code == expect["error"], f"expected error {expect['error']}, got {error.code}"
    if "area" in expect:
        assert AREAS.get(type(error)) == expect["area"], (
            f"expected area {expect['area']}, got {type(error).__name__}"
        )


# Refusals a page can predict from the public snapshot (the others need personal data).
REFUSALS = {"registration_not_open", "registration_closed", "gathering_started", "gathering_full",
            "organisation_cap_reached"}


def prediction(ledger: alor.Ledger, step: dict[str, Any], at: datetime) -> dict[str, Any] | None:
    """What `alor.check` predicts for a participant's sign-up, from the snapshot served at `at`."""
    command = step["command"]
    if not isinstance(command, dict) or command.get("type") != "register":
        return None
    person = command.get("person")
    org = person.get("organisation") if isinstance(person, dict) else None
    if command.get("by", "participant") != "participant" or not isinstance(org, dict):
        return None
    draft = {"name": person.get("name", ""), "email": person.get("email", ""),
             "phone": person.get("phone") or "", "organisation_name": org.get("name", ""),
             "organisation_number": org.get("number", ""), "sector": org.get("sector", ""),
             "industry": org.get("industry") or "", "role": person.get("role", "")}
    try:
        return alor.check(ledger.public_snapshot(at), draft, now=at,
                          first_time=bool(command.get("first_time", False)))
    except alor.AlorError:
        return None  # a snapshot a page could not be served (bad input in the scenario)


def check_prediction(predicted: dict[str, Any] | None, ledger: alor.Ledger,
                     events: list[dict[str, Any]] | None, error: alor.AlorError | None) -> int:
    """The prediction must be the ledger's answer: 1 if one was compared."""
    if predicted is None:
        return 0
    if error is not None:
        if error.code not in REFUSALS:
            return 0
        assert predicted["outcome"] == {"kind": "refused", "code": error.code}, predicted
        return 1
    assert events is not None
    registered = next(e["event"] for e in events if e["event"]["type"] == "registered")
    if registered["status"] == "confirmed":
        assert predicted["outcome"] == {"kind": "seat"}, predicted
    else:
        position = ledger.waitlist_position(registered["registration"])
        assert predicted["outcome"]["kind"] == "waitlist", predicted
        assert predicted["outcome"]["position"] == position, predicted
    assert predicted["valid"], "check found a field invalid that the ledger took"
    return 1


PREDICTIONS: list[int] = []


def test_there_are_scenarios() -> None:
    # The Rust runner requires at least 25; an empty directory must never pass silently.
    assert len(FILES) >= 25, f"only {len(FILES)} scenario files in {SCENARIOS}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["name"] == path.stem
    gathering = doc["gathering"]
    ledger = alor.Ledger(gathering)
    recorded: list[dict[str, Any]] = []
    for i, step in enumerate(doc["steps"], start=1):
        context = f"step {i} ({step['at']})"
        at = instant(step["at"])
        assert at is not None, f"{context}: bad instant"
        expect = step["expect"]
        assert ("events" in expect) != ("error" in expect), f"{context}: events xor error"
        before = ledger.snapshot_json()
        before_version = ledger.version
        predicted = prediction(ledger, step, at)
        decided: list[dict[str, Any]] | alor.AlorError
        try:
            decided = ledger.decide(step["command"], at, step.get("expected_version"))
        except alor.AlorError as error:
            decided = error
        try:
            events = ledger.execute(step["command"], at, step.get("expected_version"))
        except alor.AlorError as error:
            assert isinstance(decided, alor.AlorError) and decided.code == error.code, (
                f"{context}: decide and execute disagree"
            )
            assert ledger.snapshot_json() == before, f"{context}: refused ({error.code}) but changed"
            PREDICTIONS.append(check_prediction(predicted, ledger, None, error))
            try:
                check_error(expect, error)
            except AssertionError as failure:
                raise AssertionError(f"{context}: {failure}") from None
        else:
            assert decided == events, f"{context}: decide and execute disagree"
            assert "events" in expect, f"{context}: expected {expect.get('error')}, got {events!r}"
            for n, event in enumerate(events):
                assert event["seq"] == before_version + n + 1, f"{context}: event {n} seq"
                assert event["at"] <= at, f"{context}: event {n} is after the step"
            assert ledger.version == before_version + len(events)
            subset(expect["events"], events, f"{context}: events")
            recorded.extend(events)
            try:
                PREDICTIONS.append(check_prediction(predicted, ledger, events, None))
            except AssertionError as failure:
                raise AssertionError(f"{context}: the check's prediction: {failure}") from None
        ledger.verify()
        restored = alor.Ledger.from_snapshot_json(ledger.snapshot_json())
        assert restored.snapshot_json() == ledger.snapshot_json(), f"{context}: snapshot round trip"
        if "state" in step:
            try:
                check_state(ledger, at, step["state"])
            except AssertionError as failure:
                raise AssertionError(f"{context}: {failure}") from None

    # The handle keeps exactly the events it returned (erased people redacted).
    kept = ledger.events_since(0)
    assert [e["seq"] for e in kept] == [e["seq"] for e in recorded]
    replayed = alor.Ledger.replay(gathering, kept)
    assert replayed.snapshot_json() == ledger.snapshot_json(), "replay gives another state"
    from_log = alor.Ledger.from_event_log_json(ledger.event_log_json())
    assert from_log.snapshot_json() == ledger.snapshot_json(), "event log gives another state"


def test_the_checks_predicted_sign_ups() -> None:
    # Runs after the scenarios (pytest keeps file order): the prediction was compared for many
    # sign-ups, not silently for none.
    assert sum(PREDICTIONS) >= 50, f"only {sum(PREDICTIONS)} predictions compared"

"""The Python surface: units at the boundary, queries, persistence, errors, Arrow export."""

from __future__ import annotations

import json
import pickle
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from conftest import AVINOR, ORGS, at, make_gathering, person, register

import alor

PERSONAL = ("name", "email", "phone", "contact", "person")


def test_aware_datetimes_in_any_zone_come_back_utc() -> None:
    ledger = alor.Ledger(make_gathering())
    oslo = datetime(2026, 9, 2, 11, 0, tzinfo=ZoneInfo("Europe/Oslo"))  # CEST, UTC+2
    events = ledger.execute(register(1), oslo)
    assert events[0]["at"] == at(2, 9)
    assert events[0]["at"].tzinfo is timezone.utc
    reg = ledger.registration(1)
    assert reg is not None and reg["joined_at"] == at(2, 9) and reg["joined_at"].tzinfo is timezone.utc
    assert ledger.gathering()["starts_at"].tzinfo is timezone.utc


def test_microseconds_survive_the_boundary() -> None:
    ledger = alor.Ledger(make_gathering())
    t = datetime(2026, 9, 2, 9, 0, 0, 123456, tzinfo=timezone.utc)
    assert ledger.execute(register(1), t)[0]["at"] == t


def test_offers_deadlines_and_timeouts() -> None:
    ledger = alor.Ledger(make_gathering(capacity=1, promotion={"mode": "offer", "hold_minutes": 60}))
    ledger.execute(register(1), at(2))
    ledger.execute(register(2), at(2, 10))
    assert ledger.next_deadline() is None
    events = ledger.execute({"type": "cancel", "registration": 1, "by": "participant", "reason": "travel"}, at(3))
    assert [e["event"]["type"] for e in events] == ["cancelled", "offered"]
    assert ledger.next_deadline() == at(3, 10)
    assert ledger.handle_timeout(at(3, 9, 59)) == []
    expired = ledger.handle_timeout(at(3, 12))
    assert [e["event"]["type"] for e in expired] == ["offer_expired"]
    assert expired[0]["at"] == at(3, 10)  # recorded at its own expiry instant
    assert ledger.next_deadline() is None


def test_decide_changes_nothing_and_execute_agrees() -> None:
    ledger = alor.Ledger(make_gathering())
    before = ledger.snapshot_json()
    decided = ledger.decide(register(1), at(2))
    assert ledger.snapshot_json() == before and ledger.version == 0
    assert ledger.execute(register(1), at(2)) == decided


def test_queries() -> None:
    ledger = alor.Ledger(make_gathering(capacity=1))
    ledger.execute(register(1), at(2))
    ledger.execute(register(2, ORGS[1]), at(2, 10))
    ledger.execute(register(3, ORGS[1]), at(2, 11))
    assert (ledger.capacity, ledger.counted_seats, ledger.free_seats, ledger.waitlist_len) == (1, 1, 0, 2)
    assert [r["id"] for r in ledger.waitlist()] == [2, 3]
    assert ledger.waitlist_position(3) == 2 and ledger.waitlist_position(1) is None
    assert ledger.registration(99) is None
    assert ledger.organisation_counts() == {AVINOR: {"counted": 1, "active": 1}, ORGS[1]: {"counted": 0, "active": 2}}
    assert ledger.is_open(at(2)) and not ledger.is_open(at(21))
    assert not ledger.manually_closed
    assert "version=3" in repr(ledger) and "Deltaker" not in repr(ledger)


def test_snapshot_and_event_log_round_trips() -> None:
    ledger = alor.Ledger(make_gathering(capacity=1))
    for i in range(1, 4):
        ledger.execute(register(i), at(2, 8 + i))
    restored = alor.Ledger.from_snapshot_json(ledger.snapshot_json())
    assert restored.snapshot_json() == ledger.snapshot_json()
    assert restored.events_since(3) == []
    with pytest.raises(alor.DataError) as caught:
        restored.events_since(0)
    assert caught.value.code == "events_not_kept"
    restored.execute(register(9), at(4))
    assert [e["seq"] for e in restored.events_since(3)] == [4]
    with pytest.raises(alor.DataError):
        restored.event_log_json()
    from_log = alor.Ledger.from_event_log_json(ledger.event_log_json())
    assert from_log.events_since(0) == ledger.events_since(0)
    assert ledger.events_since(2) == ledger.events_since(0)[2:]


def test_erasure_removes_contact_details_from_the_kept_events() -> None:
    ledger = alor.Ledger(make_gathering(capacity=1))
    ledger.execute(register(1), at(2))
    ledger.execute({"type": "cancel", "registration": 1, "by": "participant", "reason": "illness"}, at(3))
    ledger.execute({"type": "erase", "registration": 1}, at(4))
    assert "deltaker1@" not in json.dumps(ledger.events_since(0), default=str)
    assert "deltaker1@" not in ledger.event_log_json()
    reg = ledger.registration(1)
    assert reg is not None and reg["contact"] is None
    replayed = alor.Ledger.from_event_log_json(ledger.event_log_json())
    assert replayed.snapshot_json() == ledger.snapshot_json()


def test_person_validation_reports_every_field() -> None:
    errors = alor.person_errors({"name": " ", "email": "x", "organisation_name": "Avinor AS",
                                 "organisation_number": "985198293", "sector": "public", "role": "ceo"})
    assert [(e["field"], e["problem"]) for e in errors] == [
        ("name", "required"), ("email", "malformed"), ("organisation_number", "check_digit"), ("role", "out_of_range"),
    ]
    with pytest.raises(alor.ValidationError) as caught:
        alor.validate_person({"name": "Kari"})
    assert caught.value.code == "invalid_email" and caught.value.field == "email"
    assert {e["field"] for e in caught.value.errors} == {"email", "organisation_name", "organisation_number", "sector", "role"}
    valid = alor.validate_person({"name": " Kari  Nordmann ", "email": "Kari@Avinor.NO", "organisation_name": "Avinor AS",
                                  "organisation_number": "985 198 292", "sector": "public", "role": "hr"})
    assert valid == {"name": "Kari Nordmann", "email": "kari@avinor.no",
                     "organisation": {"name": "Avinor AS", "number": "985198292", "sector": "public"}, "role": "hr"}
    assert alor.person_errors({"name": "Kari", "email": "k@a.no", "organisation_name": "A",
                               "organisation_number": AVINOR, "sector": "private", "role": "hse"}) == []


def test_org_numbers() -> None:
    assert alor.validate_org_number("985 198 292") == AVINOR
    assert alor.is_valid_org_number(AVINOR) and not alor.is_valid_org_number("985198293")
    with pytest.raises(alor.ValidationError) as caught:
        alor.validate_org_number("12345")
    assert caught.value.code == "invalid_organisation_number"
    assert caught.value.errors[0]["problem"] == "not_nine_digits"


def test_validate_gathering_normalises() -> None:
    g = alor.validate_gathering(make_gathering())
    assert g["policy"]["waitlist"] is True and g["policy"]["opens_at"] == at(1, 8)


def test_errors_pickle_and_keep_their_code() -> None:
    with pytest.raises(alor.LedgerError) as caught:
        ledger = alor.Ledger(make_gathering())
        ledger.execute(register(1), at(2))
        ledger.execute(register(1), at(2))
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is alor.LedgerError and copy.code == "already_registered" and str(copy) == str(caught.value)
    assert alor.LedgerError.__module__ == "alor"
    assert set(alor.LEDGER_ERROR_CODES) >= {"conflict", "gathering_full", "already_registered"}


def test_demo_season_is_deterministic_and_replays() -> None:
    season = alor.demo.rogaland_autumn_season()
    assert season == alor.demo.rogaland_autumn_season()
    ledger = alor.demo.play_season()["ledger"]
    assert ledger.counted_seats <= ledger.capacity + ledger.overridden_seats
    refused = [s for s in season["steps"] if s.get("expected_error")]
    assert refused, "the demo season exercises refusals"
    ledger.verify()


# --- Arrow ----------------------------------------------------------------------------------


def arrow_ledger() -> alor.Ledger:
    ledger = alor.Ledger(make_gathering(capacity=1, promotion={"mode": "offer", "hold_minutes": 60}))
    ledger.execute(register(1), at(2))
    ledger.execute(register(2, ORGS[1], first_time=True), at(2, 10))
    ledger.execute(register(3, ORGS[2]), at(2, 11))
    ledger.execute({"type": "cancel", "registration": 1, "by": "participant", "reason": "illness"}, at(3))
    ledger.execute({"type": "change_capacity", "capacity": 3}, at(4))
    return ledger


def test_events_arrow_matches_the_events() -> None:
    ledger = arrow_ledger()
    table = pa.table(ledger.events_arrow())
    events = ledger.events_since(0)
    assert table.num_rows == len(events) == ledger.events_arrow().num_rows
    assert table.schema.field("at").type == pa.timestamp("us", tz="UTC")
    assert table.column("seq").to_pylist() == [e["seq"] for e in events]
    assert table.column("type").to_pylist() == [e["event"]["type"] for e in events]
    assert table.column("at").to_pylist() == [e["at"] for e in events]
    assert table.column("registration").to_pylist() == [e["event"].get("registration") for e in events]
    rows = table.to_pylist()
    assert rows[0]["organisation_number"] == AVINOR and rows[0]["status"] == "confirmed"
    assert rows[1]["first_time"] is True and rows[1]["role"] == "manager"
    assert rows[3]["cancel_reason"] == "illness" and rows[3]["late"] is False
    offered = [r for r in rows if r["type"] == "offered"]
    assert offered[0]["cause"] == "seat_freed" and offered[0]["cause_registration"] == 1
    assert offered[0]["expires_at"] == at(3, 10)
    changed = [r for r in rows if r["type"] == "capacity_changed"][0]
    assert (changed["capacity_from"], changed["capacity_to"]) == (1, 3)


def test_registrations_arrow_matches_the_registrations() -> None:
    ledger = arrow_ledger()
    frame = pl.DataFrame(ledger.registrations_arrow())
    regs = ledger.registrations()
    assert frame["registration"].to_list() == [r["id"] for r in regs]
    assert frame["status"].to_list() == [r["status"] for r in regs]
    assert frame["joined_at"].to_list() == [r["joined_at"] for r in regs]
    assert frame["seated_at"].to_list() == [r["seated_at"] for r in regs]
    assert frame["waitlist_position"].to_list() == [ledger.waitlist_position(r["id"]) for r in regs]
    assert str(frame.schema["joined_at"]) == "Datetime(time_unit='us', time_zone='UTC')"


def test_arrow_tables_hold_no_personal_data() -> None:
    ledger = arrow_ledger()
    for table in (ledger.events_arrow(), ledger.registrations_arrow()):
        assert not any(any(p in c for p in PERSONAL) for c in table.column_names)
        text = pa.table(table).to_pandas().to_csv()
        assert "deltaker" not in text.lower() and "Ødegård" not in text


def test_every_consumer_reads_the_capsule() -> None:
    ledger = arrow_ledger()
    table = ledger.registrations_arrow()
    via_polars = table.to_polars()
    assert isinstance(via_polars, pl.DataFrame) and via_polars.height == 3
    assert pl.from_arrow(table).struct.unnest().equals(via_polars)  # type: ignore[union-attr]
    via_pandas = table.to_pandas()
    assert isinstance(via_pandas, pd.DataFrame) and len(via_pandas) == 3
    assert str(via_pandas["joined_at"].dtype) == "datetime64[us, UTC]"
    assert table.to_pyarrow().equals(pa.table(table))
    # The table can be read again and again; an unread capsule is released without leaking.
    for _ in range(3):
        assert pa.table(table).num_rows == 3
        table.__arrow_c_stream__()
    assert pa.schema(table).names == table.column_names


def test_an_empty_ledger_exports_empty_tables_with_the_full_schema() -> None:
    ledger = alor.Ledger(make_gathering())
    events = pa.table(ledger.events_arrow())
    assert events.num_rows == 0 and "at" in events.column_names
    assert pl.DataFrame(ledger.registrations_arrow()).height == 0


def test_datetimes_outside_python_range_are_a_clear_error() -> None:
    g = make_gathering()
    g["starts_at"] = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5)))
    with pytest.raises(alor.ValidationError) as caught:
        alor.Ledger(g)
    assert caught.value.code == "invalid_datetime"

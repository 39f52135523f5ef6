"""The sign-up checks from Python: the same core call the page module makes in the browser."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import alor

UTC = timezone.utc


def gathering(capacity: int = 1) -> dict[str, Any]:
    return {
        "id": "rogaland-2026-host", "network": "rogaland", "title": "Høstsamling 2026",
        "theme": "Fra bekymring til handling",
        "starts_at": datetime(2026, 10, 29, 8, tzinfo=UTC), "ends_at": datetime(2026, 10, 29, 15, tzinfo=UTC),
        "venue": {"name": "Sola Strand Hotel", "town": "Sola"}, "price": 145_000,
        "policy": {"capacity": capacity, "opens_at": datetime(2026, 9, 1, 7, tzinfo=UTC),
                   "closes_at": datetime(2026, 10, 15, 22, tzinfo=UTC),
                   "cancellation_deadline": datetime(2026, 10, 20, 22, tzinfo=UTC)},
    }


def draft(n: int, number: str = "985 198 292") -> dict[str, str]:
    return {"name": f"Åse Ødegård {n}", "email": f"ase{n}@avinor.example", "organisation_name": "Avinor AS",
            "organisation_number": number, "sector": "public", "role": "akan_contact"}


AT = datetime(2026, 9, 2, 9, tzinfo=UTC)


def test_check_predicts_a_seat_then_a_waitlist_place_as_the_ledger_decides() -> None:
    ledger = alor.Ledger(gathering(capacity=1))
    snapshot = ledger.public_snapshot(AT)
    assert snapshot["as_of"] == AT and snapshot["counted_seats"] == 0
    first = alor.check(snapshot, draft(1), now=AT)
    assert first["valid"] and first["outcome"] == {"kind": "seat"}
    assert first["messages"][-1]["text"] == "Du får plass på samlingen."
    ledger.execute({"type": "register", "person": alor.validate_person(draft(1))}, AT)
    second = alor.Checker(ledger.public_snapshot_json(AT)).check(draft(2), now=AT, locale="en")
    assert second["outcome"] == {"kind": "waitlist", "position": 1, "reason": "full"}
    assert second["messages"][-1]["text"] == "The gathering is full. You will be number 1 on the waitlist."
    events = ledger.execute({"type": "register", "person": alor.validate_person(draft(2))}, AT)
    assert events[0]["event"]["status"] == "waitlisted"


def test_messages_name_the_field_in_every_locale_and_no_reads_as_nb() -> None:
    snapshot = alor.Ledger(gathering()).public_snapshot(AT)
    result = alor.check(snapshot, draft(1, "985 198 293"), now=AT)
    assert not result["valid"] and result["outcome"] == {"kind": "incomplete"}
    org = next(m for m in result["messages"] if m["field"] == "organisation_number")
    assert (org["code"], org["problem"]) == ("invalid_organisation_number", "check_digit")
    assert org["text"].startswith("Organisasjonsnummeret har feil kontrollsiffer")
    assert alor.check(snapshot, draft(1, "985 198 293"), now=AT, locale="no") == result
    nynorsk = alor.check(snapshot, draft(1, "985 198 293"), now=AT, locale="nn")
    assert nynorsk["messages"][-1]["text"] == "Fyll inn eit gyldig organisasjonsnummer, så ser du om du får plass."
    assert [m["code"] for m in nynorsk["messages"]] == [m["code"] for m in result["messages"]]
    assert alor.LOCALES == ["nb", "nn", "en"]
    assert [c["value"] for c in alor.role_choices("en")][:2] == ["manager", "hr"]
    assert alor.sector_choices()[0] == {"value": "private", "label": "Privat virksomhet"}


def test_a_closed_window_is_a_predicted_refusal_with_its_time_in_oslo() -> None:
    snapshot = alor.Ledger(gathering()).public_snapshot(datetime(2026, 10, 16, tzinfo=UTC))
    result = alor.check(snapshot, draft(1), now=datetime(2026, 10, 16, tzinfo=UTC))
    assert result["outcome"] == {"kind": "refused", "code": "registration_closed"}
    assert result["messages"][-1]["text"] == "Påmeldingsfristen har gått ut. Påmeldingen stengte 16. oktober 2026 kl. 00.00."


def test_without_now_the_clock_is_read() -> None:
    snapshot = alor.Ledger(gathering()).public_snapshot()
    result = alor.check(snapshot, draft(1))  # 2026 is long past or still ahead: any outcome
    assert result["outcome"]["kind"] in {"seat", "waitlist", "refused", "incomplete"}


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda s: alor.check(s, draft(1), now=AT, locale="sv"), "invalid_locale"),
        (lambda s: alor.role_choices("sv"), "invalid_locale"),
        (lambda s: alor.check(s, draft(1), now=datetime(2026, 9, 2, 9)), "naive_datetime"),
        (lambda s: alor.check(s, draft(1), now="2026-09-02"), "invalid_datetime"),
        (lambda s: alor.check({**s, "priority_waitlist": 9}, draft(1), now=AT), "inconsistent_snapshot"),
        (lambda s: alor.check({**s, "schema_version": 99}, draft(1), now=AT), "unsupported_schema_version"),
        (lambda s: alor.check("not json", draft(1), now=AT), "malformed_data"),
        (lambda s: alor.check(s, ["not", "a", "dict"], now=AT), "malformed_data"),
        (lambda s: alor.Checker({}), "malformed_data"),
    ],
)
def test_bad_input_is_a_typed_error_with_the_cores_code(call: Any, code: str) -> None:
    snapshot = alor.Ledger(gathering()).public_snapshot(AT)
    with pytest.raises(alor.AlorError) as caught:
        call(snapshot)
    assert caught.value.code == code
    all_codes = {c for codes in alor.ERROR_CODES.values() for c in codes}
    assert code in all_codes, "every code raised is one the crates publish"


def test_error_codes_are_published_by_area() -> None:
    assert set(alor.ERROR_CODES) == {"validation", "ledger", "data", "argument", "time", "analytics", "store"}
    assert alor.ERROR_CODES["ledger"] == alor.LEDGER_ERROR_CODES
    assert alor.ERROR_CODES["analytics"] == alor.ANALYTICS_ERROR_CODES
    assert "naive_datetime" in alor.ERROR_CODES["argument"]


def test_the_demo_season_is_played_by_the_one_loop() -> None:
    season = alor.demo.rogaland_autumn_season()
    played = alor.demo.play_season()
    assert played["refused"] == [s["expected_error"] for s in season["steps"] if s.get("expected_error")]
    ledger = played["ledger"]
    assert ledger.event_log_json() == alor.Ledger.from_event_log_json(ledger.event_log_json()).event_log_json()
    timeline = played["timeline"]
    assert timeline[0]["at"] == season["gathering"]["policy"]["opens_at"]
    assert max(m["seats"] for m in timeline) <= 70
    halfway = season["steps"][len(season["steps"]) // 2]["at"]
    early = alor.demo.play_season(halfway)
    assert early["ledger"].version < ledger.version
    assert all(m["at"] <= halfway + timedelta(0) for m in early["timeline"])

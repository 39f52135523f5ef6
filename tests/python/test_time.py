"""Europe/Oslo in alor (chrono-tz in Rust) against Python's zoneinfo, at every change of
offset from 1980 to 2099: both sides of each change, the skipped hour and the repeated hour.

chrono-tz compiles the IANA rules into a table of transitions that ends with 2099; zoneinfo
extends the rule for ever. So 2100 is the one year where they differ, and
`test_the_zone_data_end_with_2099` states it: when chrono-tz extends its table, that test fails
and the documented limit (alor_core::time) goes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

import alor

OSLO = ZoneInfo("Europe/Oslo")
UTC = timezone.utc


def transitions() -> list[datetime]:
    """Every UTC instant from 1980 to 2100 at which zoneinfo's Oslo offset changes (found hour
    by hour around the last Sundays of March and October, then to the minute)."""
    found = []
    for year in range(1980, 2100):
        start = datetime(year, 1, 1, tzinfo=UTC)
        hour = start
        before = hour.astimezone(OSLO).utcoffset()
        while hour.year == year:
            after_hour = hour + timedelta(hours=1)
            offset = after_hour.astimezone(OSLO).utcoffset()
            if offset != before:
                found.append(after_hour)
                before = offset
            hour = after_hour
    return found


TRANSITIONS = transitions()


def test_there_are_two_changes_a_year() -> None:
    assert len(TRANSITIONS) == 2 * (2099 - 1980 + 1)


@pytest.mark.parametrize("year", range(1980, 2100))
def test_instants_around_every_change_read_as_zoneinfo_reads_them(year: int) -> None:
    for change in (t for t in TRANSITIONS if t.year == year):
        for minutes in range(-90, 91, 15):
            at = change + timedelta(minutes=minutes)
            expected = at.astimezone(OSLO)
            local, offset = alor.to_oslo_local(at)
            assert local == expected.replace(tzinfo=None), at
            assert offset == int(expected.utcoffset().total_seconds()), at  # type: ignore[union-attr]


@pytest.mark.parametrize("year", range(1980, 2100))
def test_wall_clock_times_around_every_change_resolve_as_documented(year: int) -> None:
    for change in (t for t in TRANSITIONS if t.year == year):
        local_change = change.astimezone(OSLO).replace(tzinfo=None)
        for minutes in range(-120, 121, 30):
            local = local_change + timedelta(minutes=minutes)
            earlier = local.replace(tzinfo=OSLO, fold=0)
            later = local.replace(tzinfo=OSLO, fold=1)
            exists = earlier.astimezone(UTC).astimezone(OSLO).replace(tzinfo=None) == local
            if not exists:  # the skipped hour in spring
                with pytest.raises(alor.ValidationError) as caught:
                    alor.from_oslo_local(local)
                assert caught.value.code == "nonexistent_local_time"
                continue
            assert alor.from_oslo_local(local) == earlier.astimezone(UTC)
            assert alor.from_oslo_local(local, fold=1) == later.astimezone(UTC)


def test_bad_arguments_are_typed_errors() -> None:
    aware = datetime(2026, 7, 1, 12, tzinfo=UTC)
    for bad in (aware, "2026-07-01T12:00", 12):
        with pytest.raises(alor.ValidationError) as caught:
            alor.from_oslo_local(bad)  # type: ignore[arg-type]
        assert caught.value.code == "invalid_datetime"
    with pytest.raises(alor.ValidationError) as caught:
        alor.to_oslo_local(datetime(2026, 7, 1, 12))
    assert caught.value.code == "naive_datetime"


def test_the_zone_data_end_with_2099() -> None:
    summer_2099 = datetime(2099, 7, 1, 12, tzinfo=UTC)
    summer_2100 = datetime(2100, 7, 1, 12, tzinfo=UTC)
    assert alor.to_oslo_local(summer_2099)[1] == 7200 == summer_2099.astimezone(OSLO).utcoffset().total_seconds()  # type: ignore[union-attr]
    # From 2100 on, chrono-tz keeps winter time all year; zoneinfo goes on switching.
    assert alor.to_oslo_local(summer_2100)[1] == 3600
    assert summer_2100.astimezone(OSLO).utcoffset() == timedelta(hours=2)

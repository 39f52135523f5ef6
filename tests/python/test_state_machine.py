"""Hypothesis stateful test over the bindings: random command sequences against random
policies, with the ledger's invariants checked after every step.

The reference model is deliberately small and obviously right: it derives, from the
registration dicts alone, what must hold — counted seats within capacity plus recorded
overrides, one active registration per e-mail, the waitlist served in policy order
(priority class, join time, id), and that a refused command changes
nothing and the events replay to the live state.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import hypothesis.strategies as st
from conftest import ORGS, at, make_gathering, person
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import alor

COUNTED = {"confirmed", "offered", "attended", "no_show"}
ACTIVE = COUNTED | {"waitlisted"}
PEOPLE = 10


class LedgerMachine(RuleBasedStateMachine):
    ledger: alor.Ledger
    gathering: dict[str, Any]
    now: datetime

    @initialize(
        capacity=st.integers(0, 4),
        waitlist=st.booleans(),
        order=st.sampled_from(["join_time", "first_time_first", "new_organisations_first"]),
        hold=st.none() | st.integers(1, 3 * 24 * 60),
        cap=st.none() | st.integers(1, 2),
    )
    def create(self, capacity: int, waitlist: bool, order: str, hold: int | None, cap: int | None) -> None:
        policy: dict[str, Any] = {"waitlist": waitlist, "waitlist_order": order}
        if hold is not None:
            policy["promotion"] = {"mode": "offer", "hold_minutes": hold}
        if cap is not None:
            policy["max_per_organisation"] = cap
        self.gathering = make_gathering(capacity=capacity, **policy)
        self.ledger = alor.Ledger(self.gathering)
        self.now = at(1, 7)  # before registration opens

    def attempt(self, command: dict[str, Any], expected_version: int | None = None) -> None:
        before = self.ledger.snapshot_json()
        version = self.ledger.version
        try:
            events = self.ledger.execute(command, self.now, expected_version)
        except alor.LedgerError:
            assert self.ledger.snapshot_json() == before, "a refused command changed the ledger"
            return
        assert [e["seq"] for e in events] == list(range(version + 1, version + 1 + len(events)))
        assert all(e["at"] <= self.now for e in events)

    @rule(minutes=st.integers(0, 4 * 24 * 60))
    def time_passes(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)

    @rule(who=st.integers(0, PEOPLE - 1), org=st.sampled_from(ORGS[:3]), first=st.booleans(),
          organiser=st.booleans())
    def register(self, who: int, org: str, first: bool, organiser: bool) -> None:
        self.attempt({"type": "register", "person": person(who, org), "first_time": first,
                      "by": "organiser" if organiser else "participant"})

    @rule(data=st.data(), reason=st.sampled_from(["illness", "travel", "other"]))
    def cancel(self, data: st.DataObject, reason: str) -> None:
        self.attempt({"type": "cancel", "registration": self.some_id(data), "by": "participant",
                      "reason": reason})

    @rule(data=st.data(), kind=st.sampled_from(["accept_offer", "decline_offer", "mark_attended",
                                                 "mark_no_show", "erase"]))
    def act_on_one(self, data: st.DataObject, kind: str) -> None:
        self.attempt({"type": kind, "registration": self.some_id(data)})

    @rule(data=st.data(), who=st.integers(PEOPLE, 2 * PEOPLE))
    def substitute(self, data: st.DataObject, who: int) -> None:
        reg = self.ledger.registration(self.some_id(data))
        org = reg["organisation"]["number"] if reg else ORGS[0]
        self.attempt({"type": "substitute", "registration": self.some_id(data),
                      "person": person(who, org)})

    @rule(data=st.data())
    def override(self, data: st.DataObject) -> None:
        self.attempt({"type": "override_seat", "registration": self.some_id(data),
                      "reason": "Innleder"})

    @rule(capacity=st.integers(0, 6))
    def change_capacity(self, capacity: int) -> None:
        self.attempt({"type": "change_capacity", "capacity": capacity})

    @rule(close=st.booleans())
    def close_or_reopen(self, close: bool) -> None:
        self.attempt({"type": "close_registration" if close else "reopen_registration"})

    @rule()
    def timeout(self) -> None:
        deadline = self.ledger.next_deadline()
        if deadline is not None and deadline > self.now:
            self.now = deadline
        self.attempt({"type": "handle_timeout"})

    @rule(stale=st.integers(0, 3))
    def stale_writer(self, stale: int) -> None:
        version = self.ledger.version
        before = self.ledger.snapshot_json()
        expected = version - stale - 1 if version > stale else version + 1
        try:
            self.ledger.execute({"type": "handle_timeout"}, self.now, expected)
        except alor.LedgerError as error:
            assert error.code in ("conflict", "time_went_backwards")
            assert self.ledger.snapshot_json() == before
        else:
            raise AssertionError("a stale expected_version was accepted")

    def some_id(self, data: st.DataObject) -> int:
        return data.draw(st.integers(1, max(1, len(self.ledger.registrations()) + 1)))

    @invariant()
    def invariants_hold(self) -> None:
        if not hasattr(self, "ledger"):
            return
        ledger = self.ledger
        regs = ledger.registrations()
        counted = [r for r in regs if r["status"] in COUNTED]
        assert ledger.counted_seats == len(counted)
        assert ledger.counted_seats <= ledger.capacity + ledger.overridden_seats
        assert ledger.free_seats == max(0, ledger.capacity - ledger.counted_seats)
        active_emails = [r["contact"]["email"] for r in regs if r["status"] in ACTIVE and r["contact"]]
        assert len(active_emails) == len(set(active_emails)), "two active registrations of one person"
        waiting = [r for r in regs if r["status"] == "waitlisted"]
        served = sorted(waiting, key=lambda r: (not r["priority"], r["joined_at"], r["id"]))
        assert [r["id"] for r in ledger.waitlist()] == [r["id"] for r in served]
        assert [ledger.waitlist_position(r["id"]) for r in served] == list(range(1, len(served) + 1))
        for r in regs:
            if r.get("seated_at") is not None:
                assert r["seated_at"] >= r["joined_at"], "promotion overwrote the join time"
            assert r["joined_at"].tzinfo is not None
        ledger.verify()
        replayed = alor.Ledger.replay(self.gathering, ledger.events_since(0))
        assert replayed.snapshot_json() == ledger.snapshot_json(), "replay differs from live"


LedgerMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestLedgerMachine = LedgerMachine.TestCase

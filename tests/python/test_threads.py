"""A ledger shared by threads never corrupts, and long calls release the GIL."""

from __future__ import annotations

import threading
import time
from collections import Counter

from conftest import at, make_gathering, register
from synthetic import event_log_json

import alor

THREADS = 8
PER_THREAD = 40
CAPACITY = 50


def test_threads_hammering_one_ledger_lose_or_double_no_seat() -> None:
    ledger = alor.Ledger(make_gathering(capacity=CAPACITY))
    barrier = threading.Barrier(THREADS)
    outcomes: list[Counter[str]] = [Counter() for _ in range(THREADS)]
    failures: list[BaseException] = []

    def worker(t: int) -> None:
        try:
            barrier.wait()
            for i in range(PER_THREAD):
                # Person i is the same person in every thread: exactly one sign-up may win.
                for person in (t * PER_THREAD + i, 10_000 + i):
                    try:
                        events = ledger.execute(register(person), at(2))
                        outcomes[t][events[0]["event"]["status"]] += 1
                    except alor.LedgerError as error:
                        outcomes[t][error.code] += 1
                # Cancel someone now and then, so freed seats are promoted concurrently.
                if i % 7 == 3:
                    target = t * PER_THREAD + i - 1
                    try:
                        ledger.execute(
                            {"type": "cancel", "registration": target, "by": "organiser",
                             "reason": "other"},
                            at(2),
                        )
                        outcomes[t]["cancelled"] += 1
                    except alor.LedgerError as error:
                        outcomes[t][error.code] += 1
        except BaseException as error:  # noqa: BLE001 - surfaced below
            failures.append(error)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures

    total = sum(outcomes, Counter())
    attempts = THREADS * PER_THREAD * 2
    signed_up = total["confirmed"] + total["waitlisted"]
    # Every attempt is accounted for: a sign-up, or a refusal because that person is in already.
    assert signed_up + total["already_registered"] == attempts
    # The shared people were tried by all threads at once: most tries must have been refused.
    assert total["already_registered"] >= (THREADS - 1) * PER_THREAD - total["cancelled"]
    ledger.verify()
    regs = ledger.registrations()
    assert len(regs) == signed_up
    seated = [r for r in regs if r["status"] in ("confirmed", "offered", "attended", "no_show")]
    assert len(seated) == ledger.counted_seats == CAPACITY  # full, never over
    emails = [r["contact"]["email"] for r in regs if r["status"] not in ("cancelled", "expired", "declined", "transferred")]
    assert len(emails) == len(set(emails))
    # Every event got its own consecutive number, and the events rebuild the same state.
    events = ledger.events_since(0)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    replayed = alor.Ledger.replay(make_gathering(capacity=CAPACITY), events)
    assert replayed.snapshot_json() == ledger.snapshot_json()


def test_expected_version_lets_exactly_one_of_two_racing_writers_win() -> None:
    ledger = alor.Ledger(make_gathering())
    version = ledger.version
    barrier = threading.Barrier(2)
    results: list[str] = []

    def writer(person: int) -> None:
        barrier.wait()
        try:
            ledger.execute(register(person), at(2), expected_version=version)
            results.append("ok")
        except alor.LedgerError as error:
            results.append(error.code)

    threads = [threading.Thread(target=writer, args=(p,)) for p in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict", "ok"]


def replay_while_counting(log: str) -> tuple[float, int]:
    """Replays `log` in a thread; returns how long it took and how many times this thread ran
    meanwhile."""
    window: list[float] = []
    ticks: list[float] = []
    done = threading.Event()

    def replay() -> None:
        window.append(time.perf_counter())
        alor.Ledger.from_event_log_json(log)
        window.append(time.perf_counter())
        done.set()

    thread = threading.Thread(target=replay)
    thread.start()
    while not done.is_set():
        ticks.append(time.perf_counter())
    thread.join()
    start, end = window
    return end - start, sum(1 for t in ticks if start < t < end)


def test_a_long_replay_releases_the_gil() -> None:
    # Had the call held the GIL, this thread could not have run at all while it worked. The log
    # grows until the replay takes long enough to tell, so a fast machine cannot fake a pass.
    for people in (60_000, 240_000, 960_000):
        took, ticks = replay_while_counting(event_log_json(people=people, capacity=1_000, cancels=1_000))
        if took > 0.05:
            break
    assert took > 0.05, "even the largest replay was too quick to tell"
    assert ticks > 100, f"only {ticks} ticks during a {took:.3f} s replay"

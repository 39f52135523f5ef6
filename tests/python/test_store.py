"""`alor.Store` on real SQLite files: what is stored survives a new handle, stale writers are
refused, foreign files are left alone, erasure and shredding reach the bytes on disk, and
processes and threads sharing one file never sell a seat twice or lose an event."""

from __future__ import annotations

import multiprocessing
import pickle
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import at, make_gathering, register

import alor
from alor.analytics import from_store

ID = "rogaland-2026-host"


def open_with(tmp_path: Path, capacity: int = 2, **extra: Any) -> tuple[alor.Store, Path]:
    path = tmp_path / "alor.sqlite3"
    store = alor.Store(path)
    store.create_gathering({**make_gathering(capacity=capacity), **extra})
    return store, path


def cancel(registration: int) -> dict[str, Any]:
    return {"type": "cancel", "registration": registration, "by": "participant", "reason": "other"}


def on_disk(path: Path) -> bytes:
    """The database file and its write-ahead log, as bytes."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_what_one_handle_stores_a_new_handle_reads(tmp_path: Path) -> None:
    store, path = open_with(tmp_path)
    assert store.gathering_ids() == [ID]
    first = store.execute(ID, register(1), at(2), expected_version=0)
    assert first[0]["seq"] == 1 and first[0]["event"]["status"] == "confirmed"
    assert first[0]["at"] == at(2)
    store.execute(ID, register(2), at(2, 10), expected_version=1)
    store.execute(ID, register(3), at(2, 11))  # capacity 2: waitlisted
    del store

    again = alor.Store.open(str(path))
    ledger = again.ledger(ID)
    assert isinstance(ledger, alor.Ledger)
    assert (ledger.version, ledger.counted_seats, ledger.waitlist_len) == (3, 2, 1)
    assert ledger.events_since(0) == again.events_since(ID)
    assert [e["seq"] for e in again.events_since(ID, 1)] == [2, 3]
    assert again.snapshot_json(ID) == ledger.snapshot_json()
    assert alor.Ledger.from_event_log_json(again.event_log_json(ID)).snapshot_json() == ledger.snapshot_json()
    public = again.public_snapshot(ID, at(3))
    assert public == ledger.public_snapshot(at(3))
    assert "deltaker1@example.no" not in repr(public)
    assert again.gathering(ID)["policy"]["capacity"] == 2
    assert again.next_deadline(ID) is None and again.handle_timeout(ID, at(3)) == []
    # The Ledger is a copy: a command on it is not stored.
    ledger.execute(register(4), at(3))
    assert len(again.events_since(ID)) == 3


def test_a_stale_expected_version_is_a_conflict_and_writes_nothing(tmp_path: Path) -> None:
    store, path = open_with(tmp_path)
    other = alor.Store(path)
    store.execute(ID, register(1), at(2), expected_version=0)
    with pytest.raises(alor.LedgerError) as caught:
        other.execute(ID, register(2), at(2), expected_version=0)
    assert caught.value.code == "conflict"
    assert len(store.events_since(ID)) == 1
    # The refusals of the core keep their class through the store.
    with pytest.raises(alor.LedgerError) as again:
        other.execute(ID, register(1), at(2))
    assert again.value.code == "already_registered"


def test_the_stores_own_failures_are_store_errors(tmp_path: Path) -> None:
    store, _ = open_with(tmp_path)
    with pytest.raises(alor.StoreError) as unknown:
        store.execute("bergen-2026-var", register(1), at(2))
    assert unknown.value.code == "unknown_gathering"
    assert isinstance(unknown.value, alor.AlorError) and isinstance(unknown.value, ValueError)
    copy = pickle.loads(pickle.dumps(unknown.value))
    assert type(copy) is alor.StoreError and copy.code == "unknown_gathering"
    assert str(copy) == str(unknown.value) and alor.StoreError.__module__ == "alor"
    with pytest.raises(alor.StoreError) as exists:
        store.create_gathering(make_gathering())
    assert exists.value.code == "gathering_exists"
    with pytest.raises(alor.ValidationError) as invalid:
        store.create_gathering({**make_gathering(), "id": "bergen-2026", "ends_at": at(1)})
    assert invalid.value.code == "invalid_dates"
    assert set(alor.ERROR_CODES["store"]) >= {
        "unknown_gathering", "gathering_exists", "database", "corrupt_data",
        "unsupported_store_schema", "not_an_alor_store",
    }


def test_a_foreign_sqlite_file_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "other-app.sqlite3"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE gatherings (name TEXT)")
        conn.execute("INSERT INTO gatherings VALUES ('not ours')")
        conn.commit()
    before = path.read_bytes()
    with pytest.raises(alor.StoreError) as caught:
        alor.Store(path)
    assert caught.value.code == "not_an_alor_store"
    assert path.read_bytes() == before
    assert not path.with_name(path.name + "-wal").exists()


def test_an_erased_email_is_gone_from_the_file_and_its_log(tmp_path: Path) -> None:
    store, path = open_with(tmp_path, capacity=50)
    email = "ingeborg.unikvik@example.no"
    ingeborg = {**register(1), "person": {**register(1)["person"], "email": email}}
    store.execute(ID, ingeborg, at(2))
    for n in range(2, 30):  # others share her pages
        store.execute(ID, register(n), at(2, 10))
    store.compact()
    with pytest.raises(alor.LedgerError) as active:
        store.erase(ID, 1, at(3))
    assert active.value.code == "erase_active"
    store.execute(ID, cancel(1), at(3))
    assert store.checkpoint() is True
    assert email.encode() in on_disk(path)

    erasure = store.erase(ID, 1, at(4))
    assert erasure["status"] == "complete" and erasure["checkpointed"] is True
    assert [e["event"]["type"] for e in erasure["events"]] == ["erased"]
    assert erasure["rewritten"] >= 1
    assert store.checkpoint() is True and store.erasure_pending() is False
    assert email.encode() not in on_disk(path)
    assert b"deltaker2@example.no" in on_disk(path), "only her data was erased"
    assert alor.Store(path).ledger(ID).registration(1)["contact"] is None


def test_shred_due_after_the_retention_days_keeps_the_counts(tmp_path: Path) -> None:
    store, path = open_with(tmp_path, capacity=3, retention_days=30)
    for n in range(1, 6):
        store.execute(ID, register(n, first_time=n % 2 == 0), at(2, 9 + n))
    store.execute(ID, cancel(2), at(3))
    counts = from_store(store).report_csv("gatherings", min_count=None)

    # Ends 29 September 15:00 UTC; due 30 days later.
    assert store.shred_due(at(28, month=10)) == {"gatherings": [], "erased": 0, "status": "complete"}
    assert b"deltaker1@example.no" in on_disk(path)
    shredded = store.shred_due(at(30, month=10))
    assert shredded == {"gatherings": [ID], "erased": 5, "status": "complete"}
    assert store.shred_due(at(31, month=10))["gatherings"] == [], "idempotent"
    store.checkpoint()
    assert b"@example.no" not in on_disk(path)
    assert from_store(alor.Store(path)).report_csv("gatherings", min_count=None) == counts
    assert from_store(store, [ID]).report_csv("gatherings", min_count=None) == counts


CAPACITY = 3
PROCESSES = 4
PER_PROCESS = 25


def race_worker(path: str, worker: int, barrier: Any, results: Any) -> None:
    """One process of the race: its own handle on the shared file."""
    store = alor.Store(path)
    outcomes: Counter[str] = Counter()
    barrier.wait(timeout=60)  # bounded: a sibling that failed to open must fail the test, not hang it
    for i in range(PER_PROCESS):
        # Person 1000 + i is the same person in every process: one sign-up only may win.
        for person in (worker * PER_PROCESS + i, 1000 + i):
            try:
                events = store.execute(ID, register(person), at(2))
                outcomes[events[0]["event"]["status"]] += 1
            except alor.LedgerError as error:
                outcomes[error.code] += 1
    results.put(dict(outcomes))


def test_processes_racing_for_the_last_seats_on_one_file(tmp_path: Path) -> None:
    store, path = open_with(tmp_path, capacity=CAPACITY)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES)
    results = ctx.Queue()
    workers = [
        ctx.Process(target=race_worker, args=(str(path), w, barrier, results), daemon=True)
        for w in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    total: Counter[str] = sum((Counter(o) for o in outcomes), Counter())

    distinct = PROCESSES * PER_PROCESS + PER_PROCESS
    assert total["confirmed"] + total["waitlisted"] == distinct
    assert total["confirmed"] == CAPACITY
    assert total["already_registered"] == (PROCESSES - 1) * PER_PROCESS
    events = store.events_since(ID)
    assert [e["seq"] for e in events] == list(range(1, distinct + 1))
    ledger = store.ledger(ID)
    assert (ledger.counted_seats, ledger.waitlist_len) == (CAPACITY, distinct - CAPACITY)
    ledger.verify()


def test_threads_sharing_one_handle_lose_or_double_nothing(tmp_path: Path) -> None:
    threads, per_thread, capacity = 6, 20, 5
    store, _ = open_with(tmp_path, capacity=capacity)
    barrier = threading.Barrier(threads)
    statuses: Counter[str] = Counter()
    failures: list[BaseException] = []
    guard = threading.Lock()

    def worker(t: int) -> None:
        try:
            barrier.wait(timeout=60)
            for i in range(per_thread):
                events = store.execute(ID, register(t * per_thread + i), at(2))
                with guard:
                    statuses[events[0]["event"]["status"]] += 1
        except BaseException as error:  # noqa: BLE001 - surfaced below
            failures.append(error)

    running = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    assert not failures, failures
    assert statuses == Counter(confirmed=capacity, waitlisted=threads * per_thread - capacity)
    assert [e["seq"] for e in store.events_since(ID)] == list(range(1, threads * per_thread + 1))


@pytest.mark.parametrize(
    ("call", "error", "code"),
    [
        (lambda s: s.execute(ID, register(1), datetime(2026, 9, 2, 9, 0)), alor.ValidationError,
         "naive_datetime"),
        (lambda s: s.execute(ID, "register", at(2)), alor.DataError, "malformed_data"),
        (lambda s: s.execute(ID, [register(1)], at(2)), alor.DataError, "malformed_data"),
        (lambda s: s.execute(ID, register(1), at(2), expected_version=-1), alor.ValidationError,
         "invalid_version"),
        (lambda s: s.execute(42, register(1), at(2)), alor.ValidationError, "invalid_id"),
        (lambda s: s.ledger("Not A Slug!"), alor.ValidationError, "invalid_id"),
        (lambda s: s.erase(ID, "one", at(2)), alor.ValidationError, "invalid_registration"),
        (lambda s: s.shred_due("2026-10-30"), alor.ValidationError, "invalid_datetime"),
        (lambda s: s.events_since(ID, True), alor.ValidationError, "invalid_version"),
        (lambda s: alor.Store(42), alor.ValidationError, "invalid_argument"),
    ],
)
def test_bad_arguments_are_typed_errors(tmp_path: Path, call: Any, error: type, code: str) -> None:
    store, _ = open_with(tmp_path)
    with pytest.raises(error) as caught:
        call(store)
    assert caught.value.code == code
    assert store.events_since(ID) == [], "nothing was written"


# Another connection to the file, in another process: the extension links its own copy of
# SQLite, and two copies in one process do not see each other's POSIX locks (SQLite's "How To
# Corrupt" §2.2), so Python's sqlite3 in this process would not really hold anything.
HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "write":
    conn.execute("BEGIN IMMEDIATE")
else:
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM events").fetchone()
print("holding", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
conn.close()
print("released", flush=True)
"""


class Holder:
    """A connection in another process holding the write lock ("write") or a read
    transaction ("read") on the file until `release()`."""

    def __init__(self, path: Path, mode: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path), mode],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        assert self.proc.stdout is not None and self.proc.stdout.readline() == "holding\n"

    def release(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline() == "released\n"

    def close(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.stdout.close()
        assert self.proc.wait(timeout=30) == 0


def test_a_writer_waiting_for_the_file_lock_lets_other_threads_run(tmp_path: Path) -> None:
    store, path = open_with(tmp_path)
    done = threading.Event()
    results: list[Any] = []

    def write() -> None:
        try:
            results.append(store.execute(ID, register(1), at(2)))
        except BaseException as error:  # noqa: BLE001 - surfaced below
            results.append(error)
        done.set()

    # Another process holds the write lock: the store's writer waits (busy timeout). Had it
    # kept the GIL while waiting, this thread could not run on to let the other process go.
    holder = Holder(path, "write")
    try:
        writer = threading.Thread(target=write)
        writer.start()
        assert not done.wait(0.5), f"the write did not wait for the lock: {results}"
        holder.release()
    finally:
        holder.close()
    assert done.wait(30)
    writer.join()
    assert results[0][0]["seq"] == 1, results


def test_an_erasure_held_up_by_a_reader_is_pending_until_a_checkpoint(tmp_path: Path) -> None:
    store, path = open_with(tmp_path, capacity=5)
    for n in range(1, 4):
        store.execute(ID, register(n), at(2))
    store.execute(ID, cancel(1), at(3))
    holder = Holder(path, "read")
    try:
        erasure = store.erase(ID, 1, at(4))
        assert erasure["status"] == "pending" and erasure["checkpointed"] is False
        assert store.erasure_pending() is True
        assert store.ledger(ID).registration(1)["contact"] is None, "no read returns her data"
        holder.release()
    finally:
        holder.close()
    assert store.checkpoint() is True
    assert store.erasure_pending() is False
    assert b"deltaker1@example.no" not in on_disk(path)

"""A large, valid event log for load tests and the Arrow benchmark.

The events are written directly (not decided command by command, which would take minutes for a
million events from Python); the core checks every one of them when the log is replayed
(`Ledger.from_event_log_json`), so an invalid log fails loudly instead of skewing a figure.
Shape: `people` sign-ups (the first `capacity` seated, the rest waitlisted), then `cancels`
cancellations each followed by the promotion of the next in line.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import alor

ROLES = ["manager", "hr", "occupational_health", "hse", "akan_contact", "safety_representative"]


def _org_numbers(count: int) -> list[str]:
    # Candidates checked by the core's own MOD11 rule, not a copy of it.
    found: list[str] = []
    candidate = 910_000_000
    while len(found) < count:
        candidate += 1
        if alor.is_valid_org_number(str(candidate)):
            found.append(str(candidate))
    return found


def gathering(capacity: int) -> dict[str, object]:
    return {
        "id": "synthetic-2026-host",
        "network": "rogaland",
        "title": "Syntetisk samling",
        "theme": "Belastningstest",
        "starts_at": "2026-12-01T08:00:00Z",
        "ends_at": "2026-12-01T15:00:00Z",
        "venue": {"name": "Sola Strand Hotel", "town": "Sola"},
        "price": 145_000,
        "policy": {
            "capacity": capacity,
            "opens_at": "2026-01-01T00:00:00Z",
            "closes_at": "2026-11-30T00:00:00Z",
            "cancellation_deadline": "2026-11-15T00:00:00Z",
        },
    }


def event_log_json(people: int, capacity: int, cancels: int) -> str:
    """The log as JSON text: people + 2 * cancels events. Written as text, piece by piece, so a
    million events take seconds and a few hundred MB rather than a dict per event."""
    assert cancels <= min(capacity, people - capacity)
    orgs = _org_numbers(50)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    parts: list[str] = []
    seq = 0

    def stamp(n: int) -> str:
        return (start + timedelta(seconds=n)).strftime("%Y-%m-%dT%H:%M:%SZ")

    for i in range(1, people + 1):
        seq += 1
        org = orgs[i % len(orgs)]
        sector = "public" if i % 3 else "private"
        status = "confirmed" if i <= capacity else "waitlisted"
        first = "true" if i % 4 == 0 else "false"
        parts.append(
            f'{{"seq":{seq},"at":"{stamp(seq)}","event":{{"type":"registered","registration":{i},'
            f'"person":{{"name":"Deltaker {i}","email":"deltaker{i}@synthetic.example",'
            f'"organisation":{{"name":"Virksomhet {org}","number":"{org}","sector":"{sector}"}},'
            f'"role":"{ROLES[i % len(ROLES)]}"}},"first_time":{first},"priority":false,'
            f'"status":"{status}","by":"participant"}}}}'
        )
    for k in range(1, cancels + 1):
        seq += 1
        parts.append(
            f'{{"seq":{seq},"at":"{stamp(seq)}","event":{{"type":"cancelled","registration":{k},'
            f'"by":"participant","reason":"illness","late":false}}}}'
        )
        seq += 1
        parts.append(
            f'{{"seq":{seq},"at":"{stamp(seq)}","event":{{"type":"promoted",'
            f'"registration":{capacity + k},"cause":{{"kind":"seat_freed","by":{k}}}}}}}'
        )
    head = json.dumps({"schema_version": alor.SCHEMA_VERSION, "gathering": gathering(capacity)})
    return head[:-1] + ',"events":[' + ",".join(parts) + "]}"

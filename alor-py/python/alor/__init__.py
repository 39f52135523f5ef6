"""alor: the registration ledger of Norway's alor networks (*arbeidsliv og rus*), from Python.

Every rule lives in the Rust core (``alor-core``); this package is a thin, typed wrapper. The
same commands give the same events here, on the server and in the browser.

Quick start::

    from datetime import datetime, timezone
    import alor

    ledger = alor.Ledger(gathering)            # a gathering dict (see README)
    events = ledger.execute(
        {"type": "register", "person": person, "first_time": True},
        datetime(2026, 9, 2, 9, 0, tzinfo=timezone.utc),
    )
    events[0]["event"]["status"]               # "confirmed" or "waitlisted"

Nouns
    ``Ledger`` is a handle on one gathering's registrations. Plain data (gatherings, commands,
    events, registrations) crosses as dicts in the core's JSON shape (snake_case keys, ``type``
    tags), so the JSON of a web request can be passed as is.

Datetimes
    Every instant is a timezone-aware ``datetime`` going in and a UTC-aware ``datetime``
    (``tzinfo=datetime.timezone.utc``) coming out. Any zone is accepted (e.g.
    ``ZoneInfo("Europe/Oslo")``) and converted to UTC. A naive datetime raises
    ``ValidationError`` with code ``naive_datetime``; inside dicts, RFC 3339 strings are accepted
    too.

Europe/Oslo
    ``to_oslo_local(at)`` gives the Oslo wall-clock time of an instant (and its offset);
    ``from_oslo_local(local, fold=0)`` the instant of an Oslo wall-clock time: a time that occurs
    twice (autumn) is the earlier unless ``fold=1``, one that does not exist (spring) raises
    ``ValidationError`` ``nonexistent_local_time``. The rules are the IANA database's, in Rust:
    the same answers as on the server and in the browser.

Errors
    Everything alor raises is an ``AlorError`` (a ``ValueError``) with a stable ``code`` and,
    where it is about one field, ``field``. One subclass per area: ``ValidationError`` (bad
    values: ``invalid_<field>``, ``naive_datetime``, ``invalid_datetime``, ``invalid_version``,
    ``invalid_registration``, ``invalid_locale``), ``LedgerError`` (refused commands: ``LEDGER_ERROR_CODES``),
    ``DataError`` (unreadable data: ``malformed_data``, ``unsupported_schema_version``,
    ``sequence_gap``, ``inapplicable_event``, ``inconsistent_snapshot``, ``events_not_kept``)
    ``InternalError`` (``internal_error``: a bug; a Rust panic is caught at the boundary and
    never surfaces as ``PanicException``) and ``AnalyticsError`` (participation analytics:
    ``ANALYTICS_ERROR_CODES``; ``errors`` lists bad cells by row and column) and ``StoreError``
    (the store's own: ``ERROR_CODES["store"]``). The names follow
    the core's error areas; none shadows a builtin. Messages never contain names, e-mail
    addresses or phone numbers.

Threads
    A ``Ledger`` may be shared by threads. Each call converts its arguments, then releases the
    GIL and takes the ledger's own lock, so every command is decided and applied atomically
    (two threads can never both take the last seat) and other threads run meanwhile. Long calls
    (``replay``, ``from_event_log_json``, ``events_arrow``, ``registrations_arrow``) do their
    work without the GIL. For optimistic concurrency across processes, pass
    ``expected_version``: a ledger that has moved on refuses with code ``conflict``.

Bulk data
    ``events_arrow()`` and ``registrations_arrow()`` return an ``ArrowTable`` that implements
    the Arrow PyCapsule interface (``__arrow_c_stream__``): ``polars.DataFrame(t)`` and
    ``pyarrow.table(t)`` read it without a Python object per row (``polars.from_arrow(t)``
    gives a struct Series, as polars does for any stream; ``.struct.unnest()`` makes it a
    frame), and ``t.to_polars()``, ``t.to_pandas()``, ``t.to_pyarrow()`` are shortcuts. These
    tables contain no personal data.

Checks (what a sign-up page shows)
    ``check(snapshot, draft, now=..., locale="nb")`` and ``Checker(snapshot).check(draft)``
    validate a form against a gathering's public snapshot (``Ledger.public_snapshot(at)``) and
    predict a seat, a waitlist place or a refusal, with messages in the locale: exactly what the
    page module computes in the browser. ``role_choices()`` and ``sector_choices()`` list the
    form's options. Locales: ``LOCALES`` (``"nb"``, ``"nn"``, ``"en"``; ``"no"`` is read as ``"nb"``).
    Every error code, by area, is in ``ERROR_CODES``, read from the Rust crates.

Store
    ``Store(path)`` (or ``Store.open(path)``) opens an SQLite file of gatherings and their
    events (the Rust ``alor-store``): ``create_gathering(gathering)``, then
    ``execute(gathering_id, command, at, expected_version=None)`` decides with the core and
    stores the events in one transaction, so any number of handles, threads and processes can
    share the file without selling a seat twice. ``ledger(id)`` gives an ``alor.Ledger`` copy
    with every event; ``snapshot_json``, ``public_snapshot``, ``events_since``,
    ``event_log_json``, ``handle_timeout``/``next_deadline`` as on a ledger. ``erase(id,
    registration, at)`` removes a person from the file itself and ``shred_due(now)`` every
    gathering whose ``retention_days`` have passed (``status`` ``"complete"``, or ``"pending"``
    while another reader holds the write-ahead log; ``checkpoint()`` finishes it). A handle
    may be shared by threads; SQLite work runs with the GIL released. The store's own failures
    are ``StoreError`` (``ERROR_CODES["store"]``); refusals keep their classes. Analysts read a
    store with ``alor.analytics.from_store(store)``. Do not open the same file with Python's
    ``sqlite3`` in a process that has a ``Store`` on it: the extension links its own SQLite,
    and two copies in one process do not see each other's locks (a separate process is safe).

Analytics
    ``alor.analytics`` (``Dataset``): first-time share, retention, reach, sector and role mix,
    fill rate and waitlist pressure, the national report, with small-cell suppression and
    keyed pseudonyms; see that module's docs.
"""

from __future__ import annotations

from typing import Any

from . import analytics, demo
from ._alor import (
    ANALYTICS_ERROR_CODES,
    COMMAND_TYPES,
    ERROR_CODES,
    EVENT_TYPES,
    LEDGER_ERROR_CODES,
    LOCALES,
    MAX_VERSION,
    SCHEMA_VERSION,
    ArrowTable,
    Checker,
    Dataset,
    Ledger,
    Store,
    check,
    from_oslo_local,
    person_errors,
    role_choices,
    sector_choices,
    to_oslo_local,
    validate_gathering,
    validate_org_number,
    validate_person,
)
from ._errors import (
    AlorError,
    AnalyticsError,
    DataError,
    FieldProblem,
    InternalError,
    LedgerError,
    StoreError,
    ValidationError,
)

__all__ = [
    "ANALYTICS_ERROR_CODES",
    "COMMAND_TYPES",
    "ERROR_CODES",
    "EVENT_TYPES",
    "LEDGER_ERROR_CODES",
    "LOCALES",
    "MAX_VERSION",
    "SCHEMA_VERSION",
    "AlorError",
    "AnalyticsError",
    "ArrowTable",
    "Checker",
    "DataError",
    "Dataset",
    "FieldProblem",
    "InternalError",
    "Ledger",
    "LedgerError",
    "Store",
    "StoreError",
    "ValidationError",
    "analytics",
    "check",
    "demo",
    "from_oslo_local",
    "is_valid_org_number",
    "person_errors",
    "role_choices",
    "sector_choices",
    "to_oslo_local",
    "validate_gathering",
    "validate_org_number",
    "validate_person",
]


def is_valid_org_number(number: Any) -> bool:
    """Whether ``number`` is a valid organisation number (see ``validate_org_number``)."""
    try:
        validate_org_number(number)
    except ValidationError:
        return False
    return True

"""The exceptions of alor: one base class, one subclass per error area.

Every exception carries a stable machine ``code`` (the same string in Rust, Python and
JavaScript) and, where it is about one input field, that ``field``. Messages never contain
names, e-mail addresses or phone numbers.
"""

from __future__ import annotations

from typing import TypedDict

__all__ = [
    "AlorError",
    "AnalyticsError",
    "DataError",
    "FieldProblem",
    "InternalError",
    "LedgerError",
    "RowProblem",
    "StoreError",
    "ValidationError",
]


class FieldProblem(TypedDict):
    """One bad field of an input: ``field`` (e.g. ``"email"``), ``code`` (e.g.
    ``"invalid_email"``) and ``problem`` (e.g. ``"malformed"``, ``"check_digit"``)."""

    field: str
    code: str
    problem: str


class RowProblem(TypedDict):
    """One bad cell of analytics input: ``row`` (CSV: the header is row 1; columns: rows count
    from 1), ``column`` (e.g. ``"organisation"``) and ``problem`` (e.g. ``"required"``,
    ``"invalid_organisation_number"``, ``"duplicate"``). Never the value itself."""

    row: int
    column: str
    problem: str


class AlorError(ValueError):
    """Base class of every error alor raises. A ``ValueError``, so code that already catches
    bad values keeps working.

    ``code`` is stable and meant for programs (``"already_registered"``, ``"invalid_email"``);
    ``field`` names the input field when the error is about one, else ``None``.
    """

    code: str
    field: str | None

    def __init__(self, message: str, *, code: str = "alor_error", field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.field = field

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), str(self), self.code, self.field, getattr(self, "errors", None)))


class ValidationError(AlorError):
    """A bad input value: a field of a person or gathering (``invalid_<field>``), a naive or
    out-of-range datetime (``naive_datetime``, ``invalid_datetime``), a bad version or
    registration id (``invalid_version``, ``invalid_registration``).

    ``errors`` lists every bad field (person validation reports all of them at once); ``code``
    and ``field`` are those of the first.
    """

    errors: list[FieldProblem]

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        field: str | None = None,
        errors: list[FieldProblem] | None = None,
    ) -> None:
        super().__init__(message, code=code, field=field)
        self.errors = list(errors) if errors is not None else []


class LedgerError(AlorError):
    """A command the ledger refuses (``gathering_full``, ``already_registered``,
    ``conflict``, …; all in ``alor.LEDGER_ERROR_CODES``). Nothing was recorded."""


class DataError(AlorError):
    """Data that cannot be read: malformed JSON or dicts (``malformed_data``), an unsupported
    ``schema_version``, a corrupt event log (``sequence_gap``, ``inapplicable_event``), an
    inconsistent snapshot, or events this handle no longer keeps (``events_not_kept``)."""


class InternalError(AlorError):
    """A bug in alor (``internal_error``): a Rust panic was caught at the boundary. Please
    report it; the ledger handle involved may refuse further use."""


class AnalyticsError(AlorError):
    """Participation analytics refused its input or a setting: bad rows in a CSV or Arrow
    table (``invalid_rows``; ``errors`` lists row, column and problem of each bad cell, up to
    100), a small-cell threshold below 3 (``suppression_threshold_too_low``), a pseudonymisation
    key shorter than 32 bytes (``pseudonym_key_too_short``), columns of different lengths
    (``column_length_mismatch``), too large a dataset (``dataset_too_large``) or an option out
    of range (``invalid_option``). All codes are in ``alor.ANALYTICS_ERROR_CODES``, which also
    lists ``invalid_report``: an unknown report name, raised as ``ValidationError`` (field
    ``report``) like other bad arguments."""

    errors: list[RowProblem]

    def __init__(
        self,
        message: str,
        *,
        code: str = "analytics_error",
        field: str | None = None,
        errors: list[RowProblem] | None = None,
    ) -> None:
        super().__init__(message, code=code, field=field)
        self.errors = list(errors) if errors is not None else []


class StoreError(AlorError):
    """The store (``alor.Store``) failed on its own account: no such gathering
    (``unknown_gathering``), an id stored already (``gathering_exists``), SQLite failed
    (``database``: I/O, a full disk, a lock held past the busy timeout; nothing was written),
    a stored row that cannot be read back (``corrupt_data``), a file written by a newer alor
    (``unsupported_store_schema``), or a file that is not an alor store (``not_an_alor_store``;
    it was left unchanged). All codes are in ``alor.ERROR_CODES["store"]``. A command the
    ledger refuses stays a ``LedgerError`` (``conflict``, ``gathering_full``, …) and an
    invalid gathering a ``ValidationError``, as without a store."""


def _rebuild(
    cls: type[AlorError],
    message: str,
    code: str,
    field: str | None,
    errors: list[FieldProblem] | None,
) -> AlorError:
    if issubclass(cls, ValidationError):
        return cls(message, code=code, field=field, errors=errors)
    if issubclass(cls, AnalyticsError):
        return cls(message, code=code, field=field, errors=errors)  # type: ignore[arg-type]
    return cls(message, code=code, field=field)


# Shown as `alor.LedgerError` in tracebacks, the name users import.
for _cls in (
    AlorError, ValidationError, LedgerError, DataError, InternalError, AnalyticsError, StoreError
):
    _cls.__module__ = "alor"
del _cls

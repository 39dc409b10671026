"""Client-supplied instants, bounded to years PostgreSQL, Python and their arithmetic all hold.

Python's ``datetime`` stops at years 1 and 9999 and PostgreSQL's ``timestamptz`` at 4713 BC and
294276 AD, but the code in between adds buffers, durations, time-zone offsets and recurrences:
``9999-12-31T23:00Z`` plus an hour, or ``0001-01-01T00:00+01:00`` in UTC, raises OverflowError (a
500). Instants a business process schedules, filters on or reports over lie in 1900..2199: the
lower bound keeps historical dates any import could carry, the upper one leaves centuries of
head room for every addition the domain makes (series are capped at two years, windows at one).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)  # exclusive
OUT_OF_RANGE = "must lie between 1900-01-01T00:00:00Z and 2199-12-31T23:59:59Z"


def out_of_range(value: datetime) -> str | None:
    """The problem with ``value`` (a naive value is read as UTC), or None when it is in range."""
    try:
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (OverflowError, ValueError):  # a UTC conversion past year 1 or 9999
        return OUT_OF_RANGE
    return None if EARLIEST <= utc < LATEST else OUT_OF_RANGE


def within_bounds(value: datetime) -> datetime:
    if (problem := out_of_range(value)) is not None:
        raise ValueError(problem)
    return value


# An RFC 3339 instant with an offset, for fields that refuse naive values.
Instant = Annotated[AwareDatetime, AfterValidator(within_bounds)]
# The same bounds for fields that have always accepted a naive value (read as UTC downstream).
BoundedDatetime = Annotated[datetime, AfterValidator(within_bounds)]

"""ISO 8601 durations with fixed length (weeks, days, hours, minutes, seconds).

Years and months are refused: their length depends on the calendar, and an SLA must not.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
MAX = timedelta(days=3650)


def parse_duration(value: str) -> timedelta:
    match = _DURATION.match(value.strip().upper()) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"'{value}' is not an ISO 8601 duration such as PT4H, P2D or P1DT12H")
    parts = {k: float(v) for k, v in match.groupdict().items() if v}
    try:
        result = timedelta(**parts)
    except OverflowError:  # digits beyond what a timedelta holds: far over the maximum anyway
        raise ValueError("a duration may not exceed ten years") from None
    if result <= timedelta(0):
        raise ValueError("a duration must be longer than zero")
    if result > MAX:
        raise ValueError("a duration may not exceed ten years")
    return result


def format_duration(value: timedelta) -> str:
    total = int(value.total_seconds())
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    out = "P" + (f"{days}D" if days else "")
    clock = (
        (f"{hours}H" if hours else "")
        + (f"{minutes}M" if minutes else "")
        + (f"{seconds}S" if seconds else "")
    )
    return out + ("T" + clock if clock else "") if (days or clock) else "PT0S"


def _parse(value: object) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if not isinstance(value, str):
        raise ValueError("a duration is an ISO 8601 string such as P2D")
    return parse_duration(value)


Duration = Annotated[timedelta, BeforeValidator(_parse), PlainSerializer(format_duration, return_type=str)]

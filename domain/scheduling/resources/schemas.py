"""Resources and their availability rules: what the API accepts and returns."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, time, timedelta
from datetime import date as Date
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from db.models import AvailabilityRule, Resource
from domain.durations import format_duration, parse_duration
from domain.instants import Instant
from domain.outputs import plain_columns

KINDS = ("room", "equipment", "person", "other")
RULE_KINDS = ("weekly", "override", "closure", "block")
DAY_NAMES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)(?::([0-5]\d))?$")
Tag = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\s,]+$")]


def check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"'{value}' is not an IANA time zone such as Europe/Paris") from exc
    return value


def parse_buffer(value: str | None) -> int:
    """An ISO 8601 duration in seconds; PT0S or null is no buffer."""
    if value is None or (isinstance(value, str) and value.strip().upper() in ("PT0S", "PT0M", "P0D")):
        return 0
    if not isinstance(value, str):
        raise ValueError("a buffer is an ISO 8601 duration such as PT15M")
    seconds = int(parse_duration(value).total_seconds())
    if seconds > 86400:
        raise ValueError("a buffer may not exceed one day")
    return seconds


MAX_NOTICE = timedelta(days=365)


def parse_notice(value: str | None) -> int:
    """A minimum notice in seconds (ISO 8601 duration, at most P365D); null or PT0S is none."""
    if value is None or (isinstance(value, str) and value.strip().upper() in ("PT0S", "PT0M", "P0D")):
        return 0
    if not isinstance(value, str):
        raise ValueError("a minimum notice is an ISO 8601 duration such as PT2H")
    notice = parse_duration(value)
    if notice > MAX_NOTICE:
        raise ValueError("a minimum notice may not exceed P365D")
    return int(notice.total_seconds())


def parse_clock(value: str) -> time:
    """'09:00' or '09:00:00'; '24:00' is the end of the day, stored as 00:00."""
    match = _CLOCK.match(value) if isinstance(value, str) else None
    if not match or (match.group(1) == "24" and (match.group(2) != "00" or (match.group(3) or "00") != "00")):
        raise ValueError("a time of day is HH:MM (00:00 to 24:00)")
    hour = int(match.group(1)) % 24
    return time(hour, int(match.group(2)), int(match.group(3) or 0))


def format_clock(value: time | None, *, is_end: bool = False) -> str | None:
    if value is None:
        return None
    if is_end and value == time(0, 0):
        return "24:00"
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


class ResourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    kind: Literal["room", "equipment", "person", "other"] = "other"
    description: str | None = Field(default=None, max_length=10_000)
    capacity: int = Field(default=1, ge=1, le=100_000)
    timezone: str = Field(description="IANA name, e.g. Europe/Paris")
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    buffer_before: str | None = Field(default=None, description="ISO 8601 duration, e.g. PT15M")
    buffer_after: str | None = Field(default=None, description="ISO 8601 duration, e.g. PT15M")
    minimum_notice: str | None = Field(
        default=None,
        max_length=64,
        description="ISO 8601 duration, at most P365D: no slot is offered and no booking may start "
        "before now plus this notice",
    )
    user_id: uuid.UUID | None = None
    entity_id: uuid.UUID | None = None

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("buffer_before", "buffer_after")
    @classmethod
    def _buffer(cls, value: str | None) -> str | None:
        parse_buffer(value)
        return value

    @field_validator("minimum_notice")
    @classmethod
    def _notice(cls, value: str | None) -> str | None:
        parse_notice(value)
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(t.lower() for t in value))


class ResourcePaymentOut(BaseModel):
    """What booking the resource costs: its booking stays held until the invoice for it is paid."""

    required: Literal["deposit", "full"]
    amount: str = Field(description="a decimal string in the currency, per booking")
    currency: str
    hold: str = Field(description="ISO 8601: how long a booking waits for the payment before it is released")


class ResourceOut(BaseModel):
    id: uuid.UUID
    name: str
    kind: str
    description: str | None
    capacity: int
    timezone: str
    tags: list[str]
    buffer_before: str
    buffer_after: str
    minimum_notice: str
    user_id: uuid.UUID | None
    entity_id: uuid.UUID | None
    active: bool
    payment: ResourcePaymentOut | None = None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


def payment_out(stored: dict[str, Any] | None) -> dict[str, Any] | None:
    """The payment terms as stored (amount already as text in its currency) as answered."""
    if not stored:
        return None
    return {
        "required": stored["required"],
        "amount": stored["amount"],
        "currency": stored["currency"],
        "hold": _seconds(stored["hold_seconds"]),
    }


def resource_out(r: Resource) -> dict[str, Any]:
    """A resource as JSON, in ``ResourceOut``'s order: its durations as ISO 8601."""
    return {
        **plain_columns(r, ("id", "name", "kind", "description", "capacity", "timezone")),
        "tags": list(r.tags or []),
        "buffer_before": _seconds(r.buffer_before_seconds),
        "buffer_after": _seconds(r.buffer_after_seconds),
        "minimum_notice": _seconds(r.minimum_notice_seconds or 0),
        **plain_columns(r, ("user_id", "entity_id", "active")),
        "payment": payment_out(r.payment),
        **plain_columns(r, ("created_at", "updated_at", "deleted_at")),
    }


def _seconds(seconds: int) -> str:
    return format_duration(timedelta(seconds=seconds))


class RuleIn(BaseModel):
    """One body for every kind; which fields a kind needs is checked field by field by the service.

    weekly: weekdays, start, end · override: date and start/end, or closed=true ·
    closure: rrule, dtstart, exdates, optional start/end · block: starts_at, ends_at.
    """

    model_config = ConfigDict(extra="forbid")

    kind: Literal["weekly", "override", "closure", "block"]
    weekdays: list[int | str] | None = Field(default=None, description="0 = Monday … 6, or MO … SU")
    start: str | None = Field(default=None, description="local wall time HH:MM")
    end: str | None = Field(default=None, description="local wall time HH:MM; 24:00 is midnight")
    date: Date | None = None
    closed: bool | None = None
    rrule: str | None = Field(default=None, max_length=1000, description="RFC 5545 RRULE text")
    dtstart: Date | None = None
    exdates: list[Date] | None = Field(default=None, max_length=1000)
    starts_at: Instant | None = None
    ends_at: Instant | None = None
    note: str | None = Field(default=None, max_length=2000)


class RuleOut(BaseModel):
    id: uuid.UUID
    resource_id: uuid.UUID
    kind: str
    weekdays: list[int] | None = None
    start: str | None = None
    end: str | None = None
    date: Date | None = None
    closed: bool | None = None
    rrule: str | None = None
    dtstart: Date | None = None
    exdates: list[Date] | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    note: str | None = None
    source: str | None = None  # "ics:<calendar import id>" for imported busy times
    created_at: datetime


def split_rrule(stored: str | None) -> tuple[str | None, str | None]:
    """The stored text is 'DTSTART:YYYYMMDD\\nRRULE:…': (rrule, dtstart ISO)."""
    if not stored:
        return None, None
    dtstart = None
    rule = None
    for line in stored.splitlines():
        if line.startswith("DTSTART"):
            raw = line.split(":", 1)[1][:8]
            dtstart = f"{raw[:4]}-{raw[4:6]}-{raw[6:8]}"
        elif line.startswith("RRULE:"):
            rule = line[len("RRULE:") :]
    return rule, dtstart


def rule_out(r: AvailabilityRule) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(r.id),
        "resource_id": str(r.resource_id),
        "kind": r.kind,
        "note": r.note,
        "source": r.source,
        "created_at": r.created_at.isoformat(),
    }
    if r.kind == "weekly":
        out |= {
            "weekdays": list(r.weekdays or []),
            "start": format_clock(r.start_time),
            "end": format_clock(r.end_time, is_end=True),
        }
    elif r.kind == "override":
        out |= {
            "date": r.on_date.isoformat() if r.on_date else None,
            "closed": r.start_time is None,
            "start": format_clock(r.start_time),
            "end": format_clock(r.end_time, is_end=True),
        }
    elif r.kind == "closure":
        rule, dtstart = split_rrule(r.rrule)
        out |= {
            "rrule": rule,
            "dtstart": dtstart,
            "exdates": list(r.exdates or []),
            "start": format_clock(r.start_time),
            "end": format_clock(r.end_time, is_end=True),
        }
    else:
        out |= {
            "starts_at": r.starts_at.astimezone(UTC).isoformat() if r.starts_at else None,
            "ends_at": r.ends_at.astimezone(UTC).isoformat() if r.ends_at else None,
        }
    return out

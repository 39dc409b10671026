"""Recurring bookings out: the series, its occurrences and the dates it skipped."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from pydantic import BaseModel, Field

from domain.scheduling.bookings.schemas import Status


class OccurrenceOut(BaseModel):
    id: uuid.UUID
    start: dt.datetime
    end: dt.datetime
    status: Status
    hold_expires_at: dt.datetime | None = None


class SkippedOut(BaseModel):
    """An occurrence the series did not book (``skip_conflicts``), and why."""

    date: dt.date = Field(description="the occurrence's local date in the series' time zone")
    start: dt.datetime
    end: dt.datetime
    reason: Literal["conflict", "outside_availability"]
    conflicts: list[dict[str, Any]] = Field(default_factory=list, description="what is in the way")
    resources: list[dict[str, Any]] = Field(default_factory=list, description="the resources not open")


class SeriesOut(BaseModel):
    id: uuid.UUID
    rrule: str = Field(description="the rule as booked: an unbounded rule gets the COUNT it was capped at")
    timezone: str
    first_start: dt.datetime
    duration: str = Field(description="ISO 8601, e.g. PT1H")
    resources: list[uuid.UUID]
    subject: str | None
    status: Literal["active", "cancelled"]
    capped: bool
    details: dict[str, Any]
    created_by: uuid.UUID | None
    created_at: dt.datetime
    updated_at: dt.datetime
    bookings: list[OccurrenceOut]
    skipped: list[SkippedOut]

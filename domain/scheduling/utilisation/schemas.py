"""Utilisation of a resource: the query and the answer, per period and in total."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel


@dataclass(frozen=True)
class UtilisationQuery:
    start: datetime
    end: datetime
    granularity: timedelta


class PeriodOut(BaseModel):
    start: datetime
    end: datetime
    available_hours: float
    booked_hours: float
    utilisation: float | None


class UtilisationOut(BaseModel):
    resource_id: uuid.UUID
    timezone: str
    start: datetime
    end: datetime
    granularity: str
    available_hours: float
    booked_hours: float
    utilisation: float | None  # booked / available; None when nothing was available
    periods: list[PeriodOut]

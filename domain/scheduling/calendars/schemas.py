"""Calendar imports: what the API accepts and returns, and what the sync workflow carries (pure values)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel


class CalendarImportIn(BaseModel):
    url: str
    interval: str = "PT15M"


class CalendarImportOut(BaseModel):
    id: uuid.UUID
    resource_id: uuid.UUID
    kind: Literal["url", "file"]
    url: str | None  # in full for callers with resources:write, else as url_redacted
    url_redacted: str | None
    interval: str | None
    status: str
    last_synced_at: datetime | None
    last_error: str | None
    events_imported: int
    workflow_id: str | None
    created_at: datetime


class CalendarSyncRun(BaseModel):
    """What the sync workflow carries across continue-as-new."""

    tenant_id: uuid.UUID
    import_id: uuid.UUID
    interval_seconds: int


class CalendarSyncIn(BaseModel):
    tenant_id: uuid.UUID
    import_id: uuid.UUID


class CalendarFetch(BaseModel):
    """What a sync needs to fetch: nothing when the import was stopped or deleted."""

    url: str | None
    timezone: str | None

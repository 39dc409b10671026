from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class NotifyIn(BaseModel):
    """What a process step sends: recipients as ``user:``/``role:`` strings."""

    tenant_id: uuid.UUID
    to: list[str] = Field(min_length=1)
    title: str = Field(min_length=1)
    body: str = ""
    category: str = "processes"
    kind: str = "process.notification"
    data: dict[str, Any] = Field(default_factory=dict)


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    channel: str
    kind: str
    title: str
    body: str
    data: dict[str, Any]
    read_at: datetime | None
    created_at: datetime

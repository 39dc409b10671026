from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, Field


class NotifyIn(BaseModel):
    """What a process step sends: recipients as ``user:``/``role:`` strings."""

    tenant_id: uuid.UUID
    to: list[str] = Field(min_length=1)
    title: str = Field(min_length=1)
    body: str = ""
    category: str = "processes"
    kind: str = "process.notification"
    data: dict[str, Any] = Field(default_factory=dict)

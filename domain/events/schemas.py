from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class EmitIn(BaseModel):
    tenant_id: uuid.UUID
    process_id: uuid.UUID | None = None
    event: str = Field(min_length=1, max_length=128)
    payload: dict[str, Any] = Field(default_factory=dict)
    dedup_key: str | None = None


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    type: str
    payload: dict[str, Any]
    process_id: uuid.UUID | None
    created_at: datetime

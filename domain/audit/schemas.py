from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    actor_id: uuid.UUID | None
    actor_type: str
    action: str
    entity_type: str
    entity_id: str
    changes: dict[str, Any]
    ip_address: str | None
    user_agent: str | None
    correlation_id: str | None
    created_at: datetime

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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


class BrokenLink(BaseModel):
    seq: int
    audit_id: uuid.UUID
    reason: str


class ChainVerdict(BaseModel):
    """The tenant's chain recomputed: ``first_broken`` names the first link that does not hold."""

    ok: bool
    sealed: int
    unsealed: int
    first_broken: BrokenLink | None


class RetentionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: int = Field(ge=30, le=3650, description="audit entries older than this are deleted (30..3650)")


class RetentionOut(BaseModel):
    days: int | None = Field(description="null: entries are kept for good")


class Maintained(BaseModel):
    """One run of the audit-maintenance Schedule: the tenants it went through, the rows it sealed."""

    tenants: int
    sealed: int

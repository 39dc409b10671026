"""Campaigns: one template to an audience, under a rate limit, with progress readable while it runs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from domain.deliveries.schemas import SLUG, ChannelName, Recipient
from domain.instants import Instant

MAX_RECIPIENTS = 100_000


class UserAudience(BaseModel):
    """Active users of the tenant holding any of ``roles`` or listed in ``user_ids``; both empty: all."""

    model_config = ConfigDict(extra="forbid")

    roles: list[str] = Field(default_factory=list, max_length=50)
    user_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_RECIPIENTS)


class Audience(BaseModel):
    """Exactly one of a filter over the tenant's users or a list of contacts (email or phone)."""

    model_config = ConfigDict(extra="forbid")

    users: UserAudience | None = None
    recipients: list[Recipient] | None = Field(default=None, min_length=1, max_length=MAX_RECIPIENTS)

    @model_validator(mode="after")
    def _one(self) -> Audience:
        if (self.users is None) == (self.recipients is None):
            raise ValueError("give exactly one of users (a filter) or recipients (a list)")
        return self


class CampaignCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200)
    template: str = Field(min_length=1, max_length=100, pattern=SLUG)
    audience: Audience
    channels: list[ChannelName] = Field(min_length=1)
    category: str | None = Field(default=None, min_length=1, max_length=64, pattern=SLUG)
    data: dict[str, Any] = Field(default_factory=dict)
    rate_per_minute: int = Field(ge=1, le=600_000)
    send_at: Instant | None = None

    @field_validator("channels")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("each channel may appear once")
        return value


class Progress(BaseModel):
    total: int | None = Field(description="recipients; null until the audience is resolved")
    sent: int = Field(description="sent, delivered or opened")
    failed: int
    suppressed: int = Field(description="by preference or a suppressed address")
    cancelled: int
    pending: int


class CampaignOut(BaseModel):
    id: uuid.UUID
    name: str | None
    template: str
    audience: dict[str, Any]
    channels: list[str]
    category: str
    rate_per_minute: int
    send_at: datetime | None
    status: str
    progress: Progress
    workflow_id: str | None
    created_at: datetime
    finished_at: datetime | None


# -- between the workflow and its activities ---------------------------------------------------
class CampaignRun(BaseModel):
    tenant_id: uuid.UUID
    campaign_id: uuid.UUID
    send_at: datetime | None = None
    rate_per_minute: int
    max_attempts: int = 5


class CampaignRef(BaseModel):
    tenant_id: uuid.UUID
    campaign_id: uuid.UUID


class CampaignBatchIn(BaseModel):
    tenant_id: uuid.UUID
    campaign_id: uuid.UUID
    size: int
    part: int = 0  # batches run side by side on disjoint parts of the audience
    parts: int = 1


class CampaignBatchOut(BaseModel):
    processed: int
    deferred: list[uuid.UUID] = Field(
        default_factory=list, description="deliveries handed to their own workflow (quiet hours, retries)"
    )


class CampaignFinish(BaseModel):
    tenant_id: uuid.UUID
    campaign_id: uuid.UUID
    cancelled: bool = False

"""Notification requests, their tracked deliveries, and what the delivery workflow passes around."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from domain.instants import Instant

ChannelName = Literal["email", "sms", "push", "in_app"]
# A delivery's overall status (see sending.overall_status); a filter on anything else is a 422.
DeliveryStatus = Literal[
    "queued", "scheduled", "sending", "sent", "delivered", "failed", "suppressed", "cancelled"
]
SLUG = r"^[a-z0-9][a-z0-9_.-]*$"


class Recipient(BaseModel):
    """Exactly one of a user of the tenant, an email address or a phone number."""

    model_config = ConfigDict(extra="forbid")

    user_id: uuid.UUID | None = None
    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=32, description="E.164, e.g. +442079460958")

    @model_validator(mode="after")
    def _exactly_one(self) -> Recipient:
        given = [name for name in ("user_id", "email", "phone") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of user_id, email or phone")
        return self


class NotificationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    recipient: Recipient
    template: str = Field(min_length=1, max_length=100, pattern=SLUG)
    data: dict[str, Any] = Field(default_factory=dict)
    channels: list[ChannelName] | None = Field(
        default=None,
        min_length=1,
        description="in order; default: the template's channels the recipient can be reached on",
    )
    category: str | None = Field(default=None, min_length=1, max_length=64, pattern=SLUG)
    send_at: Instant | None = Field(default=None, description="RFC 3339 with an offset; later sends wait")
    priority: Literal["normal", "high"] = "normal"
    strategy: Literal["all", "fallback"] = Field(
        default="all",
        description="all: every channel; fallback: the channels in order until one succeeds",
    )
    locale: str | None = Field(default=None, max_length=16, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

    @field_validator("channels")
    @classmethod
    def _distinct(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("each channel may appear once")
        return value


class Attempt(BaseModel):
    at: datetime
    outcome: str  # sent, delivered, failed, retrying
    error: str | None = None
    provider: str | None = None


class MessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    channel: str
    address: str | None
    status: str
    status_reason: str | None
    provider: str | None
    provider_message_id: str | None
    template_version: int | None
    attempts: list[Attempt]
    sent_at: datetime | None
    delivered_at: datetime | None
    opened_at: datetime | None


class DeliveryOut(BaseModel):
    id: uuid.UUID
    status: str
    recipient: dict[str, Any]
    template: str
    template_version: int | None
    category: str
    priority: str
    strategy: str
    channels: list[str]
    send_at: datetime | None
    campaign_id: uuid.UUID | None
    workflow_id: str | None
    created_at: datetime
    updated_at: datetime
    messages: list[MessageOut]


# -- between the workflow and its activities ---------------------------------------------------
class NotificationRun(BaseModel):
    """Input of one notification delivery workflow (NotificationWorkflow)."""

    tenant_id: uuid.UUID
    delivery_id: uuid.UUID
    send_at: datetime | None = None
    strategy: Literal["all", "fallback"] = "all"
    max_attempts: int = 5


class DeliveryRef(BaseModel):
    tenant_id: uuid.UUID
    delivery_id: uuid.UUID
    # The workflow's clock when planning: quiet hours are judged against the time the workflow's
    # timers run on.
    now: datetime | None = None


class MessageRef(BaseModel):
    tenant_id: uuid.UUID
    message_id: uuid.UUID


class MessageFailed(BaseModel):
    tenant_id: uuid.UUID
    message_id: uuid.UUID
    reason: str


class ChannelPlan(BaseModel):
    message_id: uuid.UUID
    channel: str
    send: bool  # False: suppressed, unreachable or already done; nothing to do
    wait_until: datetime | None = None  # quiet hours: not before this instant


class DeliveryPlan(BaseModel):
    channels: list[ChannelPlan]

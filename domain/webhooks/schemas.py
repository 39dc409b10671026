"""Webhook models: the REST shapes, and the values the outbox and delivery workflows pass around."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

from domain.definitions.schemas import ProcessEvent
from domain.deliveries.schemas import NotificationRun
from domain.durations import format_duration, parse_duration
from domain.instants import Instant
from domain.search.schemas import SyncBatch

DeliveryStatus = Literal["pending", "succeeded", "failed", "disabled"]
STATUSES: tuple[str, ...] = ("pending", "succeeded", "failed", "disabled")


# A subscription's own retry schedule: bounded so that a dead letter comes within a usable time.
MAX_ATTEMPTS = 20
MAX_SPAN_SECONDS = 3 * 86400
MAX_OVERLAP_SECONDS = 7 * 86400
SCHEDULE_HELP = (
    f"delays before each attempt (0s, 30s, 5m, PT1H...); at most {MAX_ATTEMPTS} attempts "
    f"spanning at most P3D in all; null for the deployment's default"
)
Schedule = list[str | float]


class WebhookCreate(BaseModel):
    url: str = Field(min_length=1, max_length=2048, examples=["https://example.com/keel-hooks"])
    events: list[str] = Field(min_length=1, max_length=50, examples=[["task.*", "process.completed"]])
    description: str | None = Field(default=None, max_length=1000)
    retry_schedule: Schedule | None = Field(
        default=None, max_length=MAX_ATTEMPTS, description=SCHEDULE_HELP, examples=[["0s", "30s", "5m", "1h"]]
    )


class WebhookPatch(BaseModel):
    """Only the fields given change. ``active: true`` re-enables a subscription a 410 disabled."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    url: str | None = Field(default=None, min_length=1, max_length=2048)
    events: list[str] | None = Field(default=None, min_length=1, max_length=50)
    description: str | None = Field(default=None, max_length=1000)
    active: bool | None = Field(default=None, validation_alias=AliasChoices("active", "enabled"))
    retry_schedule: Schedule | None = Field(default=None, max_length=MAX_ATTEMPTS, description=SCHEDULE_HELP)


class RotateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    overlap: str = Field(
        default="P1D",
        description="how long the previous secret keeps signing too (ISO 8601, PT0S to P7D)",
        examples=["PT1H"],
    )


class ReplayFilter(BaseModel):
    """Which dead letters to replay; an empty body replays every failed delivery (up to ``limit``)."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["failed", "disabled"] = "failed"
    event_type: str | None = Field(default=None, max_length=128, description="task.completed, task.* or *")
    since: Instant | None = Field(default=None, description="deliveries created at or after this instant")
    until: Instant | None = Field(default=None, description="deliveries created before this instant")
    delivery_ids: list[uuid.UUID] | None = Field(default=None, max_length=500)
    limit: int = Field(default=500, ge=1, le=500)


class Replayed(BaseModel):
    replayed: int
    delivery_ids: list[uuid.UUID]


class WebhookOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    url: str
    events: list[str]
    description: str | None
    active: bool
    disabled_reason: str | None = None
    disabled_at: datetime | None = None
    retry_schedule: list[str] | None = Field(
        default=None, description="this subscription's delays (ISO 8601); null: the deployment's default"
    )
    previous_secret_expires_at: datetime | None = Field(
        default=None, description="after a rotation: until when the previous secret signs too"
    )
    created_at: datetime

    @field_validator("retry_schedule", mode="before")
    @classmethod
    def _iso(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        return [iso(float(v)) if isinstance(v, int | float) else v for v in value]  # stored as seconds


class SecretRotated(WebhookOut):
    secret: str = Field(description="the new signing secret (whsec_…); shown only in this response")


class AttemptRecordOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    started_at: datetime
    latency_ms: int | None
    request_url: str
    request_headers: dict[str, Any]
    request_body: str = Field(description="the first 4 KB")
    response_status: int | None
    response_headers: dict[str, Any] | None
    response_body: str | None = Field(description="the first 4 KB")
    error: str | None


def iso(seconds: float) -> str:
    return format_duration(timedelta(seconds=seconds))


class WebhookCreated(WebhookOut):
    secret: str = Field(description="the signing secret (whsec_…); shown only in this response")


class WebhookDetail(WebhookOut):
    deliveries: dict[str, int] = Field(description="how many deliveries are in each status")


class DeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    webhook_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    completed_at: datetime | None
    replays: int
    created_at: datetime


class TestDelivered(BaseModel):
    delivery: DeliveryOut
    attempt: AttemptRecordOut | None


# -- workflow values -----------------------------------------------------------------------------


class WebhookDeliveryRun(BaseModel):
    """Input of one delivery workflow; the schedule comes from settings, read by the starter."""

    tenant_id: uuid.UUID
    delivery_id: uuid.UUID
    schedule: list[float] = Field(description="seconds to wait before each attempt")
    attempt_timeout: float = 10.0


class AttemptIn(BaseModel):
    tenant_id: uuid.UUID
    delivery_id: uuid.UUID
    final: bool  # no attempt follows this one: a failure is a dead letter
    next_delay: float | None = None  # seconds until the next attempt, when there is one
    timeout: float = 10.0


class AttemptOut(BaseModel):
    # succeeded (2xx), gone (410: webhook disabled), stopped (webhook deleted or disabled),
    # retry (any other answer or none), failed (retry on the final attempt: dead letter)
    outcome: Literal["succeeded", "gone", "stopped", "retry", "failed"]
    status_code: int | None = None
    error: str | None = None


class DrainIn(BaseModel):
    tenant_id: uuid.UUID
    batch_size: int = 100


class Signal(BaseModel):
    """An event for the processes waiting on ``<name>:<correlation_key>``."""

    event_id: uuid.UUID
    workflow_ids: list[str]
    event: ProcessEvent


class Drained(BaseModel):
    event_ids: list[uuid.UUID]  # the batch, oldest first: published once handed out
    full: bool  # the batch was full: more may be waiting
    deliveries: list[WebhookDeliveryRun]  # to start, one workflow each
    signals: list[Signal]
    # Notifications requested inside a transaction (a process notifying its assignees): their
    # delivery workflows are started here, so a crash right after that transaction loses none.
    notifications: list[NotificationRun] = Field(default_factory=list)
    # Entity changes for the tenant's search sync workflow (None when nothing is searchable-relevant).
    search: SyncBatch | None = None


class Handed(BaseModel):
    tenant_id: uuid.UUID
    event_ids: list[uuid.UUID]
    signalled: list[uuid.UUID]  # events whose waiting processes were signalled
    workflows: dict[str, str] = Field(description="delivery id -> workflow id")


def parse_schedule(spec: str) -> list[float]:
    """``"0s,5s,5m,30m,2h"`` or ISO 8601 (``PT5M``) items -> seconds; ``0`` means immediately."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    out: list[float] = []
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        match = re.fullmatch(r"(\d+(?:\.\d+)?)([smhd]?)", item.lower())
        if match:
            out.append(float(match.group(1)) * units[match.group(2) or "s"])
        elif item.upper() in ("PT0S", "P0D"):
            out.append(0.0)
        else:
            out.append(parse_duration(item).total_seconds())
    if not out:
        raise ValueError("the webhook retry schedule needs at least one attempt")
    return out


def event_body(event_id: uuid.UUID, event_type: str, created_at: datetime, payload: dict[str, Any]) -> bytes:
    """The JSON body of a delivery, byte for byte the same on every attempt (the signature covers it)."""
    stamp = created_at.isoformat().replace("+00:00", "Z")
    data = {"id": str(event_id), **{k: v for k, v in payload.items() if k != "id"}}
    return json.dumps({"type": event_type, "timestamp": stamp, "data": data}, separators=(",", ":")).encode()

"""Report subscriptions: what a client sends and reads, and what the report-delivery workflow carries."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from domain.analytics.schemas import ReportFormat

Format = ReportFormat
Delivery = Literal["attachment", "link"]
RunStatus = Literal["running", "delivered", "failed"]
MAX_RECIPIENTS = 50
MAX_CHARS = 200
"""The longest schedule (cron expression or RRULE) read."""
Recipient = Field(min_length=1, max_length=MAX_RECIPIENTS, description="user ids or emails of active users")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SubscriptionIn(_Strict):
    report_id: uuid.UUID | None = Field(
        default=None, validation_alias=AliasChoices("report", "report_id"), description="a report's id"
    )
    dashboard_id: uuid.UUID | None = Field(
        default=None,
        validation_alias=AliasChoices("dashboard", "dashboard_id"),
        description="a dashboard's id",
    )
    schedule: str = Field(
        max_length=MAX_CHARS,
        description="a cron expression of 5 fields (`0 8 * * MON`) or an RRULE "
        "(`FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=0`); at most one run an hour",
    )
    timezone: str | None = Field(default=None, max_length=64, description="IANA; default the tenant's")
    recipients: list[str] = Recipient
    format: Format = Field(
        default="csv", description="csv, json, xlsx or pdf; a dashboard's tiles: json or csv"
    )
    delivery: Delivery = Field(
        default="link",
        description="`link`: a signed download link, valid seven days; `attachment`: the file attached to "
        "the email as well, up to 10 MB (a larger one is linked only)",
    )
    paused: bool = False


class SubscriptionPatch(_Strict):
    """The fields sent change; the subscription they make is checked whole."""

    schedule: str | None = Field(default=None, max_length=MAX_CHARS)
    timezone: str | None = Field(default=None, max_length=64)
    recipients: list[str] | None = Field(default=None, min_length=1, max_length=MAX_RECIPIENTS)
    format: Format | None = None
    delivery: Delivery | None = None
    paused: bool | None = None


class RecipientOut(BaseModel):
    user_id: uuid.UUID
    email: str | None = Field(default=None, description="null once the user is no longer active")


class SubscriptionOut(BaseModel):
    id: uuid.UUID
    report_id: uuid.UUID | None = None
    dashboard_id: uuid.UUID | None = None
    schedule: str
    schedule_kind: Literal["cron", "rrule"]
    timezone: str
    recipients: list[RecipientOut]
    format: Format
    delivery: Delivery
    paused: bool
    next_runs: list[datetime] = Field(description="the next five runs, in `timezone` (none while paused)")
    created_by: uuid.UUID | None = None
    created_at: datetime
    updated_at: datetime


class SubscriptionRunOut(BaseModel):
    id: uuid.UUID
    subscription_id: uuid.UUID
    status: RunStatus
    period_start: datetime | None = Field(default=None, description="the previous scheduled run")
    period_end: datetime
    report_run_id: uuid.UUID | None = None
    recipients: int = Field(description="emails queued")
    error: str | None = None
    created_at: datetime
    finished_at: datetime | None = None


# -- the report-delivery workflow ---------------------------------------------------------------
class DeliveryWork(BaseModel):
    """What a subscription's Schedule starts the workflow with; ``run-now`` also names the run it
    recorded already, and when it started."""

    tenant_id: uuid.UUID
    subscription_id: uuid.UUID
    run_id: uuid.UUID | None = None
    at: datetime | None = None


class DeliveryStart(DeliveryWork):
    run_id: uuid.UUID = Field(description="the run's id, chosen by the workflow so a retry finds it")
    at: datetime = Field(description="when the run started (the workflow's clock): its period ends there")


class Begun(BaseModel):
    """A run recorded: its id, and the report run writing its file with the id of that run's workflow
    (none for a dashboard)."""

    run_id: uuid.UUID
    report_run_id: uuid.UUID | None = None
    report_run_workflow_id: str | None = None


class RunRef(BaseModel):
    tenant_id: uuid.UUID
    run_id: uuid.UUID


class RunFailed(DeliveryStart):
    """A run that could not be delivered (perhaps not even recorded), and why."""

    error: str

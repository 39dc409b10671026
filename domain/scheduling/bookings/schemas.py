"""Bookings in and out, and the values the booking process passes to its activities."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.durations import Duration
from domain.instants import Instant

MAX_HOLD = timedelta(days=1)
MAX_RESOURCES = 10
Status = Literal["held", "confirmed", "cancelled", "expired", "completed", "no_show"]
ACTIVE = ("held", "confirmed")  # the statuses whose allocations hold their resources
# Which occurrences of a series a cancel or a reschedule touches: the one named, it and the later ones, all.
Scope = Literal["this", "following", "all"]


class BookingIn(BaseModel):
    """``end`` or ``duration``, not both. ``hold`` is how long a booking that needs confirmation waits.
    The checks across fields are the domain's (``bookings.check_input``), so each names its field."""

    model_config = ConfigDict(extra="forbid")

    resources: list[uuid.UUID] = Field(min_length=1, max_length=MAX_RESOURCES)
    start: Instant
    end: Instant | None = None
    duration: Duration | None = None
    subject: str | None = Field(default=None, max_length=500)
    entity_id: uuid.UUID | None = None
    hold: Duration = timedelta(minutes=10)
    requires_confirmation: bool = True
    customer: uuid.UUID | None = Field(
        default=None,
        description="the billing customer who pays: required when a resource requires payment, and only then",
    )
    details: dict[str, Any] = Field(default_factory=dict)
    recurrence: str | None = Field(
        default=None,
        max_length=1000,
        description="an RFC 5545 RRULE (e.g. RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10): a series, one booking "
        "per occurrence at start's local wall time; without COUNT or UNTIL it is capped (366, 2 years)",
    )
    timezone: str | None = Field(
        default=None,
        max_length=64,
        description="the IANA zone whose wall time a series keeps (default: the first resource's)",
    )
    skip_conflicts: bool = Field(
        default=False,
        description="a series books the occurrences that fit and reports the rest (default: all or nothing)",
    )

    @property
    def end_at(self) -> datetime:
        return self.end if self.end is not None else self.start + (self.duration or timedelta(0))


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=2000)
    accept_fee: bool = Field(
        default=False,
        description="required to cancel a confirmed booking within the free-cancellation window",
    )
    scope: Scope = Field(default="this", description="for a booking of a series: this, following or all")


class RescheduleIn(BaseModel):
    """The new span of the booking named; ``following``/``all`` shift the other occurrences by the same
    local wall-time change and give them the same length."""

    model_config = ConfigDict(extra="forbid")

    start: Instant
    end: Instant | None = None
    duration: Duration | None = None
    scope: Scope = "this"
    accept_fee: bool = Field(
        default=False,
        description="required to move a confirmed booking within the free-cancellation window",
    )

    @property
    def end_at(self) -> datetime:
        return self.end if self.end is not None else self.start + (self.duration or timedelta(0))


class AllocationOut(BaseModel):
    resource_id: uuid.UUID
    start: datetime = Field(description="the booking's start minus the resource's buffer before")
    end: datetime = Field(description="the booking's end plus the resource's buffer after")
    active: bool


class BookingPaymentOut(BaseModel):
    """The invoice whose payment confirms the booking, as it stands."""

    invoice_id: uuid.UUID
    required: Literal["deposit", "full"]
    amount: str = Field(description="the invoice's total, a decimal string in the currency")
    amount_paid: str
    currency: str
    status: Literal["draft", "open", "paid", "void", "uncollectible"] = Field(description="the invoice's")


class BookingOut(BaseModel):
    id: uuid.UUID
    subject: str | None
    status: Status
    start: datetime
    end: datetime
    hold_expires_at: datetime | None
    requires_confirmation: bool
    entity_id: uuid.UUID | None
    series_id: uuid.UUID | None
    workflow_id: str | None
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    late_cancellation: bool
    details: dict[str, Any]
    payment: BookingPaymentOut | None = Field(
        default=None, description="for a resource that requires payment: the booking is confirmed once paid"
    )
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    allocations: list[AllocationOut]


class ConflictOut(BaseModel):
    """One of the details of a 409 booking_conflict."""

    resource_id: uuid.UUID
    start: datetime
    end: datetime
    booking_id: uuid.UUID


class AlternativeSlot(BaseModel):
    """A free alternative in a 409 booking_conflict."""

    start: datetime
    end: datetime


# The booking process and its activities.


class BookingRun(BaseModel):
    tenant_id: uuid.UUID
    booking_id: uuid.UUID
    status: Status
    start: datetime
    end: datetime
    hold_expires_at: datetime | None = None


class BookingRef(BaseModel):
    tenant_id: uuid.UUID
    booking_id: uuid.UUID


class ReminderIn(BaseModel):
    tenant_id: uuid.UUID
    booking_id: uuid.UUID
    label: str  # "24h", "1h": part of the notification's dedup key

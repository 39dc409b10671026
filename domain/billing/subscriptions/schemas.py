"""Subscriptions: what the API accepts and answers, and what the subscription workflow carries."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.billing.invoices.schemas import InvoiceRun
from domain.billing.subscription_states.schemas import Status as Status  # the API reads it here

MAX_ITEMS = 20
MAX_QUANTITY = 1_000_000
MAX_TRIAL_DAYS = 730
Collection = Literal["charge_automatically", "send_invoice"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ItemIn(Strict):
    price: uuid.UUID = Field(description="a recurring price of this tenant (a one-time price is a 422)")
    quantity: int = Field(
        default=1,
        ge=1,
        le=MAX_QUANTITY,
        strict=True,
        description="whole units, 1 to 1,000,000, of a licensed price; a usage price takes 1 (or none)",
    )


class SubscriptionIn(Strict):
    customer: uuid.UUID
    items: list[ItemIn] = Field(min_length=1, max_length=MAX_ITEMS)
    trial_days: int = Field(default=0, ge=0, le=MAX_TRIAL_DAYS, strict=True)
    collection: Collection = "send_invoice"


class SubscriptionPatch(Strict):
    items: list[ItemIn] = Field(
        min_length=1, max_length=MAX_ITEMS, description="the new items as a whole (prorated at once)"
    )


class CancelIn(Strict):
    at_period_end: bool = Field(
        default=True, description="true: runs to the end of the period; false: ends now"
    )


class ItemOut(BaseModel):
    id: uuid.UUID
    price: uuid.UUID
    kind: Literal["licensed", "usage"]
    metric: str | None
    quantity: int
    unit_amount: str | None


class InvoiceRefOut(BaseModel):
    id: uuid.UUID
    kind: str
    period_start: datetime
    period_end: datetime
    number: str | None
    status: str
    total: str


class SubscriptionOut(BaseModel):
    id: uuid.UUID
    customer: uuid.UUID
    status: Status
    collection: Collection
    currency: str
    interval: str
    interval_count: int
    items: list[ItemOut]
    started_at: datetime
    trial_end: datetime | None
    current_period_start: datetime
    current_period_end: datetime
    cancel_at_period_end: bool
    canceled_at: datetime | None
    paused_at: datetime | None
    latest_invoices: list[InvoiceRefOut] = Field(description="the newest first, at most 10")
    created_at: datetime
    updated_at: datetime


class UsageLineOut(BaseModel):
    item: uuid.UUID
    price: uuid.UUID
    metric: str
    quantity: str
    amount: str = Field(description="what the quantity so far costs, before tax")


class UsageOut(BaseModel):
    subscription: uuid.UUID
    period_start: datetime
    period_end: datetime
    currency: str
    lines: list[UsageLineOut]
    total: str


# -- the subscription workflow ---------------------------------------------------------------------


class SubscriptionRun(BaseModel):
    """A run of the workflow: one period (continue-as-new starts the next one)."""

    tenant_id: uuid.UUID
    subscription_id: uuid.UUID


class PeriodStep(BaseModel):
    """What an activity found: the subscription's state and the moment the workflow waits for."""

    status: str
    wake_at: datetime | None = None  # the trial's or the period's end; None once canceled
    period_index: int = 0
    moved: bool = False  # a new period started or the subscription ended: continue as new


class Advance(BaseModel):
    tenant_id: uuid.UUID
    tenant_domain: str  # invoice workflow ids carry it
    subscription_id: uuid.UUID
    at: datetime  # the workflow's clock: what is due by then is done


class Advanced(BaseModel):
    step: PeriodStep
    invoices: list[InvoiceRun] = Field(default_factory=list)  # their workflows to start

"""The tenant's dunning policy: reminders after an invoice's due date, a final notice, then an action;
and when a failed automatic charge is tried again.

Stored in the tenant's billing settings row (``BillingSettings.dunning``, made here when the seller
settings were never saved). The invoice workflow reads it when an invoice becomes overdue, so a
change applies to invoices that become overdue after it.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.billing import BillingSettings
from domain.audit import service as audit
from domain.billing.catalog.taxes import seller_settings
from domain.billing.invoices.process import DEFAULT_RETRIES
from domain.context import TenantContext
from domain.durations import parse_duration
from domain.errors import ValidationFailed
from domain.queries import mine, touch

MAX_REMINDERS = 10
LONGEST = timedelta(days=365)


def _after_due(value: str) -> str:
    if not isinstance(value, str) or len(value) > 32:
        raise ValueError("is an ISO 8601 duration such as P7D")
    span = parse_duration(value)
    if span < timedelta(hours=1) or span > LONGEST:
        raise ValueError("must be from PT1H to P365D (after the due date, or after the first charge)")
    return value.strip().upper()


Offset = Annotated[str, AfterValidator(_after_due)]


class DunningIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reminders: list[Offset] = Field(default_factory=list, max_length=MAX_REMINDERS)
    final_notice: Offset | None = None
    then: Literal["mark_uncollectible", "notify"] | None = Field(
        default=None, description="after the final notice: mark the invoice uncollectible, or nothing more"
    )
    charge_retries: list[Offset] = Field(
        default_factory=lambda: list(DEFAULT_RETRIES),
        max_length=MAX_REMINDERS,
        description="charge_automatically invoices: when a failed charge is tried again, after the "
        "first try (P1D, P3D, P5D when left out; [] for no retry)",
    )


class DunningOut(BaseModel):
    reminders: list[str]
    final_notice: str | None
    then: str | None
    charge_retries: list[str]


def out(row: BillingSettings | None) -> dict[str, Any]:
    raw = (row.dunning if row else None) or {}
    return {
        "reminders": raw.get("reminders", []),
        "final_notice": raw.get("final_notice"),
        "then": raw.get("then"),
        "charge_retries": raw.get("charge_retries", list(DEFAULT_RETRIES)),
    }


def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
    ctx.require("billing:read")
    return out(seller_settings(session, ctx))


def _check(body: DunningIn) -> None:
    """Reminders in increasing order, the final notice after them, an action only after a notice."""
    spans = [parse_duration(r) for r in body.reminders]
    for i, (a, b) in enumerate(itertools.pairwise(spans)):
        if b <= a:
            raise ValidationFailed.one(f"reminders.{i + 1}", "must come after the reminder before it")
    if body.final_notice is not None and spans and parse_duration(body.final_notice) <= spans[-1]:
        raise ValidationFailed.one("final_notice", "must come after the last reminder")
    for i, (a, b) in enumerate(itertools.pairwise(parse_duration(r) for r in body.charge_retries)):
        if b <= a:
            raise ValidationFailed.one(f"charge_retries.{i + 1}", "must come after the retry before it")
    if body.then is not None and body.final_notice is None:
        raise ValidationFailed.one("then", "needs a final_notice")


def replace(session: Session, ctx: TenantContext, body: DunningIn) -> dict[str, Any]:
    ctx.require("billing:settings")
    _check(body)
    row = session.scalar(select(BillingSettings).where(*mine(ctx, BillingSettings)).with_for_update())
    if row is None:
        row = BillingSettings(
            tenant_id=ctx.tenant_id, seller_address={}, reporting_currency="EUR", dunning={}
        )
        session.add(row)
    before = out(row)
    row.dunning = body.model_dump()
    touch(session, row)
    audit.record(
        session, ctx, "billing.dunning_updated", "billing_settings", row.id, audit.diff(before, out(row))
    )
    return out(row)

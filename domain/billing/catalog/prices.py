"""Prices: what a product costs in one currency, one-time, recurring, or metered (usage).

Like Stripe's, a price never changes once made (invoices point at it): only ``active`` can be
switched. To change an amount, create a new price and deactivate the old one.

A usage price names a billable metric of the tenant by its code. Usage models: ``per_unit``
(quantity x unit_amount), ``package`` (unit_amount per started package of ``package_size``),
``graduated`` (each tier prices the units within it) and ``volume`` (the tier the total falls in
prices every unit). Tiers ascend by ``up_to``; the last one is open (``up_to: null``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.billing import Price, Product
from db.models.usage import BillableMetric
from domain.audit import service as audit
from domain.billing.catalog import rows
from domain.billing.money import AmountText, Currency, to_minor, to_text
from domain.context import TenantContext
from domain.errors import FieldError, ValidationFailed
from domain.queries import find, get_or_404, mine, touch

MAX_TIERS = 20
FIELDS = [
    "product_id",
    "currency",
    "unit_amount_minor",
    "type",
    "interval",
    "interval_count",
    "usage",
    "active",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TierIn(Strict):
    up_to: Annotated[int, Field(ge=1, le=10**12)] | None
    unit_amount: AmountText
    flat_amount: AmountText | None = None


class UsageIn(Strict):
    metric: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,64}$")]  # a billable metric's code
    model: Literal["per_unit", "graduated", "volume", "package"]
    tiers: Annotated[list[TierIn], Field(max_length=MAX_TIERS)] | None = None
    package_size: Annotated[int, Field(ge=1, le=10**9)] | None = None


class PriceIn(Strict):
    product: uuid.UUID
    currency: Currency
    unit_amount: AmountText | None = None
    type: Literal["one_time", "recurring"]
    interval: Literal["day", "week", "month", "year"] | None = None
    interval_count: Annotated[int, Field(ge=1, le=365)] = 1
    usage: UsageIn | None = None


class PricePatch(Strict):
    active: bool


class TierOut(BaseModel):
    up_to: int | None
    unit_amount: str
    flat_amount: str | None


class UsageOut(BaseModel):
    metric: str
    model: str
    tiers: list[TierOut] | None
    package_size: int | None


class PriceOut(BaseModel):
    id: uuid.UUID
    product: uuid.UUID
    currency: str
    unit_amount: str | None
    type: str
    interval: str | None
    interval_count: int
    usage: UsageOut | None
    active: bool
    created_at: datetime
    updated_at: datetime


def _usage_out(usage: dict[str, Any] | None, currency: str) -> dict[str, Any] | None:
    if usage is None:
        return None
    tiers = usage.get("tiers")
    return {
        "metric": usage["metric"],
        "model": usage["model"],
        "tiers": None
        if tiers is None
        else [
            {
                "up_to": t["up_to"],
                "unit_amount": to_text(t["unit_amount_minor"], currency),
                "flat_amount": None
                if t.get("flat_amount_minor") is None
                else to_text(t["flat_amount_minor"], currency),
            }
            for t in tiers
        ],
        "package_size": usage.get("package_size"),
    }


def price_out(p: Price) -> dict[str, Any]:
    unit = None if p.unit_amount_minor is None else to_text(p.unit_amount_minor, p.currency)
    return rows.out(
        p,
        *("currency", "type", "interval", "interval_count", "active"),
        product=str(p.product_id),
        unit_amount=unit,
        usage=_usage_out(p.usage, p.currency),
    )


def _amount(text: str | None, currency: str, field: str, bad: list[FieldError]) -> int | None:
    """Minor units of a non-negative amount with no more digits than the currency has."""
    if text is None:
        return None
    try:
        minor = to_minor(text, currency, field=field)
    except ValidationFailed as exc:
        bad.extend(exc.fields)
        return None
    if minor < 0:
        bad.append(FieldError(field, "must not be negative"))
        return None
    return minor


def _tiers(usage: UsageIn, currency: str, bad: list[FieldError]) -> list[dict[str, Any]] | None:
    if not usage.tiers:
        bad.append(FieldError("usage.tiers", f"are required for the {usage.model} model"))
        return None
    out: list[dict[str, Any]] = []
    previous = 0
    last = len(usage.tiers) - 1
    for i, tier in enumerate(usage.tiers):
        where = f"usage.tiers.{i}"
        if tier.up_to is None and i != last:
            bad.append(FieldError(f"{where}.up_to", "only the last tier is open (up_to: null)"))
        elif tier.up_to is not None and i == last:
            bad.append(FieldError(f"{where}.up_to", "the last tier must be open: up_to null"))
        elif tier.up_to is not None and tier.up_to <= previous:
            bad.append(FieldError(f"{where}.up_to", "tiers must ascend: greater than the previous up_to"))
        previous = tier.up_to or previous
        unit = _amount(tier.unit_amount, currency, f"{where}.unit_amount", bad)
        flat = _amount(tier.flat_amount, currency, f"{where}.flat_amount", bad)
        out.append({"up_to": tier.up_to, "unit_amount_minor": unit, "flat_amount_minor": flat})
    return out


def _check(data: PriceIn) -> tuple[int | None, dict[str, Any] | None]:
    """Every rule of the price's shape at once: (unit amount in minor units, stored usage)."""
    bad: list[FieldError] = []
    sent = data.model_fields_set
    if data.type == "recurring" and data.interval is None:
        bad.append(FieldError("interval", "is required for a recurring price"))
    if data.type == "one_time":
        if data.interval is not None:
            bad.append(FieldError("interval", "is only for a recurring price"))
        if "interval_count" in sent and data.interval_count != 1:
            bad.append(FieldError("interval_count", "is only for a recurring price"))
        if data.usage is not None:
            bad.append(FieldError("usage", "is only for a recurring price"))
    unit = _amount(data.unit_amount, data.currency, "unit_amount", bad)
    usage = data.usage
    stored: dict[str, Any] | None = None
    if usage is None or usage.model in ("per_unit", "package"):
        if data.unit_amount is None:
            bad.append(FieldError("unit_amount", "is required"))
    elif data.unit_amount is not None:
        bad.append(
            FieldError("unit_amount", f"is not used by the {usage.model} model: tiers carry the amounts")
        )
    if usage is not None:
        stored = {"metric": usage.metric, "model": usage.model, "tiers": None, "package_size": None}
        if usage.model in ("graduated", "volume"):
            stored["tiers"] = _tiers(usage, data.currency, bad)
        elif usage.tiers is not None:
            bad.append(
                FieldError("usage.tiers", f"are only for the graduated and volume models, not {usage.model}")
            )
        if usage.model == "package":
            if usage.package_size is None:
                bad.append(FieldError("usage.package_size", "is required for the package model"))
            stored["package_size"] = usage.package_size
        elif usage.package_size is not None:
            bad.append(FieldError("usage.package_size", "is only for the package model"))
    if bad:
        raise ValidationFailed(bad)
    return unit, stored


def create_price(session: Session, ctx: TenantContext, data: PriceIn) -> Price:
    ctx.require("billing:write")
    product = find(session, ctx, Product, data.product)
    problems: list[FieldError] = []
    if product is None:
        problems.append(FieldError("product", "is not a product of this tenant"))
    if data.usage is not None and not session.scalar(
        select(BillableMetric.id).where(*mine(ctx, BillableMetric), BillableMetric.code == data.usage.metric)
    ):
        problems.append(FieldError("usage.metric", "is not the code of a billable metric of this tenant"))
    try:
        unit, usage = _check(data)
    except ValidationFailed as exc:
        raise ValidationFailed(problems + exc.fields) from None
    if problems:
        raise ValidationFailed(problems)
    price = Price.new(
        ctx,
        product_id=data.product,
        **data.model_dump(include={"currency", "type", "interval", "interval_count"}),
        unit_amount_minor=unit,
        usage=usage,
        active=True,
    )
    return rows.add_audited(session, ctx, price, "price", FIELDS)


def get_price(session: Session, ctx: TenantContext, price_id: uuid.UUID) -> Price:
    return rows.read(session, ctx, Price, price_id, "price")


def list_prices(
    session: Session,
    ctx: TenantContext,
    *,
    product: uuid.UUID | None = None,
    currency: str | None = None,
    type_: str | None = None,
    active: bool | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[Price], str | None]:
    equal = {"product_id": product, "currency": currency and currency.upper(), "type": type_}
    return rows.page_of(session, ctx, Price, equal=equal, active=active, limit=limit, cursor=cursor)


def set_active(session: Session, ctx: TenantContext, price_id: uuid.UUID, data: PricePatch) -> Price:
    """The one change a price allows: (de)activate it. An inactive price is refused on new lines."""
    ctx.require("billing:write")
    price = get_or_404(session, ctx, Price, price_id, "price", for_update=True)
    if price.active != data.active:
        price.active = data.active
        touch(session, price)
        audit.record(
            session, ctx, "price.updated", "price", price.id, {"active": [not data.active, data.active]}
        )
    return price

"""Tax rates of the tenant: by country, optionally region and product tax category (see ``taxes`` for
which one applies to a line). Reads need ``billing:read``, writes ``billing:settings``. A rate's
percentage never changes (issued invoices name it): create a new rate and deactivate the old one.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from db.models.billing import TaxRate
from domain.audit import service as audit
from domain.billing.catalog.schemas import TaxRateIn, TaxRatePatch, percentage_text
from domain.context import TenantContext
from domain.errors import ValidationFailed
from domain.pagination import paginate
from domain.queries import get_or_404, live

FIELDS = ["name", "percentage", "inclusive", "country", "region", "category", "active"]


def tax_rate_out(r: TaxRate) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "name": r.name,
        "percentage": percentage_text(Decimal(r.percentage)),
        "inclusive": r.inclusive,
        "country": r.country,
        "region": r.region,
        "category": r.category,
        "active": r.active,
        "created_at": r.created_at.isoformat(),
        "updated_at": r.updated_at.isoformat(),
    }


def get_tax_rate(session: Session, ctx: TenantContext, rate_id: uuid.UUID) -> TaxRate:
    ctx.require("billing:read")
    return get_or_404(session, ctx, TaxRate, rate_id, "tax rate")


def list_tax_rates(
    session: Session,
    ctx: TenantContext,
    *,
    country: str | None = None,
    category: str | None = None,
    active: bool | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[TaxRate], str | None]:
    ctx.require("billing:read")
    stmt = live(ctx, TaxRate)
    if country:
        stmt = stmt.where(TaxRate.country == country.upper())
    if category:
        stmt = stmt.where(TaxRate.category == category.lower())
    if active is not None:
        stmt = stmt.where(TaxRate.active.is_(active))
    return paginate(session, stmt, TaxRate, limit, cursor)


def create_tax_rate(session: Session, ctx: TenantContext, data: TaxRateIn) -> TaxRate:
    ctx.require("billing:settings")
    rate = TaxRate(
        tenant_id=ctx.tenant_id,
        name=data.name,
        percentage=Decimal(data.percentage),
        inclusive=data.inclusive,
        country=data.country,
        region=data.region,
        category=data.category,
        active=True,
    )
    session.add(rate)
    session.flush()
    audit.record(
        session, ctx, "tax_rate.created", "tax_rate", rate.id, audit.diff(None, audit.snapshot(rate, FIELDS))
    )
    return rate


def patch_tax_rate(session: Session, ctx: TenantContext, rate_id: uuid.UUID, data: TaxRatePatch) -> TaxRate:
    ctx.require("billing:settings")
    rate = get_or_404(session, ctx, TaxRate, rate_id, "tax rate", for_update=True)
    sent = data.model_fields_set
    for name in ("name", "active"):
        if name in sent and getattr(data, name) is None:
            raise ValidationFailed.one(name, "cannot be null")
    before = audit.snapshot(rate, FIELDS)
    for name in ("name", "active"):
        if name in sent:
            setattr(rate, name, getattr(data, name))
    changes = audit.diff(before, audit.snapshot(rate, FIELDS))
    if changes:  # nothing sent that differs: nothing to record
        rate.updated_at = datetime.now(UTC)
        session.flush()
        audit.record(session, ctx, "tax_rate.updated", "tax_rate", rate.id, changes)
    return rate


def delete_tax_rate(session: Session, ctx: TenantContext, rate_id: uuid.UUID) -> TaxRate:
    """Soft delete: no longer applies to new lines; issued invoices keep the rate they used."""
    ctx.require("billing:settings")
    rate = get_or_404(session, ctx, TaxRate, rate_id, "tax rate", for_update=True)
    rate.deleted_at = datetime.now(UTC)
    rate.active = False
    session.flush()
    audit.record(session, ctx, "tax_rate.deleted", "tax_rate", rate.id, {"deleted": True})
    return rate

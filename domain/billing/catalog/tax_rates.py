"""Tax rates of the tenant: by country, optionally region and product tax category (see ``taxes`` for
which one applies to a line). Reads need ``billing:read``, writes ``billing:settings``. A rate's
percentage never changes (issued invoices name it): create a new rate and deactivate the old one.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from db.models.billing import TaxRate
from domain.billing.catalog import rows
from domain.billing.catalog.schemas import TaxRateIn, TaxRatePatch, percentage_text
from domain.context import TenantContext
from domain.queries import get_or_404

FIELDS = ["name", "percentage", "inclusive", "country", "region", "category", "active"]


def tax_rate_out(r: TaxRate) -> dict[str, Any]:
    percentage = percentage_text(Decimal(r.percentage))
    return rows.out(r, "name", "inclusive", "country", "region", "category", "active", percentage=percentage)


def get_tax_rate(session: Session, ctx: TenantContext, rate_id: uuid.UUID) -> TaxRate:
    return rows.read(session, ctx, TaxRate, rate_id, "tax rate")


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
    equal = {"country": country and country.upper(), "category": category and category.lower()}
    return rows.page_of(session, ctx, TaxRate, equal=equal, active=active, limit=limit, cursor=cursor)


def create_tax_rate(session: Session, ctx: TenantContext, data: TaxRateIn) -> TaxRate:
    ctx.require("billing:settings")
    rate = TaxRate.new(
        ctx,
        **data.model_dump(exclude={"percentage"}),
        percentage=Decimal(data.percentage),
        active=True,
    )
    return rows.add_audited(session, ctx, rate, "tax_rate", FIELDS)


def patch_tax_rate(session: Session, ctx: TenantContext, rate_id: uuid.UUID, data: TaxRatePatch) -> TaxRate:
    ctx.require("billing:settings")
    rate = get_or_404(session, ctx, TaxRate, rate_id, "tax rate", for_update=True)
    editable = ("name", "active")
    rows.patch_fields(session, ctx, rate, data, "tax_rate", FIELDS, settable=editable, required=editable)
    return rate


def delete_tax_rate(session: Session, ctx: TenantContext, rate_id: uuid.UUID) -> TaxRate:
    """Soft delete: no longer applies to new lines; issued invoices keep the rate they used."""
    ctx.require("billing:settings")
    rate = get_or_404(session, ctx, TaxRate, rate_id, "tax rate", for_update=True)
    rows.deactivate_and_delete(session, ctx, rate, "tax_rate")
    return rate

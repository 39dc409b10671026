"""The tenant as a seller: name, address, country (it decides EU reverse charge), tax id, reporting
currency and invoice template. One row per tenant, made on the first PUT; the dunning policy in the
same row belongs to the invoices work and a PUT here leaves it as it is."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.billing import BillingSettings
from db.models.documents import DocumentTemplate
from domain.audit import service as audit
from domain.billing.catalog.schemas import SettingsIn
from domain.billing.catalog.taxes import seller_settings
from domain.context import TenantContext
from domain.errors import ValidationFailed
from domain.queries import mine, touch

FIELDS = [
    "seller_name",
    "seller_address",
    "seller_country",
    "seller_tax_id",
    "reporting_currency",
    "invoice_template",
]


def settings_out(row: BillingSettings | None) -> dict[str, Any]:
    """The settings, or the defaults before any PUT."""
    if row is None:
        return {
            "seller_name": None,
            "seller_address": {},
            "seller_country": None,
            "seller_tax_id": None,
            "reporting_currency": "EUR",
            "invoice_template": None,
            "updated_at": None,
        }
    return {name: getattr(row, name) for name in FIELDS} | {"updated_at": row.updated_at.isoformat()}


def read(session: Session, ctx: TenantContext) -> BillingSettings | None:
    ctx.require("billing:read")
    return seller_settings(session, ctx)


def replace(session: Session, ctx: TenantContext, data: SettingsIn) -> BillingSettings:
    ctx.require("billing:settings")
    if data.invoice_template is not None and not session.scalar(
        select(DocumentTemplate.id).where(
            *mine(ctx, DocumentTemplate), DocumentTemplate.key == data.invoice_template
        )
    ):
        raise ValidationFailed.one("invoice_template", "is not the key of a document template of this tenant")
    row = session.scalar(select(BillingSettings).where(*mine(ctx, BillingSettings)).with_for_update())
    before = None
    if row is None:
        row = BillingSettings(tenant_id=ctx.tenant_id, dunning={})
        session.add(row)
    else:
        before = audit.snapshot(row, FIELDS)
    row.seller_name = data.seller_name
    row.seller_address = data.seller_address.model_dump(exclude_none=True)
    row.seller_country = data.seller_country
    row.seller_tax_id = data.seller_tax_id
    row.reporting_currency = data.reporting_currency
    row.invoice_template = data.invoice_template
    touch(session, row)
    changes = audit.diff(before, audit.snapshot(row, FIELDS))
    audit.record(session, ctx, "billing_settings.updated", "billing_settings", row.id, changes)
    return row

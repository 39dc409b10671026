"""Customers and products: create, read, list, change, soft delete; every change audited.

Reads need ``billing:read``, writes ``billing:write``. A customer's ETag is its ``version``, which
grows with every change; a PATCH with a stale If-Match is a 412.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models.billing import BillingCustomer, Product
from db.models.entities import Entity, EntityType
from domain.audit import service as audit
from domain.billing.catalog import rows
from domain.billing.catalog.schemas import CustomerIn, CustomerPatch, EntityLink, ProductIn, ProductPatch
from domain.billing.money import to_text
from domain.context import TenantContext
from domain.errors import Conflict, FieldError, ValidationFailed
from domain.preconditions import check_if_match
from domain.queries import get_or_404, mine, touch

CUSTOMER_FIELDS = [
    "name",
    "email",
    "currency",
    "country",
    "region",
    "address",
    "tax_ids",
    "locale",
    "payment_terms_days",
    "entity_type",
    "entity_id",
    "metadata_",
]
PRODUCT_FIELDS = ["name", "tax_category", "description", "active"]


# -- customers ----------------------------------------------------------------------------------


def customer_etag(customer: BillingCustomer) -> str:
    return '"' + hashlib.sha256(f"{customer.id}:{customer.version}".encode()).hexdigest()[:32] + '"'


def customer_out(c: BillingCustomer) -> dict[str, Any]:
    entity = {"type": c.entity_type, "id": str(c.entity_id)} if c.entity_type and c.entity_id else None
    return rows.out(
        c,
        *("name", "email", "currency", "address", "tax_ids", "locale", "payment_terms_days"),
        entity=entity,
        credit=to_text(c.credit_minor, c.currency),
        metadata=c.metadata_,
        version=c.version,
    )


def _check_entity(session: Session, ctx: TenantContext, link: EntityLink | None) -> None:
    """The linked record must be a live record of this tenant, of the type named."""
    if link is None:
        return
    found = session.scalar(
        select(Entity.id)
        .join(EntityType, EntityType.id == Entity.type_id)
        .where(*mine(ctx, Entity), *mine(ctx, EntityType), Entity.id == link.id, EntityType.name == link.type)
    )
    if found is None:
        raise ValidationFailed.one("entity", f"is not a live {link.type} record of this tenant")


def get_customer(session: Session, ctx: TenantContext, customer_id: uuid.UUID) -> BillingCustomer:
    return rows.read(session, ctx, BillingCustomer, customer_id, "customer")


def list_customers(
    session: Session,
    ctx: TenantContext,
    *,
    email: str | None = None,
    currency: str | None = None,
    country: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[BillingCustomer], str | None]:
    """Newest first; ``email`` matches whatever its case."""
    where = [func.lower(BillingCustomer.email) == email.strip().lower()] if email else []
    equal = {"currency": currency and currency.upper(), "country": country and country.upper()}
    return rows.page_of(session, ctx, BillingCustomer, *where, equal=equal, limit=limit, cursor=cursor)


def create_customer(session: Session, ctx: TenantContext, data: CustomerIn) -> BillingCustomer:
    ctx.require("billing:write")
    _check_entity(session, ctx, data.entity)
    customer = BillingCustomer(tenant_id=ctx.tenant_id, credit_minor=0, version=1, stripe_customer_id=None)
    _apply_customer(customer, data, set(CustomerIn.model_fields))  # defaults count as sent
    return rows.add_audited(session, ctx, customer, "customer", CUSTOMER_FIELDS)


def _apply_customer(customer: BillingCustomer, data: CustomerIn | CustomerPatch, sent: set[str]) -> None:
    """Copy the ``sent`` fields; a null for a required one was refused before."""
    if "name" in sent and data.name is not None:
        customer.name = data.name
    if "email" in sent and data.email is not None:
        customer.email = str(data.email)
    if "currency" in sent and data.currency is not None:
        customer.currency = data.currency
    if "address" in sent and data.address is not None:
        customer.address = data.address.model_dump(exclude_none=True)
        customer.country = data.address.country
        customer.region = data.address.region
    if "tax_ids" in sent:
        customer.tax_ids = [t.model_dump() for t in data.tax_ids or []]
    if "locale" in sent and data.locale is not None:
        customer.locale = data.locale
    if "payment_terms_days" in sent and data.payment_terms_days is not None:
        customer.payment_terms_days = data.payment_terms_days
    if "entity" in sent:
        customer.entity_type = data.entity.type if data.entity else None
        customer.entity_id = data.entity.id if data.entity else None
    if "metadata" in sent:
        customer.metadata_ = dict(data.metadata or {})


_REQUIRED = ("name", "email", "currency", "address", "locale", "payment_terms_days")


def patch_customer(
    session: Session,
    ctx: TenantContext,
    customer_id: uuid.UUID,
    data: CustomerPatch,
    *,
    if_match: str | None,
) -> BillingCustomer:
    """Change the fields sent. The currency may change only while the customer holds no credit:
    invoices in the old currency are checked by the invoices work, which tightens this rule."""
    ctx.require("billing:write")
    customer = get_or_404(session, ctx, BillingCustomer, customer_id, "customer", for_update=True)
    check_if_match(if_match, customer_etag(customer))
    sent = set(data.model_fields_set)
    nulls = [f for f in _REQUIRED if f in sent and getattr(data, f) is None]
    if nulls:
        raise ValidationFailed([FieldError(f, "cannot be null") for f in nulls])
    if "entity" in sent:
        _check_entity(session, ctx, data.entity)
    if data.currency is not None and data.currency != customer.currency and customer.credit_minor != 0:
        raise Conflict(
            "The currency cannot change while the customer holds a credit in "
            f"{customer.currency} ({to_text(customer.credit_minor, customer.currency)}).",
            {"field": "currency"},
        )
    before = audit.snapshot(customer, CUSTOMER_FIELDS)
    _apply_customer(customer, data, sent)
    changes = audit.diff(before, audit.snapshot(customer, CUSTOMER_FIELDS))
    if changes:
        customer.version += 1
        touch(session, customer)
        audit.record(session, ctx, "customer.updated", "customer", customer.id, changes)
    return customer


def delete_customer(
    session: Session, ctx: TenantContext, customer_id: uuid.UUID, *, if_match: str | None = None
) -> BillingCustomer:
    """Soft delete: gone from lists and reads; invoices already written keep their copy."""
    ctx.require("billing:write")
    customer = get_or_404(session, ctx, BillingCustomer, customer_id, "customer", for_update=True)
    check_if_match(if_match, customer_etag(customer))
    customer.deleted_at = datetime.now(UTC)
    customer.version += 1
    session.flush()
    audit.record(session, ctx, "customer.deleted", "customer", customer.id, {"deleted": True})
    return customer


# -- products -----------------------------------------------------------------------------------


def product_out(p: Product) -> dict[str, Any]:
    return rows.out(p, "name", "tax_category", "description", "active")


def get_product(session: Session, ctx: TenantContext, product_id: uuid.UUID) -> Product:
    return rows.read(session, ctx, Product, product_id, "product")


def list_products(
    session: Session,
    ctx: TenantContext,
    *,
    active: bool | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[Product], str | None]:
    return rows.page_of(session, ctx, Product, active=active, limit=limit, cursor=cursor)


def create_product(session: Session, ctx: TenantContext, data: ProductIn) -> Product:
    ctx.require("billing:write")
    product = Product(tenant_id=ctx.tenant_id, **data.model_dump(), active=True)
    return rows.add_audited(session, ctx, product, "product", PRODUCT_FIELDS)


def patch_product(session: Session, ctx: TenantContext, product_id: uuid.UUID, data: ProductPatch) -> Product:
    ctx.require("billing:write")
    product = get_or_404(session, ctx, Product, product_id, "product", for_update=True)
    rows.patch_fields(
        session,
        ctx,
        product,
        data,
        "product",
        PRODUCT_FIELDS,
        settable=("name", "tax_category", "description", "active"),
        required=("name", "tax_category", "active"),
    )
    return product


def delete_product(session: Session, ctx: TenantContext, product_id: uuid.UUID) -> Product:
    """Soft delete: its prices stay readable (invoices point at them) but it sells no more."""
    ctx.require("billing:write")
    product = get_or_404(session, ctx, Product, product_id, "product", for_update=True)
    rows.deactivate_and_delete(session, ctx, product, "product")
    return product

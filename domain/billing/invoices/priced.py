"""What invoices and quotes share: both are priced from the same lines for one customer, keep each
line's input to price it again, carry a ``version`` for their ETag, and are deleted only as drafts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from db.models.billing import BillingCustomer
from db.models.invoices import Invoice
from db.models.quotes import Quote
from domain.audit import service as audit
from domain.billing.catalog import taxes
from domain.billing.invoices.lines import price_lines
from domain.billing.invoices.schemas import LineIn
from domain.context import TenantContext
from domain.errors import Conflict, ValidationFailed
from domain.preconditions import check_if_match
from domain.queries import find, touch

PricedDocument = Invoice | Quote
D = TypeVar("D", Invoice, Quote)


def etag_of(doc: PricedDocument) -> str:
    return f'"{doc.id.hex[:12]}-{doc.version}"'


def customer_of(
    session: Session, ctx: TenantContext, customer_id: uuid.UUID, *, lock: bool = False
) -> BillingCustomer:
    """The customer named in a request body: another tenant's (or a deleted one) is a 422 on ``customer``."""
    found = find(session, ctx, BillingCustomer, customer_id, for_update=lock)
    if found is None:
        raise ValidationFailed.one("customer", "is not a customer of this tenant")
    return found


def stored_inputs(doc: PricedDocument) -> list[LineIn]:
    """The lines as they were given, to price them again (today's taxes, another customer)."""
    return [LineIn.model_validate(line["input"]) for line in doc.lines]


def price(
    session: Session, ctx: TenantContext, doc: PricedDocument, customer: BillingCustomer, lines: list[LineIn]
) -> None:
    """Price ``lines`` for ``customer`` into the document: its lines (each with its input), taxes,
    mentions and totals, in the customer's currency."""
    priced = price_lines(session, ctx, customer, lines, taxes.seller_settings(session, ctx))
    for stored, given in zip(priced.lines, lines, strict=True):
        stored["input"] = given.model_dump(mode="json", exclude_none=True)
    doc.customer_id = customer.id
    doc.currency = customer.currency
    doc.lines = priced.lines
    doc.tax_breakdown = priced.breakdown
    doc.mentions = priced.mentions
    doc.subtotal_minor = priced.subtotal
    doc.tax_minor = priced.tax
    doc.total_minor = priced.total


def _only_a_draft(doc: PricedDocument, kind: str, can: str, instead: str | None) -> None:
    if doc.status != "draft":
        hint = f" ({instead})" if instead else ""
        raise Conflict(f"The {kind} is {doc.status}: only a draft can {can}{hint}.")


def check_editable(
    doc: PricedDocument, if_match: str | None, kind: str, *, instead: str | None = None
) -> None:
    """A change to a draft the caller read: a stale If-Match is a 412; anything but a draft is a 409,
    naming what to do ``instead``."""
    check_if_match(if_match, etag_of(doc))
    _only_a_draft(doc, kind, "change", instead)


def reprice(
    session: Session,
    ctx: TenantContext,
    doc: PricedDocument,
    customer_id: uuid.UUID | None,
    lines: list[LineIn] | None,
) -> None:
    """The draft priced again for the customer and lines sent, its own where none were sent."""
    customer = customer_of(session, ctx, customer_id or doc.customer_id)
    price(session, ctx, doc, customer, lines or stored_inputs(doc))


def new_draft(
    session: Session,
    ctx: TenantContext,
    model: type[D],
    customer_id: uuid.UUID,
    lines: list[LineIn],
    **fields: Any,
) -> D:
    """A new draft with ``fields``, priced for the customer (a bad line is a 422 and nothing is
    added to the session)."""
    customer = customer_of(session, ctx, customer_id)
    doc = model(
        id=uuid.uuid4(), tenant_id=ctx.tenant_id, status="draft", version=0, created_by=ctx.actor_id, **fields
    )
    price(session, ctx, doc, customer, lines)
    return doc


def record_change(
    session: Session, ctx: TenantContext, doc: PricedDocument, kind: str, action: str, diff: dict[str, Any]
) -> None:
    """A new version (a new ETag), flushed, and its audit row."""
    doc.version += 1
    touch(session, doc)
    audit.record(session, ctx, action, kind, doc.id, diff)


def delete_draft(
    session: Session, ctx: TenantContext, doc: PricedDocument, kind: str, *, instead: str | None = None
) -> None:
    """Soft delete (gone from reads and lists), for a draft only: anything else is a 409, naming what
    to do ``instead``."""
    _only_a_draft(doc, kind, "be deleted", instead)
    doc.deleted_at = datetime.now(UTC)
    doc.version += 1
    session.flush()
    audit.record(session, ctx, f"{kind}.deleted", kind, doc.id, {"deleted": [False, True]})

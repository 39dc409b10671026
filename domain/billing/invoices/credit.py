"""A customer's account credit (overpayments, credit notes beyond what was due; applied at finalize,
given back by a refund): each move under the customer's row lock, audited on the customer with its
before and after, and the invoice that caused it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from db.models.billing import BillingCustomer
from domain.audit import service as audit
from domain.context import TenantContext
from domain.queries import get_or_404


def locked_customer(session: Session, ctx: TenantContext, customer_id: uuid.UUID) -> BillingCustomer:
    """The invoice's or payment's customer under its row lock."""
    return get_or_404(session, ctx, BillingCustomer, customer_id, "customer", for_update=True)


def move(
    session: Session,
    ctx: TenantContext,
    customer: BillingCustomer,
    minor: int,
    action: str,
    invoice_id: uuid.UUID | None = None,
) -> None:
    """Add ``minor`` (negative: take it) to the locked customer's credit, audited as ``action``."""
    customer.credit_minor += minor
    change: dict[str, Any] = {"credit_minor": [customer.credit_minor - minor, customer.credit_minor]}
    if invoice_id is not None:
        change["invoice_id"] = str(invoice_id)
    audit.record(session, ctx, action, "customer", customer.id, change)

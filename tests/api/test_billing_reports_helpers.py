"""Set-up for the billing report tests (no tests here): invoices, credit notes, payments, refunds and
exchange rates written straight into the tenant's tables, on chosen days."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from db.models.billing import FxRate
from db.models.invoices import CreditNote, Invoice, InvoicePayment
from db.models.stripe import PaymentRefund
from db.session import tenant_session
from tests.api.invoice_helpers import customer


def tax_line(
    net: int,
    tax: int,
    *,
    name: str = "TVA 20%",
    pct: str = "20",
    rate_id: uuid.UUID | None = None,
    rc: bool = False,
) -> dict[str, Any]:
    return {
        "rate_id": str(rate_id) if rate_id else None,
        "name": name,
        "percentage": pct,
        "inclusive": False,
        "reverse_charge": rc,
        "mention": None,
        "taxable_minor": net,
        "tax_minor": tax,
    }


def invoice(
    engine: Engine,
    tenant_id: uuid.UUID,
    customer_id: uuid.UUID,
    issued_on: date,
    taxes: list[dict[str, Any]],
    *,
    currency: str = "EUR",
    status: str = "open",
    due_on: date | None = None,
    credit_applied: int = 0,
    closed_at: datetime | None = None,
) -> uuid.UUID:
    subtotal = sum(t["taxable_minor"] for t in taxes)
    tax = sum(t["tax_minor"] for t in taxes)
    row = Invoice(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        customer_id=customer_id,
        number=None if status == "draft" else f"INV-{uuid.uuid4().hex[:12]}",
        status=status,
        currency=currency,
        lines=[],
        tax_breakdown=taxes,
        mentions=[],
        subtotal_minor=subtotal,
        tax_minor=tax,
        total_minor=subtotal + tax,
        amount_paid_minor=credit_applied,
        credit_applied_minor=credit_applied,
        credited_minor=0,
        issued_on=None if status == "draft" else issued_on,
        due_on=None if status == "draft" else (due_on or issued_on),
        finalized_at=None
        if status == "draft"
        else datetime(issued_on.year, issued_on.month, issued_on.day, tzinfo=UTC),
        closed_at=closed_at,
    )
    with tenant_session(engine, tenant_id) as s:
        s.add(row)
    return row.id


def credit_note(
    engine: Engine,
    tenant_id: uuid.UUID,
    invoice_id: uuid.UUID,
    customer_id: uuid.UUID,
    issued_on: date,
    taxes: list[dict[str, Any]],
    *,
    currency: str = "EUR",
    to_credit: int = 0,
) -> uuid.UUID:
    subtotal = sum(t["taxable_minor"] for t in taxes)
    tax = sum(t["tax_minor"] for t in taxes)
    row = CreditNote(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        invoice_id=invoice_id,
        customer_id=customer_id,
        number=f"CN-{uuid.uuid4().hex[:12]}",
        currency=currency,
        reason="Goodwill",
        lines=[],
        tax_breakdown=taxes,
        subtotal_minor=subtotal,
        tax_minor=tax,
        total_minor=subtotal + tax,
        to_customer_credit_minor=to_credit,
        issued_on=issued_on,
    )
    with tenant_session(engine, tenant_id) as s:
        s.add(row)
    return row.id


def payment(
    engine: Engine,
    tenant_id: uuid.UUID,
    invoice_id: uuid.UUID,
    customer_id: uuid.UUID,
    amount: int,
    received_at: datetime,
    *,
    currency: str = "EUR",
    applied: int | None = None,
) -> uuid.UUID:
    row = InvoicePayment(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        invoice_id=invoice_id,
        customer_id=customer_id,
        amount_minor=amount,
        applied_minor=amount if applied is None else applied,
        to_credit_minor=0 if applied is None else amount - applied,
        currency=currency,
        method="manual",
        status="succeeded",
        received_at=received_at,
    )
    with tenant_session(engine, tenant_id) as s:
        s.add(row)
    return row.id


def refund(
    engine: Engine,
    tenant_id: uuid.UUID,
    payment_id: uuid.UUID,
    invoice_id: uuid.UUID,
    amount: int,
    created_at: datetime,
    *,
    currency: str = "EUR",
) -> None:
    row = PaymentRefund(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        payment_id=payment_id,
        invoice_id=invoice_id,
        amount_minor=amount,
        from_invoice_minor=amount,
        from_credit_minor=0,
        currency=currency,
        created_at=created_at,
    )
    with tenant_session(engine, tenant_id) as s:
        s.add(row)


def fx(engine: Engine, tenant_id: uuid.UUID, base: str, quote: str, rate: str, on: date) -> None:
    with tenant_session(engine, tenant_id) as s:
        s.add(FxRate(tenant_id=tenant_id, base=base, quote=quote, rate=Decimal(rate), on_date=on))


def buyer(engine: Engine, tenant_id: uuid.UUID, name: str, **extra: Any) -> uuid.UUID:
    return customer(engine, tenant_id, name=name, **extra)


def minor(text: str, places: int = 2) -> int:
    return int(Decimal(text).scaleb(places))

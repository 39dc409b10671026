"""Invoices, credit notes, payments received and the tenant's gapless number series.

Amounts are integer minor units of the invoice's currency. Lines are stored with the invoice (they
are replaced as a whole while it is a draft and frozen once it is finalized).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned, parent_key


class PricedLines:
    """The columns of a document priced from lines (an invoice, a quote): its status, currency, the
    lines as priced (each with the input it came from), the tax breakdown, legal mentions, totals."""

    status: Mapped[str] = mapped_column(String(20), default="draft")
    currency: Mapped[str] = mapped_column(String(3))
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    tax_breakdown: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    mentions: Mapped[list[str]] = mapped_column(JSONB, default=list)
    subtotal_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    total_minor: Mapped[int] = mapped_column(BigInteger, default=0)


class Invoice(Base, TenantOwned, PricedLines):
    """A draft, then (finalized) an open invoice with its number, then paid, void or uncollectible."""

    __tablename__ = "invoices"
    __table_args__ = (
        Index(
            "uq_invoices_number",
            "tenant_id",
            "number",
            unique=True,
            postgresql_where=text("number IS NOT NULL"),
        ),
        Index("ix_invoices_customer", "tenant_id", "customer_id"),
        Index("ix_invoices_status", "tenant_id", "status"),
    )

    customer_id: Mapped[uuid.UUID] = parent_key("customers")
    number: Mapped[str | None] = mapped_column(String(30))
    amount_paid_minor: Mapped[int] = mapped_column(BigInteger, default=0)  # payments and credit applied
    credit_applied_minor: Mapped[int] = mapped_column(BigInteger, default=0)  # customer credit used
    credited_minor: Mapped[int] = mapped_column(BigInteger, default=0)  # credit notes
    due_days: Mapped[int | None] = mapped_column(Integer)
    memo: Mapped[str | None] = mapped_column(String(2000))
    issued_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    finalized_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # void or uncollectible
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    workflow_id: Mapped[str | None] = mapped_column(String(300))
    pdf_document_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # Every change that shows on the PDF bumps ``revision``; the render activity catches up to it.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    rendered_revision: Mapped[int] = mapped_column(Integer, default=0)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)  # dunning reminders emailed
    version: Mapped[int] = mapped_column(Integer, default=1)  # the ETag
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    subscription_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)  # FK: 0019
    # send_invoice: the customer pays; charge_automatically: Keel charges the saved payment method.
    collection: Mapped[str] = mapped_column(String(30), default="send_invoice", server_default="send_invoice")


class CreditNote(Base, TenantOwned):
    """A numbered credit against a finalized invoice: lines (or one amount) with their tax."""

    __tablename__ = "credit_notes"
    __table_args__ = (UniqueConstraint("tenant_id", "number"),)

    invoice_id: Mapped[uuid.UUID] = parent_key("invoices", index=True)
    customer_id: Mapped[uuid.UUID] = parent_key("customers")
    number: Mapped[str] = mapped_column(String(30))
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(String(500))
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    tax_breakdown: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    subtotal_minor: Mapped[int] = mapped_column(BigInteger)
    tax_minor: Mapped[int] = mapped_column(BigInteger)
    total_minor: Mapped[int] = mapped_column(BigInteger)
    to_customer_credit_minor: Mapped[int] = mapped_column(BigInteger, default=0)  # beyond what was due
    issued_on: Mapped[date] = mapped_column(Date)
    pdf_document_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))  # made once
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class InvoicePayment(Base, TenantOwned):
    """Money received for an invoice; what exceeds its amount due becomes the customer's credit."""

    __tablename__ = "payments"
    __table_args__ = (
        Index(
            "uq_payments_reference",
            "tenant_id",
            "reference",
            unique=True,
            postgresql_where=text("reference IS NOT NULL"),
        ),
        # Stripe's charge events name the intent only: its tenant is found by it (0021).
        Index("ix_payments_stripe_reference", "reference", postgresql_where=text("method = 'stripe'")),
    )

    invoice_id: Mapped[uuid.UUID | None] = parent_key("invoices", index=True)
    customer_id: Mapped[uuid.UUID] = parent_key("customers")
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    applied_minor: Mapped[int] = mapped_column(BigInteger)  # to the invoice
    to_credit_minor: Mapped[int] = mapped_column(BigInteger, default=0)  # the overpayment
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[str] = mapped_column(String(20))  # manual | bank_transfer
    reference: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="succeeded")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class NumberSeries(Base, TenantOwned):
    """The last number given in one of the tenant's series (``INV-2026``, ``CN-2026``)."""

    __tablename__ = "number_series"
    __table_args__ = (UniqueConstraint("tenant_id", "series"),)

    series: Mapped[str] = mapped_column(String(30))
    last_value: Mapped[int] = mapped_column(BigInteger, default=0)

"""Card payments through Stripe: the PaymentIntent made for an invoice's amount due, and refunds of
payments received (through Stripe for a card payment, recorded only for a manual one)."""

from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, Index, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned, parent_key


class StripePaymentIntent(Base, TenantOwned):
    """A PaymentIntent for one invoice and one amount due; the client secret stays at Stripe."""

    __tablename__ = "payment_intents"
    __table_args__ = (
        UniqueConstraint("intent_id"),
        Index("ix_payment_intents_invoice", "tenant_id", "invoice_id", "amount_minor"),
    )

    invoice_id: Mapped[uuid.UUID] = parent_key("invoices")
    intent_id: Mapped[str] = mapped_column(String(255))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(40))  # Stripe's: requires_payment_method … succeeded
    payment_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))  # once it succeeded


class InvoiceCharge(Base, TenantOwned):
    """One automatic charge of an invoice's saved payment method. The row is written (``pending``)
    before Stripe is called, so a charge retried after a crash finds its first try and never charges
    the customer twice."""

    __tablename__ = "invoice_charges"
    __table_args__ = (UniqueConstraint("tenant_id", "invoice_id", "attempt"),)

    invoice_id: Mapped[uuid.UUID] = parent_key("invoices")
    attempt: Mapped[int] = mapped_column(Integer)  # 0 the first charge, then each retry
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    idempotency_key: Mapped[str] = mapped_column(String(255))
    payment_method_id: Mapped[str | None] = mapped_column(String(255))
    intent_id: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20))  # pending | succeeded | failed
    failure_code: Mapped[str | None] = mapped_column(String(100))
    failure_message: Mapped[str | None] = mapped_column(String(500))
    payment_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))  # once it succeeded


class PaymentRefund(Base, TenantOwned):
    """Money given back from a payment: first from what it paid on the invoice, then from the
    customer's credit its overpayment left."""

    __tablename__ = "payment_refunds"

    payment_id: Mapped[uuid.UUID] = parent_key("payments", index=True)
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    from_invoice_minor: Mapped[int] = mapped_column(BigInteger)
    from_credit_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str | None] = mapped_column(String(500))
    stripe_refund_id: Mapped[str | None] = mapped_column(String(255))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))

"""Quotes: priced offers sent to a customer, accepted (then invoiced) or declined on a public page.

Amounts are integer minor units of the customer's currency; lines are stored priced, exactly as an
invoice stores them, with the input each came from.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, Integer, String
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned, parent_key
from db.models.invoices import PricedLines


class Quote(Base, TenantOwned, PricedLines):
    """A draft, then sent; then accepted (with its invoice), declined or expired."""

    __tablename__ = "quotes"
    __table_args__ = (
        Index("uq_quotes_number", "tenant_id", "number", unique=True),
        Index("ix_quotes_customer", "tenant_id", "customer_id"),
        Index("ix_quotes_status", "tenant_id", "status"),
    )

    customer_id: Mapped[uuid.UUID] = parent_key("customers")
    number: Mapped[str] = mapped_column(String(30))
    valid_until: Mapped[date] = mapped_column(Date)
    memo: Mapped[str | None] = mapped_column(String(2000))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    declined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decline_reason: Mapped[str | None] = mapped_column(String(500))
    expired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    invoice_number: Mapped[str | None] = mapped_column(String(30))
    pdf_document_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    version: Mapped[int] = mapped_column(Integer, default=1)  # the ETag
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))

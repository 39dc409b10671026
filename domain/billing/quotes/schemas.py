"""Quotes: what the API accepts and answers. Lines are invoice lines (``LineIn``), priced the same way;
amounts are decimal strings in the customer's currency."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from domain.billing.invoices.schemas import MAX_LINES, LineIn, PricedOut, Strict, Text

STATUSES = ("draft", "sent", "accepted", "declined", "expired")
Status = Literal["draft", "sent", "accepted", "declined", "expired"]
MAX_VALID_DAYS = 366  # a quote is an offer for a while, not for ever


class QuoteIn(Strict):
    customer: uuid.UUID
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_LINES)
    valid_until: date = Field(description="the last day the customer may accept (through its end, UTC)")
    memo: str | None = Field(default=None, max_length=2000)


class QuotePatch(Strict):
    """Only the fields sent change; ``lines`` replace the draft's lines as a whole."""

    customer: uuid.UUID | None = None
    lines: list[LineIn] | None = Field(default=None, min_length=1, max_length=MAX_LINES)
    valid_until: date | None = None
    memo: str | None = Field(default=None, max_length=2000)


class DeclineIn(Strict):
    reason: Text | None = None


class QuoteOut(PricedOut):
    id: uuid.UUID
    number: str
    status: Status
    customer: uuid.UUID
    mentions: list[str]
    memo: str | None
    valid_until: date
    sent_at: datetime | None
    accepted_at: datetime | None
    declined_at: datetime | None
    decline_reason: str | None
    invoice_id: uuid.UUID | None
    invoice_number: str | None
    pdf_document_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class SellerOut(BaseModel):
    name: str
    address: list[str]
    tax_id: str | None


class PublicQuoteOut(PricedOut):
    """What the customer sees through the quote's link."""

    number: str
    status: Status
    seller: SellerOut
    customer_name: str
    mentions: list[str]
    memo: str | None
    valid_until: date
    can_answer: bool = Field(description="true while the quote may be accepted or declined")
    invoice_number: str | None


class AcceptedOut(BaseModel):
    status: Literal["accepted"]
    invoice_number: str | None


class DeclinedOut(BaseModel):
    status: Literal["declined"]

"""Invoices, credit notes and payments: what the API accepts and answers, and what the invoice
workflow carries. Amounts are decimal strings in the invoice's currency ("12.30", "500" for JPY).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from domain.billing.schemas import AmountText, QuantityText

MAX_LINES = 200
STATUSES = ("draft", "open", "paid", "void", "uncollectible")
Status = Literal["draft", "open", "paid", "void", "uncollectible"]


def _int_as_text(value: Any) -> Any:
    """A JSON integer is taken as its decimal text; a float is refused (binary fractions are not exact)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


# money's decimal strings, a JSON integer taken as one too.
Quantity = Annotated[QuantityText, BeforeValidator(_int_as_text)]
Amount = Annotated[AmountText, BeforeValidator(_int_as_text)]
Percent = Annotated[
    str,
    BeforeValidator(_int_as_text),
    StringConstraints(pattern=r"^(100(\.0{1,4})?|[0-9]{1,2}(\.[0-9]{1,4})?)$", max_length=8),
]
Category = Annotated[str, StringConstraints(to_lower=True, pattern=r"^[a-z0-9][a-z0-9_-]{0,49}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LineIn(Strict):
    """A catalogue price, or a description with a unit amount (never both)."""

    price: uuid.UUID | None = None
    description: Text | None = Field(default=None, description="required without a price; overrides its name")
    unit_amount: Amount | None = Field(default=None, description="without a price: in the invoice's currency")
    quantity: Quantity | None = Field(
        default=None,
        description="non-negative decimal (at most 6 decimals); 1 when left out, except for "
        "a recurring or usage price, which needs it",
    )
    discount_percent: Percent | None = Field(default=None, description="0 to 100, at most 4 decimals")
    tax_category: Category | None = Field(default=None, description="else the product's, else standard")


Collection = Literal["send_invoice", "charge_automatically"]
COLLECTION_HELP = (
    "send_invoice (the default): the customer pays; charge_automatically: Keel charges the customer's "
    "saved payment method when the invoice is finalized, and retries on the tenant's dunning schedule"
)


class InvoiceIn(Strict):
    customer: uuid.UUID
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_LINES)
    due_days: int | None = Field(default=None, ge=0, le=365, description="else the customer's payment terms")
    memo: str | None = Field(default=None, max_length=2000)
    collection: Collection = Field(default="send_invoice", description=COLLECTION_HELP)


class InvoicePatch(Strict):
    """Only the fields sent change; ``lines`` replace the draft's lines as a whole."""

    customer: uuid.UUID | None = None
    lines: list[LineIn] | None = Field(default=None, min_length=1, max_length=MAX_LINES)
    due_days: int | None = Field(default=None, ge=0, le=365)
    memo: str | None = Field(default=None, max_length=2000)
    collection: Collection | None = None


class PaymentIn(Strict):
    amount: Amount = Field(description="positive, in the invoice's currency")
    method: Literal["manual", "bank_transfer"]
    reference: Text | None = Field(default=None, description="unique in the tenant: a second use is a 409")
    received_at: datetime | None = Field(default=None, description="RFC 3339; now when left out")


class CreditLineIn(Strict):
    line: int = Field(ge=0, lt=MAX_LINES, description="index of the invoice line (from 0)")
    quantity: Quantity = Field(description="how much of that line's quantity is credited")


class CreditNoteIn(Strict):
    """Either ``lines`` (quantities of invoice lines, their tax credited alike) or one gross ``amount``
    (its tax split over the invoice's tax rates in proportion to their share of the total)."""

    lines: list[CreditLineIn] | None = Field(default=None, min_length=1, max_length=MAX_LINES)
    amount: Amount | None = None
    reason: Text

    @model_validator(mode="after")
    def _one_of(self) -> CreditNoteIn:
        if (self.lines is None) == (self.amount is None):
            raise ValueError("give either lines or amount")
        return self


class ReasonIn(Strict):
    reason: Text | None = None


class TaxLineOut(BaseModel):
    name: str
    percentage: str
    inclusive: bool
    reverse_charge: bool
    taxable_amount: str
    tax: str


class LineOut(BaseModel):
    description: str
    price: uuid.UUID | None
    product: uuid.UUID | None
    quantity: str
    unit_amount: str
    discount_percent: str
    tax_category: str
    amount: str = Field(
        description="unit times quantity less the discount, as priced (tax included if inclusive)"
    )
    net: str
    tax: str
    tax_name: str
    tax_percentage: str
    tax_inclusive: bool
    reverse_charge: bool


class PricedOut(BaseModel):
    """An invoice's or quote's currency, priced lines, taxes and totals."""

    currency: str
    lines: list[LineOut]
    subtotal: str
    tax_breakdown: list[TaxLineOut]
    tax: str
    total: str


class CreditNoteOut(BaseModel):
    id: uuid.UUID
    number: str
    invoice_id: uuid.UUID
    currency: str
    reason: str
    lines: list[dict[str, Any]]
    subtotal: str
    tax_breakdown: list[TaxLineOut]
    total: str
    to_customer_credit: str
    issued_on: date
    pdf_document_id: uuid.UUID | None
    created_at: datetime


class InvoiceOut(PricedOut):
    id: uuid.UUID
    number: str | None
    status: Status
    customer: uuid.UUID
    amount_paid: str
    credit_applied: str
    amount_credited: str
    amount_due: str
    mentions: list[str]
    memo: str | None
    due_days: int | None
    collection: Collection
    issued_on: date | None
    due_on: date | None
    paid_at: datetime | None
    sent_at: datetime | None
    pdf_document_id: uuid.UUID | None
    payment_url: str | None
    credit_notes: list[CreditNoteOut]
    created_at: datetime
    updated_at: datetime


class PaymentOut(BaseModel):
    id: uuid.UUID
    invoice_id: uuid.UUID | None
    customer: uuid.UUID
    amount: str
    applied: str = Field(description="what paid the invoice")
    to_credit: str = Field(description="the overpayment, added to the customer's credit")
    currency: str
    method: str
    reference: str | None
    status: str
    received_at: datetime
    created_at: datetime


# -- the invoice workflow -------------------------------------------------------------------------


class InvoiceRef(BaseModel):
    tenant_id: uuid.UUID
    invoice_id: uuid.UUID


class InvoiceRun(BaseModel):
    tenant_id: uuid.UUID
    invoice_id: uuid.UUID
    due_at: datetime  # the due date's start (UTC): the overdue timer fires then
    collection: str = "send_invoice"  # the default: runs started before collection existed


class ChargeStep(BaseModel):
    tenant_id: uuid.UUID
    invoice_id: uuid.UUID
    attempt: int  # 0 at finalization, then each retry


class InvoiceStep(BaseModel):
    """What an activity found: the invoice's status, and the dunning policy once it is overdue."""

    status: str
    reminders_seconds: list[int] = Field(default_factory=list)  # after the due date
    final_notice_seconds: int | None = None
    then: Literal["mark_uncollectible", "notify"] | None = None
    retries_seconds: list[int] = Field(default_factory=list)  # automatic charges, after the first


class ReminderStep(BaseModel):
    tenant_id: uuid.UUID
    invoice_id: uuid.UUID
    round: int  # 1.. for reminders; 0 for the final notice
    then: Literal["mark_uncollectible", "notify"] | None = None  # after the final notice

"""What the Stripe routes take and answer."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from domain.billing.invoices.schemas import Amount

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class PaymentLinkOut(BaseModel):
    payment_intent_id: str
    client_secret: str | None = Field(description="for Stripe.js (confirmCardPayment) in the payer's browser")
    amount: str = Field(description="the invoice's amount due when the link was made")
    currency: str
    status: str = Field(description="the PaymentIntent's status at Stripe")
    url: str | None = Field(default=None, description="a hosted payment page, when there is one")


class RefundIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: Amount | None = Field(
        default=None, description="in the payment's currency; all that is not refunded yet when left out"
    )
    reason: Reason | None = None


class RefundOut(BaseModel):
    id: str
    payment_id: str
    invoice_id: str | None
    amount: str
    from_invoice: str = Field(description="taken off the invoice's amount paid (its amount due grows)")
    from_credit: str = Field(description="taken off the customer's credit the payment's overpayment left")
    currency: str
    reason: str | None
    stripe_refund_id: str | None
    payment_status: str = Field(description="partially_refunded or refunded")
    created_at: str


class EventOutcome(BaseModel):
    outcome: str = Field(
        description="applied, duplicate, ignored (not Keel's), or unapplied (the invoice was paid or voided "
        "meanwhile: audited as payment_intent.unapplied on the invoice, to refund at Stripe)"
    )


class PublicInvoiceOut(BaseModel):
    """An invoice as its payer reads it through the payment link."""

    seller: str
    number: str | None
    status: str
    currency: str
    total: str
    amount_due: str
    due_on: str | None
    payable: bool = Field(description="open (or uncollectible) with an amount due: a card can pay it")
    has_pdf: bool


class PaymentMethodIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    payment_method: str = Field(
        pattern=r"^pm_[A-Za-z0-9_]{1,200}$",
        description="a Stripe PaymentMethod id (pm_…), e.g. from Stripe.js after the setup intent",
        examples=["pm_1PqR2sT3uV4wX5yZ"],
    )


class PaymentMethodOut(BaseModel):
    id: str
    type: str
    brand: str | None
    last4: str | None
    exp_month: int | None
    exp_year: int | None


class SetupIntentOut(BaseModel):
    setup_intent_id: str
    client_secret: str | None = Field(
        description="for Stripe.js (confirmCardSetup) in the customer's browser"
    )
    status: str

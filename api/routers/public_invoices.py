"""The payer's endpoints behind ``/pay/{token}``: no bearer, the token in the path is the credential.
It names the tenant, whose session the route opens, and the invoice.

A forged, altered or unknown token (or a draft's) is a 404; asking a paid or void invoice for a
payment intent is a 409. The intent is the one ``POST /invoices/{id}/payment-link`` answers (the same
one while the amount due is unchanged); the payment is recorded by Stripe's webhook, never here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Receive, Scope, Send

from adapters.storage import object_store
from adapters.stripe_gateway import StripeGateway, gateway
from api.billing_answers import pdf_answer
from api.envelope import Envelope, errors, respond, success
from api.signing_signal import PDF_RESPONSE
from db.session import tenant_session
from domain.billing.invoices import pay_page, pdf
from domain.billing.stripe import service
from domain.billing.stripe.schemas import PaymentLinkOut, PublicInvoiceOut
from keel.settings import Settings

router = APIRouter(prefix="/api/v1/public/invoices", tags=["public invoices"])
TOKEN = "/{token}"
Token = Annotated[str, Path(max_length=512, description="the token of the invoice's payment link")]
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


class PayLinksScope:
    """Every request of this app signs payment_urls with its own settings (secret, public URL)."""

    def __init__(self, app: ASGIApp, links: pay_page.PayLinks | None) -> None:
        self.app, self.links = app, links

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        reset = pay_page.current.set((self.links,))
        try:
            await self.app(scope, receive, send)
        finally:
            pay_page.current.reset(reset)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@contextmanager
def pay_unit(token: str, request: Request) -> Iterator[Session]:
    """A transaction in the tenant the token names (a 404 for a token this server did not sign)."""
    ctx = pay_page.tenant_of(token, secret=_settings(request).require_jwt_secret())
    with tenant_session(request.app.state.engine, ctx.tenant_id) as session:
        yield session


def view(token: str, request: Request) -> dict[str, Any]:
    with pay_unit(token, request) as session:
        return pay_page.view(session, token, secret=_settings(request).require_jwt_secret())


@router.get(
    TOKEN,
    response_model=Envelope[PublicInvoiceOut],
    responses=errors(404),
    summary="The invoice as its payer reads it: seller, number, amount due, due date, payable",
)
def public_invoice(token: Token, request: Request) -> Response:
    return respond(success(view(token, request)), headers=NO_STORE)


@router.get(
    TOKEN + "/pdf",
    response_class=Response,
    responses=PDF_RESPONSE | errors(404, 409),
    summary="The invoice's PDF",
)
def public_invoice_pdf(token: Token, request: Request) -> Response:
    settings = _settings(request)
    with pay_unit(token, request) as session:
        ctx, invoice = pay_page.open_invoice(session, token, secret=settings.require_jwt_secret())
        content = pdf.current_pdf(session, ctx, object_store(settings), invoice)
        name = invoice.number or "invoice"
    return pdf_answer(content, name, NO_STORE)


@router.post(
    TOKEN + "/payment-intent",
    response_model=Envelope[PaymentLinkOut],
    responses=errors(404, 409, 503),
    summary="The Stripe PaymentIntent for the invoice's amount due, for Stripe.js in the payer's page",
    description="The same intent while the amount due is unchanged. 409 for a paid or void invoice; "
    "503 when Stripe is not configured or does not answer.",
)
def public_payment_intent(token: Token, request: Request) -> Response:
    settings = _settings(request)

    def stripe() -> StripeGateway:
        return gateway(settings)

    with pay_unit(token, request) as session:
        ctx, invoice = pay_page.open_invoice(session, token, secret=settings.require_jwt_secret())
        out, _ = service.payment_link(session, ctx, stripe, invoice.id)
    return respond(success(out), headers=NO_STORE)

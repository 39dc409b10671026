"""The payer's endpoints behind ``/pay/{token}``: no bearer, the token in the path is the credential.
It names the tenant, whose session the route opens, and the invoice.

A forged, altered or unknown token (or a draft's) is a 404; asking a paid or void invoice for a
payment intent is a 409. The intent is the one ``POST /invoices/{id}/payment-link`` answers (the same
one while the amount due is unchanged); the payment is recorded by Stripe's webhook, never here.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Receive, Scope, Send

from adapters.storage import object_store
from adapters.stripe_gateway import StripeGateway, gateway
from api.public_links import TOKEN, link_view, no_store, read_routes, settings_of, token_unit
from api.resource_routes import ResourceRoutes
from domain.billing.invoices import pay_page, pdf
from domain.billing.stripe import service
from domain.billing.stripe.schemas import PaymentLinkOut, PublicInvoiceOut
from keel.settings import Settings

router = APIRouter(prefix="/api/v1/public/invoices", tags=["public invoices"])
TOKEN_IS = "the token of the invoice's payment link"
Token = Annotated[str, Path(max_length=512, description=TOKEN_IS)]
link = ResourceRoutes(router, PaymentLinkOut, item=TOKEN, answers=())
"""The link's actions: its token is the credential, so no permission guards them."""


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


def pay_unit(token: str, request: Request) -> AbstractContextManager[Session]:
    """A transaction in the tenant the token names (a 404 for a token this server did not sign)."""
    return token_unit(request, token, pay_page.tenant_of)


view = link_view(pay_page.tenant_of, pay_page.view)


def invoice_pdf(session: Session, token: str, settings: Settings) -> tuple[bytes, str]:
    ctx, invoice = pay_page.open_invoice(session, token, secret=settings.require_jwt_secret())
    return pdf.current_pdf(session, ctx, object_store(settings), invoice), invoice.number or "invoice"


read_routes(
    router,
    "invoice",
    TOKEN_IS,
    model=PublicInvoiceOut,
    tenant_of=pay_page.tenant_of,
    view=view,
    pdf=invoice_pdf,
    summaries=(
        "The invoice as its payer reads it: seller, number, amount due, due date, payable",
        "The invoice's PDF",
    ),
)


@link.post(
    "/payment-intent",
    409,
    503,
    summary="The Stripe PaymentIntent for the invoice's amount due, for Stripe.js in the payer's page",
    description="The same intent while the amount due is unchanged. 409 for a paid or void invoice; "
    "503 when Stripe is not configured or does not answer.",
)
def public_payment_intent(token: Token, request: Request) -> Response:
    settings = settings_of(request)

    def stripe() -> StripeGateway:
        return gateway(settings)

    with pay_unit(token, request) as session:
        ctx, invoice = pay_page.open_invoice(session, token, secret=settings.require_jwt_secret())
        out, _ = service.payment_link(session, ctx, stripe, invoice.id)
    return no_store(out)

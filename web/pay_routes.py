"""The invoice's payment page ``/pay/{token}``: seller, number, amount due, due date, the PDF, and a
card form of Stripe.js. The page asks ``POST /api/v1/public/invoices/{token}/payment-intent`` for the
client secret and confirms the card with Stripe; Stripe's webhook records the payment, never the page.

Its CSP is the pages' own plus exactly Stripe.js's origin (script and frame) and Stripe's API (connect).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from api.routers.public_invoices import view
from keel.settings import Settings
from web import pages
from web.routes import token_page

router = APIRouter(include_in_schema=False)

NOT_FOUND = ("Payment link not found", "Check that the whole link was copied from the email.")
STRIPE_API = "https://api.stripe.com"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def page_csp(settings: Settings) -> str:
    """The pages' CSP with Stripe.js's origin allowed to run, frame the card field and call Stripe."""
    js = _origin(settings.stripe_js_url)
    api = _origin(settings.stripe_api_base) if settings.stripe_api_base else STRIPE_API
    return (
        f"default-src 'self'; img-src 'self' data:; script-src 'self' {js}; style-src 'self'; "
        f"frame-src {js}; connect-src 'self' {api}; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; object-src 'none'"
    )


@router.get("/pay/{token}", response_class=HTMLResponse)
def pay_page(token: str, request: Request) -> HTMLResponse:
    def render(invoice: dict[str, Any]) -> HTMLResponse:
        settings: Settings = request.app.state.settings
        return pages.render(
            "pay.html",
            headers={"Content-Security-Policy": page_csp(settings)},
            invoice=invoice,
            pdf=f"/api/v1/public/invoices/{token}/pdf",
            intent=f"/api/v1/public/invoices/{token}/payment-intent",
            stripe_js=settings.stripe_js_url,
            publishable_key=settings.stripe_publishable_key,
        )

    # Forged, unknown or a draft's: the not-found page, nothing more is said.
    return token_page(token, lambda: view(token, request), render, ("payment", "/pay/{token}"), NOT_FOUND)

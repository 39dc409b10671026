"""The invoice's payment page ``/pay/{token}``: the token is the payer's only credential.

The token carries the tenant and the invoice, with an HMAC keyed from ``KEEL_JWT_SECRET`` through a
key of its own (it can never pass for a quote or signing link). It needs no expiry: the invoice
decides, and a paid or void invoice has nothing to pay. Anything forged or altered reads as None.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from db.models import Tenant
from db.models.invoices import Invoice
from domain import urlsafe
from domain.billing.catalog import taxes
from domain.billing.invoices import views as invoice_views
from domain.billing.money import to_text
from domain.context import TenantContext
from domain.errors import NotFound
from domain.queries import find

PAYABLE = ("open", "uncollectible")
_MAC_BYTES = 20
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{70}")  # (32 + 20 bytes) in unpadded base64url


@dataclass(frozen=True)
class PayLinks:
    """What a payment_url is made of; None until the app configures it (Stripe set up, a secret)."""

    secret: str
    base_url: str


_default: PayLinks | None = None
# Per request, the serving app's own (a process may serve several apps with other settings: tests).
# A 1-tuple: set to (None,) when that app has no Stripe, which must not fall back to the default.
current: ContextVar[tuple[PayLinks | None] | None] = ContextVar("pay_links", default=None)


def links_of(secret: str | None, base_url: str, stripe_configured: bool) -> PayLinks | None:
    """Invoices answer a payment_url only when Stripe can take it and links can be signed."""
    return PayLinks(secret, base_url.rstrip("/")) if secret and stripe_configured else None


def configure(links: PayLinks | None) -> None:
    """The process's default (emails written outside a request use it)."""
    global _default
    _default = links


def _mac(secret: str, body: bytes) -> bytes:
    key = hashlib.sha256(b"keel invoice payment link\x00" + secret.encode()).digest()
    return hmac.new(key, body, hashlib.sha256).digest()[:_MAC_BYTES]


def sign_token(secret: str, tenant_id: uuid.UUID, invoice_id: uuid.UUID) -> str:
    body = tenant_id.bytes + invoice_id.bytes
    return urlsafe.signed(body, partial(_mac, secret))


def read_token(secret: str, token: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    """(tenant, invoice) the token names, or None for anything this key did not sign."""
    if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
        return None
    body = urlsafe.verified(token, 32, partial(_mac, secret))
    if body is None:
        return None
    return uuid.UUID(bytes=body[:16]), uuid.UUID(bytes=body[16:])


def payable(invoice: Invoice) -> bool:
    return invoice.status in PAYABLE and invoice_views.amount_due(invoice) > 0


def payment_url(invoice: Invoice) -> str | None:
    """``{public url}/pay/{token}`` for an invoice with something to pay by card; None otherwise."""
    scoped = current.get()
    links = scoped[0] if scoped is not None else _default
    if links is None or not payable(invoice):
        return None
    return f"{links.base_url}/pay/{sign_token(links.secret, invoice.tenant_id, invoice.id)}"


class PayLinkNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("payment link")


def tenant_of(token: str, *, secret: str) -> TenantContext:
    claims = read_token(secret, token)
    if claims is None:
        raise PayLinkNotFound()
    return TenantContext.system(claims[0])


def open_invoice(session: Session, token: str, *, secret: str) -> tuple[TenantContext, Invoice]:
    """The tenant's context and the invoice the token names; a 404 for anything else (a draft was
    never linked)."""
    claims = read_token(secret, token)
    if claims is None:
        raise PayLinkNotFound()
    tenant = session.get(Tenant, claims[0])
    if tenant is None or not tenant.is_active:
        raise PayLinkNotFound()
    ctx = TenantContext.system(claims[0], tenant.domain)
    invoice = find(session, ctx, Invoice, claims[1])
    if invoice is None or invoice.status == "draft":
        raise PayLinkNotFound()
    return ctx, invoice


def view(session: Session, token: str, *, secret: str) -> dict[str, Any]:
    """What the payer reads: seller, number, amount due, due date, and whether anything is payable."""
    ctx, invoice = open_invoice(session, token, secret=secret)
    seller = taxes.seller_settings(session, ctx)
    c = invoice.currency
    due = invoice_views.amount_due(invoice) if invoice.status != "void" else 0
    return {
        "seller": (seller.seller_name if seller else None) or "your supplier",
        "number": invoice.number,
        "status": invoice.status,
        "currency": c,
        "total": to_text(invoice.total_minor, c),
        "amount_due": to_text(due, c),
        "due_on": invoice.due_on.isoformat() if invoice.due_on else None,
        "payable": payable(invoice),
        "has_pdf": invoice.pdf_document_id is not None,
    }

"""The quote page ``/quotes/{token}``: the quote's lines and totals, its PDF, and Accept / Decline as
plain forms posting to this page's own routes (no script needed), which call the same functions as
the public JSON endpoints and come back to the page (post, redirect, get), which shows the outcome."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from api.routers.public_quotes import accept_quote, decline_quote, view
from domain.errors import DomainError, NotFound
from web import pages
from web.routes import forged, token_page

router = APIRouter(include_in_schema=False)

MAX_REASON = 500
NOT_FOUND = ("Quote not found", "Check that the whole link was copied from the email.")
STATUS_TEXT = {
    "sent": "Awaiting your answer",
    "accepted": "Accepted",
    "declined": "Declined",
    "expired": "Expired",
}


def _page_of(token: str) -> str:
    return f"/quotes/{token}"


@router.get("/quotes/{token}", response_class=HTMLResponse)
def quote_page(token: str, request: Request) -> HTMLResponse:
    def render(quote: dict[str, Any]) -> HTMLResponse:
        return pages.render(
            "quote.html",
            quote=quote,
            status_text=STATUS_TEXT.get(str(quote["status"]), str(quote["status"])),
            page=_page_of(token),
            pdf=f"/api/v1/public/quotes/{token}/pdf",
        )

    # Forged, unknown or malformed: the not-found page, nothing more is said.
    return token_page(token, lambda: view(token, request), render, ("quote", "/quotes/{token}"), NOT_FOUND)


async def _act(token: str, request: Request, accept: bool) -> Response:
    if forged(token):
        return pages.error_page(404, *NOT_FOUND)
    try:
        if accept:
            await accept_quote(token, request)
        else:
            form = await request.form()
            reason = str(form.get("reason") or "").strip()[:MAX_REASON] or None
            await decline_quote(token, reason, request)
    except NotFound:
        return pages.error_page(404, *NOT_FOUND)
    except DomainError:
        pass  # answered already or expired: the page shows the quote's status
    return RedirectResponse(_page_of(token), status_code=303, headers={"Referrer-Policy": "no-referrer"})


@router.post("/quotes/{token}/accept")
async def accept_from_page(token: str, request: Request) -> Response:
    return await _act(token, request, accept=True)


@router.post("/quotes/{token}/decline")
async def decline_from_page(token: str, request: Request) -> Response:
    return await _act(token, request, accept=False)

"""The HTML routes: the signing page ``/sign/{token}`` and the static files its pages load."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, HTMLResponse, Response

from api.errors import status_for
from api.routers.public_signing import signing_unit
from domain.errors import Conflict, DomainError, Gone, Locked
from domain.signing.schemas import SigningView
from domain.signing.service import view_for_token
from web import pages

log = logging.getLogger("keel.web")

router = APIRouter(include_in_schema=False)

MAX_TOKEN_LENGTH = 512  # far above a real token; anything longer is forged
View = TypeVar("View")


def forged(token: str) -> bool:
    """A token no link carries: empty, or far longer than a real one."""
    return not token or len(token) > MAX_TOKEN_LENGTH


def token_page(
    token: str,
    read: Callable[[], View],
    render: Callable[[View], HTMLResponse],
    page: tuple[str, str],
    not_found: tuple[str, str],
    refused: Callable[[DomainError], HTMLResponse] | None = None,
) -> HTMLResponse:
    """A public page for its link's token: what ``read`` finds, rendered; or the page that says why not:
    404 for a token no link carries, ``refused`` for the domain's refusals (by default the 404 page,
    which says nothing more), 500 (logged) when anything else fails. ``page`` is its name and its route,
    for the log."""
    if forged(token):
        return pages.error_page(404, *not_found)
    try:
        found = read()
    except DomainError as exc:
        return refused(exc) if refused else pages.error_page(404, *not_found)
    except Exception:
        name, route = page
        log.exception(f"the {name} page failed", extra={"path": route})
        return pages.error_page(500, "Something went wrong", "Please try again in a few minutes.")
    return render(found)


def load_signing_view(request: Request, token: str) -> SigningView:
    """What the signer sees, through the same domain call as the public JSON endpoint (which also
    records the ``viewed`` audit entry); raises its errors (NotFound, Gone…)."""
    settings = request.app.state.settings
    client = request.client.host if request.client else None
    with signing_unit(token, request) as session:
        return view_for_token(
            session,
            token,
            secret=settings.require_jwt_secret(),
            ip=client,
            user_agent=request.headers.get("user-agent"),
        )


GONE_TITLE = "This signing link can no longer be used"
GONE_HINT = "If you still need to sign, ask the sender for a new link."
NOT_FOUND = ("Signing link not found", "Check that the whole link was copied from the email.")
LOCKED_TITLE = "This signing link is locked"
NOT_NOW_TITLE = "Nothing to sign right now"


def _why(exc: Gone) -> str:
    reason = exc.details.get("reason")
    if isinstance(reason, str) and reason:
        return reason[0].upper() + reason[1:].rstrip(".") + "."
    return exc.message


def _refused(exc: DomainError) -> HTMLResponse:
    if isinstance(exc, Gone):  # used, expired or voided: the domain says which
        return pages.error_page(410, GONE_TITLE, _why(exc), GONE_HINT)
    if isinstance(exc, Locked):  # too many wrong codes
        return pages.error_page(status_for(exc), LOCKED_TITLE, exc.message)
    if isinstance(exc, Conflict):  # a later signer's turn has not come, or a cc has nothing to sign
        return pages.error_page(status_for(exc), NOT_NOW_TITLE, exc.message)
    return pages.error_page(404, *NOT_FOUND)  # forged, unknown or malformed: nothing more is said


@router.get("/sign/{token}", response_class=HTMLResponse)
def signing_page(token: str, request: Request) -> HTMLResponse:
    def render(view: SigningView) -> HTMLResponse:
        return pages.render("sign.html", view=view, api=f"/api/v1/public/signing/{token}")

    page = ("signing", "/sign/{token}")
    return token_page(token, lambda: load_signing_view(request, token), render, page, NOT_FOUND, _refused)


@router.get(pages.STATIC_PREFIX + "/{name}")
def static_file(name: str) -> Response:
    path = pages.static_files().get(name)
    if path is None:
        return Response(status_code=404, media_type="text/plain", content="not found")
    media_type = pages.STATIC_TYPES[path.suffix]
    # Cached long: every URL the pages use carries the file's digest (pages.static_url).
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"})

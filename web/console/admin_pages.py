"""What the administration pages share: which sections a visitor may open (the permission each
section's REST listing asks for), the one way a page is read and answered, and the notes a page shows
after a change the visitor made from it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from domain.context import TenantContext
from domain.errors import DomainError, ValidationFailed
from web.console import views

# (path under /app/admin, the word naming it, the permission its reading needs). API keys: the REST
# listing shows anyone their own keys, but only a holder of api_keys:write has any to manage here.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("users", "admin_users", "users:read"),
    ("api-keys", "admin_keys", "api_keys:write"),
    ("webhooks", "admin_webhooks", "webhooks:read"),
    ("templates", "admin_templates", "notification_templates:read"),
)
# What a page says after the change its script made, named in ``?done=`` (anything else says nothing).
DONE = ("user_created", "user_saved", "role_created", "role_saved", "role_deleted")
PAGE = 100  # rows a list shows before its "next page" link
LONGEST = 512  # no query value these pages issue (cursors, keys, statuses) is longer

Reader = Callable[[Session, TenantContext], dict[str, Any]]


def sections(ctx: TenantContext) -> list[tuple[str, str]]:
    """The sections the visitor may read, as (path, word)."""
    return [(path, word) for path, word, permission in SECTIONS if ctx.can(permission)]


def bounded(**values: str) -> None:
    """Query values are taken at any length and refused here, so that a page answers (the error
    page), not the API's JSON."""
    for name, value in values.items():
        if len(value) > LONGEST:
            raise ValidationFailed.one(name, f"is longer than {LONGEST} characters")


def done(value: str) -> str | None:
    return value if value in DONE else None


async def respond(request: Request, reader: Reader, template: str, **extra: Any) -> Response:
    """The page ``template`` of what ``reader`` reads, or the page the domain's refusal calls for (sign
    in, 403, 404, or a bad query value's message)."""
    found = await views.signed_in(request)
    if isinstance(found, Response):
        return found
    try:
        seen = await views.read(request, found, reader)
    except DomainError as exc:
        return views.kept(found, views.error(request, exc, found))
    return views.answer(request, found, template, seen, **extra)

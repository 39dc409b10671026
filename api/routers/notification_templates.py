"""Notification templates: versioned, per channel and locale; built-ins a tenant may override."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from api.deps import Ctx, Cursor, Db, IfMatch, Limit
from api.envelope import created, page, success
from api.etag import check_if_match, etag
from api.resource_routes import ResourceRoutes
from domain import cursors
from domain.errors import ValidationFailed
from domain.notifications import templates
from domain.notifications.schemas import (
    SLUG,
    PreviewIn,
    RenderedOut,
    TemplateCreate,
    TemplateIn,
    TemplateOut,
    TemplateSummary,
    TemplateVersionOut,
)
from domain.notifications.templates import TemplateView
from domain.pagination import clamp_limit

router = APIRouter(prefix="/api/v1/notification-templates", tags=["notification templates"])
Key = Annotated[str, Path(min_length=1, max_length=100, pattern=SLUG)]
routes = ResourceRoutes(router, TemplateOut, item="/{key}")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _etag(view: TemplateView) -> str:
    return etag(view.id or f"builtin:{view.key}", view.created_at or _EPOCH)


def _template(view: TemplateView) -> TemplateOut:
    read, required = templates.variables_of(view)
    out = TemplateOut.model_validate(view, from_attributes=True)
    return out.model_copy(update={"variables": read, "required": required})


def _out(view: TemplateView) -> dict[str, Any]:
    return _template(view).model_dump(mode="json")


def _summary(view: TemplateView) -> dict[str, Any]:
    """The template without its content: which locales each channel has instead."""
    full = _template(view)
    locales = {c: sorted(by_locale) for c, by_locale in full.channels.items()}
    return TemplateSummary.model_validate(full.model_dump() | {"locales": locales}).model_dump(mode="json")


def _encode(value: object, kind: str) -> str:
    return cursors.seal(kind, str(value).encode())


def _decode(cursor: str | None, pattern: str, kind: str) -> str | None:
    if cursor is None:
        return None
    try:
        value = cursors.unseal(kind, cursor).decode()
    except UnicodeDecodeError:
        value = ""
    if not re.match(pattern, value):
        raise ValidationFailed.one("cursor", "is not a cursor this API returned")
    return value


@routes.create(
    409, summary="Create a template (version 1); every field must compile and test-render in the sandbox"
)
def create_template(body: TemplateCreate, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    view = templates.create(session, ctx, body)
    response.headers["ETag"] = _etag(view)
    return created(response, f"/api/v1/notification-templates/{view.key}", _out(view))


@routes.listing(
    model=list[TemplateSummary],
    summary="The latest version of each template, by key: the tenant's and the built-ins not overridden",
)
def list_templates(ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None) -> dict[str, Any]:
    views, last = templates.latest_all(session, ctx, limit=limit, after=_decode(cursor, SLUG, "tpl"))
    data = [_summary(v) for v in views]
    return page(data, limit=clamp_limit(limit), next_cursor=_encode(last, "tpl") if last else None)


@routes.read(summary="A template's latest version (or ?version=N; 0 is the built-in)")
def get_template(
    key: Key,
    ctx: Ctx,
    session: Db,
    response: Response,
    version: Annotated[int | None, Query(ge=0)] = None,
) -> dict[str, Any]:
    view = templates.get(session, ctx, key, version)
    response.headers["ETag"] = _etag(view)
    return success(_out(view))


@routes.put(
    409,
    412,
    summary="Save the next version (version 1 when overriding a built-in); If-Match guards lost updates",
)
def update_template(
    key: Key, body: TemplateIn, ctx: Ctx, session: Db, response: Response, if_match: IfMatch = None
) -> dict[str, Any]:
    current = templates.get(session, ctx, key)
    check_if_match(if_match, _etag(current))
    view = templates.update(session, ctx, key, body, current)
    response.headers["ETag"] = _etag(view)
    return success(_out(view))


@routes.read(
    below="/versions",
    model=list[TemplateVersionOut],
    summary="A template's versions, newest first (a built-in appears last, as version 0)",
)
def list_versions(
    key: Key, ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None
) -> dict[str, Any]:
    before = _decode(cursor, r"^[0-9]{1,9}$", "tpl-v")
    views, last = templates.versions(
        session, ctx, key, limit=limit, before=int(before) if before is not None else None
    )
    data = [TemplateVersionOut.model_validate(v, from_attributes=True).model_dump(mode="json") for v in views]
    return page(
        data, limit=clamp_limit(limit), next_cursor=_encode(last, "tpl-v") if last is not None else None
    )


@routes.post(
    "/preview",
    model=RenderedOut,
    summary="Render one channel with your data, as a delivery would (locale fallback included)",
)
def preview_template(key: Key, body: PreviewIn, ctx: Ctx, session: Db) -> dict[str, Any]:
    rendered = templates.preview(session, ctx, key, body.channel, body.locale, body.data, body.version)
    out = RenderedOut(**asdict(rendered), channel=body.channel)
    return success(out.model_dump(mode="json"))

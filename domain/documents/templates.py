"""Document templates: Jinja2 HTML with a stylesheet, versioned; every save must render to a PDF
with its sample data in the sandbox (``rendering.check_template``), so generation does not fail on
a typo, an unsafe construct or a URL the fetcher refuses.

A template row holds the key, the name and the current version; each save writes an immutable
version row. Documents pin the version they were generated from.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.storage import ObjectStore
from db.models import DocumentTemplate, DocumentTemplateVersion
from domain.audit import service as audit
from domain.context import TenantContext
from domain.documents import assets
from domain.documents.rendering import MAX_PAGES, RenderedPdf, check_template, page_png, render_document
from domain.documents.schemas import (
    DocumentLimits,
    DocumentTemplateCreate,
    DocumentTemplateIn,
    DocumentTemplateOut,
    DocumentTemplatePatch,
)
from domain.documents.templating import check_locale
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.outputs import from_row
from domain.pagination import paginate
from domain.queries import live, mine, touch
from domain.unique import add_unique

# Saving and previewing render interactively: their page cap is the renderer's default, lower than
# what generation allows (KEEL_DOCUMENT_MAX_PAGES), so sample data cannot hold a request for long.
INTERACTIVE_PAGES = MAX_PAGES
READ = "document_templates:read"
WRITE = "document_templates:write"


_OF_VERSION = ("version", "content", "css", "sample_data", "locale", "sha256")  # the rest is the template's


@dataclass(frozen=True)
class TemplateView:
    template: DocumentTemplate
    version: DocumentTemplateVersion

    def out(self) -> DocumentTemplateOut:
        """The template's identity and times, with this version's number and content."""
        of_version = {name: getattr(self.version, name) for name in _OF_VERSION}
        return from_row(DocumentTemplateOut, self.template, **of_version)


def _find(
    session: Session, ctx: TenantContext, key: str, *, for_update: bool = False
) -> DocumentTemplate | None:
    stmt = live(ctx, DocumentTemplate).where(DocumentTemplate.key == key)
    return session.scalar(stmt.with_for_update() if for_update else stmt)


def _template(
    session: Session, ctx: TenantContext, key: str, *, for_update: bool = False
) -> DocumentTemplate:
    found = _find(session, ctx, key, for_update=for_update)
    if found is None:
        raise NotFound("document template", key)
    return found


def _version(
    session: Session, ctx: TenantContext, template: DocumentTemplate, version: int
) -> DocumentTemplateVersion:
    row = session.scalar(
        live(ctx, DocumentTemplateVersion).where(
            DocumentTemplateVersion.template_id == template.id, DocumentTemplateVersion.version == version
        )
    )
    if row is None:
        raise NotFound("document template version", f"{template.key} version {version}")
    return row


def resolve(session: Session, ctx: TenantContext, key: str, version: int | None = None) -> TemplateView:
    """The live template ``key`` at ``version`` (its current one by default)."""
    template = _template(session, ctx, key)
    return TemplateView(template, _version(session, ctx, template, version or template.current_version))


def pinned(session: Session, ctx: TenantContext, key: str, version: int, at: datetime) -> TemplateView:
    """The template version a document pinned when it was made at ``at``: the newest row of that
    key and number created by then, the template deleted since or not. A key deleted and created
    again restarts at version 1, so the number alone could name the newer template's version."""
    t, v = DocumentTemplate, DocumentTemplateVersion
    found = session.execute(
        select(t, v)
        .join(v, v.template_id == t.id)
        .where(
            *mine(ctx, t, deleted=True), *mine(ctx, v), t.key == key, v.version == version, v.created_at <= at
        )
        .order_by(v.created_at.desc())
        .limit(1)
    ).first()
    if found is None:
        raise NotFound("document template version", f"{key} version {version}")
    return TemplateView(found[0], found[1])


def get_template(session: Session, ctx: TenantContext, key: str, version: int | None = None) -> TemplateView:
    ctx.require(READ)
    return resolve(session, ctx, key, version)


def list_templates(
    session: Session, ctx: TenantContext, *, limit: int | None, cursor: str | None
) -> tuple[list[DocumentTemplate], str | None]:
    ctx.require(READ)
    return paginate(session, live(ctx, DocumentTemplate), DocumentTemplate, limit, cursor)


def list_versions(
    session: Session, ctx: TenantContext, key: str, *, limit: int | None, cursor: str | None
) -> tuple[list[DocumentTemplateVersion], str | None]:
    ctx.require(READ)
    template = _template(session, ctx, key)
    stmt = live(ctx, DocumentTemplateVersion).where(DocumentTemplateVersion.template_id == template.id)
    return paginate(session, stmt, DocumentTemplateVersion, limit, cursor)


# --- Saving ------------------------------------------------------------------------------------


def _checked(
    session: Session, ctx: TenantContext, store: ObjectStore, body: DocumentTemplateIn, limits: DocumentLimits
) -> None:
    """Refuses (422, naming the field and the template line) a template that does not render."""
    locale = check_locale(body.locale)
    check_template(
        body.content,
        body.sample_data,
        css=body.css,
        locale=locale,
        assets=assets.lookup(session, ctx, store),
        max_pages=min(limits.max_pages, INTERACTIVE_PAGES),
    )


def _content(body: DocumentTemplateIn) -> dict[str, Any]:
    """What a version stores besides its name, and what its sha256 covers."""
    return body.model_dump(include={"content", "css", "sample_data", "locale"})


def _sha256(body: DocumentTemplateIn) -> str:
    canonical = json.dumps(_content(body), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _add_version(
    session: Session, ctx: TenantContext, template: DocumentTemplate, version: int, body: DocumentTemplateIn
) -> DocumentTemplateVersion:
    row = DocumentTemplateVersion.new(
        ctx,
        template_id=template.id,
        version=version,
        name=body.name,
        **_content(body),
        sha256=_sha256(body),
        created_by=ctx.actor_id,
    )
    session.add(row)
    template.current_version = version
    template.name = body.name
    touch(session, template)
    return row


def create_template(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    body: DocumentTemplateCreate,
    limits: DocumentLimits,
) -> TemplateView:
    ctx.require(WRITE)
    if _find(session, ctx, body.key) is not None:
        raise Conflict(
            f"Template {body.key!r} exists; PUT /api/v1/document-templates/{body.key} changes it.",
            {"key": body.key},
        )
    _checked(session, ctx, store, body, limits)
    template = DocumentTemplate.new(
        ctx,
        id=uuid.uuid4(),
        key=body.key,
        name=body.name,
        current_version=1,
        created_by=ctx.actor_id,
    )
    # Two creations of one key at the same time: the second is a 409.
    add_unique(session, template, lambda _: Conflict(f"Template {body.key!r} exists.", {"key": body.key}))
    version = _add_version(session, ctx, template, 1, body)
    audit.record(
        session,
        ctx,
        "document_template.created",
        "document_template",
        body.key,
        {"version": [None, 1], "sha256": [None, version.sha256]},
    )
    return TemplateView(template, version)


def current_for_update(session: Session, ctx: TenantContext, key: str) -> TemplateView:
    """The current version, its template row locked: what an update's If-Match is checked against."""
    ctx.require(WRITE)
    template = _template(session, ctx, key, for_update=True)
    return TemplateView(template, _version(session, ctx, template, template.current_version))


def merged(current: TemplateView, patch: DocumentTemplatePatch) -> DocumentTemplateIn:
    """The current version's fields with the patch's given ones applied."""
    base = {
        "name": current.template.name,
        "content": current.version.content,
        "css": current.version.css,
        "sample_data": current.version.sample_data,
        "locale": current.version.locale,
    }
    try:
        return DocumentTemplateIn.model_validate(base | patch.model_dump(exclude_unset=True))
    except PydanticValidationError as exc:  # a field sent as null that cannot be empty
        raise ValidationFailed.from_pydantic(exc) from exc


def update_template(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    current: TemplateView,
    body: DocumentTemplateIn,
    limits: DocumentLimits,
) -> TemplateView:
    """The next version of the template ``current`` (from ``current_for_update``) shows."""
    ctx.require(WRITE)
    _checked(session, ctx, store, body, limits)
    template = current.template
    before = current.version.version
    version = _add_version(session, ctx, template, before + 1, body)
    audit.record(
        session,
        ctx,
        "document_template.updated",
        "document_template",
        template.key,
        {"version": [before, version.version], "sha256": [current.version.sha256, version.sha256]},
    )
    return TemplateView(template, version)


def delete_template(session: Session, ctx: TenantContext, key: str) -> TemplateView:
    """Soft delete: its key is free again; documents generated from it keep their content."""
    ctx.require(WRITE)
    template = _template(session, ctx, key, for_update=True)
    version = _version(session, ctx, template, template.current_version)
    template.deleted_at = datetime.now(UTC)
    session.flush()
    audit.record(
        session,
        ctx,
        "document_template.deleted",
        "document_template",
        key,
        {"deleted_at": [None, template.deleted_at]},
    )
    return TemplateView(template, version)


# --- Rendering ---------------------------------------------------------------------------------


def render(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    view: TemplateView,
    data: Mapping[str, Any],
    limits: DocumentLimits,
) -> RenderedPdf:
    """The template version with ``data``, as a PDF; a failure is a 422 on ``data`` or ``content``."""
    v = view.version
    return render_document(
        v.content,
        data,
        css=v.css,
        locale=v.locale,
        assets=assets.lookup(session, ctx, store),
        max_pages=limits.max_pages,
    )


def preview(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    key: str,
    data: Mapping[str, Any] | None,
    limits: DocumentLimits,
    *,
    version: int | None = None,
    png: bool = False,
) -> bytes:
    """The PDF (or its first page as a PNG) with ``data``, or the version's sample data when none is given."""
    view = get_template(session, ctx, key, version)
    interactive = DocumentLimits(limits.max_bytes, min(limits.max_pages, INTERACTIVE_PAGES))
    sample = view.version.sample_data or {}
    rendered = render(session, ctx, store, view, data if data is not None else sample, interactive)
    if not png:
        return rendered.pdf
    try:
        return page_png(rendered.pdf, 1)
    except ValidationFailed as exc:  # a page too large to draw at 72 dpi
        raise ValidationFailed.one("format", exc.message) from exc

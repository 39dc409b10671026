"""Documents generated from a template: accepted at once (``generating``), rendered by a workflow's
activity with the template version pinned at request time, then ``ready`` or ``failed`` with the
reason. A new version can also be rendered from the pinned template with new data.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from adapters.storage import ObjectStore
from db.models import Document, DocumentVersion
from domain.audit import service as audit
from domain.context import TenantContext
from domain.documents import service, templates
from domain.documents.schemas import DocumentLimits, GenerateIn, GenerateRun
from domain.documents.storing import check_content, store_bytes
from domain.errors import DomainError, NotFound, Unavailable, ValidationFailed
from domain.events import service as events
from domain.queries import discard_row, find

WORKFLOW_PREFIX = "documents:generate:"


def workflow_id(document_id: uuid.UUID) -> str:
    return f"{WORKFLOW_PREFIX}{document_id}"


def request(session: Session, ctx: TenantContext, body: GenerateIn) -> tuple[Document, GenerateRun]:
    """The ``generating`` document and what its workflow runs; an unknown template is a 422 on
    ``template`` and nothing is recorded."""
    ctx.require(service.WRITE)
    try:
        view = templates.resolve(session, ctx, body.template)
    except NotFound as exc:
        raise ValidationFailed.one("template", f"no document template {body.template!r}") from exc
    doc = service.new_document(
        ctx,
        name=body.name,
        document_type=body.document_type,
        source="generated",
        entity=body.entity,
        metadata=body.metadata,
        status="generating",
    )
    doc.template_key = view.template.key
    doc.template_version = view.version.version
    session.add(doc)
    session.flush()
    audit.record(
        session,
        ctx,
        "document.created",
        "document",
        doc.id,
        {"status": [None, "generating"], "template": [None, f"{doc.template_key}@{doc.template_version}"]},
    )
    events.emit(session, ctx, "document.created", service.event_payload(doc))
    run = GenerateRun(
        tenant_id=ctx.tenant_id,
        document_id=doc.id,
        template_key=view.template.key,
        template_version=view.version.version,
        data=body.data,
    )
    return doc, run


def discard(session: Session, ctx: TenantContext, document_id: uuid.UUID) -> None:
    """The undo of ``request`` when its workflow could not be started."""
    discard_row(session, ctx, Document, document_id)


def generate(
    session: Session, ctx: TenantContext, store: ObjectStore, run: GenerateRun, limits: DocumentLimits
) -> str:
    """Render, store and record version 1; or mark the document failed with the reason. Repeating it
    (an activity retried after a crash) finds the document no longer ``generating`` and does nothing."""
    doc = find(session, ctx, Document, run.document_id, deleted=True, for_update=True)
    if doc is None or doc.status != "generating":
        return doc.status if doc is not None else "missing"
    try:
        view = templates.pinned(session, ctx, run.template_key, run.template_version, doc.created_at)
        rendered = templates.render(session, ctx, store, view, run.data, limits)
        checked = check_content(rendered.pdf, limits=limits, field="content")
    except Unavailable:
        raise  # the renderer is busy: the activity retries, the document stays generating
    except DomainError as exc:
        return _fail(session, ctx, doc, _reason(exc))
    stored = store_bytes(store, ctx.tenant_id, rendered.pdf, limits)
    service.record_version(
        session,
        ctx,
        doc,
        checked,
        stored,
        source="generated",
        data=run.data,
        template_version=run.template_version,
    )
    audit.record(
        session,
        ctx,
        "document.generated",
        "document",
        doc.id,
        {"status": ["generating", "ready"], "sha256": [None, doc.sha256]},
    )
    events.emit(session, ctx, "document.generated", service.event_payload(doc))
    return "ready"


def _reason(exc: DomainError) -> str:
    if isinstance(exc, NotFound):
        return f"the template is gone: {exc.message}"
    return exc.message


def _fail(session: Session, ctx: TenantContext, doc: Document, reason: str) -> str:
    doc.status = "failed"
    doc.failure_reason = reason[:2000]
    session.flush()
    audit.record(
        session, ctx, "document.generation_failed", "document", doc.id, {"status": ["generating", "failed"]}
    )
    events.emit(
        session,
        ctx,
        "document.generation_failed",
        service.event_payload(doc) | {"reason": doc.failure_reason},
    )
    return "failed"


def fail(session: Session, ctx: TenantContext, document_id: uuid.UUID, reason: str) -> str:
    """Marks a document still ``generating`` as failed (its workflow gave up)."""
    doc = find(session, ctx, Document, document_id, deleted=True, for_update=True)
    if doc is None or doc.status != "generating":
        return doc.status if doc is not None else "missing"
    return _fail(session, ctx, doc, reason)


def regenerate(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    document_id: uuid.UUID,
    data: dict[str, Any],
    limits: DocumentLimits,
    *,
    note: str | None = None,
) -> DocumentVersion:
    """The next version rendered from the document's pinned template version with new ``data``."""
    ctx.require(service.WRITE)
    doc = service.get_document(session, ctx, document_id)
    if doc.template_key is None or doc.template_version is None:
        raise ValidationFailed.one(
            "data", "the document was not generated from a template; upload a file instead"
        )
    try:
        view = templates.pinned(session, ctx, doc.template_key, doc.template_version, doc.created_at)
    except NotFound as exc:
        raise ValidationFailed.one("data", f"the document's template {doc.template_key!r} is gone") from exc
    rendered = templates.render(session, ctx, store, view, data, limits)
    return service.add_version(
        session,
        ctx,
        store,
        doc.id,
        rendered.pdf,
        source="generated",
        note=note,
        limits=limits,
        data=data,
        template_version=doc.template_version,
    )

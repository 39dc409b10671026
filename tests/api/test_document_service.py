"""The document service other blocks build on: versions stored before their rows, checked once."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from adapters.storage import LocalStore
from db.models import AuditLog, Document, DocumentVersion
from db.session import tenant_session
from domain.context import TenantContext
from domain.documents import service
from domain.documents.errors import DocumentNotReady
from domain.documents.schemas import DocumentLimits, EntityLink
from domain.errors import NotFound, PayloadTooLarge, ValidationFailed
from tests.conftest import TenantFixture
from tests.domain.pdf_helpers import pages_pdf

LIMITS = DocumentLimits(max_bytes=200_000, max_pages=3)


def ctx_of(tenant: TenantFixture) -> TenantContext:
    return TenantContext.system(tenant.id, tenant.domain)


def objects(root: Path, tenant: TenantFixture) -> list[Path]:
    return [p for p in (root / str(tenant.id)).rglob("*") if p.is_file() and not p.name.startswith(".")]


def counts(engine: Engine, tenant: TenantFixture) -> tuple[int, int]:
    with tenant_session(engine, tenant.id) as session:
        docs = session.scalar(
            select(func.count()).select_from(Document).where(Document.tenant_id == tenant.id)
        )
        versions = session.scalar(
            select(func.count()).select_from(DocumentVersion).where(DocumentVersion.tenant_id == tenant.id)
        )
    return int(docs or 0), int(versions or 0)


def test_create_add_read_delete_restore(engine: Engine, tenant: TenantFixture, tmp_path: Path) -> None:
    store, ctx = LocalStore(tmp_path), ctx_of(tenant)
    first, second = pages_pdf("Invoice 42", "Terms"), pages_pdf("Invoice 42 corrected")
    entity = EntityLink(type="customer", id=uuid.uuid4())
    with tenant_session(engine, tenant.id) as session:
        doc = service.create_document(
            session,
            ctx,
            store,
            name="invoice.pdf",
            document_type="invoice",
            content=first,
            source="upload",
            entity=entity,
            metadata={"year": 2026},
            limits=LIMITS,
        )
        doc_id = doc.id
        assert (doc.status, doc.version, doc.page_count) == ("ready", 1, 2)
        version = service.add_version(
            session, ctx, store, doc_id, second, source="stamp", note="fix", limits=LIMITS
        )
        assert version.version == 2 and "Invoice 42 corrected" in (version.text or "")
    with tenant_session(engine, tenant.id) as session:
        row, content = service.read_content(session, ctx, store, doc_id)
        assert (row.version, content) == (2, second)
        assert service.read_content(session, ctx, store, doc_id, 1)[1] == first
        out = service.document_out(service.get_document(session, ctx, doc_id))
        assert out.entity == entity and out.metadata == {"year": 2026} and out.version == 2
        found, _ = service.list_documents(session, ctx, metadata=[("year", "2026")], limit=None, cursor=None)
        assert [d.id for d in found] == [doc_id]
        service.delete_document(session, ctx, doc_id)
        with pytest.raises(NotFound):
            service.get_document(session, ctx, doc_id)
        service.restore_document(session, ctx, doc_id)
        assert service.get_document(session, ctx, doc_id).deleted_at is None
    assert len(objects(tmp_path, tenant)) == 2


@pytest.mark.parametrize(
    ("content", "name", "error"),
    [
        (b"just text", "contract.pdf", ValidationFailed),
        (b"", "empty.txt", ValidationFailed),
        (pages_pdf("1", "2", "3", "4"), "long.pdf", ValidationFailed),
        (b"x" * 200_001, "big.bin", PayloadTooLarge),
    ],
)
def test_refused_content_stores_nothing(
    engine: Engine, tenant: TenantFixture, tmp_path: Path, content: bytes, name: str, error: type[Exception]
) -> None:
    with pytest.raises(error), tenant_session(engine, tenant.id) as session:
        service.create_document(
            session,
            ctx_of(tenant),
            LocalStore(tmp_path),
            name=name,
            document_type="x",
            content=content,
            source="upload",
            limits=LIMITS,
        )
    assert counts(engine, tenant) == (0, 0)
    assert objects(tmp_path, tenant) == []


def test_other_tenant_is_not_found(engine: Engine, make_tenant, tmp_path: Path) -> None:
    owner, other = make_tenant(), make_tenant()
    store = LocalStore(tmp_path)
    with tenant_session(engine, owner.id) as session:
        doc_id = service.create_document(
            session,
            ctx_of(owner),
            store,
            name="a.txt",
            document_type="note",
            content=b"hello",
            source="upload",
            limits=LIMITS,
        ).id
    with tenant_session(engine, other.id) as session:
        with pytest.raises(NotFound):
            service.get_document(session, ctx_of(other), doc_id)
        with pytest.raises(NotFound):
            service.add_version(session, ctx_of(other), store, doc_id, b"x", source="upload", limits=LIMITS)


def test_generating_document_has_no_content(engine: Engine, tenant: TenantFixture, tmp_path: Path) -> None:
    ctx = ctx_of(tenant)
    with tenant_session(engine, tenant.id) as session:
        doc = service.new_document(
            ctx,
            name="n",
            document_type="t",
            source="generated",
            entity=None,
            metadata=None,
            status="generating",
        )
        session.add(doc)
        session.flush()
        with pytest.raises(DocumentNotReady):
            service.read_content(session, ctx, LocalStore(tmp_path), doc.id)


def test_a_crash_after_storing_leaves_nothing_served(
    engine: Engine, tenant: TenantFixture, tmp_path: Path
) -> None:
    """The bytes are stored, then the transaction dies before its commit: no row names them, so no
    read reaches them; storing them again (the retry) reuses the object and records the row."""
    store, ctx = LocalStore(tmp_path), ctx_of(tenant)
    content = pages_pdf("Crash")

    class Crash(Exception):
        pass

    with pytest.raises(Crash), tenant_session(engine, tenant.id) as session:
        service.create_document(
            session,
            ctx,
            store,
            name="c.pdf",
            document_type="x",
            content=content,
            source="upload",
            limits=LIMITS,
        )
        raise Crash
    assert counts(engine, tenant) == (0, 0)
    assert len(objects(tmp_path, tenant)) == 1  # unreachable: content is read only through a row
    with tenant_session(engine, tenant.id) as session:
        found, _ = service.list_documents(session, ctx, limit=None, cursor=None)
        assert found == []
        doc = service.create_document(
            session,
            ctx,
            store,
            name="c.pdf",
            document_type="x",
            content=content,
            source="upload",
            limits=LIMITS,
        )
        assert service.read_content(session, ctx, store, doc.id)[1] == content
    assert len(objects(tmp_path, tenant)) == 1 and counts(engine, tenant) == (1, 1)


def test_every_change_is_audited(engine: Engine, tenant: TenantFixture, tmp_path: Path) -> None:
    store, ctx = LocalStore(tmp_path), ctx_of(tenant)
    with tenant_session(engine, tenant.id) as session:
        doc = service.create_document(
            session,
            ctx,
            store,
            name="a.txt",
            document_type="note",
            content=b"one",
            source="upload",
            limits=LIMITS,
        )
        service.add_version(session, ctx, store, doc.id, b"two", source="upload", limits=LIMITS)
        service.delete_document(session, ctx, doc.id)
        service.restore_document(session, ctx, doc.id)
        actions = session.scalars(
            select(AuditLog.action).where(AuditLog.entity_id == str(doc.id)).order_by(AuditLog.created_at)
        ).all()
    assert actions == ["document.created", "document.version_added", "document.deleted", "document.restored"]

"""Generation steps as the worker runs them: the page cap and missing data fail the document with
the reason, a repeated step changes nothing, and a workflow that gives up marks it failed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from adapters.storage import LocalStore
from db.session import tenant_session
from domain.documents import generation, service, templates
from domain.documents.schemas import DocumentLimits, DocumentTemplateCreate, GenerateIn
from tests.api.test_document_service import ctx_of, objects
from tests.conftest import TenantFixture

LIMITS = DocumentLimits(max_bytes=500_000, max_pages=2)
PAGES = "".join(f'<p style="break-before: page">{{{{ parts[{i}] }}}}</p>' for i in range(3))


def requested(
    engine: Engine, tenant: TenantFixture, store: LocalStore, data: dict[str, object], *, first: bool = True
) -> generation.GenerateRun:
    ctx = ctx_of(tenant)
    body = DocumentTemplateCreate(key="three", name="Three", content=PAGES, sample_data={"parts": ["a"] * 3})
    with tenant_session(engine, tenant.id) as session:
        if first:
            templates.create_template(session, ctx, store, body, DocumentLimits(500_000, 10))
        _, run = generation.request(
            session, ctx, GenerateIn(template="three", data=data, name="Three", document_type="report")
        )
    return run


def test_the_page_cap_fails_the_document(engine: Engine, tenant: TenantFixture, tmp_path: Path) -> None:
    store, ctx = LocalStore(tmp_path), ctx_of(tenant)
    run = requested(engine, tenant, store, {"parts": ["x", "y", "z"]})
    with tenant_session(engine, tenant.id) as session:
        assert generation.generate(session, ctx, store, run, LIMITS) == "failed"
    with tenant_session(engine, tenant.id) as session:
        doc = service.get_document(session, ctx, run.document_id)
        assert (doc.status, doc.version) == ("failed", 0)
        assert "more than 2 pages" in (doc.failure_reason or "")
        assert generation.generate(session, ctx, store, run, LIMITS) == "failed"  # a repeat does nothing
    assert objects(tmp_path, tenant) == []


def test_missing_data_then_a_repeat(engine: Engine, tenant: TenantFixture, tmp_path: Path) -> None:
    store, ctx = LocalStore(tmp_path), ctx_of(tenant)
    run = requested(engine, tenant, store, {})
    with tenant_session(engine, tenant.id) as session:
        assert generation.generate(session, ctx, store, run, LIMITS) == "failed"
        assert "parts" in (service.get_document(session, ctx, run.document_id).failure_reason or "")


def test_a_generated_document_and_a_workflow_that_gives_up(
    engine: Engine, tenant: TenantFixture, tmp_path: Path
) -> None:
    store, ctx = LocalStore(tmp_path), ctx_of(tenant)
    roomy = DocumentLimits(max_bytes=500_000, max_pages=5)
    run = requested(engine, tenant, store, {"parts": ["x", "y", "z"]})
    with tenant_session(engine, tenant.id) as session:
        assert generation.generate(session, ctx, store, run, roomy) == "ready"
        assert (
            generation.generate(session, ctx, store, run, roomy) == "ready"
        )  # a retried step: no second version
        assert generation.fail(session, ctx, run.document_id, "gave up") == "ready"  # too late to fail it
        doc = service.get_document(session, ctx, run.document_id)
        assert (doc.version, doc.page_count, doc.template_version) == (1, 3, 1)
    abandoned = requested(engine, tenant, store, {"parts": ["x", "y", "z"]}, first=False)
    with tenant_session(engine, tenant.id) as session:
        assert generation.fail(session, ctx, abandoned.document_id, "the store did not answer") == "failed"
        doc = service.get_document(session, ctx, abandoned.document_id)
        assert (doc.status, doc.failure_reason) == ("failed", "the store did not answer")


def test_regenerating_uses_the_pinned_template_even_after_its_key_is_reused(
    engine: Engine, tenant: TenantFixture, tmp_path: Path
) -> None:
    store, ctx = LocalStore(tmp_path), ctx_of(tenant)
    roomy = DocumentLimits(max_bytes=500_000, max_pages=5)
    run = requested(engine, tenant, store, {"parts": ["x", "y", "z"]})
    with tenant_session(engine, tenant.id) as session:
        generation.generate(session, ctx, store, run, roomy)
        templates.delete_template(session, ctx, "three")
        other = DocumentTemplateCreate(
            key="three", name="Other", content="<p>other {{ parts | default(0) }}</p>"
        )
        templates.create_template(session, ctx, store, other, roomy)
    with tenant_session(engine, tenant.id) as session:
        version = generation.regenerate(
            session, ctx, store, run.document_id, {"parts": ["p", "q", "r"]}, roomy
        )
        assert (version.version, version.page_count, version.template_version) == (2, 3, 1)
        assert "other" not in (version.text or "") and "q" in (version.text or "")

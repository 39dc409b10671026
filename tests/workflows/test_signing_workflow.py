"""The signing process on the time-skipping server: reminders every two days to those who have not
signed, expiry at the deadline, orders in sequence, a lost signal caught up by the next timer, and
the sealed result stored as the document's next version."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from adapters.storage import object_store
from db.models import Delivery, Document, OutboxEvent
from db.session import tenant_session
from domain.context import TenantContext
from domain.documents.schemas import DocumentLimits
from domain.signing import service as signing
from domain.signing import signer_actions, trail
from domain.signing.requests import load, signers_of
from domain.signing.schemas import SignIn, SigningRequestIn
from domain.signing.tokens import sign_token
from tests.api.signing_helpers import store_document
from tests.workflows.conftest import terminate_all
from workers.main import build_worker
from workflows.signing import SigningWorkflow


@pytest.fixture
async def env(time_skipping_env, engine, queue, settings, started_workflows):
    async with build_worker(time_skipping_env.client, engine, queue, settings=settings):
        yield time_skipping_env
        await terminate_all(started_workflows)


async def create(env, engine, settings, tenant, signers, **extra):
    """The request as the API records it, its deadline moved onto the test server's clock (which
    earlier tests of the module skipped ahead)."""
    ctx = TenantContext.system(tenant.id, tenant.domain)
    document_id = store_document(engine, settings, tenant.id)
    body = SigningRequestIn.model_validate(
        {"document_id": str(document_id), "title": "Lease", "signers": signers, **extra}
    )
    with tenant_session(engine, tenant.id) as session:
        request = signing.create_request(
            session, ctx, object_store(settings), body, limits=DocumentLimits.of(settings)
        )
        request.expires_at = await env.get_current_time() + body.expires_in
        return signing.run_of(request)


async def start(env, queue, run):
    return await env.client.start_workflow(
        SigningWorkflow.run, run, id=f"signing-{run.request_id}", task_queue=queue
    )


def dedup_keys(engine, tenant):
    with tenant_session(engine, tenant.id) as session:
        keys = session.scalars(select(Delivery.dedup_key).where(Delivery.dedup_key.like("signing:%")))
        return sorted(k.split(":", 2)[-1] for k in keys if k)


def actions(engine, tenant, request_id):
    ctx = TenantContext.system(tenant.id)
    with tenant_session(engine, tenant.id) as session:
        return [e.action for e in trail.entries(session, ctx, load(session, ctx, request_id))]


def sign(engine, settings, tenant, run, position):
    ctx = TenantContext.system(tenant.id)
    with tenant_session(engine, tenant.id) as session:
        request = load(session, ctx, run.request_id)
        signer = sorted(signers_of(session, ctx, request), key=lambda s: s.position)[position]
        token = sign_token(
            settings.require_jwt_secret(), tenant.id, request.id, signer.id, request.expires_at
        )
    body = SignIn.model_validate({"signature": {"type": "typed", "value": "Signer"}, "consent": True})
    with tenant_session(engine, tenant.id) as session:
        attempt = signer_actions.sign(
            session, token, body, secret=settings.require_jwt_secret(), ip="10.0.0.1", user_agent="test"
        )
    assert attempt.error is None


def person(name, order=1, **extra):
    return {"name": name, "email": f"{name.lower()}@x.example", "order": order, **extra}


async def test_reminders_every_two_days_then_the_request_expires(env, engine, settings, tenant, queue):
    run = await create(
        env,
        engine,
        settings,
        tenant,
        [person("Ana"), person("Ben")],
        expires_in="P5D",
        reminders={"every": "P2D"},
    )
    handle = await start(env, queue, run)
    assert await handle.result() == "expired"
    # One invitation each, reminders on day 2 and day 4, then word that it expired.
    assert dedup_keys(engine, tenant) == sorted(
        f"{sid}:{step}"
        for sid in signer_ids(engine, tenant, run)
        for step in ("invite", "reminder:1", "reminder:2", "expired")
    )
    assert actions(engine, tenant, run.request_id) == [
        "created",
        "sent",
        "sent",
        "reminded",
        "reminded",
        "reminded",
        "reminded",
        "expired",
    ]
    with tenant_session(engine, tenant.id) as session:
        event = session.scalar(select(OutboxEvent).where(OutboxEvent.type == "signing_request.expired"))
        assert event is not None and event.payload["signing_request_id"] == str(run.request_id)


def signer_ids(engine, tenant, run):
    ctx = TenantContext.system(tenant.id)
    with tenant_session(engine, tenant.id) as session:
        return [str(s.id) for s in signers_of(session, ctx, load(session, ctx, run.request_id))]


async def test_orders_follow_each_other_and_a_lost_signal_is_caught_up(env, engine, settings, tenant, queue):
    run = await create(
        env,
        engine,
        settings,
        tenant,
        [person("Ana"), person("Ben", 2), person("Cat", 2, role="cc")],
        expires_in="P10D",
        reminders={"every": "P1D"},
    )
    handle = await start(env, queue, run)
    ana, ben, cat = signer_ids(engine, tenant, run)
    await wait_for_keys(engine, tenant, {f"{ana}:invite"})
    sign(engine, settings, tenant, run, 0)
    await handle.signal(SigningWorkflow.signer_acted)
    await wait_for_keys(engine, tenant, {f"{ana}:invite", f"{ben}:invite"})
    sign(engine, settings, tenant, run, 1)  # and no signal: the next reminder timer finds it signed
    assert await handle.result() == "completed"
    keys = dedup_keys(engine, tenant)
    assert keys.count(f"{ben}:invite") == 1 and f"{cat}:invite" not in keys
    assert {f"{ana}:completed", f"{ben}:completed", f"{cat}:completed"} <= set(keys)
    ctx = TenantContext.system(tenant.id)
    with tenant_session(engine, tenant.id) as session:
        request = load(session, ctx, run.request_id)
        document = session.get(Document, request.document_id)
        assert document is not None
        assert request.final_version == 2 and document.version == 2 and document.source == "upload"
        assert document.sha256 == request.final_sha256 != request.original_sha256
    assert actions(engine, tenant, run.request_id)[-1] == "completed"


async def wait_for_keys(engine, tenant, wanted, timeout=30.0):
    import asyncio

    for _ in range(int(timeout / 0.1)):
        if wanted <= set(dedup_keys(engine, tenant)):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{wanted} were never sent: {dedup_keys(engine, tenant)}")


async def test_a_document_deleted_while_people_sign_voids_the_request(env, engine, settings, tenant, queue):
    from domain.documents import service as documents

    run = await create(env, engine, settings, tenant, [person("Ana")], expires_in="P3D")
    sign(engine, settings, tenant, run, 0)
    ctx = TenantContext.system(tenant.id)
    with tenant_session(engine, tenant.id) as session:
        documents.delete_document(session, ctx, load(session, ctx, run.request_id).document_id)
    handle = await start(env, queue, run)
    assert await handle.result() == "voided"
    with tenant_session(engine, tenant.id) as session:
        request = load(session, ctx, run.request_id)
        assert request.final_version is None and "deleted" in (request.status_reason or "")

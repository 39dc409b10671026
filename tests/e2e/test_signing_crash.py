"""Kill the worker (SIGKILL) between two sequential signers, just as the second one's invitation is
recorded, start another: every invitation and completion message reaches its person exactly once."""

from __future__ import annotations

import asyncio
import signal
import time
import uuid

import pytest
from sqlalchemy import func, select
from temporalio.client import Client

from adapters.storage import object_store
from db.models import Delivery, DevOutboxMessage
from db.session import tenant_session
from domain.context import TenantContext
from domain.documents.schemas import DocumentLimits
from domain.signing import service as signing
from domain.signing import signer_actions
from domain.signing.requests import load, signers_of
from domain.signing.schemas import SignIn, SigningRequestIn
from domain.signing.tokens import sign_token
from keel.temporal import connect
from tests.api.signing_helpers import store_document
from tests.e2e.test_campaign_crash import spawn_worker

pytestmark = pytest.mark.slow
SIGNERS = [
    {"name": "Ana", "email": "ana@crash.example", "order": 1},
    {"name": "Ben", "email": "ben@crash.example", "order": 2},
    {"name": "Cat", "email": "cat@crash.example", "order": 2, "role": "cc"},
]


def messages(engine, tenant, to: str, subject: str) -> int:
    with tenant_session(engine, tenant.id) as session:
        found = session.scalar(
            select(func.count()).where(
                DevOutboxMessage.to == to, DevOutboxMessage.subject.like(f"{subject}%")
            )
        )
    return int(found or 0)


def recorded(engine, tenant, key_end: str) -> bool:
    with tenant_session(engine, tenant.id) as session:
        return session.scalar(select(Delivery.id).where(Delivery.dedup_key.like(f"%{key_end}"))) is not None


def wait(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def sign(engine, settings, tenant, request_id, position: int) -> None:
    ctx = TenantContext.system(tenant.id)
    secret = settings.require_jwt_secret()
    with tenant_session(engine, tenant.id) as session:
        request = load(session, ctx, request_id)
        signer = signers_of(session, ctx, request)[position]
        token = sign_token(secret, tenant.id, request.id, signer.id, request.expires_at)
    body = SignIn.model_validate({"signature": {"type": "typed", "value": signer.name}, "consent": True})
    with tenant_session(engine, tenant.id) as session:
        assert (
            signer_actions.sign(session, token, body, secret=secret, ip="10.0.0.1", user_agent="e2e").error
            is None
        )


async def test_a_signing_resumed_after_a_worker_crash_emails_nobody_twice(
    settings, engine, tenant, dev_server, tmp_path
):
    queue = f"crash-{uuid.uuid4().hex[:8]}"
    ctx = TenantContext.system(tenant.id, tenant.domain)
    local = settings.model_copy(update={"home": tmp_path})  # the worker's home: the same object store
    document_id = store_document(engine, local, tenant.id)
    body = SigningRequestIn.model_validate(
        {"document_id": str(document_id), "title": "Lease", "signers": SIGNERS}
    )
    with tenant_session(engine, tenant.id) as session:
        request = signing.create_request(
            session, ctx, object_store(local), body, limits=DocumentLimits.of(local)
        )
        run, ben_id = signing.run_of(request), signers_of(session, ctx, request)[1].id
    client: Client = await connect(settings.model_copy(update={"temporal_address": dev_server}))
    handle = await client.start_workflow("signing", run, id=f"signing-{run.request_id}", task_queue=queue)

    first = spawn_worker(settings, dev_server, queue, tmp_path)
    try:
        wait(lambda: messages(engine, tenant, "ana@crash.example", "Please") == 1, "Ana was never invited")
        sign(engine, settings, tenant, run.request_id, 0)
        await handle.signal("signer_acted")
        wait(lambda: recorded(engine, tenant, f"{ben_id}:invite"), "Ben's invitation was never recorded")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)

    second = spawn_worker(settings, dev_server, queue, tmp_path)
    try:
        wait(lambda: messages(engine, tenant, "ben@crash.example", "Please") >= 1, "Ben was never invited")
        sign(engine, settings, tenant, run.request_id, 1)
        await handle.signal("signer_acted")
        status = await asyncio.wait_for(handle.result(), timeout=120)
        wait(
            lambda: messages(engine, tenant, "cat@crash.example", "Completed") >= 1,
            "Cat never got the result",
        )
        time.sleep(1)  # anything sent twice would show by now
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(20)
    assert status == "completed"
    for person in ("ana", "ben"):
        assert messages(engine, tenant, f"{person}@crash.example", "Please") == 1
        assert messages(engine, tenant, f"{person}@crash.example", "Completed") == 1
    assert messages(engine, tenant, "cat@crash.example", "Please") == 0
    assert messages(engine, tenant, "cat@crash.example", "Completed") == 1

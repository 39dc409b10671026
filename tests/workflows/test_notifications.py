"""The delivery workflow on the time-skipping server: retries with backoff, giving up, fallback to the
next channel, quiet hours as a durable timer. Email goes through the SendGrid SDK to a local peer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from db.models import DevOutboxMessage, NotificationPreference, OutboxEvent
from db.session import tenant_session
from domain.context import TenantContext
from domain.deliveries import service as deliveries
from domain.deliveries.schemas import NotificationRequest, NotificationRun
from domain.identity import service as identity
from domain.identity.schemas import UserCreate
from tests.peers import SendGridPeer
from tests.workflows.conftest import terminate_all
from workers.main import build_worker

API_KEY = "SG.test-key"


@pytest.fixture
def peer():
    with SendGridPeer(API_KEY) as p:
        yield p


@pytest.fixture
async def env(time_skipping_env, engine, queue, settings, peer, started_workflows):
    live = settings.model_copy(
        update={
            "email_adapter": "sendgrid",
            "sendgrid_api_key": SecretStr(API_KEY),
            "sendgrid_api_host": peer.url,
        }
    )
    async with build_worker(time_skipping_env.client, engine, queue, settings=live):
        yield time_skipping_env
        await terminate_all(started_workflows)


@pytest.fixture
def user(engine, tenant):
    ctx = TenantContext.system(tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as session:
        row = identity.create_user(
            session, ctx, UserCreate(email=f"zoe@{tenant.domain}", password="a-long-password")
        )
        session.add(
            NotificationPreference(tenant_id=tenant.id, user_id=row.id, phone="+442079460958", opt_out={})
        )
        return row.id


async def deliver(env, engine, tenant, queue, **request):
    ctx = TenantContext.system(tenant.id, tenant.domain)
    body = NotificationRequest.model_validate(
        {"template": "notification", "data": {"title": "Hello"}, **request}
    )
    with tenant_session(engine, tenant.id) as session:
        delivery = deliveries.request(session, ctx, body, now=datetime.now(UTC))
    run = NotificationRun(
        tenant_id=tenant.id, delivery_id=delivery.id, strategy=body.strategy, max_attempts=4
    )
    status = await env.client.execute_workflow(
        "notification", run, id=deliveries.workflow_id(delivery.id), task_queue=queue, result_type=str
    )
    with tenant_session(engine, tenant.id) as session:
        return status, deliveries.view(session, ctx, deliveries.get(session, ctx, delivery.id))


async def test_transient_errors_are_retried_with_backoff_then_sent(env, engine, tenant, queue, peer, user):
    peer.answer_next(500, {"errors": [{"message": "internal error"}]})
    peer.answer_next(429, {"errors": [{"message": "too many requests"}]})
    status, view = await deliver(
        env, engine, tenant, queue, recipient={"user_id": str(user)}, channels=["email"]
    )
    (email,) = view.messages
    assert status == "sent" and email.status == "sent" and email.provider == "sendgrid"
    assert [a.outcome for a in email.attempts] == ["retrying", "retrying", "sent"]
    assert email.provider_message_id and len(peer.sent) == 1
    (mail,) = peer.sent
    assert mail["custom_args"] == {"keel_tenant": str(tenant.id), "keel_message": str(email.id)}


async def test_a_channel_that_keeps_failing_is_given_up_and_reported(env, engine, tenant, queue, peer):
    for _ in range(4):
        peer.answer_next(503, {"errors": [{"message": "unavailable"}]})
    status, view = await deliver(env, engine, tenant, queue, recipient={"email": "x@example.com"})
    (email,) = view.messages
    assert status == "failed" and email.status == "failed"
    assert email.status_reason.startswith("gave up after 4 attempts")
    assert [a.outcome for a in email.attempts] == ["retrying"] * 4
    with tenant_session(engine, tenant.id) as session:
        event = session.scalar(select(OutboxEvent).where(OutboxEvent.type == "notification.failed"))
    assert event is not None and event.payload["delivery_id"] == str(view.id)


async def test_fallback_moves_to_the_next_channel_when_one_fails_for_good(
    env, engine, tenant, queue, peer, user
):
    peer.answer_next(400, {"errors": [{"message": "Does not contain a valid address.", "field": "to"}]})
    status, view = await deliver(
        env,
        engine,
        tenant,
        queue,
        recipient={"user_id": str(user)},
        channels=["email", "sms", "in_app"],
        strategy="fallback",
    )
    email, sms, in_app = view.messages
    assert email.status == "failed" and "valid address" in email.status_reason
    assert len(email.attempts) == 1  # a permanent failure is not retried
    assert sms.status == "delivered" and sms.address == "+442079460958"
    assert in_app.status == "cancelled" and "sms succeeded" in in_app.status_reason
    assert status == "delivered"
    with tenant_session(engine, tenant.id) as session:
        texts = session.scalars(select(DevOutboxMessage).where(DevOutboxMessage.to == "+442079460958")).all()
    assert len(texts) == 1


async def timers(env, delivery_id):
    history = await env.client.get_workflow_handle(deliveries.workflow_id(delivery_id)).fetch_history()
    return [
        e.timer_started_event_attributes.start_to_fire_timeout.ToTimedelta()
        for e in history.events
        if e.HasField("timer_started_event_attributes")
    ]


async def test_quiet_hours_hold_normal_messages_until_they_end(env, engine, tenant, queue, peer, user):
    now = await env.get_current_time()  # the test server's clock, which earlier tests moved on
    quiet = {
        "start": (now - timedelta(hours=1)).strftime("%H:%M"),
        "end": (now + timedelta(hours=2)).strftime("%H:%M"),
    }
    with tenant_session(engine, tenant.id) as session:
        prefs = session.scalar(select(NotificationPreference).where(NotificationPreference.user_id == user))
        assert prefs is not None
        prefs.quiet_hours = quiet
    status, view = await deliver(
        env, engine, tenant, queue, recipient={"user_id": str(user)}, channels=["email", "in_app"]
    )
    assert {m.channel: m.status for m in view.messages} == {"email": "sent", "in_app": "delivered"}
    (wait,) = await timers(env, view.id)  # one durable timer: the email waited for the quiet hours' end
    assert timedelta(hours=1, minutes=58) < wait <= timedelta(hours=2)

    status, view = await deliver(
        env, engine, tenant, queue, recipient={"user_id": str(user)}, channels=["email"], priority="high"
    )
    assert status == "sent" and await timers(env, view.id) == []  # high priority ignores quiet hours

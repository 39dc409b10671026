"""The local outbox sender: one stored row per message, however often a send is retried."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from adapters.messaging import OutgoingMessage
from adapters.outbox import OutboxSender
from adapters.registry import sender_for
from db.models import DevOutboxMessage
from db.session import tenant_session
from keel.settings import Settings


def stored(engine, tenant_id):
    with tenant_session(engine, tenant_id) as session:
        return list(session.scalars(select(DevOutboxMessage).where(DevOutboxMessage.tenant_id == tenant_id)))


def test_a_retried_send_stores_one_message_and_answers_the_same(engine, tenant):
    message = OutgoingMessage(
        tenant_id=tenant.id,
        message_id=uuid.uuid4(),
        channel="email",
        to="ada@example.com",
        subject="Welcome",
        text="Hello",
        html="<p>Hello</p>",
        data={"k": "v"},
    )
    sender = OutboxSender(engine)
    first = sender.send(message)
    again = sender.send(message)
    assert first == again and (first.provider, first.status) == ("outbox", "delivered")
    (row,) = stored(engine, tenant.id)
    assert str(row.id) == first.provider_message_id
    assert (row.channel, row.to, row.subject, row.text, row.html, row.data, row.message_id) == (
        "email",
        "ada@example.com",
        "Welcome",
        "Hello",
        "<p>Hello</p>",
        {"k": "v"},
        message.message_id,
    )


def test_messages_land_in_their_own_tenant(engine, make_tenant):
    a, b = make_tenant(), make_tenant()
    sender = OutboxSender(engine)
    for tenant in (a, b):
        sender.send(
            OutgoingMessage(tenant.id, uuid.uuid4(), "sms", "+447700900123", text=f"for {tenant.domain}")
        )
    assert [r.text for r in stored(engine, a.id)] == [f"for {a.domain}"]
    assert [r.text for r in stored(engine, b.id)] == [f"for {b.domain}"]


def test_the_outbox_is_the_default_for_every_channel(engine):
    settings = Settings()
    assert {sender_for(c, settings, engine).provider for c in ("email", "sms", "push")} == {"outbox"}

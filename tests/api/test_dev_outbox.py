"""GET /api/v1/dev/outbox: what the local outbox adapter stored, per tenant, only when switched on."""

from __future__ import annotations

import uuid

from adapters.messaging import OutgoingMessage
from adapters.outbox import OutboxSender
from tests.api.conftest import data, error_of

OUTBOX = "/api/v1/dev/outbox"


def send(engine, tenant_id, channel, to, **extra):
    message = OutgoingMessage(tenant_id, uuid.uuid4(), channel, to, **extra)
    OutboxSender(engine).send(message)
    return message


def test_lists_the_tenants_messages_newest_first_with_filters_and_pages(
    admin, api, make_tenant, tenant, engine
):
    welcome = send(
        engine, tenant.id, "email", "ada@example.com", subject="Welcome", text="Hi", html="<p>Hi</p>"
    )
    code = send(engine, tenant.id, "sms", "+447700900123", text="Code 1234")
    push = send(engine, tenant.id, "push", "https://push.example.com/d/1", subject="Ping", data={"k": 1})
    send(engine, make_tenant().id, "email", "ada@example.com", subject="Someone else's")

    items = data(admin.get(OUTBOX))
    assert [i["message_id"] for i in items] == [
        str(push.message_id),
        str(code.message_id),
        str(welcome.message_id),
    ]
    first = items[-1]
    assert {k: first[k] for k in ("channel", "to", "subject", "text", "html", "data")} == {
        "channel": "email",
        "to": "ada@example.com",
        "subject": "Welcome",
        "text": "Hi",
        "html": "<p>Hi</p>",
        "data": {},
    }
    assert set(first) == {
        "id",
        "channel",
        "to",
        "subject",
        "text",
        "html",
        "data",
        "message_id",
        "created_at",
    }
    assert [i["text"] for i in data(admin.get(OUTBOX, params={"to": "+447700900123"}))] == ["Code 1234"]
    assert [i["subject"] for i in data(admin.get(OUTBOX, params={"channel": "email"}))] == ["Welcome"]
    assert data(admin.get(OUTBOX, params={"to": "nobody@example.com"})) == []

    page = admin.get(OUTBOX, params={"limit": 2}).json()
    assert len(page["data"]) == 2 and page["meta"]["limit"] == 2
    rest = data(admin.get(OUTBOX, params={"limit": 2, "cursor": page["meta"]["next_cursor"]}))
    assert [i["message_id"] for i in rest] == [str(welcome.message_id)]


def test_bad_queries_and_missing_permissions_are_refused(admin, anonymous, api, tenant):
    error_of(anonymous.get(OUTBOX), 401, "unauthenticated")
    fields = error_of(admin.get(OUTBOX, params={"channel": "fax"}), 422, "validation_failed")["details"][
        "fields"
    ]
    assert [f["field"] for f in fields] == ["channel"]
    error_of(admin.get(OUTBOX, params={"limit": 0}), 422, "validation_failed")
    error_of(admin.get(OUTBOX, params={"cursor": "garbage"}), 422, "validation_failed")
    data(admin.post("/api/v1/roles", json={"name": "clerk", "permissions": ["tasks:read"]}), 201)
    data(
        admin.post(
            "/api/v1/users",
            json={"email": f"clerk@{tenant.domain}", "password": "a-long-password", "roles": ["clerk"]},
        ),
        201,
    )
    clerk = api(None).login(f"clerk@{tenant.domain}", "a-long-password")
    assert "notifications:read" in error_of(clerk.get(OUTBOX), 403, "forbidden")["message"]


def test_the_outbox_is_not_found_when_switched_off(live, monkeypatch, admin, tenant, engine):
    send(engine, tenant.id, "email", "ada@example.com", subject="Hidden", text="x")
    monkeypatch.setattr(live.settings, "dev_outbox_enabled", False)
    err = error_of(admin.get(OUTBOX), 404, "not_found")
    assert "KEEL_DEV_OUTBOX_ENABLED" in err["message"]

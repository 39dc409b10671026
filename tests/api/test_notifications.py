"""POST /notifications end to end: a delivery workflow sends through the local outbox and in-app inbox,
with preferences, suppressions, send_at, idempotency and bad input that changes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import Delivery, DevOutboxMessage, Notification, Suppression
from db.session import tenant_session
from tests.api.conftest import data, error_of
from tests.api.test_processes import eventually


@pytest.fixture
def bob(admin, api, tenant):
    user = data(
        admin.post(
            "/api/v1/users",
            json={"email": f"bob@{tenant.domain}", "password": "a-long-password", "roles": ["member"]},
        ),
        201,
    )
    return user, api(None).login(f"bob@{tenant.domain}", "a-long-password")


def settled(admin, delivery_id, *statuses):
    return eventually(
        lambda: (d := data(admin.get(f"/api/v1/notifications/{delivery_id}")))["status"] in statuses and d
    )


def outbox(engine, tenant, to):
    with tenant_session(engine, tenant.id) as session:
        return session.scalars(select(DevOutboxMessage).where(DevOutboxMessage.to == to)).all()


def deliveries_count(engine, tenant):
    with tenant_session(engine, tenant.id) as session:
        return session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.tenant_id == tenant.id)
        )


def test_a_user_gets_email_and_inbox_message_tracked_per_channel(admin, bob, engine, tenant):
    user, client = bob
    r = admin.post(
        "/api/v1/notifications",
        json={
            "recipient": {"user_id": user["id"]},
            "template": "notification",
            "data": {"title": "Invoice INV-7 is overdue", "body": "Please pay 120.00 EUR"},
            "channels": ["email", "in_app"],
            "category": "billing",
        },
    )
    accepted = data(r, 202)
    assert r.headers["Location"] == f"/api/v1/notifications/{accepted['id']}"
    assert accepted["status"] == "queued" and [m["status"] for m in accepted["messages"]] == ["queued"] * 2

    done = settled(admin, accepted["id"], "delivered")
    by_channel = {m["channel"]: m for m in done["messages"]}
    assert by_channel["email"]["status"] == "delivered" and by_channel["email"]["provider"] == "outbox"
    assert by_channel["email"]["address"] == f"bob@{tenant.domain}"
    assert by_channel["email"]["template_version"] == 0 and by_channel["email"]["attempts"][-1]["outcome"]
    (mail,) = outbox(engine, tenant, f"bob@{tenant.domain}")
    assert "Invoice INV-7 is overdue" in mail.subject and "120.00 EUR" in mail.text

    inbox = data(client.get("/api/v1/me/inbox"))
    assert [n["title"] for n in inbox] == ["Invoice INV-7 is overdue"]
    assert inbox[0]["data"]["delivery_id"] == accepted["id"]
    events = data(admin.get("/api/v1/events", params={"type": "notification.delivered"}))
    assert [e["payload"]["delivery_id"] for e in events] == [accepted["id"]]


def test_email_and_phone_recipients_and_the_idempotency_key(admin, engine, tenant):
    body = {
        "recipient": {"email": "Someone@Example.com"},
        "template": "notification",
        "data": {"title": "Welcome", "body": "Hello"},
    }
    first = data(
        admin.post("/api/v1/notifications", json=body, headers={"Idempotency-Key": "welcome-1"}), 202
    )
    again = data(
        admin.post("/api/v1/notifications", json=body, headers={"Idempotency-Key": "welcome-1"}), 202
    )
    assert again["id"] == first["id"] and first["channels"] == ["email"]
    assert first["recipient"] == {"email": "someone@example.com"}
    settled(admin, first["id"], "delivered")
    assert len(outbox(engine, tenant, "someone@example.com")) == 1

    sms = data(
        admin.post(
            "/api/v1/notifications",
            json={
                "recipient": {"phone": "+44 20 7946 0958"},
                "template": "notification",
                "data": {"title": "Hi"},
            },
        ),
        202,
    )
    assert sms["recipient"] == {"phone": "+442079460958"} and sms["channels"] == ["sms"]
    settled(admin, sms["id"], "delivered")
    (text,) = outbox(engine, tenant, "+442079460958")
    assert text.channel == "sms" and "Hi" in text.text


def test_preferences_suppress_a_channel_and_suppressed_addresses_are_skipped(admin, bob, engine, tenant):
    user, client = bob
    data(
        client.http.put(
            "/api/v1/me/notification-preferences",
            json={"timezone": "Europe/Paris", "opt_out": {"billing": ["email"]}},
        )
    )
    sent = data(
        admin.post(
            "/api/v1/notifications",
            json={
                "recipient": {"user_id": user["id"]},
                "template": "notification",
                "data": {"title": "Receipt"},
                "channels": ["email", "in_app", "sms"],
                "category": "billing",
            },
        ),
        202,
    )
    done = settled(admin, sent["id"], "delivered", "sent")
    by_channel = {m["channel"]: m for m in done["messages"]}
    assert by_channel["email"]["status"] == "suppressed-by-preference"
    assert "billing" in by_channel["email"]["status_reason"]
    assert by_channel["sms"]["status"] == "failed" and "phone" in by_channel["sms"]["status_reason"]
    assert by_channel["in_app"]["status"] == "delivered"
    assert outbox(engine, tenant, f"bob@{tenant.domain}") == []

    with tenant_session(engine, tenant.id) as session:
        session.add(
            Suppression(tenant_id=tenant.id, channel="email", address="gone@example.com", reason="bounce")
        )
    bounced = data(
        admin.post(
            "/api/v1/notifications",
            json={
                "recipient": {"email": "gone@example.com"},
                "template": "notification",
                "data": {"title": "x"},
            },
        ),
        202,
    )
    done = settled(admin, bounced["id"], "suppressed")
    assert done["messages"][0]["status"] == "suppressed"
    assert outbox(engine, tenant, "gone@example.com") == []


def test_send_at_waits_and_a_scheduled_notification_can_be_cancelled(admin, engine, tenant):
    soon = datetime.now(UTC) + timedelta(seconds=2)
    later = datetime.now(UTC) + timedelta(days=1)
    body = {"recipient": {"email": "later@example.com"}, "template": "notification", "data": {"title": "t"}}
    first = data(admin.post("/api/v1/notifications", json=body | {"send_at": soon.isoformat()}), 202)
    assert first["status"] == "scheduled"
    assert outbox(engine, tenant, "later@example.com") == []
    done = settled(admin, first["id"], "delivered")
    assert datetime.fromisoformat(done["messages"][0]["sent_at"]) >= soon

    parked = data(admin.post("/api/v1/notifications", json=body | {"send_at": later.isoformat()}), 202)
    cancelled = data(admin.post(f"/api/v1/notifications/{parked['id']}/cancel"))
    assert cancelled["status"] == "cancelled" and cancelled["messages"][0]["status"] == "cancelled"
    error_of(admin.post(f"/api/v1/notifications/{parked['id']}/cancel"), 409, "conflict")
    assert len(outbox(engine, tenant, "later@example.com")) == 1


def test_bad_requests_are_refused_and_write_nothing(admin, bob, engine, tenant, make_tenant, api):
    user, client = bob
    before = deliveries_count(engine, tenant)
    good = {"recipient": {"user_id": user["id"]}, "template": "notification", "data": {"title": "t"}}
    cases = [
        ({**good, "template": "no-such-template"}, "template"),
        ({**good, "recipient": {"user_id": str(uuid.uuid4())}}, "recipient.user_id"),
        ({**good, "recipient": {"email": "a@example.com", "phone": "+442079460958"}}, "recipient"),
        ({**good, "recipient": {}}, "recipient"),
        ({**good, "recipient": {"phone": "+44 12"}}, "recipient.phone"),
        ({**good, "recipient": {"email": "not-an-address"}}, "recipient.email"),
        ({**good, "recipient": {"email": "a@example.com"}, "channels": ["sms"]}, "channels.0"),
        ({**good, "channels": []}, "channels"),
        ({**good, "channels": ["email", "email"]}, "channels"),
        ({**good, "channels": ["fax"]}, "channels.0"),
        ({**good, "send_at": "2030-01-01T10:00:00"}, "send_at"),
        ({**good, "priority": "urgent"}, "priority"),
        ({**good, "surprise": 1}, "surprise"),
        ({**good, "data": {}}, "data.title"),  # the template reads title outside any guard
        ({**good, "data": {"title": None}}, "data.title"),
    ]
    for body, field in cases:
        err = error_of(admin.post("/api/v1/notifications", json=body), 422, "validation_failed")
        assert any(f["field"].startswith(field) for f in err["details"]["fields"]), (field, err)
    assert deliveries_count(engine, tenant) == before

    # A member may not send; another tenant's notification is a 404.
    error_of(client.post("/api/v1/notifications", json=good), 403, "forbidden")
    mine = data(admin.post("/api/v1/notifications", json=good), 202)
    other = api(make_tenant().api_key)
    error_of(other.get(f"/api/v1/notifications/{mine['id']}"), 404, "not_found")
    error_of(client.get(f"/api/v1/notifications/{mine['id']}"), 404, "not_found")


def test_a_send_missing_a_template_variable_is_refused_and_nothing_is_queued(admin, bob, engine, tenant):
    user, _ = bob
    before = deliveries_count(engine, tenant)
    body: dict[str, Any] = {
        "recipient": {"user_id": user["id"]},
        "template": "task-assigned",
        "data": {"task_title": "Approve PO-7"},
        "channels": ["email", "in_app"],
    }
    err = error_of(admin.post("/api/v1/notifications", json=body), 422, "validation_failed")
    assert [f["field"] for f in err["details"]["fields"]] == ["data.process"]
    assert "process" in err["message"]
    assert deliveries_count(engine, tenant) == before
    with tenant_session(engine, tenant.id) as session:
        assert session.scalar(select(func.count()).select_from(Notification)) == 0  # no inbox row either

    # Only the channels sent count: the sms wording of "notification" needs no more than a title.
    sms = {"recipient": {"phone": "+442079460958"}, "template": "notification", "data": {"title": "Hi"}}
    data(admin.post("/api/v1/notifications", json=sms), 202)
    sent = data(
        admin.post("/api/v1/notifications", json=body | {"data": {**body["data"], "process": "PO"}}), 202
    )
    done = settled(admin, sent["id"], "delivered")
    assert {m["status"] for m in done["messages"]} == {"delivered"}
    (mail,) = outbox(engine, tenant, f"bob@{tenant.domain}")
    assert "You have a new task in PO: Approve PO-7." in mail.text


def test_a_send_whose_template_runs_away_fails_that_channel_cleanly(admin, engine, tenant):
    loops = (
        "{% for a in items %}{% for b in items %}{% for c in items %}{% endfor %}{% endfor %}{% endfor %}ok"
    )
    data(
        admin.post(
            "/api/v1/notification-templates",
            json={"key": "loops", "channels": {"email": {"en": {"subject": "s", "text": loops}}}},
        ),
        201,
    )
    sent = data(
        admin.post(
            "/api/v1/notifications",
            json={
                "recipient": {"email": "loops@example.com"},
                "template": "loops",
                "data": {"items": list(range(3000))},
            },
        ),
        202,
    )
    done = settled(admin, sent["id"], "failed")
    (message,) = done["messages"]
    assert message["status"] == "failed" and "longer than 1 s" in message["status_reason"]
    assert outbox(engine, tenant, "loops@example.com") == []


@pytest.mark.parametrize("status", ["bogus", "QUEUED", "", "delivered;"])
def test_an_unknown_status_filter_is_a_422(admin, status):
    err = error_of(admin.get("/api/v1/notifications", params={"status": status}), 422, "validation_failed")
    assert any(f["field"].endswith("status") for f in err["details"]["fields"])


def test_every_delivery_status_is_a_valid_filter(admin):
    for status in (
        "queued",
        "scheduled",
        "sending",
        "sent",
        "delivered",
        "failed",
        "suppressed",
        "cancelled",
    ):
        assert isinstance(data(admin.get("/api/v1/notifications", params={"status": status})), list)


def test_a_message_that_renders_blank_fails_instead_of_going_out_empty(admin, engine, tenant):
    subject = "{% if order %}Order {{ order }}{% endif %}"
    data(
        admin.post(
            "/api/v1/notification-templates",
            json={"key": "maybe", "channels": {"email": {"en": {"subject": subject, "text": "Thanks"}}}},
        ),
        201,
    )
    body = {"recipient": {"email": "maybe@example.com"}, "template": "maybe", "data": {}}
    blank = data(admin.post("/api/v1/notifications", json=body), 202)
    (message,) = settled(admin, blank["id"], "failed")["messages"]
    assert message["status"] == "failed" and "empty subject" in message["status_reason"]
    assert outbox(engine, tenant, "maybe@example.com") == []
    full = data(admin.post("/api/v1/notifications", json=body | {"data": {"order": "A-1"}}), 202)
    settled(admin, full["id"], "delivered")
    (mail,) = outbox(engine, tenant, "maybe@example.com")
    assert mail.subject == "Order A-1"


def test_a_line_break_in_the_data_does_not_reach_the_subject(admin, engine, tenant):
    title = "Invoice 7\r\nBcc: someone@example.com"
    body = {"recipient": {"email": "lines@example.com"}, "template": "notification", "data": {"title": title}}
    sent = data(admin.post("/api/v1/notifications", json=body), 202)
    settled(admin, sent["id"], "delivered")
    (mail,) = outbox(engine, tenant, "lines@example.com")
    assert mail.subject == "Invoice 7 Bcc: someone@example.com"


def test_cancel_by_a_member_is_a_documented_403(admin, bob, anonymous):
    _, client = bob
    body = {"recipient": {"email": "keep@example.com"}, "template": "notification", "data": {"title": "t"}}
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    parked = data(admin.post("/api/v1/notifications", json=body | {"send_at": later}), 202)
    error_of(client.post(f"/api/v1/notifications/{parked['id']}/cancel"), 403, "forbidden")
    assert data(admin.get(f"/api/v1/notifications/{parked['id']}"))["status"] == "scheduled"
    spec = anonymous.get("/openapi.json").json()
    documented = spec["paths"]["/api/v1/notifications/{delivery_id}/cancel"]["post"]["responses"]
    assert {"403", "404", "409"} <= set(documented)
    data(admin.post(f"/api/v1/notifications/{parked['id']}/cancel"))

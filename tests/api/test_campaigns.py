"""Campaigns through the API: fan-out under a rate limit, live progress, cancel, bad input."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from db.models import Campaign, Delivery, DeliveryMessage, DevOutboxMessage, Role, User, UserRole
from db.session import tenant_session
from tests.api.conftest import data, error_of
from tests.api.test_processes import eventually


def seed_users(engine, tenant, n: int, role: str | None = None) -> list[str]:
    """Users written straight to the table (no password hashing: nobody logs in as them)."""
    with tenant_session(engine, tenant.id) as session:
        role_row = None
        if role:
            role_row = Role(tenant_id=tenant.id, name=role, permissions=[])
            session.add(role_row)
            session.flush()
        emails = []
        for i in range(n):
            user = User(tenant_id=tenant.id, email=f"{role or 'user'}{i}@{tenant.domain}", password_hash="!")
            session.add(user)
            session.flush()
            if role_row:
                session.add(UserRole(tenant_id=tenant.id, user_id=user.id, role_id=role_row.id))
            emails.append(user.email)
        return emails


def outbox_to(engine, tenant, emails):
    with tenant_session(engine, tenant.id) as session:
        rows = session.execute(
            select(DevOutboxMessage.to, func.count())
            .where(DevOutboxMessage.to.in_(emails))
            .group_by(DevOutboxMessage.to)
        ).all()
    return dict(rows)


def test_a_campaign_reaches_each_member_of_a_role_once(admin, engine, tenant):
    customers = seed_users(engine, tenant, 40, role="customer")
    others = seed_users(engine, tenant, 5)
    r = admin.post(
        "/api/v1/campaigns",
        json={
            "name": "Spring offer",
            "template": "campaign",
            "audience": {"users": {"roles": ["customer"]}},
            "channels": ["email", "in_app"],
            "data": {"subject": "Spring offer", "body": "20% off"},
            "rate_per_minute": 6000,
        },
    )
    started = data(r, 202)
    assert r.headers["Location"] == f"/api/v1/campaigns/{started['id']}"
    assert started["status"] == "scheduled" and started["category"] == "marketing"

    done = eventually(
        lambda: (c := data(admin.get(f"/api/v1/campaigns/{started['id']}")))["status"] == "completed" and c,
        timeout=30,
    )
    assert done["progress"] == {
        "total": 40,
        "sent": 40,
        "failed": 0,
        "suppressed": 0,
        "cancelled": 0,
        "pending": 0,
    }
    assert outbox_to(engine, tenant, customers) == {email: 1 for email in customers}
    assert outbox_to(engine, tenant, others) == {}
    listed = data(admin.get("/api/v1/notifications", params={"campaign_id": started["id"], "limit": 200}))
    assert len(listed) == 40 and {d["status"] for d in listed} == {"delivered"}
    assert started["id"] in [c["id"] for c in data(admin.get("/api/v1/campaigns"))]


def test_contacts_campaign_progress_and_cancel(admin, engine, tenant):
    contacts = [{"email": f"c{i}@example.com"} for i in range(30)]
    started = data(
        admin.post(
            "/api/v1/campaigns",
            json={
                "template": "campaign",
                "audience": {"recipients": [*contacts, {"email": "C0@example.com"}]},  # a duplicate
                "channels": ["email"],
                "data": {"subject": "Hi", "body": "News"},
                "rate_per_minute": 120,  # two a second: slow enough to stop half-way
            },
        ),
        202,
    )
    cid = started["id"]
    running = eventually(
        lambda: (c := data(admin.get(f"/api/v1/campaigns/{cid}")))["progress"]["sent"] >= 2 and c
    )
    assert running["status"] == "running" and running["progress"]["total"] == 30
    assert running["progress"]["pending"] > 0  # readable while it runs

    data(admin.post(f"/api/v1/campaigns/{cid}/cancel"), 202)
    final = eventually(
        lambda: (c := data(admin.get(f"/api/v1/campaigns/{cid}")))["status"] == "cancelled" and c
    )
    progress = final["progress"]
    assert progress["sent"] + progress["cancelled"] == 30 and progress["cancelled"] > 0
    sent = sum(outbox_to(engine, tenant, [c["email"] for c in contacts]).values())
    assert sent == progress["sent"]
    # The messages of the deliveries it never reached are cancelled too, not left queued.
    dropped = data(
        admin.get("/api/v1/notifications", params={"campaign_id": cid, "status": "cancelled", "limit": 200})
    )
    assert len(dropped) == progress["cancelled"]
    assert {m["status"] for d in dropped for m in d["messages"]} == {"cancelled"}
    with tenant_session(engine, tenant.id) as session:
        queued = session.scalar(
            select(func.count())
            .select_from(DeliveryMessage)
            .join(Delivery, Delivery.id == DeliveryMessage.delivery_id)
            .where(Delivery.campaign_id == uuid.UUID(cid), DeliveryMessage.status == "queued")
        )
    assert queued == 0
    error_of(admin.post(f"/api/v1/campaigns/{cid}/cancel"), 409, "conflict")


def test_bad_campaigns_are_refused_and_write_nothing(admin, api, engine, tenant, make_tenant):
    def count():
        with tenant_session(engine, tenant.id) as session:
            return session.scalar(select(func.count()).select_from(Campaign))

    good = {
        "template": "campaign",
        "audience": {"users": {}},
        "channels": ["email"],
        "rate_per_minute": 60,
        "data": {"subject": "News"},
    }
    cases = [
        ({**good, "template": "nope"}, "template"),
        ({**good, "audience": {}}, "audience"),
        ({**good, "audience": {"users": {}, "recipients": [{"email": "a@example.com"}]}}, "audience"),
        ({**good, "audience": {"users": {"roles": ["ghosts"]}}}, "audience.users.roles.0"),
        (
            {**good, "audience": {"recipients": [{"email": "a@example.com"}]}, "channels": ["sms"]},
            "channels.0",
        ),
        ({**good, "audience": {"recipients": [{"phone": "12"}]}}, "audience.recipients"),
        ({**good, "rate_per_minute": 0}, "rate_per_minute"),
        ({**good, "channels": []}, "channels"),
        ({**good, "send_at": "2030-01-01T00:00:00"}, "send_at"),
        ({**good, "data": {"body": "no subject"}}, "data.subject"),  # would go out with a blank subject
    ]
    before = count()
    for body, field in cases:
        err = error_of(admin.post("/api/v1/campaigns", json=body), 422, "validation_failed")
        assert any(f["field"].startswith(field) for f in err["details"]["fields"]), (field, err)
    assert count() == before
    other = api(make_tenant().api_key)
    error_of(other.get(f"/api/v1/campaigns/{uuid.uuid4()}"), 404, "not_found")

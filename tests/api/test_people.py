"""GET /people/{email}/export and POST /people/{email}/erase end to end: what is found, what erasure
leaves, the audit chain still verifying, and refusals that change nothing."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, Text, cast, func, select

from db.models import AuditLog, Booking, Entity, User
from db.session import tenant_session
from domain.audit import chain
from tests.api import invoice_helpers as billing
from tests.api.conftest import Api, data, error_of
from tests.conftest import TenantFixture

PASSWORD = "a-long-password"
CONTACT = {
    "type": "object",
    "properties": {"email": {"type": "string"}, "name": {"type": "string"}, "tier": {"type": "integer"}},
}


@pytest.fixture(autouse=True)
def no_settling(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(chain, "SETTLE", timedelta(0))
    yield


def _settled(admin: Api, delivery_id: str) -> None:
    deadline = time.monotonic() + 20
    while data(admin.get(f"/api/v1/notifications/{delivery_id}"))["status"] in ("queued", "sending"):
        assert time.monotonic() < deadline, "the delivery did not settle"
        time.sleep(0.2)


def _person(admin: Api, engine: Engine, tenant: TenantFixture) -> dict[str, Any]:
    """Zoe: a user, a billing customer, a contact record, a booking's attendee and an email sent to her."""
    email = f"Zoe.Smith+{tenant.domain.split('.')[0]}@Keel-People.net"  # deliverable: not a .test domain
    user = data(
        admin.post("/api/v1/users", json={"email": email, "password": PASSWORD, "full_name": "Zoe Smith"}),
        201,
    )
    customer = billing.customer(engine, tenant.id, email=email.lower(), name="Zoe Smith")
    data(admin.post("/api/v1/entity-types", json={"name": "contact", "schema": CONTACT}), 201)
    record = data(
        admin.post(
            "/api/v1/entities/contact", json={"attributes": {"email": email, "name": "Zoe Smith", "tier": 2}}
        ),
        201,
    )
    sent = data(
        admin.post(
            "/api/v1/notifications",
            json={
                "recipient": {"email": email},
                "template": "notification",
                "data": {"title": "Hello", "body": "Welcome"},
                "channels": ["email"],
            },
        ),
        202,
    )
    _settled(admin, sent["id"])
    with tenant_session(engine, tenant.id) as session:  # an attendee of a booking, written as stored
        start = datetime.now(UTC) + timedelta(days=1)
        attendee = {"email": email, "name": "Zoe Smith"}
        booking = Booking(
            tenant_id=tenant.id,
            status="confirmed",
            start_at=start,
            end_at=start + timedelta(hours=1),
            details={"attendees": [attendee, {"email": "other@example.com", "name": "Other"}]},
        )
        session.add(booking)
        session.flush()
    return {
        "email": email,
        "user": user,
        "customer": customer,
        "record": record,
        "delivery": sent["id"],
        "booking": booking.id,
    }


def test_export_then_erase_and_the_chain_still_verifies(
    admin: Api, api: Callable[[str | None], Api], engine: Engine, tenant: TenantFixture
) -> None:
    zoe = _person(admin, engine, tenant)
    found = data(admin.get(f"/api/v1/people/{zoe['email']}/export"))
    assert found["email"] == zoe["email"].lower() and found["user"]["id"] == zoe["user"]["id"]
    assert "password_hash" not in found["user"]
    assert [c["id"] for c in found["customers"]] == [str(zoe["customer"])]
    assert [e["id"] for e in found["entities"]] == [zoe["record"]["id"]]
    assert [d["id"] for d in found["deliveries"]] == [zoe["delivery"]]
    assert [m["address"].lower() for m in found["delivery_messages"]] == [zoe["email"].lower()]
    assert [b["id"] for b in found["bookings"]] == [str(zoe["booking"])]
    assert any(a["action"] == "user.created" for a in found["audit"])

    sealed = data(admin.get("/api/v1/audit/verify"))  # the rows naming her are sealed before erasure
    assert sealed["ok"] is True and sealed["unsealed"] == 0
    signed_in = api(None).login(zoe["email"], PASSWORD)
    assert signed_in.get("/api/v1/me").status_code == 200
    erased = data(admin.post(f"/api/v1/people/{zoe['email']}/erase"))
    digest = erased["email_hash"]
    assert len(digest) == 64 and erased["erased"]["user"] == 1 and erased["erased"]["audit"] >= 1

    assert signed_in.get("/api/v1/me").status_code == 401  # sessions ended, user deactivated
    error_of(admin.get(f"/api/v1/people/{zoe['email']}/export"), 404, "not_found")  # held nowhere now
    with tenant_session(engine, tenant.id) as session:
        user = session.get(User, zoe["user"]["id"])
        record = session.get(Entity, zoe["record"]["id"])
        booking = session.get(Booking, zoe["booking"])
        mentions = session.scalar(
            select(func.count())
            .select_from(AuditLog)
            .where(cast(AuditLog.changes, Text).ilike(f"%{zoe['email']}%"))
        )
        logged = session.scalars(select(AuditLog).where(AuditLog.action == "person.erased")).all()
    assert user is not None and user.email == digest and user.full_name == "erased" and not user.is_active
    assert record is not None and record.attributes == {"email": digest, "name": "erased", "tier": 2}
    assert booking is not None and booking.details["attendees"] == [
        {"email": digest, "name": "erased"},
        {"email": "other@example.com", "name": "Other"},
    ]
    assert mentions == 0 and [a.entity_id for a in logged] == [digest]
    verdict = data(admin.get("/api/v1/audit/verify"))
    assert verdict["ok"] is True and verdict["sealed"] > sealed["sealed"], verdict


def test_refusals_change_nothing(
    admin: Api, api: Callable[[str | None], Api], engine: Engine, tenant: TenantFixture
) -> None:
    data(
        admin.post("/api/v1/roles", json={"name": "auditor", "permissions": ["audit:read", "users:read"]}),
        201,
    )
    email = f"auditor@{tenant.domain}"
    data(admin.post("/api/v1/users", json={"email": email, "password": PASSWORD, "roles": ["auditor"]}), 201)
    auditor = api(None).login(email, PASSWORD)
    with tenant_session(engine, tenant.id) as session:
        before = session.scalar(select(func.count()).select_from(AuditLog))
    error_of(auditor.get(f"/api/v1/people/{email}/export"), 403, "forbidden")
    error_of(auditor.post(f"/api/v1/people/{email}/erase"), 403, "forbidden")
    error_of(admin.get("/api/v1/people/not-an-address/export"), 422, "validation_failed")
    error_of(admin.post(f"/api/v1/people/nobody@{tenant.domain}/erase"), 404, "not_found")
    error_of(admin.get(f"/api/v1/people/nobody@{tenant.domain}/export"), 404, "not_found")
    with tenant_session(engine, tenant.id) as session:
        assert session.scalar(select(func.count()).select_from(AuditLog)) == before
        assert session.scalar(select(User.is_active).where(User.email == email)) is True

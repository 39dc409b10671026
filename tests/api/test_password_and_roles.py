"""Passwords and roles through the live API: changing one's password ends one's sessions; a reset by
email answers the same whether the address exists or not, and its single-use, expiring token sets the
password and ends every session; deleting a role (never admin; a held one only with force) narrows
its users everywhere; failed sign-ins of a known account are audited in its tenant; and every bad
input a clear 4xx that changes nothing."""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from db.models import AuditLog, DevOutboxMessage, PasswordReset
from db.session import tenant_session
from tests.api.conftest import Api, data, error_of

PASSWORD = "a-long-password"
NEW_PASSWORD = "a-new-and-longer-password"
RESET = "/api/v1/auth/password-reset"
CONFIRM = "/api/v1/auth/password-reset/confirm"
TOKEN = "/api/v1/auth/token"


def person(admin: Api, tenant: Any, roles: list[str] | None = None) -> dict[str, str]:
    email = f"p{uuid.uuid4().hex[:8]}@{tenant.domain}"
    body = {"email": email, "password": PASSWORD, "roles": roles if roles is not None else ["member"]}
    return {"email": email, "id": data(admin.post("/api/v1/users", json=body), 201)["id"]}


def sign_in(anonymous: Api, email: str, password: str = PASSWORD) -> dict[str, Any]:
    r = anonymous.post(TOKEN, data={"username": email, "password": password})
    assert r.status_code == 200, r.text
    return dict(r.json())


def audit_rows(engine: Any, tenant: Any, action: str, entity_id: str) -> list[AuditLog]:
    with tenant_session(engine, tenant.id) as s:
        stmt = select(AuditLog).where(AuditLog.action == action, AuditLog.entity_id == entity_id)
        return list(s.scalars(stmt))


def from_ip(ip: str) -> dict[str, str]:
    """The client address the API sees (uvicorn trusts X-Forwarded-For from loopback)."""
    return {"X-Forwarded-For": ip}


def reset_token(engine: Any, tenant: Any, email: str, timeout: float = 60) -> str:
    """The token of the newest reset email to ``email`` in the local outbox."""
    deadline = time.monotonic() + timeout
    while True:
        with tenant_session(engine, tenant.id) as s:
            texts = list(
                s.scalars(
                    select(DevOutboxMessage.text)
                    .where(DevOutboxMessage.to == email)
                    .order_by(DevOutboxMessage.created_at.desc())
                )
            )
        found = [m.group(0) for t in texts if (m := re.search(r"keel_pr_[0-9a-f]{32}\.[0-9a-f]{32}\.\S+", t))]
        if found:
            return found[0]
        assert time.monotonic() < deadline, "no reset email arrived"
        time.sleep(0.1)


# -- password change -------------------------------------------------------------------------------
def test_changing_ones_password_ends_ones_sessions(api, anonymous, admin, tenant):
    who = person(admin, tenant)
    tokens = sign_in(anonymous, who["email"])
    me = api(tokens["access_token"])
    bad = [
        ({"current_password": "wrong-password!", "new_password": NEW_PASSWORD}, "current_password"),
        ({"current_password": PASSWORD, "new_password": "short-one"}, "new_password"),
        ({"current_password": PASSWORD, "new_password": who["email"].upper()}, "new_password"),
        ({"current_password": PASSWORD, "new_password": PASSWORD + "x", "extra": 1}, "extra"),
        ({"current_password": PASSWORD}, "new_password"),
    ]
    for body, field in bad:
        fields = error_of(me.post("/api/v1/me/password", json=body), 422, "validation_failed")["details"]
        assert field in [f["field"] for f in fields["fields"]], (body, fields)
    assert me.get("/api/v1/me").status_code == 200  # nothing changed: the session stands
    sign_in(anonymous, who["email"])

    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    r = me.post("/api/v1/me/password", json=body)
    assert data(r)["revoked"] == 2 and "sign in again" in r.json()["message"]
    error_of(me.get("/api/v1/me"), 401, "unauthenticated")
    r = anonymous.post(TOKEN, data={"username": who["email"], "password": PASSWORD})
    error_of(r, 401, "unauthenticated")
    sign_in(anonymous, who["email"], NEW_PASSWORD)


# -- password reset --------------------------------------------------------------------------------
def test_a_reset_answers_alike_whether_the_address_exists_or_not(anonymous, admin, tenant, engine):
    who = person(admin, tenant)
    headers = from_ip("198.51.100.7")
    answers = []
    for email in (who["email"], f"nobody-{uuid.uuid4().hex[:6]}@{tenant.domain}"):
        started = time.monotonic()
        r = anonymous.post(RESET, json={"email": email}, headers=headers)
        answers.append((r.status_code, {k: v for k, v in r.json().items() if k != "timestamp"}))
        assert time.monotonic() - started < 1.0  # answered before any lookup
    assert answers[0] == answers[1] and answers[0][0] == 202
    assert answers[0][1]["data"] is None
    assert reset_token(engine, tenant, who["email"]).startswith("keel_pr_")


def test_a_reset_token_sets_the_password_once_and_ends_every_session(api, anonymous, admin, tenant, engine):
    who = person(admin, tenant)
    me = api(sign_in(anonymous, who["email"])["access_token"])
    headers = from_ip("198.51.100.8")
    r = anonymous.post(RESET, json={"email": who["email"].upper(), "tenant": tenant.domain}, headers=headers)
    assert r.status_code == 202, r.text
    token = reset_token(engine, tenant, who["email"])

    for bad in (
        "nonsense",
        "keel_pr_zz.yy.xx",
        f"keel_pr_{uuid.uuid4().hex}.{uuid.uuid4().hex}.abc",
        token + "x",
    ):
        error_of(
            anonymous.post(CONFIRM, json={"token": bad, "new_password": NEW_PASSWORD}), 400, "bad_request"
        )
    for weak in ("too-short", who["email"]):
        r = anonymous.post(CONFIRM, json={"token": token, "new_password": weak})
        error_of(r, 422, "validation_failed")
    assert me.get("/api/v1/me").status_code == 200  # nothing changed yet

    done = anonymous.post(CONFIRM, json={"token": token, "new_password": NEW_PASSWORD})
    assert data(done)["revoked"] == 1
    error_of(me.get("/api/v1/me"), 401, "unauthenticated")
    sign_in(anonymous, who["email"], NEW_PASSWORD)
    error_of(
        anonymous.post(TOKEN, data={"username": who["email"], "password": PASSWORD}), 401, "unauthenticated"
    )
    again = anonymous.post(CONFIRM, json={"token": token, "new_password": "yet-another-password"})
    error_of(again, 410, "gone")
    sign_in(anonymous, who["email"], NEW_PASSWORD)
    assert audit_rows(engine, tenant, "user.password_reset", who["id"])
    with tenant_session(engine, tenant.id) as s:  # stored hashed, never as sent
        hashes = list(s.scalars(select(PasswordReset.token_hash).where(PasswordReset.user_id == who["id"])))
    assert hashes and token not in hashes and all(len(h) == 64 for h in hashes)


def test_an_expired_or_replaced_reset_token_is_gone(anonymous, admin, tenant, engine):
    who = person(admin, tenant)
    headers = from_ip("198.51.100.9")
    assert anonymous.post(RESET, json={"email": who["email"]}, headers=headers).status_code == 202
    first = reset_token(engine, tenant, who["email"])
    assert anonymous.post(RESET, json={"email": who["email"]}, headers=headers).status_code == 202
    deadline = time.monotonic() + 60
    while (second := reset_token(engine, tenant, who["email"])) == first:
        assert time.monotonic() < deadline, "no second reset email"
        time.sleep(0.1)
    error_of(anonymous.post(CONFIRM, json={"token": first, "new_password": NEW_PASSWORD}), 410, "gone")

    with tenant_session(engine, tenant.id) as s:
        s.execute(
            update(PasswordReset)
            .where(PasswordReset.user_id == who["id"], PasswordReset.used_at.is_(None))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    error_of(anonymous.post(CONFIRM, json={"token": second, "new_password": NEW_PASSWORD}), 410, "gone")
    sign_in(anonymous, who["email"])  # the password is unchanged


def test_reset_requests_are_throttled_per_address(anonymous, live):
    headers = from_ip(f"203.0.113.{uuid.uuid4().int % 250 + 1}")
    for i in range(live.settings.login_attempts_per_minute):
        body = {"email": f"x{i}-{uuid.uuid4().hex[:6]}@nowhere.example"}
        assert anonymous.post(RESET, json=body, headers=headers).status_code == 202
    r = anonymous.post(RESET, json={"email": "late@nowhere.example"}, headers=headers)
    assert "password reset" in error_of(r, 429, "rate_limited")["message"]
    assert int(r.headers["retry-after"]) > 0
    error_of(
        anonymous.post(RESET, json={"email": "x"}, headers=from_ip("192.0.2.1")), 422, "validation_failed"
    )


# -- roles -----------------------------------------------------------------------------------------
def test_deleting_a_role_refuses_admin_and_held_roles_unless_forced(api, anonymous, admin, tenant, engine):
    roles = {r["name"]: r for r in data(admin.get("/api/v1/roles", params={"limit": 200}))}
    refused = error_of(admin.delete(f"/api/v1/roles/{roles['admin']['id']}"), 409, "conflict")
    assert "admin" in refused["message"]
    error_of(admin.delete(f"/api/v1/roles/{uuid.uuid4()}"), 404, "not_found")

    name = f"r{uuid.uuid4().hex[:8]}"
    role = data(admin.post("/api/v1/roles", json={"name": name, "permissions": ["users:read"]}), 201)
    who = person(admin, tenant, roles=[name])
    user = api(sign_in(anonymous, who["email"])["access_token"])
    assert user.get("/api/v1/users").status_code == 200

    held = error_of(admin.delete(f"/api/v1/roles/{role['id']}"), 409, "conflict")
    assert held["details"]["users"] == 1
    assert user.get("/api/v1/users").status_code == 200  # nothing changed

    # A role manager without users:write cannot force it away from its users.
    manager = person(admin, tenant, roles=[])
    mname = f"m{uuid.uuid4().hex[:8]}"
    data(admin.post("/api/v1/roles", json={"name": mname, "permissions": ["roles:write", "users:read"]}), 201)
    data(admin.patch(f"/api/v1/users/{manager['id']}", json={"roles": [mname]}))
    as_manager = api(sign_in(anonymous, manager["email"])["access_token"])
    error_of(as_manager.delete(f"/api/v1/roles/{role['id']}?force=true"), 403, "forbidden")
    assert name in {r["name"] for r in data(admin.get("/api/v1/roles", params={"limit": 200}))}

    gone = admin.delete(f"/api/v1/roles/{role['id']}", params={"force": "true"})
    assert data(gone)["name"] == name
    error_of(user.get("/api/v1/users"), 403, "forbidden")  # narrowed at once
    assert data(admin.get(f"/api/v1/users/{who['id']}"))["roles"] == []
    assert name not in {r["name"] for r in data(admin.get("/api/v1/roles", params={"limit": 200}))}
    error_of(admin.get(f"/api/v1/roles/{role['id']}"), 404, "not_found")
    assert audit_rows(engine, tenant, "role.deleted", role["id"])
    data(admin.post("/api/v1/roles", json={"name": name, "permissions": []}), 201)  # the name is free


# -- failed sign-ins -------------------------------------------------------------------------------
def test_a_wrong_password_for_a_known_account_is_audited_in_its_tenant(anonymous, admin, tenant, engine):
    who = person(admin, tenant)
    r = anonymous.post(TOKEN, data={"username": who["email"], "password": "not-the-password"})
    assert error_of(r, 401, "unauthenticated")["message"] == "Invalid credentials."
    rows = audit_rows(engine, tenant, "auth.sign_in_failed", who["id"])
    assert len(rows) == 1 and rows[0].actor_id == uuid.UUID(who["id"])
    r = anonymous.post(TOKEN, data={"username": f"ghost@{tenant.domain}", "password": "whatever-it-is"})
    assert error_of(r, 401, "unauthenticated")["message"] == "Invalid credentials."

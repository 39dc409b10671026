"""Sign-in sessions and the second factor through the live API: refresh tokens rotate and a reused
one revokes its session; logout and revoked sessions stop their access tokens; TOTP enrolment with
a QR code, the two-step sign-in, codes that cannot be replayed, single-use recovery codes; a tenant
policy that asks for a factor; an administrator ending a user's sessions or removing a lost factor;
and every bad input a clear 4xx that changes nothing."""

from __future__ import annotations

import base64
import time
import uuid
from typing import Any

import httpx
import pyotp
import pytest
from sqlalchemy import select

from db.models import AuditLog
from db.session import tenant_session
from tests.api.conftest import Api, data, error_of
from tests.api.test_billing_catalog_helpers import user_with

TOKEN = "/api/v1/auth/token"
PASSWORD = "a-long-password"


@pytest.fixture
def person(admin, tenant) -> dict[str, str]:
    email = f"p{uuid.uuid4().hex[:8]}@{tenant.domain}"
    body = {"email": email, "password": PASSWORD, "roles": ["member"]}
    user = data(admin.post("/api/v1/users", json=body), 201)
    return {"email": email, "id": user["id"]}


def sign_in(anonymous: Api, email: str, password: str = PASSWORD) -> httpx.Response:
    return anonymous.post(TOKEN, data={"username": email, "password": password})


def tokens(anonymous: Api, email: str) -> dict[str, Any]:
    r = sign_in(anonymous, email)
    assert r.status_code == 200, r.text
    return r.json()


def as_(api, token: str) -> Api:
    return api(token)


def refresh(anonymous: Api, refresh_token: str) -> httpx.Response:
    return anonymous.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": refresh_token})


def audit_actions(engine, tenant, prefix: str) -> list[str]:
    with tenant_session(engine, tenant.id) as s:
        return list(s.scalars(select(AuditLog.action).where(AuditLog.action.like(f"{prefix}%"))))


def test_refresh_tokens_rotate_and_a_reused_one_revokes_the_session(api, anonymous, person):
    first = tokens(anonymous, person["email"])
    assert (
        first["refresh_token"].startswith("keel_rt_")
        and first["data"]["refresh_token"] == first["refresh_token"]
    )
    me = as_(api, first["access_token"])
    assert data(me.get("/api/v1/me"))["email"] == person["email"]

    second = refresh(anonymous, first["refresh_token"])
    assert second.status_code == 200, second.text
    rotated = second.json()
    assert (
        rotated["refresh_token"] != first["refresh_token"]
        and rotated["access_token"] != first["access_token"]
    )
    assert data(as_(api, rotated["access_token"]).get("/api/v1/me"))["id"] == person["id"]

    # The first refresh token again: it was copied. The whole session ends, here and everywhere.
    reused = refresh(anonymous, first["refresh_token"])
    assert "used before" in error_of(reused, 401, "unauthenticated")["message"]
    error_of(refresh(anonymous, rotated["refresh_token"]), 401, "unauthenticated")
    error_of(as_(api, rotated["access_token"]).get("/api/v1/me"), 401, "unauthenticated")
    error_of(me.get("/api/v1/me"), 401, "unauthenticated")


def test_logout_and_ending_a_session_stop_its_tokens_and_no_other(api, anonymous, person):
    laptop, phone = tokens(anonymous, person["email"]), tokens(anonymous, person["email"])
    on_laptop, on_phone = as_(api, laptop["access_token"]), as_(api, phone["access_token"])
    listed = data(on_laptop.get("/api/v1/me/sessions"))
    assert len(listed) == 2 and [s["current"] for s in listed].count(True) == 1
    phone_session = next(s for s in listed if not s["current"])
    assert on_laptop.delete(f"/api/v1/me/sessions/{phone_session['id']}").status_code == 204
    error_of(on_phone.get("/api/v1/me"), 401, "unauthenticated")
    error_of(refresh(anonymous, phone["refresh_token"]), 401, "unauthenticated")
    assert data(on_laptop.get("/api/v1/me"))["id"] == person["id"]
    error_of(on_laptop.delete(f"/api/v1/me/sessions/{phone_session['id']}"), 404, "not_found")

    assert on_laptop.post("/api/v1/auth/logout").status_code == 204
    error_of(on_laptop.get("/api/v1/me"), 401, "unauthenticated")
    error_of(refresh(anonymous, laptop["refresh_token"]), 401, "unauthenticated")


def test_another_users_session_cannot_be_seen_or_ended(api, anonymous, admin, person, tenant):
    mine = tokens(anonymous, person["email"])
    theirs = user_with(admin, api, tenant, "processes:read")
    their_sessions = data(theirs.get("/api/v1/me/sessions"))
    [own] = data(as_(api, mine["access_token"]).get("/api/v1/me/sessions"))
    assert own["id"] not in {s["id"] for s in their_sessions}
    error_of(theirs.delete(f"/api/v1/me/sessions/{own['id']}"), 404, "not_found")
    assert data(as_(api, mine["access_token"]).get("/api/v1/me"))["id"] == person["id"]


def test_an_admin_ends_a_users_sessions_and_deactivating_ends_them_too(api, anonymous, admin, person):
    one, two = tokens(anonymous, person["email"]), tokens(anonymous, person["email"])
    assert data(admin.delete(f"/api/v1/users/{person['id']}/sessions")) == {"revoked": 2}
    for t in (one, two):
        error_of(as_(api, t["access_token"]).get("/api/v1/me"), 401, "unauthenticated")
        error_of(refresh(anonymous, t["refresh_token"]), 401, "unauthenticated")
    three = tokens(anonymous, person["email"])
    data(admin.patch(f"/api/v1/users/{person['id']}", json={"is_active": False}))
    error_of(refresh(anonymous, three["refresh_token"]), 401, "unauthenticated")
    data(admin.patch(f"/api/v1/users/{person['id']}", json={"is_active": True}))
    error_of(refresh(anonymous, three["refresh_token"]), 401, "unauthenticated")  # ended for good


def enrol(me: Api) -> pyotp.TOTP:
    got = data(me.post("/api/v1/me/mfa/totp"), 201)
    assert (
        got["otpauth_uri"].startswith("otpauth://totp/Keel:")
        and "secret=" + got["secret"] in got["otpauth_uri"]
    )
    assert base64.b64decode(got["qr_png"]).startswith(b"\x89PNG\r\n\x1a\n")
    return pyotp.TOTP(got["secret"])


def next_code(totp: pyotp.TOTP) -> str:
    """A code of a step not used yet (codes are single-use: wait for the next step if need be)."""
    step = int(time.time()) // 30
    while int(time.time()) // 30 == step:
        time.sleep(0.2)
    return totp.now()


def test_a_second_factor_makes_sign_in_two_steps_and_codes_work_once(api, anonymous, person, engine, tenant):
    me = as_(api, tokens(anonymous, person["email"])["access_token"])
    assert data(me.get("/api/v1/me/mfa"))["enabled"] is False
    totp = enrol(me)
    error_of(me.post("/api/v1/me/mfa/totp/confirm", json={"code": "000000"}), 422, "validation_failed")
    recovery = data(me.post("/api/v1/me/mfa/totp/confirm", json={"code": totp.now()}))["recovery_codes"]
    assert len(recovery) == 10 and len(set(recovery)) == 10
    assert data(me.get("/api/v1/me/mfa"))["recovery_codes_left"] == 10
    error_of(me.post("/api/v1/me/mfa/totp"), 409, "conflict")  # on already

    first = sign_in(anonymous, person["email"])
    mfa_token = error_of(first, 403, "mfa_required")["details"]["mfa_token"]
    assert "access_token" not in first.json()

    def second(code: str) -> httpx.Response:
        return anonymous.post(TOKEN, data={"grant_type": "mfa_otp", "mfa_token": mfa_token, "code": code})

    error_of(second("123456"), 401, "unauthenticated")
    assert "mfa.failed" in audit_actions(engine, tenant, "mfa.")
    code = next_code(totp)
    signed = second(code)
    assert signed.status_code == 200, signed.text
    session = data(as_(api, signed.json()["access_token"]).get("/api/v1/me/sessions"))
    assert [s["mfa"] for s in session if s["current"]] == [True]
    error_of(second(code), 401, "unauthenticated")  # the same code again: replayed
    assert second(recovery[0]).status_code == 200
    error_of(second(recovery[0]), 401, "unauthenticated")  # a recovery code works once
    assert data(me.get("/api/v1/me/mfa"))["recovery_codes_left"] == 9

    error_of(me.post("/api/v1/me/mfa/totp/disable", json={"code": "999999"}), 422, "validation_failed")
    assert me.post("/api/v1/me/mfa/totp/disable", json={"code": recovery[1]}).status_code == 204
    assert sign_in(anonymous, person["email"]).status_code == 200  # one step again


def test_an_admin_removes_a_lost_factor(api, anonymous, admin, person):
    me = as_(api, tokens(anonymous, person["email"])["access_token"])
    totp = enrol(me)
    data(me.post("/api/v1/me/mfa/totp/confirm", json={"code": totp.now()}))
    assert admin.delete(f"/api/v1/users/{person['id']}/mfa").status_code == 204
    error_of(me.get("/api/v1/me"), 401, "unauthenticated")  # its sessions ended with it
    assert sign_in(anonymous, person["email"]).status_code == 200
    error_of(admin.delete(f"/api/v1/users/{person['id']}/mfa"), 404, "not_found")


def test_a_tenant_policy_asks_for_a_factor_before_anything_else(api, anonymous, admin, person):
    assert data(admin.get("/api/v1/tenant/security")) == {"mfa_required": False}
    assert data(admin.put("/api/v1/tenant/security", json={"mfa_required": True})) == {"mfa_required": True}
    try:
        me = as_(api, tokens(anonymous, person["email"])["access_token"])
        error_of(me.get("/api/v1/processes"), 403, "mfa_enrollment_required")
        error_of(me.get("/api/v1/tenant/security"), 403, "mfa_enrollment_required")
        assert data(me.get("/api/v1/me/mfa"))["required"] is True
        totp = enrol(me)
        data(me.post("/api/v1/me/mfa/totp/confirm", json={"code": totp.now()}))
        error_of(sign_in(anonymous, person["email"]), 403, "mfa_required")
    finally:
        data(admin.put("/api/v1/tenant/security", json={"mfa_required": False}))
    for bad in ({}, {"mfa_required": "yes please"}, {"mfa_required": True, "x": 1}):
        error_of(admin.put("/api/v1/tenant/security", json=bad), 422, "validation_failed")


def test_a_role_asks_its_holders_for_a_factor(api, anonymous, admin, tenant):
    role = data(
        admin.post(
            "/api/v1/roles",
            json={
                "name": f"fin{uuid.uuid4().hex[:6]}",
                "permissions": ["processes:read"],
                "mfa_required": True,
            },
        ),
        201,
    )
    assert role["mfa_required"] is True
    email = f"r{uuid.uuid4().hex[:8]}@{tenant.domain}"
    data(
        admin.post("/api/v1/users", json={"email": email, "password": PASSWORD, "roles": [role["name"]]}), 201
    )
    me = as_(api, tokens(anonymous, email)["access_token"])
    error_of(me.get("/api/v1/processes"), 403, "mfa_enrollment_required")
    data(admin.patch(f"/api/v1/roles/{role['id']}", json={"mfa_required": False}))
    fresh = as_(api, tokens(anonymous, email)["access_token"])
    assert fresh.get("/api/v1/processes").status_code == 200


def test_bad_grants_codes_and_credentials_are_refused(api, anonymous, admin, person, settings):
    for body, status in (
        ({"grant_type": "client_credentials"}, 422),
        ({"grant_type": "refresh_token"}, 422),
        ({"grant_type": "mfa_otp", "mfa_token": "x"}, 422),
        ({"grant_type": "refresh_token", "refresh_token": "keel_rt_nothing"}, 401),
        ({"grant_type": "refresh_token", "refresh_token": f"keel_rt_{uuid.uuid4().hex}.0.abc"}, 401),
        ({"grant_type": "refresh_token", "refresh_token": "keel_rt_" + "a" * 190}, 401),
        ({"grant_type": "mfa_otp", "mfa_token": "not.a.jwt", "code": "123456"}, 401),
    ):
        assert anonymous.post(TOKEN, data=body).status_code == status, body
    # An access token is no mfa_token (another audience), and an API key has no session to end.
    access = tokens(anonymous, person["email"])["access_token"]
    body = {"grant_type": "mfa_otp", "mfa_token": access, "code": "123456"}
    error_of(anonymous.post(TOKEN, data=body), 401, "unauthenticated")
    error_of(admin.post("/api/v1/auth/logout"), 400, "bad_request")
    error_of(admin.post("/api/v1/me/mfa/totp"), 403, "forbidden")  # a key cannot enrol for its user
    me = as_(api, access)
    for bad in ({"code": "12"}, {"code": "1" * 40}, {}, {"code": "123456", "x": 1}):
        error_of(me.post("/api/v1/me/mfa/totp/confirm", json=bad), 422, "validation_failed")
    error_of(me.post("/api/v1/me/mfa/totp/confirm", json={"code": "123456"}), 409, "conflict")  # not enrolled
    error_of(me.post("/api/v1/me/mfa/totp/disable", json={"code": "123456"}), 404, "not_found")
    member = as_(api, access)
    error_of(member.delete(f"/api/v1/users/{person['id']}/sessions"), 403, "forbidden")
    error_of(admin.delete(f"/api/v1/users/{uuid.uuid4()}/sessions"), 404, "not_found")
    error_of(member.put("/api/v1/tenant/security", json={"mfa_required": True}), 403, "forbidden")

"""Auth, users, roles, API keys, tenant isolation, audit, through the HTTP API."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt

from tests.api.conftest import data, error_of


def test_admin_creates_role_and_user_who_logs_in(admin, api, tenant):
    role = data(
        admin.post(
            "/api/v1/roles", json={"name": "manager", "permissions": ["tasks:read", "tasks:complete"]}
        ),
        201,
    )
    assert role["permissions"] == ["tasks:complete", "tasks:read"]
    r = admin.post(
        "/api/v1/users",
        json={"email": f"Mia@{tenant.domain}", "password": "a-long-password", "roles": ["manager"]},
    )
    user = data(r, 201)
    assert r.headers["location"] == f"/api/v1/users/{user['id']}"
    assert (
        user["email"] == f"mia@{tenant.domain}" and user["roles"] == ["manager"] and "password" not in r.text
    )
    mia = api(None).login(f"mia@{tenant.domain}", "a-long-password")
    me = data(mia.get("/api/v1/me"))
    assert me["id"] == user["id"]
    # A manager may not manage users.
    error_of(
        mia.post("/api/v1/users", json={"email": f"x@{tenant.domain}", "password": "a-long-password"}),
        403,
        "forbidden",
    )
    listed = data(admin.get("/api/v1/users"))
    assert {u["email"] for u in listed} == {tenant.admin_email, f"mia@{tenant.domain}"}


def test_login_failures_and_bad_tokens(anonymous, tenant, live):
    r = anonymous.post(
        "/api/v1/auth/token", data={"username": tenant.admin_email, "password": "wrong-password"}
    )
    error_of(r, 401, "unauthenticated")
    r = anonymous.post(
        "/api/v1/auth/token", data={"username": "nobody@nowhere.test", "password": "wrong-password"}
    )
    assert error_of(r, 401, "unauthenticated")["message"] == "Invalid credentials."
    error_of(anonymous.get("/api/v1/users"), 401, "unauthenticated")
    error_of(
        anonymous.get("/api/v1/users", headers={"Authorization": "Bearer not-a-token"}),
        401,
        "unauthenticated",
    )
    error_of(
        anonymous.get("/api/v1/users", headers={"Authorization": "Bearer keel_abc_def"}),
        401,
        "unauthenticated",
    )
    secret = live.settings.require_jwt_secret()
    expired = jwt.encode(
        {
            "sub": str(tenant.admin_id),
            "tid": str(tenant.id),
            "aud": "keel-api",
            "exp": datetime.now(UTC) - timedelta(minutes=1),
        },
        secret,
        algorithm="HS256",
    )
    err = error_of(
        anonymous.get("/api/v1/users", headers={"Authorization": f"Bearer {expired}"}), 401, "unauthenticated"
    )
    assert "expired" in err["message"]
    forged = jwt.encode(
        {
            "sub": str(tenant.admin_id),
            "tid": str(tenant.id),
            "aud": "keel-api",
            "exp": datetime.now(UTC) + timedelta(minutes=5),
        },
        "x" * 40,
        algorithm="HS256",
    )
    error_of(
        anonymous.get("/api/v1/users", headers={"Authorization": f"Bearer {forged}"}), 401, "unauthenticated"
    )


def test_repeated_failed_logins_are_rate_limited(anonymous, tenant, live):
    for _ in range(live.settings.login_attempts_per_minute):
        anonymous.post(
            "/api/v1/auth/token", data={"username": tenant.admin_email, "password": "wrong-password"}
        )
    r = anonymous.post(
        "/api/v1/auth/token", data={"username": tenant.admin_email, "password": tenant.admin_password}
    )
    error_of(r, 429, "rate_limited")
    assert int(r.headers["retry-after"]) > 0


def test_bad_user_and_role_input_is_refused_and_changes_nothing(admin, tenant):
    fields = error_of(
        admin.post("/api/v1/users", json={"email": "not-an-email", "password": "short", "roles": ["ghost"]}),
        422,
        "validation_failed",
    )["details"]["fields"]
    assert {f["field"] for f in fields} == {"email", "password"}
    fields = error_of(
        admin.post(
            "/api/v1/users",
            json={"email": f"z@{tenant.domain}", "password": "a-long-password", "roles": ["ghost"]},
        ),
        422,
        "validation_failed",
    )["details"]["fields"]
    assert fields == [{"field": "roles.0", "message": "role 'ghost' does not exist"}]
    error_of(
        admin.post("/api/v1/roles", json={"name": "Bad Name!", "permissions": ["nope"]}),
        422,
        "validation_failed",
    )
    data(admin.post("/api/v1/roles", json={"name": "clerk"}), 201)
    error_of(admin.post("/api/v1/roles", json={"name": "clerk"}), 409, "conflict")
    assert [u["email"] for u in data(admin.get("/api/v1/users"))] == [tenant.admin_email]
    r = admin.post("/api/v1/users", content=b'{"email": ', headers={"content-type": "application/json"})
    error_of(r, 400, "bad_request")


def test_another_tenants_objects_are_not_found(admin, make_tenant, api, tenant):
    other = make_tenant("Other")
    other_admin = api(other.api_key)
    error_of(admin.get(f"/api/v1/users/{other.admin_id}"), 404, "not_found")
    error_of(other_admin.get(f"/api/v1/users/{tenant.admin_id}"), 404, "not_found")
    error_of(admin.get(f"/api/v1/users/{uuid.uuid4()}"), 404, "not_found")
    assert [u["email"] for u in data(other_admin.get("/api/v1/users"))] == [other.admin_email]
    # The same email may exist in two tenants; sign-in then needs the tenant, and says nothing more
    # than for a wrong password without it (tests/api/test_signin.py covers the rest).
    for who in (admin, other_admin):
        data(
            who.post("/api/v1/users", json={"email": "shared@both.test", "password": "a-long-password"}), 201
        )
    r = api(None).post(
        "/api/v1/auth/token", data={"username": "shared@both.test", "password": "a-long-password"}
    )
    assert error_of(r, 401, "unauthenticated")["message"] == "Invalid credentials."
    r = api(None).post(
        "/api/v1/auth/token",
        data={"username": "shared@both.test", "password": "a-long-password", "tenant": other.domain},
    )
    assert r.status_code == 200


def test_api_keys_are_shown_once_and_work(admin, api):
    created = data(admin.post("/api/v1/api-keys", json={"name": "ci"}), 201)
    assert created["api_key"].startswith("keel_")
    assert data(api(created["api_key"]).get("/api/v1/me"))["roles"] == ["admin"]


def test_audit_records_mutations_with_diff_and_request_details(admin, api, tenant):
    r = admin.post(
        "/api/v1/users",
        json={"email": f"eve@{tenant.domain}", "password": "a-long-password"},
        headers={"User-Agent": "audit-test/1.0", "X-Correlation-ID": "corr-123"},
    )
    user = data(r, 201)
    assert r.headers["x-correlation-id"] == "corr-123"
    (entry,) = data(admin.get("/api/v1/audit", params={"entity_type": "user", "entity_id": user["id"]}))
    assert entry["action"] == "user.created" and entry["actor_type"] == "api_key"
    assert entry["changes"]["email"] == [None, f"eve@{tenant.domain}"]
    assert "password_hash" not in entry["changes"]
    assert entry["ip_address"] == "127.0.0.1" and entry["user_agent"] == "audit-test/1.0"
    assert entry["correlation_id"] == "corr-123"
    eve = api(None).login(f"eve@{tenant.domain}", "a-long-password")
    error_of(eve.get("/api/v1/audit"), 403, "forbidden")


def test_idempotency_key_replays_and_refuses_reuse(admin, tenant):
    body = {"email": f"idem@{tenant.domain}", "password": "a-long-password"}
    first = admin.post("/api/v1/users", json=body, headers={"Idempotency-Key": "k-1"})
    second = admin.post("/api/v1/users", json=body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == second.status_code == 201
    assert first.json()["data"] == second.json()["data"] and second.headers["idempotent-replayed"] == "true"
    assert second.headers["location"] == first.headers["location"]
    other = admin.post(
        "/api/v1/users", json=body | {"email": f"idem2@{tenant.domain}"}, headers={"Idempotency-Key": "k-1"}
    )
    error_of(other, 422, "idempotency_key_reused")
    emails = [u["email"] for u in data(admin.get("/api/v1/users"))]
    assert emails.count(f"idem@{tenant.domain}") == 1 and f"idem2@{tenant.domain}" not in emails


def test_pagination_with_cursor(admin, tenant):
    for i in range(5):
        data(admin.post("/api/v1/roles", json={"name": f"r{i}"}), 201)
    seen, cursor = [], None
    while True:
        r = admin.get("/api/v1/roles", params={"limit": 3, **({"cursor": cursor} if cursor else {})})
        body = r.json()
        seen += [x["name"] for x in body["data"]]
        assert body["meta"]["limit"] == 3
        cursor = body["meta"]["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(["admin", "member", "r0", "r1", "r2", "r3", "r4"])
    error_of(admin.get("/api/v1/roles", params={"cursor": "garbage"}), 422, "validation_failed")
    assert data(admin.get("/api/v1/roles", params={"limit": 1000})) is not None
    assert admin.get("/api/v1/roles", params={"limit": 1000}).json()["meta"]["limit"] == 200


def test_oversize_body_is_413(admin):
    r = admin.post(
        "/api/v1/roles", content=b"{" + b" " * 70000 + b"}", headers={"content-type": "application/json"}
    )
    error_of(r, 413, "payload_too_large")


def test_health_and_readiness(anonymous):
    assert data(anonymous.get("/healthz"))["status"] == "ok"
    ready = data(anonymous.get("/readyz"))
    assert ready["checks"] == {"database": True, "temporal": True}


def test_token_from_json_or_form_is_both_oauth2_and_envelope(anonymous, tenant):
    form = anonymous.post(
        "/api/v1/auth/token", data={"username": tenant.admin_email, "password": tenant.admin_password}
    )
    body = form.json()
    assert form.status_code == 200 and body["token_type"] == "bearer" and body["expires_in"] > 0
    assert body["status"] == "success" and body["data"]["access_token"] == body["access_token"]
    as_json = anonymous.post(
        "/api/v1/auth/token", json={"email": tenant.admin_email, "password": tenant.admin_password}
    )
    assert as_json.status_code == 200
    token = as_json.json()["data"]["access_token"]
    assert (
        data(anonymous.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}))["email"]
        == tenant.admin_email
    )
    bad_grant = anonymous.post(
        "/api/v1/auth/token",
        data={"grant_type": "client_credentials", "username": "a@b.test", "password": "x"},
    )
    error_of(bad_grant, 422, "validation_failed")
    error_of(anonymous.post("/api/v1/auth/token", json={"password": "x"}), 422, "validation_failed")
    r = anonymous.post("/api/v1/auth/token", content=b"{nope", headers={"content-type": "application/json"})
    error_of(r, 400, "bad_request")

"""API keys through the live API: an expiry after which the key is refused, a permission subset never
wider than its creator's and narrowed with the creator's roles, the last use (time and address)
written at most once a minute, revocation at once, refusals (403) in the audit log at most once a
minute per user and permission, and every bad input a clear 4xx that creates nothing."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from db.models import AuditLog
from db.session import tenant_session
from tests.api.conftest import Api, data, error_of
from tests.api.test_billing_catalog_helpers import user_with

KEYS = "/api/v1/api-keys"


def _at(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).isoformat()


def keys_of(api: Api) -> dict[str, dict[str, Any]]:
    return {k["id"]: k for k in data(api.get(KEYS))}


def permissions_of(api: Api) -> list[str]:
    r = api.get("/api/v1/me")
    assert r.status_code == 200, r.text
    return list(r.json()["meta"]["permissions"])


def wait_until(condition: Any, what: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_a_key_works_until_it_expires_then_is_refused(admin, api):
    created = data(admin.post(KEYS, json={"name": "short", "expires_at": _at(timedelta(seconds=3))}), 201)
    assert created["expires_at"] is not None and created["permissions"] is None
    key = api(created["api_key"])
    assert key.get("/api/v1/me").status_code == 200  # and now cached in the process
    listed = keys_of(admin)[created["id"]]
    assert listed["expires_at"] == created["expires_at"]
    time.sleep(max(0.0, datetime.fromisoformat(created["expires_at"]).timestamp() - time.time()) + 0.2)
    refused = error_of(key.get("/api/v1/me"), 401, "unauthenticated")
    assert refused["message"] == "The API key has expired."


def test_bad_expiry_or_permissions_are_refused_and_create_nothing(admin):
    before = set(keys_of(admin))
    bad = [
        {"name": "past", "expires_at": _at(-timedelta(minutes=1))},
        {"name": "far", "expires_at": _at(timedelta(days=800))},
        {"name": "naive", "expires_at": "2030-01-01T00:00:00"},
        {"name": "nonsense", "expires_at": "soon"},
        {"name": "unknown", "permissions": ["processes:read", "teleport"]},
        {"name": "shape", "permissions": "processes:read"},
    ]
    for body in bad:
        fields = error_of(admin.post(KEYS, json=body), 422, "validation_failed")["details"]["fields"]
        assert fields and fields[0]["field"].startswith(("expires_at", "permissions")), (body, fields)
    assert set(keys_of(admin)) == before


def test_a_key_never_holds_more_than_its_creator_and_narrows_with_its_roles(admin, api, tenant):
    creator = user_with(admin, api, tenant, "api_keys:write", "processes:read", "roles:read")
    name = data(creator.get("/api/v1/me"))["roles"][0]
    role = next(r for r in data(admin.get("/api/v1/roles", params={"limit": 200})) if r["name"] == name)
    before = set(keys_of(creator))

    refused = error_of(
        creator.post(KEYS, json={"name": "k", "permissions": ["processes:read", "users:write"]}),
        403,
        "forbidden",
    )
    assert refused["details"]["missing"] == ["users:write"]
    refused = error_of(creator.post(KEYS, json={"name": "k", "permissions": ["*"]}), 403, "forbidden")
    assert refused["details"]["missing"] == ["*"]
    assert set(keys_of(creator)) == before

    body = {"name": "reader", "permissions": ["processes:read", "roles:read"]}
    created = data(creator.post(KEYS, json=body), 201)
    assert created["permissions"] == ["processes:read", "roles:read"]
    key = api(created["api_key"])
    assert permissions_of(key) == ["processes:read", "roles:read"]
    assert key.get("/api/v1/roles").status_code == 200
    # The key cannot make keys, though its creator can.
    error_of(key.post(KEYS, json={"name": "child"}), 403, "forbidden")

    # The creator's role loses roles:read: the key loses it too, within a second.
    patch = {"permissions": ["api_keys:write", "processes:read"]}
    data(admin.patch(f"/api/v1/roles/{role['id']}", json=patch))
    wait_until(lambda: permissions_of(key) == ["processes:read"], "the key did not narrow")
    error_of(key.get("/api/v1/roles"), 403, "forbidden")


def test_last_use_is_written_with_its_address_at_most_once_a_minute(admin, api):
    created = data(admin.post(KEYS, json={"name": "used"}), 201)
    assert keys_of(admin)[created["id"]]["last_used_at"] is None
    key = api(created["api_key"])
    assert key.get("/api/v1/me").status_code == 200
    first = keys_of(admin)[created["id"]]
    assert first["last_used_at"] is not None and first["last_used_ip"] == "127.0.0.1"
    for _ in range(3):
        assert key.get("/api/v1/me").status_code == 200
    assert keys_of(admin)[created["id"]]["last_used_at"] == first["last_used_at"]


def test_a_revoked_key_stops_at_once_and_only_its_owner_or_an_admin_revokes(admin, api, tenant):
    owner = user_with(admin, api, tenant, "api_keys:write")
    other = user_with(admin, api, tenant, "api_keys:write")
    created = data(owner.post(KEYS, json={"name": "mine"}), 201)
    key = api(created["api_key"])
    assert key.get("/api/v1/me").status_code == 200
    error_of(other.delete(f"{KEYS}/{created['id']}"), 404, "not_found")
    assert key.get("/api/v1/me").status_code == 200
    error_of(owner.delete(f"{KEYS}/00000000-0000-0000-0000-000000000000"), 404, "not_found")
    data(owner.delete(f"{KEYS}/{created['id']}"))
    error_of(key.get("/api/v1/me"), 401, "unauthenticated")
    assert created["id"] not in keys_of(owner)


def test_refusals_are_audited_once_a_minute_per_user_and_permission(admin, api, tenant, engine):
    reader = user_with(admin, api, tenant, "processes:read")
    for _ in range(3):
        error_of(reader.get("/api/v1/users"), 403, "forbidden")
    error_of(reader.get("/api/v1/roles"), 403, "forbidden")
    me = data(reader.get("/api/v1/me"))["id"]

    def refusals() -> list[dict[str, Any]]:
        with tenant_session(engine, tenant.id) as s:
            rows = s.scalars(
                select(AuditLog).where(AuditLog.action == "auth.forbidden", AuditLog.actor_id == me)
            )
            return [r.changes for r in rows]

    wait_until(lambda: len(refusals()) == 2, "the refusals were not audited")
    seen = sorted((c["permission"][1], c["route"][1]) for c in refusals())
    assert seen == [("roles:read", "GET /api/v1/roles"), ("users:read", "GET /api/v1/users")]

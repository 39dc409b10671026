"""A caller may grant only what it holds: users with roles, roles with permissions, API keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.api.conftest import Api, data, error_of
from tests.conftest import TenantFixture

PASSWORD = "a-long-password"
# The roles each caller is given, and roles that exist for the callers to try to assign.
CALLER_ROLES = {
    "users_writer": ["users:write"],
    "roles_writer": ["roles:write"],
    "key_holder": ["api_keys:write", "roles:write", "users:write"],
}
TARGET_ROLES = {
    "subset": ["users:write"],
    "extra": ["audit:read", "users:write"],
}


@dataclass
class Tenant:
    admin: Api
    callers: dict[str, Api]
    domain: str


@pytest.fixture
def world(admin: Api, api: Callable[[str | None], Api], tenant: TenantFixture) -> Tenant:
    for name, permissions in (CALLER_ROLES | TARGET_ROLES).items():
        data(admin.post("/api/v1/roles", json={"name": name, "permissions": permissions}), 201)
    callers: dict[str, Api] = {"admin": admin}
    for name in CALLER_ROLES:
        email = f"{name}@{tenant.domain}"
        body = {"email": email, "password": PASSWORD, "roles": [name]}
        data(admin.post("/api/v1/users", json=body), 201)
        callers[name] = api(None).login(email, PASSWORD)
    # "key": an API key minted by the key holder, acting with that user's permissions.
    key = data(callers["key_holder"].post("/api/v1/api-keys", json={"name": "ci"}), 201)["api_key"]
    callers["key"] = api(key)
    return Tenant(admin, callers, tenant.domain)


def _user(roles: list[str]) -> tuple[str, dict[str, Any]]:
    return "/api/v1/users", {"email": "new@{domain}", "password": PASSWORD, "roles": roles}


def _role(permissions: list[str]) -> tuple[str, dict[str, Any]]:
    return "/api/v1/roles", {"name": "made", "permissions": permissions}


# caller, (path, body), expected status, the permissions named as missing on a 403
MATRIX = [
    ("users_writer", _user(["admin"]), 403, ["*"]),
    ("users_writer", _user(["extra"]), 403, ["audit:read"]),
    ("users_writer", _user(["subset", "admin"]), 403, ["*"]),
    ("users_writer", _user(["member"]), 403, None),  # member's permissions are not the caller's
    ("users_writer", _user(["subset"]), 201, None),
    ("users_writer", _user([]), 201, None),
    ("users_writer", _role(["users:write"]), 403, None),  # no roles:write at all
    ("roles_writer", _role(["*"]), 403, ["*"]),
    ("roles_writer", _role(["audit:read", "roles:write"]), 403, ["audit:read"]),
    ("roles_writer", _role(["bookings:manage"]), 403, ["bookings:manage"]),
    ("roles_writer", _role(["roles:write"]), 201, None),
    ("roles_writer", _role([]), 201, None),
    ("roles_writer", _user([]), 403, None),  # no users:write at all
    ("key", _user(["admin"]), 403, ["*"]),
    ("key", _user(["extra"]), 403, ["audit:read"]),
    ("key", _user(["key_holder"]), 201, None),
    ("key", _role(["users:write", "audit:read"]), 403, ["audit:read"]),
    ("key", _role(["*"]), 403, ["*"]),
    ("key", _role(["api_keys:write", "users:write"]), 201, None),
    ("key_holder", _user(["extra"]), 403, ["audit:read"]),
    ("admin", _user(["admin"]), 201, None),
    ("admin", _user(["extra", "member"]), 201, None),
    ("admin", _role(["*"]), 201, None),
    ("admin", _role(["audit:read", "bookings:manage"]), 201, None),
]


def _state(world: Tenant) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    users = {u["email"]: u["roles"] for u in data(world.admin.get("/api/v1/users", params={"limit": 200}))}
    roles = {
        r["name"]: r["permissions"] for r in data(world.admin.get("/api/v1/roles", params={"limit": 200}))
    }
    return users, roles


@pytest.mark.parametrize(
    ("caller", "request_", "status", "missing"),
    MATRIX,
    ids=[
        f"{c}-{p.rsplit('/', 1)[1]}-{'+'.join(b.get('roles', b.get('permissions')) or ['none'])}"
        for c, (p, b), *_ in MATRIX
    ],
)
def test_grant_matrix(
    world: Tenant,
    caller: str,
    request_: tuple[str, dict[str, Any]],
    status: int,
    missing: list[str] | None,
) -> None:
    path, body = request_
    body = {k: v.format(domain=world.domain) if isinstance(v, str) else v for k, v in body.items()}
    before = _state(world)
    r = world.callers[caller].post(path, json=body)
    users, roles = _state(world)
    if status == 403:
        err = error_of(r, 403, "forbidden")
        if missing is not None:
            assert err["details"]["missing"] == missing
            assert all(p in err["message"] for p in missing)
        assert (users, roles) == before  # nothing created
        return
    created = data(r, 201)
    if path.endswith("/users"):
        assert users[body["email"]] == sorted(body["roles"]) == created["roles"]
    else:
        assert roles[body["name"]] == sorted(body["permissions"]) == created["permissions"]


def test_a_new_api_key_holds_exactly_its_creators_permissions(world: Tenant) -> None:
    me = world.callers["key"].get("/api/v1/me").json()
    assert me["meta"]["permissions"] == sorted(CALLER_ROLES["key_holder"])
    # A key cannot mint a wider key: the next one again acts as the same user.
    minted = data(world.callers["key"].post("/api/v1/api-keys", json={"name": "second"}), 201)
    assert minted["api_key"].startswith("keel_")


def test_a_user_writer_cannot_make_itself_admin_through_a_new_account(
    world: Tenant, api: Callable[[str | None], Api]
) -> None:
    """Self-escalation: an account it creates cannot hold more than it does, so signing in as one
    gains nothing."""
    body: dict[str, Any] = {"email": f"alt@{world.domain}", "password": PASSWORD, "roles": ["admin"]}
    error_of(world.callers["users_writer"].post("/api/v1/users", json=body), 403, "forbidden")
    body["roles"] = ["subset"]
    data(world.callers["users_writer"].post("/api/v1/users", json=body), 201)
    alt = api(None).login(body["email"], PASSWORD)
    assert data(alt.get("/api/v1/me"))["roles"] == ["subset"]
    error_of(alt.get("/api/v1/audit"), 403, "forbidden")


def test_an_idempotency_key_never_replays_another_callers_answer(world: Tenant) -> None:
    """A member repeating an admin's Idempotency-Key and body must not receive the admin's new key."""
    headers = {"Idempotency-Key": "nightly-export"}
    first = data(world.admin.post("/api/v1/api-keys", json={"name": "export"}, headers=headers), 201)
    again = world.callers["key_holder"].post("/api/v1/api-keys", json={"name": "export"}, headers=headers)
    error_of(again, 422, "idempotency_key_reused")
    assert first["api_key"] not in again.text
    # Refused before the route ran: the key holder's permissions are unchanged, and the admin's own
    # repeat still replays.
    replay = world.admin.post("/api/v1/api-keys", json={"name": "export"}, headers=headers)
    assert replay.headers["idempotent-replayed"] == "true" and replay.json()["data"] == first
    body = {"email": f"x@{world.domain}", "password": PASSWORD, "roles": ["admin"]}
    data(world.admin.post("/api/v1/users", json=body, headers={"Idempotency-Key": "u-1"}), 201)
    r = world.callers["users_writer"].post("/api/v1/users", json=body, headers={"Idempotency-Key": "u-1"})
    error_of(r, 422, "idempotency_key_reused")


@pytest.fixture
def target(world: Tenant) -> str:
    """A user holding only ``subset`` (users:write): within the users writer's reach."""
    body = {"email": f"target@{world.domain}", "password": PASSWORD, "roles": ["subset"]}
    return str(data(world.admin.post("/api/v1/users", json=body), 201)["id"])


def _ids(world: Tenant) -> dict[str, str]:
    return {u["email"].split("@")[0]: u["id"] for u in data(world.admin.get("/api/v1/users"))}


# caller, target user, change, expected status, missing permissions named on a 403
UPDATES = [
    ("users_writer", "admin", {"is_active": False}, 403, ["*"]),
    ("users_writer", "admin", {"roles": []}, 403, ["*"]),
    ("users_writer", "admin", {"full_name": "Demoted"}, 403, ["*"]),
    ("users_writer", "key_holder", {"roles": ["subset"]}, 403, ["api_keys:write", "roles:write"]),
    ("users_writer", "target", {"roles": ["extra"]}, 403, ["audit:read"]),
    ("users_writer", "target", {"roles": ["admin"]}, 403, ["*"]),
    ("users_writer", "users_writer", {"roles": ["users_writer", "extra"]}, 403, ["audit:read"]),
    ("roles_writer", "target", {"is_active": False}, 403, None),  # no users:write
    ("users_writer", "target", {"roles": [], "full_name": "T"}, 200, None),
    ("users_writer", "target", {"is_active": False}, 200, None),
    ("key", "target", {"roles": ["key_holder"]}, 200, None),
    ("admin", "key_holder", {"roles": ["admin"]}, 200, None),
    ("admin", "admin", {"full_name": "Boss"}, 200, None),
]


@pytest.mark.parametrize(("caller", "who", "change", "status", "missing"), UPDATES)
def test_update_matrix(
    world: Tenant,
    target: str,
    caller: str,
    who: str,
    change: dict[str, Any],
    status: int,
    missing: list[str] | None,
) -> None:
    user_id = _ids(world)[who]
    before = _state(world)
    r = world.callers[caller].patch(f"/api/v1/users/{user_id}", json=change)
    if status == 403:
        err = error_of(r, 403, "forbidden")
        if missing is not None:
            assert err["details"]["missing"] == missing
        assert _state(world) == before
        assert data(world.admin.get(f"/api/v1/users/{user_id}"))["is_active"] is True
        return
    updated = data(r)
    for field, value in change.items():
        assert updated[field] == (sorted(value) if field == "roles" else value)
    assert data(world.admin.get(f"/api/v1/users/{user_id}")) == updated


def test_bad_updates_change_nothing(
    world: Tenant, target: str, make_tenant: Callable[..., TenantFixture]
) -> None:
    before = _state(world)
    for change, field in (
        ({}, "body"),
        ({"is_active": None}, "body"),
        ({"roles": None}, "body"),
        ({"email": "x@y.test"}, "email"),
        ({"roles": ["ghost"]}, "roles.0"),
    ):
        fields = error_of(world.admin.patch(f"/api/v1/users/{target}", json=change), 422, "validation_failed")
        assert fields["details"]["fields"][0]["field"] == field, change
    other = make_tenant("Other")
    error_of(world.admin.patch(f"/api/v1/users/{other.admin_id}", json={"full_name": "x"}), 404, "not_found")
    assert _state(world) == before


def test_deactivating_or_demoting_a_user_takes_effect_at_once(
    world: Tenant, api: Callable[[str | None], Api]
) -> None:
    body: dict[str, Any] = {"email": f"aud@{world.domain}", "password": PASSWORD, "roles": ["extra"]}
    user = data(world.admin.post("/api/v1/users", json=body), 201)
    jwt_client = api(None).login(body["email"], PASSWORD)
    data(world.admin.patch(f"/api/v1/users/{user['id']}", json={"roles": ["extra", "key_holder"]}))
    key_client = api(data(jwt_client.post("/api/v1/api-keys", json={"name": "k"}), 201)["api_key"])
    for client in (jwt_client, key_client):  # both credentials are now cached
        data(client.get("/api/v1/audit"))
    data(world.admin.patch(f"/api/v1/users/{user['id']}", json={"roles": ["key_holder"]}))
    for client in (jwt_client, key_client):
        error_of(client.get("/api/v1/audit"), 403, "forbidden")
    data(world.admin.patch(f"/api/v1/users/{user['id']}", json={"is_active": False}))
    for client in (jwt_client, key_client):
        error_of(client.get("/api/v1/me"), 401, "unauthenticated")
    r = api(None).post("/api/v1/auth/token", data={"username": body["email"], "password": PASSWORD})
    error_of(r, 401, "unauthenticated")
    data(world.admin.patch(f"/api/v1/users/{user['id']}", json={"is_active": True}))
    assert data(key_client.get("/api/v1/me"))["id"] == user["id"]


def test_api_keys_are_listed_without_secrets_and_revoked_at_once(
    world: Tenant, api: Callable[[str | None], Api]
) -> None:
    holder = world.callers["key_holder"]
    made = data(holder.post("/api/v1/api-keys", json={"name": "laptop"}), 201)
    key = api(made["api_key"])
    data(key.get("/api/v1/me"))  # cached from here on
    listed = holder.get("/api/v1/api-keys")
    assert {k["name"] for k in data(listed)} == {"ci", "laptop"} and made["api_key"] not in listed.text
    # Another member neither sees nor revokes it; the admin sees every key.
    assert data(world.callers["users_writer"].get("/api/v1/api-keys")) == []
    error_of(world.callers["users_writer"].delete(f"/api/v1/api-keys/{made['id']}"), 404, "not_found")
    data(key.get("/api/v1/me"))
    assert made["id"] in {k["id"] for k in data(world.admin.get("/api/v1/api-keys"))}
    assert data(holder.delete(f"/api/v1/api-keys/{made['id']}"))["id"] == made["id"]
    error_of(key.get("/api/v1/me"), 401, "unauthenticated")
    error_of(holder.delete(f"/api/v1/api-keys/{made['id']}"), 404, "not_found")
    # An admin revokes anyone's key, here the one the world fixture made.
    ci = next(k["id"] for k in data(holder.get("/api/v1/api-keys")) if k["name"] == "ci")
    data(world.admin.delete(f"/api/v1/api-keys/{ci}"))
    error_of(world.callers["key"].get("/api/v1/me"), 401, "unauthenticated")


def _role_ids(world: Tenant) -> dict[str, str]:
    return {r["name"]: r["id"] for r in data(world.admin.get("/api/v1/roles", params={"limit": 200}))}


# caller, role, change, expected status, missing permissions named on a 403 (or the error code)
ROLE_UPDATES: list[tuple[str, str, dict[str, Any], int, list[str] | None]] = [
    ("roles_writer", "admin", {"description": "mine now"}, 403, ["*"]),
    ("roles_writer", "extra", {"permissions": ["roles:write"]}, 403, ["audit:read", "users:write"]),
    ("roles_writer", "roles_writer", {"permissions": ["audit:read", "roles:write"]}, 403, ["audit:read"]),
    ("roles_writer", "roles_writer", {"permissions": ["*"]}, 403, ["*"]),
    ("users_writer", "subset", {"description": "x"}, 403, None),  # no roles:write
    ("key", "subset", {"permissions": ["bookings:manage"]}, 403, ["bookings:manage"]),
    ("key", "subset", {"permissions": ["roles:write", "users:write"]}, 200, None),
    ("roles_writer", "roles_writer", {"description": "edits roles"}, 200, None),
    ("admin", "admin", {"permissions": ["users:read"]}, 409, None),
    ("admin", "admin", {"description": "Everything, really"}, 200, None),
    ("admin", "extra", {"permissions": []}, 200, None),
]


@pytest.mark.parametrize(("caller", "role", "change", "status", "missing"), ROLE_UPDATES)
def test_role_update_matrix(
    world: Tenant, caller: str, role: str, change: dict[str, Any], status: int, missing: list[str] | None
) -> None:
    before = _state(world)
    r = world.callers[caller].patch(f"/api/v1/roles/{_role_ids(world)[role]}", json=change)
    if status != 200:
        err = error_of(r, status, "forbidden" if status == 403 else "conflict")
        if missing is not None:
            assert err["details"]["missing"] == missing
        assert _state(world) == before
        return
    updated = data(r)
    for field, value in change.items():
        assert updated[field] == value
    assert _state(world)[1][role] == updated["permissions"]


def test_bad_role_updates_change_nothing(
    world: Tenant, api: Callable[[str | None], Api], make_tenant: Callable[..., TenantFixture]
) -> None:
    before = _state(world)
    role = _role_ids(world)["subset"]
    for change, field in (
        ({}, "body"),
        ({"permissions": None}, "body"),
        ({"permissions": ["nope"]}, "permissions"),
        ({"name": "renamed"}, "name"),
    ):
        err = error_of(world.admin.patch(f"/api/v1/roles/{role}", json=change), 422, "validation_failed")
        assert err["details"]["fields"][0]["field"] == field, change
    other = make_tenant("Other")
    other_role = data(api(other.api_key).get("/api/v1/roles"))[0]["id"]
    error_of(world.admin.patch(f"/api/v1/roles/{other_role}", json={"description": "x"}), 404, "not_found")
    assert _state(world) == before


def test_permissions_taken_from_a_role_apply_at_once(world: Tenant, api: Callable[[str | None], Api]) -> None:
    body: dict[str, Any] = {"email": f"aud@{world.domain}", "password": PASSWORD, "roles": ["extra"]}
    data(world.admin.post("/api/v1/users", json=body), 201)
    auditor = api(None).login(body["email"], PASSWORD)
    data(auditor.get("/api/v1/audit"))
    data(
        world.admin.patch(f"/api/v1/roles/{_role_ids(world)['extra']}", json={"permissions": ["users:write"]})
    )
    error_of(auditor.get("/api/v1/audit"), 403, "forbidden")


@pytest.mark.parametrize("extra", [{"roles": ["admin"]}, {"scopes": ["users:write"]}])
def test_an_api_key_cannot_be_given_access_of_its_own(world: Tenant, extra: dict[str, Any]) -> None:
    """A key carries no roles or scopes: it acts as its user, so asking for more is bad input. (A
    ``permissions`` subset wider than its creator's is a 403: tests/api/test_api_keys_lifecycle.py.)"""
    holder = world.callers["key_holder"]
    before = data(holder.get("/api/v1/api-keys"))
    r = holder.post("/api/v1/api-keys", json={"name": "wide"} | extra)
    err = error_of(r, 422, "validation_failed")
    assert [f["field"] for f in err["details"]["fields"]] == list(extra)
    assert data(holder.get("/api/v1/api-keys")) == before


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(world: Tenant) -> None:
    ids = _ids(world)
    before = _state(world)
    for change in ({"roles": ["member"]}, {"is_active": False}):
        r = world.admin.patch(f"/api/v1/users/{ids['admin']}", json=change)
        assert "last active admin" in error_of(r, 409, "conflict")["message"]
    assert _state(world) == before and data(world.admin.get("/api/v1/me"))["is_active"] is True
    # With a second admin, the first may step down.
    data(world.admin.patch(f"/api/v1/users/{ids['key_holder']}", json={"roles": ["admin"]}))
    assert data(world.admin.patch(f"/api/v1/users/{ids['admin']}", json={"roles": ["member"]}))["roles"] == [
        "member"
    ]
    r = world.callers["key"].patch(f"/api/v1/users/{ids['key_holder']}", json={"is_active": False})
    error_of(r, 409, "conflict")


@pytest.mark.parametrize(
    ("kind", "change"), [("users", {"full_name": "Tess"}), ("roles", {"description": "user managers"})]
)
def test_changes_to_users_and_roles_honour_if_match(
    world: Tenant, target: str, kind: str, change: dict[str, Any]
) -> None:
    url = f"/api/v1/users/{target}" if kind == "users" else f"/api/v1/roles/{_role_ids(world)['subset']}"
    read = world.admin.get(url)
    tag = read.headers["etag"]
    before = _state(world)
    r = world.admin.patch(url, json=change, headers={"If-Match": '"stale"'})
    assert error_of(r, 412, "precondition_failed")["details"]["etag"] == tag
    assert _state(world) == before and data(world.admin.get(url)) == data(read)
    r = world.admin.patch(url, json=change, headers={"If-Match": tag})
    assert all(data(r)[k] == v for k, v in change.items())
    assert r.headers["etag"] != tag and r.headers["etag"] == world.admin.get(url).headers["etag"]
    error_of(world.admin.patch(url, json=change, headers={"If-Match": tag}), 412, "precondition_failed")


def test_a_new_roles_location_can_be_read(world: Tenant) -> None:
    r = world.admin.post("/api/v1/roles", json={"name": "clerk", "permissions": ["tasks:read"]})
    assert data(world.admin.get(r.headers["location"])) == data(r, 201)
    error_of(world.callers["users_writer"].get(r.headers["location"]), 403, "forbidden")

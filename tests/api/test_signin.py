"""Sign-in reveals nothing about accounts, names its tenant when asked, and is never cached."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from domain.identity import secrets
from tests.api.conftest import Api, Live, data, error_of
from tests.conftest import TenantFixture

TOKEN = "/api/v1/auth/token"
PASSWORD = "a-long-password"


def _sign_in(anonymous: Api, username: str, password: str, **extra: str) -> httpx.Response:
    return anonymous.post(TOKEN, data={"username": username, "password": password, **extra})


def _failure(r: httpx.Response) -> dict[str, Any]:
    err = error_of(r, 401, "unauthenticated")
    assert err["message"] == "Invalid credentials." and err["details"] == {}
    return err


@pytest.fixture
def shared(
    api: Callable[[str | None], Api], make_tenant: Callable[..., TenantFixture]
) -> tuple[TenantFixture, TenantFixture, str]:
    """Two tenants with an account for the same email (each with its own password), and that email:
    one per test, as the sign-in throttle counts failures per account for the whole run."""
    first, second = make_tenant("First"), make_tenant("Second")
    email = f"shared-{uuid.uuid4().hex[:8]}@both.test"
    for t, password in ((first, PASSWORD), (second, PASSWORD + "-2")):
        body = {"email": email, "password": password}
        data(api(t.api_key).post("/api/v1/users", json=body), 201)
    return first, second, email


@pytest.fixture
def hash_checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The password hashes each sign-in verifies (the API runs in this process)."""
    calls: list[str] = []
    real = secrets.verify_password

    def counting(password_hash: str, password: str) -> bool:
        calls.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(secrets, "verify_password", counting)
    yield calls


def test_every_failure_is_the_same_401_after_one_hash_check(
    anonymous: Api,
    shared: tuple[TenantFixture, TenantFixture, str],
    tenant: TenantFixture,
    hash_checks: list[str],
) -> None:
    first, _, email = shared
    failures = {
        "unknown email": _sign_in(anonymous, f"nobody-{uuid.uuid4().hex[:8]}@nowhere.test", PASSWORD),
        "several tenants": _sign_in(anonymous, email, PASSWORD),
        "wrong password": _sign_in(anonymous, tenant.admin_email, "wrong-password"),
        "tenant without that account": _sign_in(anonymous, tenant.admin_email, "x", tenant=first.domain),
        "unknown tenant": _sign_in(anonymous, tenant.admin_email, tenant.admin_password, tenant="no.test"),
    }
    bodies = {why: _failure(r) for why, r in failures.items()}
    assert len({str(b) for b in bodies.values()}) == 1, bodies
    # Each answer costs one argon2 verification, so timing does not tell the cases apart either.
    assert len(hash_checks) == len(failures)


def test_an_email_in_several_tenants_signs_in_by_naming_the_tenant(
    anonymous: Api, shared: tuple[TenantFixture, TenantFixture, str], api: Callable[[str | None], Api]
) -> None:
    first, second, email = shared
    for field, value, who, password in (
        ("tenant", first.domain, first, PASSWORD),
        ("tenant", second.domain.upper(), second, PASSWORD + "-2"),
        ("tenant", str(second.id), second, PASSWORD + "-2"),
        ("client_id", first.domain, first, PASSWORD),  # the older name of the field
    ):
        r = _sign_in(anonymous, email, password, **{field: value})
        token = data(r)["access_token"]
        me = api(token).get("/api/v1/me").json()
        assert me["meta"]["tenant_id"] == str(who.id), (field, value)
    # One tenant's password does not open the other's account.
    _failure(_sign_in(anonymous, email, PASSWORD, tenant=second.domain))
    _failure(anonymous.post(TOKEN, json={"email": email, "password": PASSWORD}))
    # Too long a tenant is bad input, like any other field.
    r = _sign_in(anonymous, email, PASSWORD, tenant="x" * 254)
    assert error_of(r, 422, "validation_failed")["details"]["fields"][0]["field"] == "tenant"


def test_token_answers_are_never_cached(anonymous: Api, tenant: TenantFixture, live: Live) -> None:
    answers = [
        _sign_in(anonymous, tenant.admin_email, tenant.admin_password),  # 200
        _sign_in(anonymous, tenant.admin_email, "wrong-password"),  # 401
        anonymous.post(TOKEN, data={"password": "x"}),  # 422
        anonymous.post(TOKEN, content=b"{nope", headers={"content-type": "application/json"}),  # 400
    ]
    for _ in range(live.settings.login_attempts_per_minute):
        _sign_in(anonymous, tenant.admin_email, "wrong-password")
    answers.append(_sign_in(anonymous, tenant.admin_email, tenant.admin_password))  # 429
    assert [r.status_code for r in answers] == [200, 401, 422, 400, 429]
    for r in answers:
        assert r.headers["cache-control"] == "no-store" and r.headers["pragma"] == "no-cache", r.status_code
    assert answers[1].headers["www-authenticate"] == "Bearer"
    assert int(answers[-1].headers["retry-after"]) > 0


def test_failures_on_an_email_in_several_tenants_are_throttled(
    anonymous: Api, shared: tuple[TenantFixture, TenantFixture, str], live: Live
) -> None:
    first, _, email = shared
    for _ in range(live.settings.login_attempts_per_minute):
        _failure(_sign_in(anonymous, email, PASSWORD))
    error_of(_sign_in(anonymous, email, PASSWORD, tenant=first.domain), 429, "rate_limited")


def test_openapi_documents_the_tenant_field(anonymous: Api) -> None:
    spec = anonymous.get("/openapi.json").json()
    operation = spec["paths"][TOKEN]["post"]
    for media in ("application/x-www-form-urlencoded", "application/json"):
        schema = operation["requestBody"]["content"][media]["schema"]
        assert "domain" in schema["properties"]["tenant"]["description"]
    assert "401" in operation["responses"] and "Invalid credentials" in operation["description"]


@pytest.mark.parametrize("body", [b"\xa5", b'{"username": "\xff"}', b"{not json"])
def test_a_json_body_that_is_not_json_is_a_400(anonymous: Api, body: bytes) -> None:
    r = anonymous.post(TOKEN, content=body, headers={"content-type": "application/json"})
    error_of(r, 400, "bad_request")
    assert r.headers["cache-control"] == "no-store"

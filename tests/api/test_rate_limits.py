"""Rate limits on apps served with small limits: per API key or user, per tenant by its tier, per
client address on sign-in; shared by two API processes on one database; the IETF RateLimit headers
and a 429 with Retry-After; CORS only for the origins configured; and malformed rate settings refused
when Keel starts."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, text

from api.app import create_app
from keel.settings import Settings
from tests.api.conftest import Api, data, error_of, served
from tests.conftest import TenantFixture

SYNC = 1.2  # the limiter shares its counts every half second


@contextmanager
def app_with(settings: Settings, count: int = 1, **limits: str) -> Iterator[list[str]]:
    configured = settings.model_copy(update=limits)
    with ExitStack() as stack:
        yield [stack.enter_context(served(create_app(configured))) for _ in range(count)]


def member(admin: Api, url: str, tenant: TenantFixture) -> Api:
    email = f"m{uuid.uuid4().hex[:8]}@{tenant.domain}"
    data(
        admin.post(
            "/api/v1/users", json={"email": email, "password": "a-long-password", "roles": ["member"]}
        ),
        201,
    )
    return Api(url, None).login(email, "a-long-password")


def test_a_key_over_its_limit_gets_429_with_the_headers_and_others_go_on(settings, tenant):
    with app_with(
        settings, rate_limit_tiers="default=5/minute", rate_limit_tenant_tiers="default=100/minute"
    ) as [url]:
        admin = Api(url, tenant.api_key)
        other = member(admin, url, tenant)  # one request of the key's five
        answers = [admin.get("/api/v1/me") for _ in range(4)]
        assert [a.status_code for a in answers] == [200] * 4
        assert answers[0].headers["RateLimit-Policy"] == '"principal";q=5;w=60, "tenant";q=100;w=60'
        assert answers[-1].headers["RateLimit"].startswith('"principal";r=0;t=')
        refused = admin.get("/api/v1/me")
        err = error_of(refused, 429, "rate_limited")
        assert 1 <= int(refused.headers["Retry-After"]) <= 60 and err["details"]["retry_after"] >= 1
        assert refused.headers["RateLimit"].startswith('"principal";r=0;')
        assert other.get("/api/v1/me").status_code == 200  # another principal of the same tenant


def test_the_tenant_limit_spans_its_keys_and_users(settings, tenant):
    with app_with(
        settings, rate_limit_tiers="default=100/minute", rate_limit_tenant_tiers="default=5/minute"
    ) as [url]:
        admin = Api(url, tenant.api_key)
        other = member(admin, url, tenant)
        codes = [c.get("/api/v1/me").status_code for c in (admin, other, admin, other)]
        assert codes == [200] * 4  # five with the user's creation (signing in is not the tenant's)
        err = error_of(other.get("/api/v1/me"), 429, "rate_limited")
        assert "organisation" in err["message"]


def test_the_tier_comes_from_the_tenants_subscription(settings, tenant, admin_engine: Engine):
    tiers = "free=2/minute,gold=50/minute,default=2/minute"
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE tenants SET subscription_tier = 'gold' WHERE id = :t"), {"t": tenant.id})
    try:
        with app_with(settings, rate_limit_tiers=tiers) as [url]:
            admin = Api(url, tenant.api_key)
            admin.get("/api/v1/me")
            time.sleep(SYNC)  # the tier is read with the counts
            assert [admin.get("/api/v1/me").status_code for _ in range(5)] == [200] * 5
            assert admin.get("/api/v1/me").headers["RateLimit-Policy"].startswith('"principal";q=50;')
    finally:
        with admin_engine.begin() as conn:
            conn.execute(
                text("UPDATE tenants SET subscription_tier = 'free' WHERE id = :t"), {"t": tenant.id}
            )


def test_two_api_processes_share_one_count(settings, tenant):
    with app_with(settings, 2, rate_limit_tiers="default=6/minute") as (first, second):
        a, b = Api(first, tenant.api_key), Api(second, tenant.api_key)
        assert [a.get("/api/v1/me").status_code for _ in range(3)] == [200] * 3
        assert [b.get("/api/v1/me").status_code for _ in range(3)] == [200] * 3
        time.sleep(SYNC)
        error_of(a.get("/api/v1/me"), 429, "rate_limited")
        error_of(b.get("/api/v1/me"), 429, "rate_limited")


def test_sign_in_is_limited_per_address_whatever_the_login(settings, tenant, admin_engine: Engine):
    with admin_engine.begin() as conn:  # this address's sign-ins by earlier tests count too: forget them
        conn.execute(text("DELETE FROM rate_counters WHERE key LIKE 'ip-auth:%'"))
    with app_with(settings, rate_limit_sign_in_per_ip="3/minute") as [url]:
        anonymous = httpx.Client(base_url=url)
        for i in range(3):
            r = anonymous.post(
                "/api/v1/auth/token", data={"username": f"x{i}@nowhere.test", "password": "wrong"}
            )
            assert r.status_code == 401 and r.headers["RateLimit"].startswith('"sign-in";')
        r = anonymous.post(
            "/api/v1/auth/token", data={"username": tenant.admin_email, "password": tenant.admin_password}
        )
        error_of(r, 429, "rate_limited")


def test_cors_answers_only_the_configured_origins(settings, tenant):
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    with app_with(settings, cors_origins="https://app.example.com") as [url]:
        ok = httpx.options(
            f"{url}/api/v1/processes", headers={"Origin": "https://app.example.com", **preflight}
        )
        assert (
            ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "https://app.example.com"
        )
        other = httpx.options(
            f"{url}/api/v1/processes", headers={"Origin": "https://evil.example", **preflight}
        )
        assert "access-control-allow-origin" not in other.headers
        got = httpx.get(
            f"{url}/api/v1/me",
            headers={"Origin": "https://app.example.com", "Authorization": f"Bearer {tenant.api_key}"},
        )
        assert got.status_code == 200 and "RateLimit" in got.headers["access-control-expose-headers"]
    with app_with(settings) as [url]:
        none = httpx.options(
            f"{url}/api/v1/processes", headers={"Origin": "https://app.example.com", **preflight}
        )
        assert "access-control-allow-origin" not in none.headers


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("rate_limit_tiers", "free=1000/fortnight"),
        ("rate_limit_tiers", "free=0/hour"),
        ("rate_limit_tiers", "1000/hour"),
        ("rate_limit_tiers", "free=1000/hour,Bad Tier=1/hour"),
        ("rate_limit_tenant_tiers", ""),
        ("rate_limit_sign_in_per_ip", "lots"),
        ("rate_limit_public_per_ip", "-1/minute"),
        ("cors_origins", "ftp://files.example"),
        ("cors_origins", "https://app.example.com/path"),
    ],
)
def test_malformed_rate_settings_stop_the_start_with_a_clear_message(field, value):
    with pytest.raises(ValidationError) as raised:
        Settings(**{field: value})
    assert field in str(raised.value)

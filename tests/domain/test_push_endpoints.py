"""Push endpoints pass the webhooks' SSRF guard when saved: names resolving to private addresses too."""

from __future__ import annotations

import ipaddress

import pytest

from db.session import tenant_session
from domain.context import TenantContext
from domain.errors import ValidationFailed
from domain.notifications import preferences
from domain.notifications.schemas import PreferencesIn

CRITICAL = frozenset({"security"})
TABLE = {
    "push.example.com": ["93.184.216.34"],
    "metadata.example.com": ["169.254.169.254"],
    "intranet.example.com": ["10.0.0.5"],
    "rebind.example.com": ["127.0.0.1"],
    "v6private.example.com": ["fd12::1"],
}


def fake_resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    return [ipaddress.ip_address(a) for a in TABLE[host]]


def save(session, ctx, endpoints: list[str], *, production: bool = False, allow: str = ""):
    return preferences.replace_mine(
        session,
        ctx,
        PreferencesIn(push_endpoints=endpoints),
        critical=CRITICAL,
        production=production,
        allow_private=allow,
        resolver=fake_resolve,
    )


@pytest.mark.parametrize(
    ("host", "why"),
    [
        ("metadata.example.com", "link-local"),
        ("intranet.example.com", "private"),
        ("rebind.example.com", "loopback"),
        ("v6private.example.com", "private"),
    ],
)
def test_a_name_resolving_to_a_private_address_is_refused_and_nothing_saved(engine, tenant, host, why):
    me = TenantContext(tenant_id=tenant.id, tenant_domain=tenant.domain, user_id=tenant.admin_id)
    with tenant_session(engine, tenant.id) as session:
        save(session, me, ["https://push.example.com/1"])
        with pytest.raises(ValidationFailed) as caught:
            save(session, me, ["https://push.example.com/2", f"https://{host}/x"])
        (problem,) = caught.value.fields
        assert problem.field == "push_endpoints.1" and why in problem.message
        row = preferences.for_user(session, me, tenant.admin_id)
        assert row is not None and row.push_endpoints == ["https://push.example.com/1"]


def test_the_allow_list_and_the_https_rule(engine, tenant):
    me = TenantContext(tenant_id=tenant.id, tenant_domain=tenant.domain, user_id=tenant.admin_id)
    with tenant_session(engine, tenant.id) as session:
        # The allow-list the push sender uses admits a private receiver on purpose.
        saved = save(session, me, ["https://intranet.example.com/x"], allow="10.0.0.0/8")
        assert saved.push_endpoints == ["https://intranet.example.com/x"]
        with pytest.raises(ValidationFailed) as caught:
            save(session, me, ["http://push.example.com/x"])
        assert "https" in caught.value.fields[0].message
        with pytest.raises(ValidationFailed) as caught:
            save(session, me, ["http://localhost/x"], production=True, allow="127.0.0.0/8")
        assert "https" in caught.value.fields[0].message

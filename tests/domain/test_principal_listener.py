"""Access taken away in one process reaches another's cache within a second: a write that narrows
access notifies at commit, and every process's listener drops its cached credentials."""

from __future__ import annotations

import time

from sqlalchemy import Engine

from adapters import cache
from db.session import tenant_session
from domain.identity.revocation import PRINCIPAL, forget_principals, listen
from tests.conftest import TenantFixture


def cached(key: str) -> bool:
    return cache.get_or_load(PRINCIPAL, key, lambda: None) is not None


def test_a_commit_elsewhere_clears_this_processs_principals_within_a_second(
    engine: Engine, tenant: TenantFixture
) -> None:
    listener = listen(engine)
    try:
        time.sleep(0.3)  # LISTEN is in place
        cache.get_or_load(PRINCIPAL, "k", lambda: {"user": "someone"})
        assert cached("k")
        with tenant_session(engine, tenant.id) as session:
            forget_principals(session)
            cache.get_or_load(PRINCIPAL, "k", lambda: {"user": "read before the commit"})
        # The writer's own process dropped it at commit; refill as another process would have.
        cache.get_or_load(PRINCIPAL, "k", lambda: {"user": "someone"})
        with tenant_session(engine, tenant.id) as session:
            session.connection().exec_driver_sql("SELECT pg_notify('keel_principals', '')")
        deadline = time.monotonic() + 1
        while cached("k") and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not cached("k")
    finally:
        listener.stop()

"""Engines and units of work. Every tenant transaction sets ``app.tenant_id`` so RLS applies."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, SessionTransaction


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs (as libpq tools print them) and use psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix) :]
    return url


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    return create_engine(
        normalise_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        # No pre-ping round trip per checkout: a dropped connection is detected on use and
        # SQLAlchemy invalidates the pool; recycling keeps idle connections fresh.
        pool_recycle=1800,
    )


def open_tenant_session(engine: Engine, tenant_id: uuid.UUID) -> Session:
    """A session whose every transaction is scoped to the tenant. Nothing touches the pool until the
    first statement, so a unit of work that reads nothing costs nothing."""
    return Session(engine, expire_on_commit=False, info={"tenant_id": str(tenant_id)})


@event.listens_for(Session, "after_begin")
def _scope_to_tenant(session: Session, _tx: SessionTransaction, connection: Connection, *_: Any) -> None:
    # ``set_config(..., true)`` lasts one transaction: it is set again each time one begins.
    tenant_id = session.info.get("tenant_id")
    if tenant_id is not None:
        connection.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": tenant_id})


@contextmanager
def tenant_session(engine: Engine, tenant_id: uuid.UUID) -> Iterator[Session]:
    """One transaction scoped to a tenant: commits on success, rolls back on any error."""
    with open_tenant_session(engine, tenant_id) as session, session.begin():
        yield session


@contextmanager
def system_session(engine: Engine) -> Iterator[Session]:
    """A transaction with no tenant: under RLS it sees no tenant rows (used for auth lookups)."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session

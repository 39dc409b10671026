"""Statements whose cost depends on a tenant's data shape run under a PostgreSQL statement timeout.

A graph walk or a similarity self-join is fast on ordinary data and unbounded on a pathological
one (a hub with millions of edges); the timeout turns the second case into a 503 that names the
cause, instead of a request that holds a connection and a core for minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from domain.errors import Unavailable

QUERY_CANCELED = "57014"


def is_timeout(exc: OperationalError) -> bool:
    return (getattr(exc.orig, "pgcode", None) or getattr(exc.orig, "sqlstate", None)) == QUERY_CANCELED


@contextmanager
def statement_timeout(session: Session, milliseconds: int, message: str) -> Iterator[None]:
    """Statements inside take at most ``milliseconds`` each; one that takes longer is a 503 ``message``."""
    previous = session.execute(text("SELECT current_setting('statement_timeout')")).scalar_one()
    session.execute(text("SELECT set_config('statement_timeout', :t, true)"), {"t": f"{milliseconds}ms"})
    try:
        yield
    except OperationalError as exc:
        if is_timeout(exc):
            raise Unavailable(message) from exc
        raise
    session.execute(text("SELECT set_config('statement_timeout', :t, true)"), {"t": previous})

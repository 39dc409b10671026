"""Adding a row a unique index guards: losing a race to a concurrent writer is a clear domain error
(a 409, usually), and the caller's transaction stays usable because the insert ran in a savepoint."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.errors import DomainError


def add_unique(session: Session, row: object, conflict: Callable[[IntegrityError], DomainError]) -> None:
    """Add and flush ``row`` in a savepoint; a unique index it breaks raises ``conflict(error)``."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        raise conflict(exc) from exc

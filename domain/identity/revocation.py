"""Access taken away takes effect everywhere within a second.

Each API process caches resolved credentials (``principal``, 30 s). A write that narrows access
(a revoked key or session, a deactivated user, a narrowed role) calls ``forget_principals``: this
process drops its cache now and when the transaction ends, and the transaction sends
``NOTIFY keel_principals``, which PostgreSQL delivers to every other process at commit; their
listener (``listen``) drops their caches on receipt (the Redis cache, when on, is dropped once by
generation for all).
"""

from __future__ import annotations

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session, SessionTransaction

from adapters import cache, pg_listener
from adapters.pg_listener import Listener

PRINCIPAL = "principal"  # the cache kind api.deps keeps resolved credentials under
CHANNEL = "keel_principals"
_FORGET = "keel_forget_principals"  # session.info: drop them again when the transaction ends


def forget_principals(session: Session) -> None:
    """Drop cached credentials now, again once the transaction ends (so no request re-caches access
    from a read before the commit), and in every other process at commit."""
    cache.invalidate_kind(PRINCIPAL)
    session.execute(text(f"SELECT pg_notify('{CHANNEL}', '')"))
    session.info[_FORGET] = True
    if not event.contains(session, "after_transaction_end", _after_end):
        event.listen(session, "after_transaction_end", _after_end)


def _after_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and session.info.pop(_FORGET, False):
        cache.invalidate_kind(PRINCIPAL)


def forget_all(_payload: str = "") -> None:
    """What this process does when another narrowed access (or when notices may have been missed)."""
    cache.invalidate_kind(PRINCIPAL)


def listen(engine: Engine) -> Listener:
    """A started listener that drops this process's cached credentials when another process says so."""
    return pg_listener.listen(engine, {CHANNEL: forget_all}, on_lost=forget_all)

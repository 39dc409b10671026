"""Access taken away takes effect everywhere within a second.

Each API process caches resolved credentials (``principal``, 30 s). A write that narrows access
(a revoked key or session, a deactivated user, a narrowed role) calls ``forget_principals``: this
process drops its cache now and when the transaction ends, and the transaction sends
``NOTIFY keel_principals``, which PostgreSQL delivers to every other process at commit; their
``PrincipalListener`` drops their caches on receipt (the Redis cache, when on, is dropped once by
generation for all).
"""

from __future__ import annotations

import logging
import select
import threading

import psycopg2
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session, SessionTransaction

from adapters import cache

log = logging.getLogger("keel.identity")
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


class PrincipalListener:
    """A daemon thread LISTENing on its own connection; it reconnects after a failure and, as
    notifications may have been missed meanwhile, drops the cache then too."""

    def __init__(self, dsn: str, *, wait_seconds: float = 0.5) -> None:
        self._dsn = dsn
        self._wait = wait_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="keel-principal-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except psycopg2.Error as exc:
                log.warning("principal listener lost its connection", extra={"error": type(exc).__name__})
                cache.invalidate_kind(PRINCIPAL)
                self._stop.wait(1)

    def _listen(self) -> None:
        conn = psycopg2.connect(self._dsn)
        try:
            conn.set_session(autocommit=True)
            with conn.cursor() as cur:
                cur.execute(f"LISTEN {CHANNEL}")
            while not self._stop.is_set():
                if select.select([conn], [], [], self._wait) == ([], [], []):
                    continue
                conn.poll()
                if conn.notifies:
                    conn.notifies.clear()
                    cache.invalidate_kind(PRINCIPAL)
        finally:
            conn.close()


def listen(engine: Engine) -> PrincipalListener:
    """A started listener on the engine's database (its own connection, outside the pool)."""
    dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    listener = PrincipalListener(dsn)
    listener.start()
    return listener

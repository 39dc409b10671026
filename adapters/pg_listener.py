"""PostgreSQL notifications heard in this process: one daemon thread LISTENing on its own connection
(outside the pool) to the channels asked for, calling each channel's handler with the payload.

It reconnects after a failure; since notifications may have been missed meanwhile, ``on_lost`` is
called then so that whoever depends on them can assume the worst (drop a cache, look again)."""

from __future__ import annotations

import logging
import select
import threading
from collections.abc import Callable, Mapping

import psycopg2
from sqlalchemy import Engine

log = logging.getLogger("keel.listener")
Handler = Callable[[str], None]


class Listener:
    def __init__(
        self,
        dsn: str,
        handlers: Mapping[str, Handler],
        *,
        on_lost: Callable[[], None] | None = None,
        wait_seconds: float = 0.5,
    ) -> None:
        self._dsn = dsn
        self._handlers = dict(handlers)
        self._on_lost = on_lost
        self._wait = wait_seconds
        self._stop = threading.Event()
        self.listening = threading.Event()  # set while LISTEN is in place (tests wait for it)
        self._thread = threading.Thread(target=self._run, name="keel-pg-listener", daemon=True)

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
                self.listening.clear()
                log.warning("listener lost its connection", extra={"error": type(exc).__name__})
                if self._on_lost is not None:
                    self._on_lost()
                self._stop.wait(1)

    def _listen(self) -> None:
        conn = psycopg2.connect(self._dsn)
        try:
            conn.set_session(autocommit=True)
            with conn.cursor() as cur:
                for channel in self._handlers:  # names are the code's constants, never input
                    cur.execute(f"LISTEN {channel}")
            self.listening.set()
            while not self._stop.is_set():
                if select.select([conn], [], [], self._wait) == ([], [], []):
                    continue
                conn.poll()
                while conn.notifies:
                    notice = conn.notifies.pop(0)
                    self._handlers[notice.channel](notice.payload)
        finally:
            self.listening.clear()
            conn.close()


def listen(
    engine: Engine, handlers: Mapping[str, Handler], *, on_lost: Callable[[], None] | None = None
) -> Listener:
    """A started listener on the engine's database."""
    dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    listener = Listener(dsn, handlers, on_lost=on_lost)
    listener.start()
    return listener

"""Wakes the outbox dispatchers: ``LISTEN keel_outbox`` (a trigger NOTIFYs the tenant id when an event
commits) and signal-with-start each tenant's ``OutboxDispatcherWorkflow``.

Notifications of one tenant that arrive while its wake-up is on its way collapse into one. On start,
and after every reconnect, a sweep wakes each tenant that has unpublished events, so nothing
committed while the listener was away waits for the dispatcher's own periodic look.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

import psycopg2
import psycopg2.extensions
from temporalio.client import Client

from keel.settings import Settings
from workflows import contracts
from workflows.outbox import OutboxDispatcherWorkflow

log = logging.getLogger("keel.outbox")
CHANNEL = "keel_outbox"
SWEEP_SQL = "SELECT DISTINCT tenant_id FROM outbox_events WHERE published_at IS NULL"


def dsn(url: str) -> str:
    """A libpq URI from a SQLAlchemy URL (``postgresql+psycopg2://`` -> ``postgresql://``)."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme.split('+')[0]}{sep}{rest}"


def dispatcher_id(tenant_id: uuid.UUID | str) -> str:
    return f"outbox-{tenant_id}"


async def wake(client: Client, task_queue: str, tenant_id: uuid.UUID) -> None:
    """Start the tenant's dispatcher, or signal it if it runs."""
    await client.start_workflow(
        OutboxDispatcherWorkflow.run,
        tenant_id,
        id=dispatcher_id(tenant_id),
        task_queue=task_queue,
        start_signal=contracts.WAKE,
    )


class OutboxListener:
    def __init__(self, settings: Settings, client: Client, *, max_backoff: float = 30.0) -> None:
        self.settings = settings
        self.client = client
        self.max_backoff = max_backoff
        self._pending: set[uuid.UUID] = set()
        self._ready = asyncio.Event()
        self.listening = asyncio.Event()  # set while LISTEN is active (tests wait for it)

    async def run(self) -> None:
        """Until cancelled: listen, reconnecting with backoff after a database error."""
        waker = asyncio.create_task(self._wake_loop())
        backoff = 0.5
        try:
            while True:
                try:
                    await self._listen()
                except (psycopg2.Error, OSError) as exc:
                    log.warning("outbox listener lost the database", extra={"error": str(exc)})
                if self.listening.is_set():  # it had worked: start the backoff afresh
                    backoff = 0.5
                self.listening.clear()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff)
        finally:
            waker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await waker

    async def _listen(self) -> None:
        loop = asyncio.get_running_loop()
        conn = await asyncio.to_thread(psycopg2.connect, dsn(self.settings.require_database_url()))
        broken = loop.create_future()
        try:
            conn.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
            with conn.cursor() as cur:
                cur.execute(f"LISTEN {CHANNEL}")

            def readable() -> None:
                try:
                    conn.poll()
                except psycopg2.Error as exc:
                    if not broken.done():
                        broken.set_exception(exc)
                    return
                while conn.notifies:
                    self._add(conn.notifies.pop(0).payload)

            loop.add_reader(conn.fileno(), readable)
            try:
                # After LISTEN: an event committed from here on is notified, one before is swept.
                for tenant_id in await asyncio.to_thread(self._sweep):
                    self._add(str(tenant_id))
                self.listening.set()
                await broken
            finally:
                loop.remove_reader(conn.fileno())
        finally:
            conn.close()

    def _sweep(self) -> list[uuid.UUID]:
        """Tenants with unpublished events. Needs the owner role: RLS hides every row from the app role."""
        if not self.settings.database_admin_url:
            log.warning("no KEEL_DATABASE_ADMIN_URL: the outbox sweep at start-up is skipped")
            return []
        conn = psycopg2.connect(dsn(self.settings.database_admin_url))
        try:
            with conn.cursor() as cur:
                cur.execute(SWEEP_SQL)
                return [uuid.UUID(str(r[0])) for r in cur.fetchall()]
        finally:
            conn.close()

    def _add(self, payload: str) -> None:
        try:
            self._pending.add(uuid.UUID(payload))
        except ValueError:
            log.warning("ignored an outbox notification that is not a tenant id")
            return
        self._ready.set()

    async def _wake_loop(self) -> None:
        while True:
            await self._ready.wait()
            self._ready.clear()
            batch, self._pending = self._pending, set()
            await asyncio.gather(*(self._wake(t) for t in batch))

    async def _wake(self, tenant_id: uuid.UUID) -> None:
        try:
            await wake(self.client, self.settings.temporal_task_queue, tenant_id)
        except Exception as exc:  # Temporal unreachable: try again shortly, the events wait in the outbox
            log.warning(
                "could not wake the outbox dispatcher", extra={"tenant_id": str(tenant_id), "error": str(exc)}
            )
            asyncio.get_running_loop().call_later(2.0, self._add, str(tenant_id))


async def run_listener(settings: Settings, client: Client) -> None:
    """Run the listener until cancelled (the worker cancels it when it stops)."""
    await OutboxListener(settings, client).run()

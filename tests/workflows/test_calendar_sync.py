"""The periodic calendar sync on the time-skipping server: a round imports the feed served on
loopback, waits its interval (a durable timer) and picks up the changed feed; a failing round is
recorded and the blocks kept; deleting the import ends the workflow."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select, text

from db.models import AvailabilityRule, CalendarImport, Resource
from db.session import tenant_session
from domain.context import TenantContext
from domain.scheduling.calendars import service as calendars
from domain.scheduling.calendars.schemas import CalendarImportIn, CalendarSyncRun
from keel import crypto
from tests.workflows.conftest import terminate_all
from workers.main import build_worker

LOOPBACK = "127.0.0.0/8"
INTERVAL = 900


@dataclass
class Feed:
    """Serves ``body`` with ``status`` at ``url``; counts the requests."""

    url: str = ""
    body: bytes = b""
    status: int = 200
    hits: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def feed() -> Iterator[Feed]:
    served = Feed()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with served.lock:
                served.hits += 1
                status, body = served.status, served.body
            self.send_response(status)
            self.send_header("content-type", "text/calendar")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    served.url = f"http://127.0.0.1:{server.server_address[1]}/team.ics"
    yield served
    server.shutdown()
    server.server_close()


@pytest.fixture
def queue():
    return f"cal-{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def env(time_skipping_env, engine, queue, settings, started_workflows):
    allowed = settings.model_copy(update={"calendar_allow_private": LOOPBACK})
    async with build_worker(time_skipping_env.client, engine, queue, settings=allowed):
        yield time_skipping_env
        await terminate_all(started_workflows)


def ics(*spans: tuple[datetime, datetime]) -> bytes:
    fmt = "%Y%m%dT%H%M%SZ"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//test//EN"]
    for n, (s, e) in enumerate(spans):
        lines += ["BEGIN:VEVENT", f"UID:e{n}", f"DTSTART:{s:{fmt}}", f"DTEND:{e:{fmt}}", "END:VEVENT"]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def at(days: int, hour: int) -> datetime:
    return datetime.now(UTC).replace(hour=hour, minute=0, second=0, microsecond=0) + timedelta(days=days)


def blocks(engine, tenant_id, import_id) -> list[tuple[datetime, datetime]]:
    with tenant_session(engine, tenant_id) as session:
        rows = session.execute(
            select(AvailabilityRule.starts_at, AvailabilityRule.ends_at)
            .where(AvailabilityRule.source == calendars.source_of(import_id))
            .order_by(AvailabilityRule.starts_at)
        )
        return [(s, e) for s, e in rows if s is not None and e is not None]


def import_row(engine, tenant_id, import_id) -> CalendarImport:
    with tenant_session(engine, tenant_id) as session:
        row = session.get(CalendarImport, import_id)
        assert row is not None
        return row


async def until(check, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the condition did not come true"
        await asyncio.sleep(0.05)


async def test_sync_waits_its_interval_and_follows_the_feed(
    env, engine, admin_engine, tenant, queue, feed, settings
):
    ctx = TenantContext.system(tenant.id, tenant.domain)
    first = [(at(2, 9), at(2, 10)), (at(3, 14), at(3, 15))]
    second = [(at(2, 9), at(2, 10)), (at(5, 8), at(5, 12))]  # one event deleted upstream, one added
    feed.body = ics(*first)
    with tenant_session(engine, tenant.id) as session:
        resource = Resource(
            tenant_id=tenant.id, name="Dr Who", kind="person", timezone="Europe/Paris", tags=[]
        )
        session.add(resource)
        session.flush()
        body = CalendarImportIn(url=feed.url, interval="PT15M")
        row = calendars.create_url_import(session, ctx, resource.id, body, LOOPBACK, crypto.box(settings))
        import_id, wf_id, resource_id = row.id, row.workflow_id, resource.id
    # Stored encrypted (even the database owner reads no URL); the sync decrypts it to fetch.
    with admin_engine.connect() as conn:
        raw = conn.execute(
            text("SELECT url FROM calendar_imports WHERE id = :id"), {"id": import_id}
        ).scalar()
    assert raw and feed.url not in raw and "/team.ics" not in raw
    assert crypto.box(settings).open(raw) == feed.url
    assert wf_id == f"calendar-sync-{import_id}"
    run = CalendarSyncRun(tenant_id=tenant.id, import_id=import_id, interval_seconds=INTERVAL)
    handle = await env.client.start_workflow("calendar-sync", run, id=wf_id, task_queue=queue)

    await until(lambda: blocks(engine, tenant.id, import_id) == first)
    synced = import_row(engine, tenant.id, import_id)
    assert synced.status == "active" and synced.events_imported == 2 and synced.last_synced_at
    feed.body = ics(*second)
    assert feed.hits == 1
    # Nothing is fetched before the interval has passed...
    await env.sleep(INTERVAL - 60)
    assert feed.hits == 1 and blocks(engine, tenant.id, import_id) == first
    # ...and the next round, after it, picks up the changed feed.
    await env.sleep(120)
    await until(lambda: blocks(engine, tenant.id, import_id) == second)
    assert feed.hits == 2

    # A failing round is recorded and keeps the blocks; the following round recovers.
    feed.status = 500
    await env.sleep(INTERVAL)
    await until(lambda: import_row(engine, tenant.id, import_id).status == "failed")
    failed = import_row(engine, tenant.id, import_id)
    assert failed.last_error == "HTTP 500 from the calendar URL"
    assert blocks(engine, tenant.id, import_id) == second
    feed.status, feed.body = 200, b"this is not a calendar"
    await env.sleep(INTERVAL)
    await until(
        lambda: feed.hits == 4 and import_row(engine, tenant.id, import_id).last_error != failed.last_error
    )
    assert "iCalendar" in (import_row(engine, tenant.id, import_id).last_error or "")
    feed.body = ics(*first)
    await env.sleep(INTERVAL)
    await until(lambda: import_row(engine, tenant.id, import_id).status == "active")
    assert blocks(engine, tenant.id, import_id) == first

    # Deleted: the blocks go at once, and the next round ends the workflow.
    with tenant_session(engine, tenant.id) as session:
        calendars.delete_import(session, ctx, resource_id, import_id, datetime.now(UTC))
    assert blocks(engine, tenant.id, import_id) == []
    await env.sleep(INTERVAL)
    assert await handle.result() == "stopped"
    assert feed.hits == 5


async def test_a_refused_address_is_recorded_not_fetched(env, engine, tenant, queue, settings):
    """An import made while loopback was allowed, synced by a worker that no longer allows it."""
    ctx = TenantContext.system(tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as session:
        resource = Resource(tenant_id=tenant.id, name="Room", kind="room", timezone="UTC", tags=[])
        session.add(resource)
        session.flush()
        row = calendars.create_url_import(
            session,
            ctx,
            resource.id,
            CalendarImportIn(url="http://10.1.2.3/x.ics"),
            "10.0.0.0/8",
            crypto.box(settings),
        )
        import_id, wf_id = row.id, row.workflow_id
    run = CalendarSyncRun(tenant_id=tenant.id, import_id=import_id, interval_seconds=INTERVAL)
    handle = await env.client.start_workflow("calendar-sync", run, id=wf_id, task_queue=queue)
    await until(lambda: import_row(engine, tenant.id, import_id).status == "failed")
    error = import_row(engine, tenant.id, import_id).last_error or ""
    assert error.startswith("refused:") and "private" in error
    await handle.signal("stop")
    assert await handle.result() == "stopped"

"""Calendar import URLs at rest: migration 0011 seals the plaintext ones, ``keel secrets rotate``
re-seals them, and what is shown or recorded of a URL is its scheme and host only."""

from __future__ import annotations

import importlib.util
import logging
import uuid
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from cli.secrets import reseal_all
from db.models import Resource
from domain.scheduling.calendars.service import redact_url, scrub
from keel import crypto

MIGRATION = Path(__file__).parents[2] / "db" / "migrations" / "versions" / "0011_calendar_secrets.py"
SECRET_URL = "https://calendar.example.com/calendar/ical/team%40example.com/private-5f1e2d/basic.ics"


def migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("migration_0011", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def insert_import(conn: Connection, tenant_id: uuid.UUID, url: str) -> uuid.UUID:
    resource = Resource(tenant_id=tenant_id, name="Room", kind="room", capacity=1, timezone="UTC", tags=[])
    with Session(bind=conn) as session:  # the columns' defaults, flushed into the test's transaction
        session.add(resource)
        session.flush()
        resource_id, import_id = resource.id, uuid.uuid4()
    conn.execute(
        text(
            "INSERT INTO calendar_imports (id, tenant_id, resource_id, url, interval_seconds, status, "
            "events_imported) VALUES (:id, :t, :r, :u, 900, 'active', 0)"
        ),
        {"id": import_id, "t": tenant_id, "r": resource_id, "u": url},
    )
    return import_id


def stored(conn: Connection, import_id: uuid.UUID) -> str:
    return str(
        conn.execute(text("SELECT url FROM calendar_imports WHERE id = :id"), {"id": import_id}).scalar()
    )


def test_plaintext_urls_are_sealed_once_and_read_back(admin_engine, tenant):
    box = crypto.SecretBox((crypto.new_key(),))
    with admin_engine.connect() as conn:
        trans = conn.begin()
        try:
            import_id = insert_import(conn, tenant.id, SECRET_URL)
            assert migration().seal_plaintext(conn, lambda: box) >= 1
            raw = stored(conn, import_id)
            assert "private-5f1e2d" not in raw and box.open(raw) == SECRET_URL
            # Running again changes nothing (already sealed), and needs no key.
            assert migration().seal_plaintext(conn, lambda: pytest.fail("no key needed")) == 0
        finally:
            trans.rollback()


def test_production_without_a_key_stops_before_changing_anything(admin_engine, tenant, settings):
    production = settings.model_copy(update={"environment": "production", "secrets_keys": None})
    with admin_engine.connect() as conn:
        trans = conn.begin()
        try:
            import_id = insert_import(conn, tenant.id, SECRET_URL)
            with pytest.raises(crypto.SecretsKeyMissing):
                migration().seal_plaintext(conn, lambda: crypto.box(production))
            assert stored(conn, import_id) == SECRET_URL
        finally:
            trans.rollback()


def test_rotation_reseals_calendar_urls(admin_engine, tenant):
    old, new = crypto.new_key(), crypto.new_key()
    with admin_engine.connect() as conn:
        trans = conn.begin()
        try:
            import_id = insert_import(conn, tenant.id, crypto.SecretBox((old,)).seal(SECRET_URL))
            # Rows of other tests are under the development key: it stays in the list to read them.
            assert reseal_all(conn, crypto.SecretBox((new, old, crypto.DEVELOPMENT_KEY))) >= 1
            raw = stored(conn, import_id)
            assert crypto.SecretBox((new,)).open(raw) == SECRET_URL
            with pytest.raises(ValueError):
                crypto.SecretBox((old,)).open(raw)
        finally:
            trans.rollback()


def test_a_redacted_url_keeps_scheme_and_host_only():
    assert redact_url(SECRET_URL) == "https://calendar.example.com/…"
    assert redact_url("http://[2001:db8::1]:8080/a/b?k=s") == "http://[2001:db8::1]:8080/…"


def test_errors_lose_the_url_path_and_query():
    url = "https://cal.example.com/feeds/private-abc/basic.ics?token=s3cr3t"
    message = f"ConnectError: cannot reach {url}; GET /feeds/private-abc/basic.ics?token=s3cr3t; token=s3cr3t"
    cleaned = scrub(message, url)
    assert "private-abc" not in cleaned and "s3cr3t" not in cleaned
    assert cleaned.startswith("ConnectError: cannot reach …")


def test_fetching_a_calendar_logs_no_url(settings, caplog):
    """httpx logs each request's URL at INFO; with Keel's logging set up, a fetch logs nothing of it."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    from adapters import safe_http
    from keel.logs import configure_logging

    class Quiet(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")

        def log_message(self, *args: object) -> None:
            pass

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        configure_logging(settings.model_copy(update={"log_level": "INFO"}))
        root.addHandler(caplog.handler)
        url = f"http://127.0.0.1:{server.server_address[1]}/calendar/ical/private-5f1e2d/basic.ics?k=s3cr3t"
        allow = safe_http.AllowList.parse("127.0.0.0/8", "KEEL_CALENDAR_ALLOW_PRIVATE")
        assert safe_http.get(url, headers={}, timeout=5, allow=allow, max_bytes=1000).status_code == 200
        assert "private-5f1e2d" not in caplog.text and "s3cr3t" not in caplog.text
    finally:
        server.shutdown()
        root.handlers[:] = handlers
        root.setLevel(level)

"""OpenTelemetry traces: one request's trace runs from the API through Temporal into the workflow, its
activity and the activity's SQL; its id is the request's correlation id; OTLP exports it."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from api.app import create_app
from db.session import make_engine
from keel.settings import Settings
from keel.temporal import connect
from keel.tracing import configure
from tests.api.conftest import served
from tests.conftest import TenantFixture
from workers.main import build_worker


def _run_worker(
    settings: Settings, exporter: InMemorySpanExporter, stop: threading.Event, ready: threading.Event
) -> None:
    async def main() -> None:
        tracing = configure(settings, "keel-worker", exporter=exporter)
        assert tracing is not None
        client = await connect(settings, tracing=tracing)
        engine = make_engine(settings.require_database_url(), pool_size=2)
        tracing.instrument(engine)
        async with build_worker(client, engine, settings.temporal_task_queue, settings=settings):
            ready.set()
            while not stop.is_set():
                await asyncio.sleep(0.05)
        engine.dispose()

    asyncio.run(main())


@pytest.fixture(scope="module")
def traced(settings: Settings, dev_server: str) -> Iterator[tuple[str, InMemorySpanExporter]]:
    """An API and a worker on a task queue of their own, both tracing into one in-memory exporter."""
    exporter = InMemorySpanExporter()
    traced_settings = settings.model_copy(
        update={"temporal_address": dev_server, "temporal_task_queue": f"traced-{uuid.uuid4().hex[:8]}"}
    )
    stop, ready = threading.Event(), threading.Event()
    worker = threading.Thread(target=_run_worker, args=(traced_settings, exporter, stop, ready), daemon=True)
    worker.start()
    assert ready.wait(timeout=30), "the worker did not start"
    app = create_app(traced_settings, tracing=configure(traced_settings, "keel-api", exporter=exporter))
    try:
        with served(app) as url:
            yield url, exporter
    finally:
        stop.set()
        worker.join(timeout=10)


def _eventually(fn: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := fn()):
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)
    return result


def _ancestors(span: ReadableSpan, by_id: dict[int, ReadableSpan]) -> list[str]:
    names = []
    while span.parent is not None and span.parent.span_id in by_id:
        span = by_id[span.parent.span_id]
        names.append(span.name)
    return names


def test_a_request_is_traced_through_temporal_into_the_activity_sql(
    traced: tuple[str, InMemorySpanExporter], tenant: TenantFixture
) -> None:
    url, exporter = traced
    body = {
        "definition": "approval",
        "business_key": f"PO-{uuid.uuid4().hex[:6]}",
        "input": {
            "subject": "Traced laptops",
            "amount": {"value": "10.00", "currency": "EUR"},
            "chain": [{"assignee": "role:admin", "due": "P2D"}],
            "on_timeout": "reject",
        },
    }
    auth = {"Authorization": f"Bearer {tenant.api_key}"}
    response = httpx.post(f"{url}/api/v1/processes", json=body, headers=auth, timeout=30)
    assert response.status_code == 201, response.text
    trace_id = int(response.headers["x-correlation-id"], 16)  # the correlation id is the trace id

    def in_trace() -> list[ReadableSpan]:
        spans = [s for s in exporter.get_finished_spans() if s.context.trace_id == trace_id]
        return spans if any(s.name.startswith("RunActivity:") for s in spans) else []

    spans = _eventually(in_trace)
    names = {s.name for s in spans}
    assert "POST /api/v1/processes" in names
    for prefix in ("StartWorkflow:", "RunWorkflow:", "StartActivity:", "RunActivity:"):
        assert any(n.startswith(prefix) for n in names), (prefix, sorted(names))
    by_id = {s.context.span_id: s for s in spans}
    server = next(s for s in spans if s.name == "POST /api/v1/processes")
    assert server.parent is None and server.attributes is not None
    assert server.attributes["http.route"] == "/api/v1/processes"
    assert server.attributes["http.response.status_code"] == 201

    def activity_sql() -> list[ReadableSpan]:
        current = [s for s in exporter.get_finished_spans() if s.context.trace_id == trace_id]
        index = by_id | {s.context.span_id: s for s in current}
        return [
            s
            for s in current
            if any(k.startswith("db.") for k in (s.attributes or {}))
            and any(n.startswith("RunActivity:") for n in _ancestors(s, index))
        ]

    assert _eventually(activity_sql), "no SQL span under an activity"
    # The API's own SQL (the credential, the process row) is in the request's trace too.
    assert any(
        any(k.startswith("db.") for k in (s.attributes or {}))
        and "POST /api/v1/processes" in _ancestors(s, by_id)
        for s in spans
    )


def test_a_caller_correlation_id_is_kept(traced: tuple[str, InMemorySpanExporter]) -> None:
    url, exporter = traced
    response = httpx.get(f"{url}/healthz", headers={"X-Correlation-ID": "my-request-1"}, timeout=10)
    assert response.headers["x-correlation-id"] == "my-request-1"
    span = _eventually(
        lambda: [
            s
            for s in exporter.get_finished_spans()
            if (s.attributes or {}).get("keel.correlation_id") == "my-request-1"
        ]
    )[0]
    assert span.name == "GET /healthz"


class _Collector(BaseHTTPRequestHandler):
    received: list[tuple[str, str, int]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", 0))
        self.rfile.read(length)
        self.received.append((self.path, self.headers.get("content-type", ""), length))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_spans_are_exported_by_otlp_when_an_endpoint_is_set(settings: Settings) -> None:
    assert configure(settings.model_copy(update={"otel_exporter_otlp_endpoint": None}), "keel-api") is None
    server = HTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_port}/"
        tracing = configure(settings.model_copy(update={"otel_exporter_otlp_endpoint": endpoint}), "keel-api")
        assert tracing is not None
        tracing.tracer.start_span("probe").end()
        tracing.shutdown()  # the batch goes out now
    finally:
        server.shutdown()
    assert _Collector.received, "nothing reached the collector"
    path, content_type, length = _Collector.received[0]
    assert path == "/v1/traces" and content_type == "application/x-protobuf" and length > 0

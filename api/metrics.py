"""Prometheus metrics of the API: ``GET /metrics`` and the middleware that measures every request.

Requests are labelled by route TEMPLATE (``/api/v1/processes/{process_id}``), never the raw path, so
the number of series stays bounded whatever clients send; a path no route matches is ``unmatched``.
``/metrics`` is answered by the middleware itself, before the credential check and outside the
routes (so the OpenAPI document and the public-route list stay as they are): with
``KEEL_METRICS_TOKEN`` set it needs ``Authorization: Bearer <token>``, without it only a loopback
client gets an answer (anyone else a 404, as if nothing were there).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric, SummaryMetricFamily
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import Engine, Row, text
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import public
from api.envelope import error
from api.middleware import security_headers

log = logging.getLogger("keel.metrics")

PATH = "/metrics"
UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Seconds; the API's answers range from a cached read (milliseconds) to an export (seconds).
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_CONVERTOR = re.compile(r"\{(\w+):[^}]*\}")
disable_created_metrics()  # no ``_created`` twin of every counter and histogram: a third fewer series


class ApiMetrics:
    """One registry per application (tests build many apps in one process)."""

    def __init__(self, engine: Callable[[], Engine | None], definitions: Callable[[], Iterable[str]]) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        labels = ("route", "method", "status_class")
        self.requests = Counter(
            "keel_http_requests", "HTTP requests answered", labels, registry=self.registry
        )
        self.errors = Counter(
            "keel_http_request_errors",
            "HTTP requests answered with a 5xx or that failed before answering",
            ("route", "method"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "keel_http_request_duration_seconds",
            "Time from the request's arrival to the end of its answer",
            ("route", "method"),
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "keel_http_requests_in_flight", "HTTP requests being answered", registry=self.registry
        )
        self.registry.register(PoolCollector(engine))
        self.totals = TotalsCollector(engine, definitions)
        self.registry.register(self.totals)
        ProcessCollector(registry=self.registry)

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, f"{status // 100}xx").inc()
        if status >= 500:
            self.errors.labels(route, method).inc()
        self.latency.labels(route, method).observe(seconds)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class PoolCollector(Collector):
    """The SQLAlchemy connection pool, read at scrape time (nothing before the engine exists)."""

    def __init__(self, engine: Callable[[], Engine | None]) -> None:
        self.engine = engine

    def describe(self) -> list[Metric]:
        return []  # the engine comes with the lifespan: nothing to describe before it

    def collect(self) -> Iterator[Metric]:
        engine = self.engine()
        pool: Any = engine.pool if engine is not None else None
        if pool is None or not hasattr(pool, "checkedout"):
            return
        for name, documentation, value in (
            ("keel_db_pool_size", "Connections the pool keeps open", pool.size()),
            ("keel_db_pool_checked_out", "Connections in use by a request or job", pool.checkedout()),
            ("keel_db_pool_checked_in", "Open connections idle in the pool", pool.checkedin()),
            # Negative while the pool has not opened all of its size yet (SQLAlchemy's convention).
            ("keel_db_pool_overflow", "Connections beyond the pool size", pool.overflow()),
        ):
            yield GaugeMetricFamily(name, documentation, value=value)


class TotalsCollector(Collector):
    """Business totals over every tenant, read at scrape time by one query (``keel_metrics_totals``,
    which answers counts only and bounds its labels) and reused for ``ttl`` seconds, so several
    Prometheus servers or a fast scrape interval cost the database one query per ``ttl``."""

    def __init__(
        self, engine: Callable[[], Engine | None], definitions: Callable[[], Iterable[str]], ttl: float = 15.0
    ) -> None:
        self.engine = engine
        self.definitions = definitions  # read at the first scrape: the catalog loads lazily
        self.ttl = ttl
        self._lock = threading.Lock()
        self._cached: tuple[float, list[Row[Any]]] | None = None

    def describe(self) -> list[Metric]:
        return []

    def _rows(self) -> list[Row[Any]]:
        engine = self.engine()
        if engine is None:
            return []
        with self._lock:  # concurrent scrapes wait for one query rather than each running it
            now = time.monotonic()
            if self._cached is None or now - self._cached[0] > self.ttl:
                with engine.connect() as conn:
                    query = text("SELECT * FROM keel_metrics_totals(:definitions)")
                    rows = list(conn.execute(query, {"definitions": sorted(self.definitions())}))
                self._cached = (now, rows)
            return self._cached[1]

    def collect(self) -> Iterator[Metric]:
        try:
            rows = self._rows()
        except SQLAlchemyError:
            log.warning("metrics totals unavailable", exc_info=True)
            return  # the request metrics are still worth a scrape while the database is away
        if not rows:
            return
        by: dict[str, list[Row[Any]]] = {}
        for row in rows:
            by.setdefault(row.metric, []).append(row)
        yield from _totals(by)


# (family, name, help, labels, the function's metric): each label a column it bounds.
_LABELLED: tuple[tuple[type[CounterMetricFamily | GaugeMetricFamily], str, str, list[str], str], ...] = (
    (
        CounterMetricFamily,
        "keel_processes_started",
        "Processes started per definition (custom: one Keel does not ship)",
        ["definition"],
        "processes_started",
    ),
    (
        GaugeMetricFamily,
        "keel_notification_messages",
        "Notification messages per channel and status",
        ["channel", "status"],
        "notification_messages",
    ),
    (
        GaugeMetricFamily,
        "keel_webhook_deliveries",
        "Webhook deliveries per status (failed: retries exhausted, the dead letters)",
        ["status"],
        "webhook_deliveries",
    ),
    (CounterMetricFamily, "keel_import_rows", "Entity import rows per outcome", ["outcome"], "import_rows"),
)
_SINGLE: tuple[tuple[type[CounterMetricFamily | GaugeMetricFamily], str, str, str], ...] = (
    (GaugeMetricFamily, "keel_tasks_open", "Human tasks waiting for a decision", "tasks_open"),
    (GaugeMetricFamily, "keel_tasks_overdue", "Open tasks past their due time", "tasks_overdue"),
    (CounterMetricFamily, "keel_sla_breaches", "Task SLA breaches recorded", "sla_breaches"),
)


def _totals(by: dict[str, list[Row[Any]]]) -> Iterator[Metric]:
    def one(metric: str) -> float:
        return float(sum(row.value for row in by.get(metric, [])))

    for kind, name, documentation, labels, metric in _LABELLED:
        family = kind(name, documentation, labels=labels)
        for row in by.get(metric, []):
            family.add_metric([row.label1, row.label2][: len(labels)], row.value)
        yield family
    for single, name, documentation, metric in _SINGLE:
        yield single(name, documentation, value=one(metric))
    yield SummaryMetricFamily(
        "keel_webhook_attempt_duration_seconds",
        "Webhook delivery attempts that got an answer, and their total latency",
        count_value=int(one("webhook_attempts")),
        sum_value=one("webhook_attempt_seconds"),
    )


def route_of(scope: Scope) -> str:
    """The template of the route that answered; before routing (a refusal), the one it would be."""
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if template is None:
        app = scope.get("app")
        routes = getattr(getattr(app, "state", None), "public_routes", public.PUBLIC_ROUTES)
        matched = public.match(scope, routes)
        template = matched.path if matched is not None else None
    return _CONVERTOR.sub(r"{\1}", template) if template else UNMATCHED


def is_loopback(scope: Scope) -> bool:
    """The socket peer (the API trusts no forwarding header: uvicorn runs with proxy_headers off)."""
    client = scope.get("client")
    if not client:
        return False
    try:
        address = ipaddress.ip_address(client[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def _token_matches(headers: Headers, token: str) -> bool:
    scheme, _, given = headers.get("authorization", "").partition(" ")
    # Compared in constant time, as bytes (compare_digest refuses non-ASCII str).
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


class MetricsMiddleware:
    """Outermost: measures every answer, refusals by the inner middleware included, and serves
    ``GET /metrics``."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics, token: str | None) -> None:
        self.app = app
        self.metrics = metrics
        self.token = token or None  # an empty KEEL_METRICS_TOKEN is no token: it would match "Bearer "

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == PATH:
            await self._scrape(scope, send)
            return
        method = scope["method"] if scope["method"] in METHODS else "other"
        status = 500  # an exception that escapes before the answer starts is a server error
        started = time.perf_counter()

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, send_status)
        finally:
            self.metrics.in_flight.dec()
            self.metrics.observe(route_of(scope), method, status, time.perf_counter() - started)

    async def _scrape(self, scope: Scope, send: Send) -> None:
        if self.token is None and not is_loopback(scope):
            await _answer(send, 404, error("not_found", "Not found."))
        elif self.token is not None and not _token_matches(Headers(scope=scope), self.token):
            ask = "Send 'Authorization: Bearer <metrics token>'."
            await _answer(send, 401, error("unauthenticated", ask), {"www-authenticate": "Bearer"})
        elif scope["method"] not in ("GET", "HEAD"):
            await _answer(send, 405, error("method_not_allowed", "Use GET."), {"allow": "GET, HEAD"})
        else:
            body = await run_in_threadpool(self.metrics.exposition)  # the pool and SQL reads block
            head = {"content-type": CONTENT_TYPE_LATEST, "cache-control": "no-store"}
            await _send(send, 200, body if scope["method"] == "GET" else b"", head, len(body))


async def _answer(send: Send, status: int, body: dict[str, Any], head: dict[str, str] | None = None) -> None:
    raw = json.dumps(body).encode()
    await _send(send, status, raw, {"content-type": "application/json", **(head or {})}, len(raw))


async def _send(send: Send, status: int, body: bytes, head: dict[str, str], length: int) -> None:
    start: Message = {"type": "http.response.start", "status": status, "headers": []}
    out = MutableHeaders(scope=start)
    for key, value in head.items():
        out[key] = value
    out["content-length"] = str(length)
    security_headers(out, PATH)
    await send(start)
    await send({"type": "http.response.body", "body": body})

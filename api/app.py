"""The FastAPI application factory and ``keel api``."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from temporalio.client import Client

from activities import activity_names
from adapters import cache, pg_listener
from api import errors, openapi
from api.long_poll import Wakes
from api.metrics import ApiMetrics, MetricsMiddleware
from api.middleware import IdempotencyMiddleware, RequestContextMiddleware
from api.public import PUBLIC_ROUTES
from api.rate_limits import RateLimiter, SharedFailures
from api.ratelimit import FailureLimiter
from api.routers import (
    alerts,
    audit,
    audit_chain,
    auth,
    availability,
    billable_metrics,
    billing_reports,
    billing_settings,
    booking_series,
    bookings,
    calendars,
    campaigns,
    customers,
    dashboards,
    decisions,
    definitions,
    dev_outbox,
    document_assets,
    document_operations,
    document_templates,
    documents,
    entities,
    entity_types,
    events,
    fx_rates,
    health,
    identity,
    imports,
    inbox,
    invoices,
    metrics,
    notification_templates,
    notifications,
    passwords,
    payment_links,
    payment_methods,
    payments,
    people,
    predictions,
    preferences,
    prices,
    processes,
    products,
    providers,
    public_invoices,
    public_quotes,
    public_signing,
    quotes,
    refunds,
    relationships,
    report_subscriptions,
    reports,
    resources,
    search,
    security,
    signing_certificate,
    signing_requests,
    stripe_events,
    subscriptions,
    tasks,
    tax_rates,
    usage_events,
    webhooks,
)
from api.tracing import TracingMiddleware
from db.session import make_engine
from domain import cursors
from domain.billing.invoices import pay_page
from domain.definitions.service import CODE_WORKFLOWS, Catalog
from domain.identity import revocation
from domain.processes.service import TASKS_CHANNEL
from domain.signing import keys as signing_keys
from keel.settings import Settings
from keel.temporal import connect
from keel.tracing import Tracing
from keel.tracing import configure as configure_tracing
from web import docs_routes as web_api_docs
from web import pay_routes as web_pay_pages
from web import quote_routes as web_quote_pages
from web import routes as web_pages
from web.console import admin as web_console_admin
from web.console import bookings as web_console_bookings
from web.console import dashboards as web_console_dashboards
from web.console import documents as web_console_documents
from web.console import invoices as web_console_invoices
from web.console import processes as web_console_processes
from web.console import records as web_console_records
from web.console import routes as web_console
from web.console import security as web_console_security

log = logging.getLogger("keel.api")
CORS_REQUEST_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "If-Match", "X-Correlation-ID"]
CORS_RESPONSE_HEADERS = [
    "ETag",
    "Location",
    "RateLimit",
    "RateLimit-Policy",
    "Retry-After",
    "X-Correlation-ID",
]

DESCRIPTION = """
Keel's REST front door. Authenticate with `Authorization: Bearer <token>` where the token is an
access token from `POST /api/v1/auth/token` or an API key (`keel_…`). Every response uses the
envelope `{"status", "data", "message", "meta", "timestamp"}`; errors use
`{"status": "error", "error": {"code", "message", "details"}, "timestamp"}`.
Creating POSTs accept an `Idempotency-Key` header.
"""


def create_app(
    settings: Settings, *, temporal: Client | None = None, tracing: Tracing | None = None
) -> FastAPI:
    signing_keys.check_configuration(settings)  # a sealing certificate that cannot be opened stops the start
    lock = asyncio.Lock()

    async def connect_temporal() -> Client | None:
        """Connect on first need, so the API starts (and /healthz answers) while Temporal is down."""
        async with lock:
            if app.state.temporal is None:
                try:
                    app.state.temporal = await asyncio.wait_for(
                        connect(settings, tracing=app.state.tracing), timeout=5
                    )
                except Exception as exc:
                    log.warning("temporal unreachable", extra={"error": str(exc)})
            client: Client | None = app.state.temporal
            return client

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = make_engine(settings.require_database_url(), pool_size=settings.database_pool_size)
        if app.state.tracing is not None:
            app.state.tracing.instrument(app.state.engine)
        app.state.task_wakes = wakes = Wakes(asyncio.get_running_loop())
        heard: dict[str, Callable[[str], None]] = {TASKS_CHANNEL: wakes.notify}
        own_cache = settings.cache_backend == "memory"
        if own_cache:  # it hears of access revoked elsewhere (Redis is shared)
            heard[revocation.CHANNEL] = revocation.forget_all

        def lost() -> None:  # notices may have been missed: assume the worst
            if own_cache:
                revocation.forget_all()
            wakes.notify_all()

        listener = pg_listener.listen(app.state.engine, heard, on_lost=lost)
        app.state.rate_limiter = RateLimiter(settings, app.state.engine)
        app.state.rate_limiter.start()
        if settings.rate_limits_enabled:  # failed sign-ins then count in every process alike
            app.state.login_limiter = SharedFailures(
                app.state.rate_limiter, settings.login_attempts_per_minute
            )
        if app.state.temporal is None:
            await connect_temporal()
        try:
            yield
        finally:
            listener.stop()
            app.state.rate_limiter.stop()
            app.state.engine.dispose()
            if app.state.tracing is not None:
                app.state.tracing.flush()

    app = FastAPI(
        title="Keel",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # /docs and /redoc are web.docs_routes: Swagger UI and ReDoc from Keel's own static files.
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        # RequestContextMiddleware redirects a trailing slash itself, without trusting Host.
        redirect_slashes=False,
    )
    app.state.settings = settings
    cache.configure(settings)
    if settings.jwt_secret is not None:  # every API process then accepts the others' page cursors
        cursors.configure(settings.jwt_secret.get_secret_value())
    pay_links = pay_page.links_of(
        settings.jwt_secret.get_secret_value() if settings.jwt_secret else None,
        settings.api_url,
        settings.stripe_api_key is not None,
    )
    pay_page.configure(pay_links)
    app.state.temporal = temporal
    app.state.connect_temporal = connect_temporal
    app.state.login_limiter = FailureLimiter(settings.login_attempts_per_minute)
    app.state.catalog = Catalog(activity_names(), settings.shipped_definitions)
    app.state.public_routes = set(PUBLIC_ROUTES)  # tests may add a route of their own
    errors.install(app)
    openapi.install(app)
    # Routes are matched in order: the hottest paths (records, search) come first.
    for module in (
        entities,
        search,
        entity_types,
        relationships,
        imports,
        health,
        auth,
        identity,
        inbox,
        preferences,
        audit,
        audit_chain,
        people,
        definitions,
        decisions,
        processes,
        events,
        tasks,
        notifications,
        notification_templates,
        campaigns,
        webhooks,
        providers,
        resources,
        availability,
        bookings,
        booking_series,
        calendars,
        dev_outbox,
        document_operations,
        documents,
        document_templates,
        document_assets,
        web_pages,
        web_console,
        web_console_processes,
        web_console_records,
        web_console_bookings,
        web_console_dashboards,
        web_console_documents,
        web_console_invoices,
        web_console_admin,
        web_console_security,
        web_quote_pages,
        web_pay_pages,
        web_api_docs,
        signing_certificate,
        signing_requests,
        public_signing,
        billing_settings,
        customers,
        products,
        prices,
        tax_rates,
        fx_rates,
        invoices,
        quotes,
        public_quotes,
        public_invoices,
        payments,
        payment_links,
        payment_methods,
        refunds,
        security,
        passwords,
        stripe_events,
        billable_metrics,
        usage_events,
        subscriptions,
        billing_reports,
        metrics,
        dashboards,
        reports,
        report_subscriptions,
        predictions,
        alerts,
    ):
        app.include_router(module.router)
    # Added last runs first: the request context wraps idempotency, which wraps the routes.
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(public_invoices.PayLinksScope, links=pay_links)
    app.add_middleware(
        RequestContextMiddleware,
        max_body_bytes=settings.max_body_bytes,
        import_max_bytes=settings.import_max_bytes,
        # A document at its limit, with room for the multipart framing and the other fields.
        upload_max_bytes=settings.document_max_bytes + 65_536,
        json_max_depth=settings.json_max_depth,
    )
    # Outermost: measures every answer, the refusals above included, and serves GET /metrics.
    app.state.metrics = ApiMetrics(
        lambda: getattr(app.state, "engine", None), lambda: {*app.state.catalog.shipped, *CODE_WORKFLOWS}
    )
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics, token=token)
    # Outside the metrics: the request's span is current while anything else runs.
    app.state.tracing = tracing if tracing is not None else configure_tracing(settings, "keel-api")
    if app.state.tracing is not None:
        app.add_middleware(TracingMiddleware, tracer=app.state.tracing.tracer)
    if settings.cors_origin_list:  # outermost: a browser's preflight is answered before anything else
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_RESPONSE_HEADERS,
        )

    return app


SERVER: dict[str, Any] = {
    "log_config": None,  # Keel's logging is configured already, as JSON lines
    "access_log": False,  # no line per request: a path may hold a signed link's token; /metrics counts them
    "proxy_headers": False,  # X-Forwarded-* are not trusted: any client could claim any address
}


def serve(settings: Settings) -> None:
    app = create_app(settings)
    # What start-up built lives as long as the process: kept out of the collector's full passes, which
    # otherwise walk these hundreds of thousands of objects again and again under load.
    gc.collect()
    gc.freeze()
    # SIGTERM: stop accepting, let in-flight requests finish for at most the grace period.
    grace = settings.shutdown_grace_seconds
    uvicorn.run(
        app, host=settings.api_host, port=settings.api_port, timeout_graceful_shutdown=grace, **SERVER
    )

"""The server span of each API request: the root (or the caller's ``traceparent`` child) under which
the routes' SQL and Temporal calls trace. Its trace id becomes the request's correlation id unless
the caller sent an ``X-Correlation-ID``, so a log line leads to the trace and, through Temporal's
spans, to the workflow."""

from __future__ import annotations

from opentelemetry.propagate import extract
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics import METHODS, PATH, route_of


class TracingMiddleware:
    def __init__(self, app: ASGIApp, tracer: Tracer) -> None:
        self.app = app
        self.tracer = tracer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == PATH:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        method = scope["method"] if scope["method"] in METHODS else "other"
        parent = extract(dict(headers))  # W3C traceparent: a caller's trace continues here
        with self.tracer.start_as_current_span(method, context=parent, kind=SpanKind.SERVER) as span:
            given = headers.get("x-correlation-id")
            if given is None:
                trace_id = format(span.get_span_context().trace_id, "032x").encode()
                scope["headers"] = [*scope["headers"], (b"x-correlation-id", trace_id)]
            else:
                span.set_attribute("keel.correlation_id", given[:64])
            status = 500

            async def send_status(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = int(message["status"])
                await send(message)

            try:
                await self.app(scope, receive, send_status)
            finally:
                # The template, never the raw path: paths carry signing and payment tokens.
                route = route_of(scope)
                span.update_name(f"{method} {route}")
                span.set_attribute("http.request.method", method)
                span.set_attribute("http.route", route)
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(Status(StatusCode.ERROR))

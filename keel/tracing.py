"""OpenTelemetry traces: the API's requests, through Temporal (its tracing interceptor) into workflows
and activities, down to each SQL statement; exported by OTLP/HTTP when
``KEEL_OTEL_EXPORTER_OTLP_ENDPOINT`` is set, off otherwise.

Nothing here touches OpenTelemetry's global tracer provider: each API or worker process holds its
own ``Tracing``, so tests may run several in one process and a library's global instrumentation
stays as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from opentelemetry.metrics import NoOpMeter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.trace import Tracer
from sqlalchemy import Engine
from temporalio.client import Interceptor
from temporalio.contrib.opentelemetry import TracingInterceptor

from keel.settings import Settings

SCOPE = "keel"


@dataclass
class Tracing:
    provider: TracerProvider
    tracer: Tracer
    _engines: list[Any] = field(default_factory=list)

    def interceptors(self) -> Sequence[Interceptor]:
        """For ``Client.connect``: the client's calls and the workers on that client are traced,
        the trace crossing into workflows and activities through Temporal's headers."""
        return [TracingInterceptor(self.tracer)]

    def instrument(self, engine: Engine) -> None:
        """A span per SQL statement on ``engine``, child of whatever span is current."""
        # The per-engine tracer of the SQLAlchemy instrumentation: its instrumentor would patch
        # create_engine process-wide, once, with the global provider.
        from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

        usage = NoOpMeter(SCOPE).create_up_down_counter("db.client.connections.usage")
        self._engines.append(EngineTracer(self.tracer, engine, usage))

    def flush(self) -> None:
        self.provider.force_flush()

    def shutdown(self) -> None:
        self.provider.shutdown()  # flushes what the batch processor still holds


def configure(settings: Settings, service: str, exporter: SpanExporter | None = None) -> Tracing | None:
    """The process's tracing, or None when no exporter is configured. ``exporter`` replaces OTLP
    (tests read spans from memory); it is exported span by span, OTLP in batches."""
    endpoint = settings.otel_exporter_otlp_endpoint
    if exporter is None and not endpoint:
        return None
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        assert endpoint is not None
        otlp = OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces")
        provider.add_span_processor(BatchSpanProcessor(otlp))
    return Tracing(provider, provider.get_tracer(SCOPE))

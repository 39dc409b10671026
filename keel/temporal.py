"""The Temporal client (pydantic data converter) and the registration of Keel's search attributes
(named in ``keel.search_attributes``)."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest, ListSearchAttributesRequest
from temporalio.client import Client
from temporalio.common import SearchAttributeIndexedValueType
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from keel import binaries
from keel.search_attributes import ALL as SEARCH_ATTRIBUTES
from keel.settings import Settings

if TYPE_CHECKING:
    from keel.tracing import Tracing

_INDEXED = {
    SearchAttributeIndexedValueType.KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    SearchAttributeIndexedValueType.KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
}
_CLI_TYPE = {
    SearchAttributeIndexedValueType.KEYWORD: "Keyword",
    SearchAttributeIndexedValueType.KEYWORD_LIST: "KeywordList",
}


async def connect(
    settings: Settings, *, runtime: Runtime | None = None, tracing: Tracing | None = None
) -> Client:
    """``runtime``: the SDK's default unless given (a worker's, to export its metrics); ``tracing``:
    the client's calls, and the workers on it, carry the trace into workflows and activities."""
    return await Client.connect(
        settings.require_temporal_address(),
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
        runtime=runtime,
        interceptors=tracing.interceptors() if tracing is not None else [],
    )


def metrics_runtime(bind_address: str) -> Runtime:
    """A runtime whose clients and workers export the SDK's metrics for Prometheus at
    ``bind_address`` (``ip:port``), durations in seconds as Prometheus expects."""
    exporter = PrometheusConfig(bind_address=bind_address, durations_as_seconds=True)
    return Runtime(telemetry=TelemetryConfig(metrics=exporter))


async def ensure_search_attributes(client: Client) -> list[str]:
    """Register Keel's search attributes if the namespace lacks them; returns those added."""
    existing = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=client.namespace)
    )
    known = set(existing.custom_attributes) | set(existing.system_attributes)
    missing = [key for key in SEARCH_ATTRIBUTES if key.name not in known]
    if missing:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(
                namespace=client.namespace,
                search_attributes={key.name: _INDEXED[key.indexed_value_type] for key in missing},
            )
        )
    return [key.name for key in missing]


def dev_server_args() -> list[str]:
    """``--search-attribute`` flags for ``temporal server start-dev``."""
    args: list[str] = []
    for key in SEARCH_ATTRIBUTES:
        args += ["--search-attribute", f"{key.name}={_CLI_TYPE[key.indexed_value_type]}"]
    return args


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def headless_dev_server(port: int, *extra: str) -> list[str]:
    """The command of an in-memory Temporal dev server without UI (tests and benchmarks)."""
    return [
        binaries.find("temporal"),
        "server",
        "start-dev",
        "--headless",
        "--ip",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "error",
        *extra,
        *dev_server_args(),
    ]

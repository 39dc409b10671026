"""A finished process is counted on the worker's metrics, per shipped definition and status: the
counter the Temporal SDK's Prometheus exporter serves (KEEL_WORKER_METRICS_ADDRESS), scraped here
from a runtime of the test's own; a tenant's own definition counts as "custom" (bounded labels)."""

from __future__ import annotations

import re
import uuid

import httpx
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.testing import ActivityEnvironment

from activities import Deps
from activities.definitions import DefinitionActivities
from db.models import Process
from db.session import tenant_session
from domain.definitions.schemas import ProcessFinished
from keel.temporal import free_port


def counted(body: str, definition: str, status: str) -> float:
    pattern = (
        rf'keel_processes_finished\{{[^}}]*definition="{definition}"[^}}]*status="{status}"[^}}]*\}} (\S+)'
    )
    found = re.search(pattern, body)
    return float(found.group(1)) if found else 0.0


def test_finished_processes_are_counted_by_definition_and_status(engine, tenant, settings) -> None:
    port = free_port()
    runtime = Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=f"127.0.0.1:{port}")))
    env = ActivityEnvironment()
    env.metric_meter = runtime.metric_meter
    acts = DefinitionActivities(Deps(engine=engine, settings=settings))
    ids: dict[str, list[uuid.UUID]] = {}
    with tenant_session(engine, tenant.id) as s:
        for name in ("approval", "approval", "my-own-flow"):
            row = Process(
                tenant_id=tenant.id,
                definition=name,
                business_key=f"bk-{uuid.uuid4().hex[:6]}",
                workflow_id=f"{tenant.domain}:process:{uuid.uuid4()}",
                input={},
            )
            s.add(row)
            s.flush()
            ids.setdefault(name, []).append(row.id)
    for name, status in (("approval", "completed"), ("approval", "failed"), ("my-own-flow", "completed")):
        process_id = ids[name].pop()
        env.run(
            acts.record_finished, ProcessFinished(tenant_id=tenant.id, process_id=process_id, status=status)
        )
    body = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    assert counted(body, "approval", "completed") == 1
    assert counted(body, "approval", "failed") == 1
    assert counted(body, "custom", "completed") == 1
    assert "my-own-flow" not in body
    assert "\nkeel_processes_finished{" in body  # the SDK adds no prefix to Keel's own metrics

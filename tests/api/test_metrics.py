"""Prometheus metrics: GET /metrics on the API (route templates, token, loopback only), the worker's
Temporal SDK exporter, and the shipped alert rules and dashboard naming only metrics that exist."""

from __future__ import annotations

import json
import re
import signal
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy import Engine
from temporalio import activity, workflow
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from api.app import create_app
from db.models.processes import Process, Task
from db.session import make_engine, tenant_session
from keel.settings import Settings
from keel.temporal import connect, free_port, metrics_runtime
from tests.api.conftest import Api, Live
from tests.conftest import TenantFixture
from tests.e2e.test_campaign_crash import spawn_worker
from workers.main import build_worker

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
_SUFFIXES = {
    "counter": ("_total",),
    "histogram": ("_bucket", "_sum", "_count"),
    "summary": ("_sum", "_count"),
}


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of an exposition, keyed by name and labels."""
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def names(text: str) -> set[str]:
    """Every series name an exposition declares, those without a sample yet included."""
    found: set[str] = set()
    for family in text_string_to_metric_families(text):
        found.add(family.name)
        found.update(family.name + suffix for suffix in _SUFFIXES.get(family.type, ()))
        found.update(s.name for s in family.samples)
    return found


def scrape(base: str, **kw: Any) -> str:
    response = httpx.get(f"{base}/metrics", timeout=10, **kw)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def _requests(text: str, route: str, method: str, status_class: str) -> float:
    labels = frozenset({("route", route), ("method", method), ("status_class", status_class)})
    return samples(text).get(("keel_http_requests_total", labels), 0.0)


def test_requests_are_counted_per_route_template(live: Live, admin: Api, anonymous: Api) -> None:
    template = "/api/v1/processes/{process_id}"
    before = scrape(live.url)
    ids = [str(uuid.uuid4()) for _ in range(4)]
    assert {admin.get(f"/api/v1/processes/{i}").status_code for i in ids[:3]} == {404}
    assert anonymous.get(f"/api/v1/processes/{ids[3]}").status_code == 401  # refused before routing
    assert anonymous.get("/no/such/path/" + ids[0]).status_code == 404
    assert anonymous.get("/healthz").status_code == 200
    after = scrape(live.url)

    assert _requests(after, template, "GET", "4xx") - _requests(before, template, "GET", "4xx") == 4
    assert _requests(after, "/healthz", "GET", "2xx") - _requests(before, "/healthz", "GET", "2xx") >= 1
    assert _requests(after, "unmatched", "GET", "4xx") - _requests(before, "unmatched", "GET", "4xx") >= 1
    # Raw paths never become labels: the label set stays bounded whatever clients ask for.
    assert "/no/such/path" not in after and not any(i in after for i in ids)
    count = ("keel_http_request_duration_seconds_count", frozenset({("route", template), ("method", "GET")}))
    assert samples(after)[count] - samples(before).get(count, 0.0) == 4
    assert samples(after)[("keel_http_requests_in_flight", frozenset())] == 0
    pool = samples(after)
    assert pool[("keel_db_pool_size", frozenset())] == live.settings.database_pool_size
    assert pool[("keel_db_pool_checked_out", frozenset())] >= 0
    assert ("keel_db_pool_overflow", frozenset()) in pool
    # The Prometheus endpoint is no API operation (the analytics /api/v1/metrics are).
    assert "/metrics" not in anonymous.get("/openapi.json").json()["paths"]


def _client(app: Any, host: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app, client=(host, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://keel.test")


async def test_without_a_token_only_loopback_clients_are_answered(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"metrics_token": None}))
    for host in ("203.0.113.9", "10.0.0.5", "2001:db8::1"):
        async with _client(app, host) as far:
            response = await far.get("/metrics")
            assert response.status_code == 404, host
            assert "keel_" not in response.text and response.json()["error"]["code"] == "not_found"
    for host in ("127.0.0.1", "::1"):
        async with _client(app, host) as near:
            response = await near.get("/metrics")
            assert response.status_code == 200, host
            assert "keel_http_requests_in_flight" in response.text
    async with _client(app, "127.0.0.1") as near:
        assert (await near.post("/metrics")).status_code == 405


async def test_an_empty_token_is_no_token(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"metrics_token": SecretStr("")}))
    async with _client(app, "203.0.113.9") as far:
        assert (await far.get("/metrics", headers={"Authorization": "Bearer "})).status_code == 404
    async with _client(app, "127.0.0.1") as near:
        assert (await near.get("/metrics")).status_code == 200


async def test_with_a_token_the_bearer_must_match(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"metrics_token": SecretStr("s3cret-metrics-token")}))
    for host in ("127.0.0.1", "203.0.113.9"):  # with a token, loopback is no credential
        async with _client(app, host) as client:
            for headers in (
                {},
                {"Authorization": "Bearer wrong"},
                {"Authorization": "Basic s3cret-metrics-token"},
            ):
                response = await client.get("/metrics", headers=headers)
                assert response.status_code == 401, (host, headers)
                assert response.headers["www-authenticate"] == "Bearer"
                assert "keel_" not in response.text
            response = await client.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics-token"})
            assert response.status_code == 200 and "keel_http_requests" in response.text


def _value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, frozenset(labels.items())), 0.0)


async def test_business_totals_span_tenants_without_naming_them(
    settings: Settings, engine: Engine, make_tenant: Callable[..., TenantFixture]
) -> None:
    app = create_app(settings)
    app.state.engine = engine  # the application role: the totals pass RLS only through the function
    app.state.metrics.totals.ttl = 0
    async with _client(app, "127.0.0.1") as near:
        before = (await near.get("/metrics")).text
        tenants = [make_tenant(), make_tenant()]
        secret = f"secret-definition-{uuid.uuid4().hex[:6]}"
        for tenant, definition in zip(tenants, ("approval", secret), strict=True):
            with tenant_session(engine, tenant.id) as session:
                process = Process(
                    id=uuid.uuid4(),
                    tenant_id=tenant.id,
                    definition=definition,
                    business_key=uuid.uuid4().hex,
                    workflow_id=f"metrics-{uuid.uuid4()}",
                    input={},
                )
                session.add(process)
                session.flush()
                past = datetime.now(UTC) - timedelta(hours=1)
                session.add(
                    Task(
                        tenant_id=tenant.id,
                        process_id=process.id,
                        step=0,
                        step_key="0",
                        title="Review",
                        assignee="role:admin",
                        due_at=past,
                    )
                )
        after = (await near.get("/metrics")).text
    started = "keel_processes_started_total"
    assert _value(after, started, definition="approval") - _value(before, started, definition="approval") == 1
    assert _value(after, started, definition="custom") - _value(before, started, definition="custom") == 1
    for name in ("keel_tasks_open", "keel_tasks_overdue"):
        assert _value(after, name) - _value(before, name) == 2, name
    for name in ("keel_sla_breaches_total", "keel_import_rows_total", "keel_webhook_deliveries"):
        assert name in names(after), name
    # Totals only: no tenant, and no tenant's own words, in any label.
    assert secret not in after and not any(str(t.id) in after or t.domain in after for t in tenants)


@activity.defn(name="metrics_probe_activity")
async def probe_activity(value: str) -> str:
    return value.upper()


@workflow.defn(name="MetricsProbeWorkflow")
class ProbeWorkflow:
    @workflow.run
    async def run(self, value: str) -> str:
        return await workflow.execute_activity(
            probe_activity, value, start_to_close_timeout=timedelta(seconds=10)
        )


@pytest.fixture(scope="module")
async def temporal_metrics(settings: Settings, dev_server: str) -> AsyncIterator[str]:
    """The exposition of a Keel worker started with KEEL_WORKER_METRICS_ADDRESS, after one
    workflow and one activity ran on its client's runtime."""
    address = f"127.0.0.1:{free_port()}"
    worker_settings = settings.model_copy(
        update={"temporal_address": dev_server, "worker_metrics_address": address}
    )
    assert Settings(worker_metrics_address=address).worker_metrics_address == address
    client = await connect(worker_settings, runtime=metrics_runtime(address))
    engine = make_engine(worker_settings.require_database_url(), pool_size=2)
    queue = f"metrics-{uuid.uuid4().hex[:8]}"
    probe = Worker(
        client,
        task_queue=queue + "-probe",
        workflows=[ProbeWorkflow],
        activities=[probe_activity],
        workflow_runner=UnsandboxedWorkflowRunner(),
    )
    try:
        async with build_worker(client, engine, queue, settings=worker_settings), probe:
            result = await client.execute_workflow(
                ProbeWorkflow.run, "ok", id=f"metrics-probe-{uuid.uuid4()}", task_queue=queue + "-probe"
            )
            assert result == "OK"
            async with httpx.AsyncClient(timeout=10) as http:
                response = await http.get(f"http://{address}/metrics")
            assert response.status_code == 200
            yield response.text
    finally:
        engine.dispose()


def test_a_worker_exports_the_temporal_sdk_metrics_on_its_address(temporal_metrics: str) -> None:
    exported = names(temporal_metrics)
    for name in (
        "temporal_workflow_completed",
        "temporal_activity_execution_latency_bucket",
        "temporal_workflow_task_schedule_to_start_latency_bucket",
        "temporal_worker_task_slots_available",
    ):
        assert name in exported, name
    # The Keel worker's own task queue polls too, not only the probe's.
    assert 'task_queue="metrics-' in temporal_metrics


def test_keel_worker_serves_the_sdk_metrics_when_the_setting_is_set(
    settings: Settings, dev_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real start-up path (``keel worker``), not only the helpers it calls."""
    address = f"127.0.0.1:{free_port()}"
    monkeypatch.setenv("KEEL_WORKER_METRICS_ADDRESS", address)
    worker = spawn_worker(settings, dev_server, f"metrics-{uuid.uuid4().hex[:8]}", tmp_path)
    try:

        def scraped() -> str:
            assert worker.poll() is None, "the worker exited"
            try:
                response = httpx.get(f"http://{address}/metrics", timeout=2)
            except httpx.TransportError:
                return ""
            # The pollers start one by one: wait for the workflow-task poller's series itself.
            return response.text if 'poller_type="workflow_task"' in response.text else ""

        deadline = time.monotonic() + 60
        while not (text := scraped()):
            assert time.monotonic() < deadline, "no workflow-task poller metrics on the worker's address"
            time.sleep(0.2)
        assert "temporal_num_pollers" in text
    finally:
        worker.send_signal(signal.SIGTERM)  # drains and stops
        assert worker.wait(timeout=30) == 0


_IDENT = re.compile(r"\b(?:keel|temporal|process)_[a-z0-9_]+\b")
_SELECTOR = re.compile(r"\b([a-z_][a-z0-9_]*)\s*[{\[]")


def used_names(expressions: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for expr in expressions:
        found.update(_IDENT.findall(expr))
        # Every series selector is one of ours (or Prometheus's own ``up``): nothing slips by unchecked.
        for name in _SELECTOR.findall(expr):
            assert name.startswith(("keel_", "temporal_", "process_")) or name == "up", (name, expr)
    return found


def _alert_expressions() -> list[str]:
    doc = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    rules = [rule for group in doc["groups"] for rule in group["rules"]]
    assert rules and all({"alert", "expr", "labels", "annotations"} <= rule.keys() for rule in rules)
    return [str(rule["expr"]) for rule in rules]


def _dashboard_expressions() -> list[str]:
    doc = json.loads((DEPLOY / "grafana" / "keel.json").read_text())
    panels = [p for p in doc["panels"] if p.get("type") != "row"]
    assert panels and all(p.get("targets") for p in panels)
    return [str(t["expr"]) for p in panels for t in p["targets"]]


def test_alerts_and_dashboard_name_only_exported_metrics(live: Live, temporal_metrics: str) -> None:
    exported = names(scrape(live.url)) | names(temporal_metrics)
    alerts, panels = used_names(_alert_expressions()), used_names(_dashboard_expressions())
    assert not alerts - exported, f"alert rules use unknown metrics: {sorted(alerts - exported)}"
    assert not panels - exported, f"the dashboard uses unknown metrics: {sorted(panels - exported)}"
    # What the alerts are for: each concern has a rule.
    text = " ".join(_alert_expressions())
    for needle in ("keel_http_request_errors", "keel_http_request_duration_seconds_bucket", "temporal_"):
        assert needle in text

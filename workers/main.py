"""The worker process: one task queue, every workflow and activity, sync activities on a thread pool."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import Engine
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities import Deps, all_activities
from adapters import cache
from db.session import make_engine
from keel.settings import Settings
from keel.temporal import connect, metrics_runtime
from keel.tracing import configure as configure_tracing
from workers.audit_schedule import ensure_audit_schedule
from workers.outbox_listener import run_listener
from workers.schedules import ensure_schedules
from workflows.approval import ApprovalWorkflow
from workflows.audit import AuditMaintenanceWorkflow
from workflows.booking import BookingWorkflow
from workflows.calendar_sync import CalendarSyncWorkflow
from workflows.campaigns import CampaignWorkflow
from workflows.documents import DocumentGenerationWorkflow
from workflows.dsl import DslWorkflow
from workflows.housekeeping import HousekeepingWorkflow
from workflows.imports import ImportWorkflow
from workflows.invoices import InvoiceWorkflow
from workflows.notifications import NotificationWorkflow
from workflows.outbox import OutboxDispatcherWorkflow
from workflows.report_subscriptions import ReportDeliveryWorkflow
from workflows.reports import ReportRunWorkflow
from workflows.search import SearchSyncWorkflow
from workflows.signing import SigningWorkflow
from workflows.subscriptions import SubscriptionWorkflow
from workflows.webhooks import WebhookDeliveryWorkflow

log = logging.getLogger("keel.worker")

ALL_WORKFLOWS: list[type] = [
    ApprovalWorkflow,
    DslWorkflow,
    NotificationWorkflow,
    CampaignWorkflow,
    OutboxDispatcherWorkflow,
    WebhookDeliveryWorkflow,
    ImportWorkflow,
    SearchSyncWorkflow,
    BookingWorkflow,
    CalendarSyncWorkflow,
    DocumentGenerationWorkflow,
    SigningWorkflow,
    InvoiceWorkflow,
    SubscriptionWorkflow,
    HousekeepingWorkflow,
    AuditMaintenanceWorkflow,
    ReportRunWorkflow,
    ReportDeliveryWorkflow,
]
# Passed through the sandbox rather than re-imported for every workflow run (that dominated worker
# CPU). The whole ``domain`` package passes, its services too, so nothing here stops a workflow
# importing one: workflows import only its value modules (schemas, durations, the definition model).
PASSTHROUGH = (
    "domain",
    "pydantic",
    "pydantic_core",
    "babel",
    "annotated_types",
    "jinja2",
    "markupsafe",
    # The interpreter's deterministic helpers and task mixin hold no module state and call the
    # workflow API only through temporalio.workflow, so they need not be re-imported per run.
    "workflows.dsl_state",
    "workflows.dsl_tasks",
    "workflows.dsl_pinned",
    # The tracing interceptor's workflow side: its context and spans cross the sandbox as they are.
    "opentelemetry",
)


# The YAML interpreter runs every defined process; re-importing its module for every run was a third of
# a process's first workflow task. Its code is Keel's own and changes only with a release, whose test
# suite runs it under the strict sandbox (``Settings.workflow_sandbox``).
INTERPRETER = ("workflows.dsl", "workflows.contracts")


def workflow_runner(strict: bool = False) -> SandboxedWorkflowRunner:
    """The sandbox every workflow runs in: ``strict`` re-imports and checks the interpreter too."""
    modules = PASSTHROUGH if strict else (*PASSTHROUGH, *INTERPRETER)
    restrictions = SandboxRestrictions.default.with_passthrough_modules(*modules)
    return SandboxedWorkflowRunner(restrictions=restrictions)


def build_worker(
    client: Client,
    engine: Engine,
    task_queue: str,
    *,
    settings: Settings | None = None,
    max_activities: int = 20,
) -> Worker:
    try:
        loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:  # built outside a loop (a script); activities then start no workflows
        loop = None
    settings = settings or Settings()
    deps = Deps(engine=engine, settings=settings, client=client, loop=loop)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=ALL_WORKFLOWS,
        workflow_runner=workflow_runner(strict=settings.workflow_sandbox == "strict"),
        activities=all_activities(deps),
        activity_executor=ThreadPoolExecutor(max_workers=max_activities),
        max_concurrent_activities=max_activities,
        # On shutdown the worker stops polling at once; running activities get this long to finish,
        # then are cancelled and retried by another worker when their heartbeat or timeout lapses.
        graceful_shutdown_timeout=timedelta(seconds=settings.shutdown_grace_seconds),
    )


async def run_worker(settings: Settings) -> None:
    """Run until SIGINT/SIGTERM, then let running activities finish (up to ``shutdown_grace_seconds``)."""
    cache.configure(settings)
    address = settings.worker_metrics_address
    tracing = configure_tracing(settings, "keel-worker")
    runtime = metrics_runtime(address) if address else None
    client = await connect(settings, runtime=runtime, tracing=tracing)
    if address:
        log.info("temporal metrics exported", extra={"address": address})
    engine = make_engine(settings.require_database_url(), pool_size=settings.database_pool_size)
    if tracing is not None:
        tracing.instrument(engine)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with build_worker(client, engine, settings.temporal_task_queue, settings=settings):
            log.info("worker started", extra={"task_queue": settings.temporal_task_queue})
            listener = asyncio.create_task(run_listener(settings, client))  # wakes the outbox dispatchers
            await ensure_schedules(client, settings.temporal_task_queue)
            await ensure_audit_schedule(client, settings.temporal_task_queue)
            await stop.wait()
            log.info("worker stopping")
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
    finally:
        engine.dispose()
        if tracing is not None:
            tracing.shutdown()


def main(settings: Settings) -> None:
    asyncio.run(run_worker(settings))

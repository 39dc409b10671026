"""Workflow tests share one time-skipping server. Each test's ``env`` fixture terminates the
workflows the test started while its worker still runs: a workflow left behind with an activity in
flight when its worker stops would hold time skipping back for every later test."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from workers.main import build_worker


@pytest.fixture
def started_workflows(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[WorkflowHandle[Any, Any]]]:
    """Handles of every workflow the test starts through a client."""
    started: list[WorkflowHandle[Any, Any]] = []
    original = Client.start_workflow

    async def start_and_remember(self: Client, *args: Any, **kwargs: Any) -> WorkflowHandle[Any, Any]:
        handle = await original(self, *args, **kwargs)
        started.append(handle)
        return handle

    monkeypatch.setattr(Client, "start_workflow", start_and_remember)
    yield started


async def terminate_all(started: list[WorkflowHandle[Any, Any]]) -> None:
    for handle in started:
        with contextlib.suppress(Exception):  # most have finished; a closed run cannot be terminated
            await handle.terminate(reason="the test is over")


@pytest.fixture
def queue() -> str:
    """A task queue of the test's own: no worker or sticky queue is shared between tests."""
    return f"wf-{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def env(
    time_skipping_env: WorkflowEnvironment,
    engine: Engine,
    queue: str,
    started_workflows: list[WorkflowHandle[Any, Any]],
) -> AsyncIterator[WorkflowEnvironment]:
    """A worker with every workflow and activity on the test's queue (a module that needs other
    settings defines its own ``env``)."""
    async with build_worker(time_skipping_env.client, engine, queue):
        yield time_skipping_env
        await terminate_all(started_workflows)

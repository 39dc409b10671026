"""Workflow tests share one time-skipping server. Each test's ``env`` fixture terminates the
workflows the test started while its worker still runs: a workflow left behind with an activity in
flight when its worker stops would hold time skipping back for every later test."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from temporalio.client import Client, WorkflowHandle


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

"""Recorded histories must replay on today's workflow code: a non-deterministic change fails here.

Histories of the approval code workflow and of every shipped YAML definition (run by the
interpreter) are kept in ``histories/``. A change to the interpreter that alters what an old
history did must go behind ``workflow.patched()``. Re-record after an intended change with:
    KEEL_RECORD_HISTORIES=1 .venv/bin/pytest tests/workflows
"""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from tests.workflows.helpers import HISTORIES
from workers.main import ALL_WORKFLOWS, workflow_runner

FILES = sorted(HISTORIES.glob("*.json"))


SHIPPED = sorted(p.stem for p in (Path(__file__).parents[2] / "definitions").glob("*.yaml"))


def test_histories_are_recorded():
    names = {f.stem for f in FILES}
    assert {"approval_two_steps", "approval_escalated", "approval_expired", "approval_cancelled"} <= names
    for definition in SHIPPED:  # every shipped definition has at least one recorded run
        assert any(n.startswith(f"dsl_{definition}") for n in names), f"no recorded history for {definition}"


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
async def test_history_replays(path):
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    replayer = Replayer(
        workflows=ALL_WORKFLOWS, data_converter=pydantic_data_converter, workflow_runner=workflow_runner()
    )
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure

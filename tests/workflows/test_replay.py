"""Recorded histories must replay on today's workflow code: a non-deterministic change fails here.

Re-record after an intended, patched change with:
    KEEL_RECORD_HISTORIES=1 .venv/bin/pytest tests/workflows/test_approval.py
"""

from __future__ import annotations

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from workers.main import workflow_runner
from workflows import ALL_WORKFLOWS

from .helpers import HISTORIES

FILES = sorted(HISTORIES.glob("*.json"))


def test_histories_are_recorded():
    names = {f.stem for f in FILES}
    assert {"approval_two_steps", "approval_escalated", "approval_expired", "approval_cancelled"} <= names


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
async def test_history_replays(path):
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    replayer = Replayer(
        workflows=ALL_WORKFLOWS, data_converter=pydantic_data_converter, workflow_runner=workflow_runner()
    )
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure

"""The worker's workflow sandbox (``workers.main.workflow_runner``) refuses what would make a workflow
non-deterministic, whatever its module set: clocks, randomness, files, the process's identity. The
fast mode passes only the YAML interpreter's own modules through; the suite runs strict."""

from __future__ import annotations

import uuid

import pytest
from temporalio.worker import Worker

from keel.settings import Settings
from tests.workflows.sandbox_probe import ATTEMPTS, SandboxProbe
from workers.main import INTERPRETER, workflow_runner


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "fast"])
async def test_the_sandbox_refuses_clocks_randomness_and_files(time_skipping_env, strict):
    queue = f"sandbox-{uuid.uuid4().hex[:8]}"
    async with Worker(
        time_skipping_env.client,
        task_queue=queue,
        workflows=[SandboxProbe],
        workflow_runner=workflow_runner(strict=strict),
    ):
        refused = await time_skipping_env.client.execute_workflow(
            SandboxProbe.run, id=f"probe-{uuid.uuid4()}", task_queue=queue
        )
    assert refused == dict.fromkeys(ATTEMPTS, "RestrictedWorkflowAccessError")


def test_fast_passes_only_the_interpreter_through_and_the_suite_runs_strict():
    fast = workflow_runner().restrictions.passthrough_modules
    strict = workflow_runner(strict=True).restrictions.passthrough_modules
    assert fast - strict == set(INTERPRETER) and not strict & set(INTERPRETER)
    assert Settings().workflow_sandbox == "strict"  # every worker of this suite re-imports the interpreter

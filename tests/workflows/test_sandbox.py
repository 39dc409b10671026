"""The worker's workflow sandbox (``workers.main.workflow_runner``) refuses what would make a workflow
non-deterministic, whatever its module set: clocks, randomness, files, the process's identity."""

from __future__ import annotations

import uuid

from temporalio.worker import Worker

from tests.workflows.sandbox_probe import ATTEMPTS, SandboxProbe
from workers.main import workflow_runner


async def test_the_sandbox_refuses_clocks_randomness_and_files(time_skipping_env):
    queue = f"sandbox-{uuid.uuid4().hex[:8]}"
    async with Worker(
        time_skipping_env.client,
        task_queue=queue,
        workflows=[SandboxProbe],
        workflow_runner=workflow_runner(),
    ):
        refused = await time_skipping_env.client.execute_workflow(
            SandboxProbe.run, id=f"probe-{uuid.uuid4()}", task_queue=queue
        )
    assert refused == dict.fromkeys(ATTEMPTS, "RestrictedWorkflowAccessError")

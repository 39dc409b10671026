"""The hand-written twins of the benchmarks' YAML definitions (see ``dsl_overhead.py`` and
``process_throughput.py``).

Workflows that do by hand what the interpreter does for ``bench-chain``, ``bench-approval`` and a
one-step run of the shipped ``approval``: the same activities, with the same arguments, timeouts and
retry policy, and the same ``decide`` update contract (a validator, then ``processes.complete_task``).
They live in their own module because the workflow sandbox imports a workflow's module by name.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.definitions.schemas import ProcessFinished
    from domain.processes.schemas import ApprovalState, Decision, ProcessRef, TaskComplete, TaskCreate

CHAIN_STEPS = 10
# (step id, title) of the three sequential approvals, as in the YAML.
APPROVALS = (("first", "First approval"), ("second", "Second approval"), ("third", "Third approval"))
ASSIGNEE = "role:manager"
OUTCOMES = ["approve", "reject"]
# What the interpreter uses when a step says nothing else.
RETRY = RetryPolicy(maximum_attempts=3)
STEP_TIMEOUT = timedelta(minutes=1)
CALL_TIMEOUT = timedelta(seconds=30)
# What the interpreter puts in each approval's task besides its id, process and position.
STEP_TASKS: list[dict[str, Any]] = [
    {
        "step_key": step_id,
        "title": title,
        "assignee": ASSIGNEE,
        "due_at": None,
        "data": {
            "step_id": step_id,
            "outcomes": OUTCOMES,
            "form": None,
            "candidates": [],
            "description": None,
            "quorum": "any",
        },
    }
    for step_id, title in APPROVALS
]


@workflow.defn(name="bench-chain-hand")
class HandChain:
    """Ten ``bench.step`` calls in a row, each given the previous step's running total."""

    @workflow.run
    async def run(self, run: ProcessRef) -> dict[str, Any]:
        ids = {"tenant_id": str(run.tenant_id), "process_id": str(run.process_id)}
        outputs: dict[str, Any] = {}
        total = 0
        for n in range(1, CHAIN_STEPS + 1):
            result = await workflow.execute_activity(
                "bench.step",
                {"n": n, "total": total, **ids},
                start_to_close_timeout=STEP_TIMEOUT,
                retry_policy=RETRY,
            )
            outputs[f"s{n}"] = result
            total = result["total"]
        return outputs[f"s{CHAIN_STEPS}"]


@workflow.defn(name="bench-approval-hand")
class HandApproval:
    """Three human tasks in a row, each created with a workflow-made id and decided by the update."""

    def __init__(self) -> None:
        self._state = ApprovalState()
        self._run: ProcessRef | None = None
        self._decision: Decision | None = None
        self._deciding = False

    @workflow.run
    async def run(self, run: ProcessRef) -> list[str]:
        self._run = run
        outcomes: list[str] = []
        for index, step_task in enumerate(STEP_TASKS):
            task_id = workflow.uuid4()
            self._decision, self._deciding = None, False
            self._state.phase = "assigning"
            self._state.current_step = index
            self._state.open_task_id = task_id  # known before the row exists, as in the interpreter
            self._state.open_task_assignee = ASSIGNEE
            await workflow.execute_activity(
                "processes.create_task",
                TaskCreate(task_id=task_id, **run.model_dump(), step=index, **step_task),
                start_to_close_timeout=CALL_TIMEOUT,
                retry_policy=RETRY,
            )
            self._state.phase = "waiting"
            await workflow.wait_condition(lambda: self._decision is not None)
            decision = self._decision
            assert decision is not None
            self._state.decisions.append(decision)
            self._state.open_task_id = None
            outcomes.append(decision.outcome)
        self._state.phase = "approved"
        return outcomes

    @workflow.query(name="state")
    def state(self) -> ApprovalState:
        return self._state

    @workflow.update(name="decide")
    async def decide(self, decision: Decision) -> Decision:
        self._deciding = True
        try:
            await workflow.wait_condition(lambda: self._state.phase == "waiting")  # the task row exists
            assert self._run is not None
            decision = decision.model_copy(update={"decided_at": workflow.now()})
            await workflow.execute_activity(
                "processes.complete_task",
                TaskComplete(tenant_id=self._run.tenant_id, decision=decision),
                start_to_close_timeout=CALL_TIMEOUT,
                retry_policy=RETRY,
            )
        finally:
            self._deciding = False
        self._decision = decision
        return decision

    @decide.validator
    def validate_decide(self, decision: Decision) -> None:
        if self._state.open_task_id != decision.task_id or self._deciding or self._decision is not None:
            raise ApplicationError("The task is no longer open.", type="TaskClosed")
        if self._state.open_task_assignee not in decision.assignee_keys:
            raise ApplicationError(
                f"The task is assigned to {self._state.open_task_assignee}.", type="NotAssignee"
            )
        if decision.outcome not in OUTCOMES:
            raise ApplicationError(
                f"The outcome must be one of: {', '.join(OUTCOMES)}.", type="InvalidOutcome"
            )


@workflow.defn(name="approval-one-step-hand")
class HandOneStep(HandApproval):
    """The floor of a one-step ``approval`` process: one task (created, waited for with its due date
    as a timer, decided by the update), then the ``process.completed`` record, as the interpreter
    does; no expressions, no definition, nothing else."""

    @workflow.run
    async def run(self, run: ProcessRef) -> list[str]:
        self._run = run
        task_id = workflow.uuid4()
        self._state.phase, self._state.current_step = "assigning", 0
        self._state.open_task_id, self._state.open_task_assignee = task_id, ASSIGNEE
        due = timedelta(days=2)
        await workflow.execute_activity(
            "processes.create_task",
            TaskCreate(task_id=task_id, **run.model_dump(), step=0, due_at=workflow.now() + due, **ONE_TASK),
            start_to_close_timeout=CALL_TIMEOUT,
            retry_policy=RETRY,
        )
        self._state.phase = "waiting"
        await workflow.wait_condition(lambda: self._decision is not None, timeout=due)
        assert self._decision is not None
        self._state.phase = "approved"
        output = {"outcome": "approved", "decisions": [self._decision.model_dump(mode="json")]}
        await workflow.execute_activity(
            "processes.record_finished",
            ProcessFinished(**run.model_dump(), status="completed", output=output),
            start_to_close_timeout=CALL_TIMEOUT,
            retry_policy=RETRY,
        )
        return [self._decision.outcome]


ONE_TASK: dict[str, Any] = {
    "step_key": "decide.0",
    "title": "Approve: Benchmark (step 1 of 1)",
    "assignee": ASSIGNEE,
    "data": {**STEP_TASKS[0]["data"], "step_id": "decide"},
}

"""The approval chain: one human task per step, in order, each with an SLA enforced by a durable timer.

When a step's ``due`` passes, the task is escalated once to ``escalate_to`` (with a fresh ``due``);
if there is no escalation target left, ``on_timeout`` decides. Decisions arrive as a Temporal update
whose validator answers at once whether the decision is accepted.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

from workflows import contracts

with workflow.unsafe.imports_passed_through():
    from domain.processes.schemas import (
        ApprovalResult,
        ApprovalRun,
        ApprovalState,
        Breach,
        ChainStep,
        Decision,
        ProcessRef,
        TaskComplete,
        TaskCreate,
        TaskEscalate,
        TaskExpire,
        passed_due,
    )

RETRY = RetryPolicy(maximum_interval=timedelta(seconds=30), non_retryable_error_types=["TaskClosed"])


async def _call(name: str, arg: object, result_type: type | None = None) -> Any:
    """Run a domain activity by its registered name, with Keel's timeout and retry policy."""
    return await workflow.execute_activity(
        name, arg, result_type=result_type, start_to_close_timeout=timedelta(seconds=30), retry_policy=RETRY
    )


@workflow.defn(name=contracts.APPROVAL)
class ApprovalWorkflow:
    def __init__(self) -> None:
        self._state = ApprovalState()
        self._decision: Decision | None = None
        self._deciding = False  # a decision is being recorded
        self._closing = False  # the deadline passed and escalation/expiry is under way
        self._run: ApprovalRun | None = None

    @workflow.run
    async def run(self, run: ApprovalRun) -> ApprovalResult:
        self._run = run
        try:
            for index, step in enumerate(run.input.chain):
                outcome, reason = await self._run_step(run, index, step)
                if outcome == "reject":
                    return self._finish("rejected", reason)
            return self._finish("approved", "every step approved")
        except asyncio.CancelledError:
            self._state.phase = "cancelled"
            await _call(
                contracts.PROCESSES_CANCEL_OPEN_TASKS,
                ProcessRef(tenant_id=run.tenant_id, process_id=run.process_id),
            )
            raise

    def _finish(self, outcome: str, reason: str) -> ApprovalResult:
        self._state.phase = "approved" if outcome == "approved" else "rejected"
        self._state.open_task_id = None
        return ApprovalResult(
            outcome=outcome,
            reason=reason,
            decisions=self._state.decisions,
            breaches=self._state.breaches,
        )

    async def _run_step(self, run: ApprovalRun, index: int, step: ChainStep) -> tuple[str, str]:
        due_at = workflow.now() + step.due if step.due else None
        title = step.title or f"Approve: {run.input.subject} (step {index + 1} of {len(run.input.chain)})"
        # The id comes from the workflow, and is known before the row exists: a decision that
        # arrives as soon as the task is visible in PostgreSQL is then always recognised.
        task_id = workflow.uuid4()
        self._decision, self._deciding, self._closing = None, False, False
        self._state.phase = "assigning"
        self._state.current_step = index
        self._state.open_task_id = task_id
        self._state.open_task_assignee = step.assignee
        self._state.open_task_due_at = due_at
        await _call(
            contracts.PROCESSES_CREATE_TASK,
            TaskCreate(
                task_id=task_id,
                tenant_id=run.tenant_id,
                process_id=run.process_id,
                step=index,
                title=title,
                assignee=step.assignee,
                due_at=due_at,
                data={
                    "subject": run.input.subject,
                    "amount": run.input.amount.model_dump() if run.input.amount else None,
                },
            ),
        )
        self._state.phase = "waiting"
        escalated = False
        while True:
            timeout = self._time_left()
            try:
                await workflow.wait_condition(lambda: self._decision is not None, timeout=timeout)
            except TimeoutError:
                if self._deciding:  # a decision raced the timer and is being recorded: it wins
                    await workflow.wait_condition(lambda: self._decision is not None)
                else:
                    self._closing = True
                    breached_at = workflow.now()
                    assert due_at is not None and step.due is not None
                    if step.escalate_to and not escalated:
                        escalated = True
                        due_at = await self._escalate(
                            run, task_id, step.escalate_to, due_at, breached_at, step.due
                        )
                        self._closing = False
                        continue
                    return await self._expire(run, index, task_id, due_at, breached_at)
            decision = self._decision
            assert decision is not None
            self._state.decisions.append(decision)
            self._state.open_task_id = None
            return (
                decision.outcome,
                f"step {index + 1} {decision.outcome}d by {decision.email or decision.user_id}",
            )

    def _time_left(self) -> timedelta | None:
        if self._state.open_task_due_at is None:
            return None
        return max(self._state.open_task_due_at - workflow.now(), timedelta(milliseconds=1))

    async def _escalate(
        self,
        run: ApprovalRun,
        task_id: uuid.UUID,
        to: str,
        due_at: datetime,
        breached_at: datetime,
        due: timedelta,
    ) -> datetime:
        new_due = breached_at + due
        await _call(
            contracts.PROCESSES_ESCALATE_TASK,
            TaskEscalate(
                **passed_due(run.tenant_id, task_id, due_at, breached_at), assignee=to, new_due_at=new_due
            ),
        )
        self._state.breaches.append(
            Breach(
                task_id=task_id,
                step=self._state.current_step or 0,
                due_at=due_at,
                breached_at=breached_at,
                action="escalated",
            )
        )
        self._state.open_task_assignee = to
        self._state.open_task_due_at = new_due
        return new_due

    async def _expire(
        self, run: ApprovalRun, index: int, task_id: uuid.UUID, due_at: datetime, breached_at: datetime
    ) -> tuple[str, str]:
        action = "approved" if run.input.on_timeout == "approve" else "rejected"
        await _call(
            contracts.PROCESSES_EXPIRE_TASK,
            TaskExpire(**passed_due(run.tenant_id, task_id, due_at, breached_at), action=action),
        )
        self._state.breaches.append(
            Breach(task_id=task_id, step=index, due_at=due_at, breached_at=breached_at, action=action)
        )
        self._state.open_task_id = None
        outcome = "approve" if action == "approved" else "reject"
        return outcome, f"step {index + 1} timed out: on_timeout={run.input.on_timeout}"

    @workflow.query(name=contracts.STATE)
    def state(self) -> ApprovalState:
        return self._state

    @workflow.update(name=contracts.DECIDE)
    async def decide(self, decision: Decision) -> Decision:
        self._deciding = True
        await workflow.wait_condition(lambda: self._state.phase == "waiting")  # the task row exists
        decision = decision.model_copy(update={"decided_at": workflow.now()})
        assert self._run is not None
        try:
            await _call(
                contracts.PROCESSES_COMPLETE_TASK,
                TaskComplete(tenant_id=self._run.tenant_id, decision=decision),
            )
        except Exception:
            self._deciding = False
            raise
        self._decision = decision
        return decision

    @decide.validator
    def validate_decide(self, decision: Decision) -> None:
        if decision.outcome not in ("approve", "reject"):
            raise ApplicationError("The outcome must be approve or reject.", type="InvalidOutcome")
        if self._state.phase not in ("assigning", "waiting") or self._state.open_task_id != decision.task_id:
            raise ApplicationError("The task is no longer open.", type="TaskClosed")
        if self._deciding or self._decision is not None:
            raise ApplicationError("The task has already been decided.", type="TaskClosed")
        if self._closing:
            raise ApplicationError(
                "The task's deadline passed; it is being escalated or expired.", type="TaskClosed"
            )
        if self._state.open_task_assignee not in decision.assignee_keys:
            raise ApplicationError(
                f"The task is assigned to {self._state.open_task_assignee}.", type="NotAssignee"
            )

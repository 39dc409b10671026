"""The ``task`` step: human tasks with quorum, due date, reminders, escalation and on_timeout."""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

from workflows import contracts
from workflows.dsl_state import (
    Frame,
    ProcessError,
    TaskGroup,
    TaskWait,
    as_duration,
    as_instant,
    decider_of,
    is_duration,
    quorum_over_members,
)

with workflow.unsafe.imports_passed_through():
    from domain.definitions import model as m
    from domain.definitions.schemas import DslRun, DslState, OpenTask, RoleMembers, TaskBreach, TaskCancel
    from domain.processes.schemas import (
        Decision,
        TaskComplete,
        TaskCreate,
        TaskEscalate,
        TaskExpire,
        passed_due,
    )

ASSIGNEE_KINDS = ("user:", "role:")
AT_DUE = "due"  # an escalation that fires when the due date passes, and restarts it
ROLE_QUORUM = "task-quorum-over-role-members"  # before it, a role with quorum `all` was one task
ONE_VOTE = "task-quorum-one-vote-per-person"
MAX_ROLE_TASKS = 100  # tasks one step may create for a role's members (each is activities and history)


class TaskSteps:
    """Mixed into the interpreter workflow: owns the open human tasks and the ``decide`` update."""

    if TYPE_CHECKING:
        run_input: DslRun
        state: DslState

        def evaluate(self, value: Any, frame: Frame, step_id: str) -> Any: ...
        async def call(
            self, name: str, arg: Any, *, timeout: timedelta = ..., retry: RetryPolicy = ...
        ) -> Any: ...
        async def run_steps(self, steps: Any, frame: Frame, *, offset: int = 0) -> None: ...
        def record(self, frame: Frame, step_id: str, output: Any) -> None: ...

    def __init__(self) -> None:
        self.waits: dict[uuid.UUID, TaskWait] = {}
        self.awaiting: set[str] = set()
        self.decided = 0
        self.created_tasks = 0  # the ordinal of each task in the process, shown as the task's step

    def open_tasks(self) -> list[OpenTask]:
        return [
            OpenTask(task_id=w.task_id, step_id=w.step_id, assignee=w.assignee, due_at=w.due_at)
            for w in self.waits.values()
            if not w.decision and not w.closed
        ]

    def assignees(self, step: m.TaskStep, frame: Frame) -> list[str]:
        value = self.evaluate(step.assignee, frame, step.id)
        found = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
        out = []
        for who in found:
            if not isinstance(who, str) or not who.startswith(ASSIGNEE_KINDS) or len(who) < 6:
                raise ProcessError(
                    "InvalidAssignee", f"step '{step.id}': '{who}' is not user:<email> or role:<name>"
                )
            out.append(who.lower() if who.startswith("user:") else who)
        if not out:
            raise ProcessError("InvalidAssignee", f"step '{step.id}': the assignee list is empty")
        return out

    async def members(self, step: m.TaskStep, role: str) -> list[str]:
        """A role with a quorum over its members: the ``user:`` key of each member holding it now."""
        members: list[str] = await self.call(
            contracts.PROCESSES_ROLE_MEMBERS,
            RoleMembers(tenant_id=self.run_input.tenant_id, role=role.removeprefix("role:")),
        )
        needed = len(members) if step.quorum == "all" else int(step.quorum)
        if len(members) > MAX_ROLE_TASKS:
            raise ProcessError(
                "InvalidAssignee",
                f"step '{step.id}': {role} has {len(members)} members; a quorum over a role reaches at "
                f"most {MAX_ROLE_TASKS}: use a narrower role",
                {"step": step.id, "role": role, "members": len(members)},
            )
        if not members or len(members) < needed:
            raise ProcessError(
                "QuorumUnreachable",
                f"step '{step.id}': quorum {step.quorum} of {role} needs {max(needed, 1)} member(s); "
                f"it has {len(members)}",
                {"step": step.id, "role": role, "members": len(members)},
            )
        return members

    def due_at(self, step: m.TaskStep, frame: Frame, created: datetime) -> datetime | None:
        if step.due is None:
            return None
        value = self.evaluate(step.due, frame, step.id)
        if value is None or value == "":  # an optional due left empty by the input
            return None
        return created + as_duration(value, step.id) if is_duration(value) else as_instant(value, step.id)

    async def task(self, step: m.TaskStep, frame: Frame) -> Any:
        run = self.run_input
        created = workflow.now()
        assignees = self.assignees(step, frame)
        if quorum_over_members(step.quorum, assignees) and workflow.patched(ROLE_QUORUM):
            assignees = await self.members(step, assignees[0])
        candidates = [str(self.evaluate(c, frame, step.id)) for c in step.candidates]
        due_at = self.due_at(step, frame, created)
        title = str(self.evaluate(step.title, frame, step.id))
        description = str(self.evaluate(step.description, frame, step.id)) if step.description else None
        group = TaskGroup([], step.outcomes, step.quorum)
        for index, who in enumerate(assignees):
            key = f"{step.id}{frame.path}" + (f".{index}" if len(assignees) > 1 else "")
            wait = TaskWait(workflow.uuid4(), step.id, key, who, candidates, step.outcomes, due_at)
            wait.group = f"{step.id}{frame.path}"
            self.waits[wait.task_id] = wait  # known before the row exists: an early decision is recognised
            group.waits.append(wait)
        for wait in group.waits:
            index, self.created_tasks = self.created_tasks, self.created_tasks + 1
            await self.call(
                contracts.PROCESSES_CREATE_TASK,
                TaskCreate(
                    task_id=wait.task_id,
                    tenant_id=run.tenant_id,
                    process_id=run.process_id,
                    step=index,
                    step_key=wait.key,
                    title=title,
                    assignee=wait.assignee,
                    due_at=due_at,
                    data={
                        "step_id": step.id,
                        "outcomes": step.outcomes,
                        "form": step.form,
                        "candidates": candidates,
                        "description": description,
                        "quorum": step.quorum,
                    },
                ),
            )
            wait.created = True
        try:
            output = await self.await_group(step, frame, group, created, due_at)
        except GeneratorExit:  # torn down (evicted), not ended: no workflow calls now
            raise
        except BaseException:
            await self.close_leftovers(group)
            raise
        await self.close_leftovers(group)
        return output

    async def close_leftovers(self, group: TaskGroup) -> None:
        """The step is over (quorum reached, timed out, cancelled): its still-open tasks are cancelled."""
        leftover = [w for w in group.waits if not w.decision and not w.closed]
        for wait in leftover:
            wait.closed = True
        if leftover:
            await self.call(
                contracts.PROCESSES_CANCEL_TASKS,
                TaskCancel(tenant_id=self.run_input.tenant_id, task_ids=[w.task_id for w in leftover]),
            )
        for wait in group.waits:
            self.waits.pop(wait.task_id, None)

    async def await_group(
        self, step: m.TaskStep, frame: Frame, group: TaskGroup, created: datetime, due_at: datetime | None
    ) -> Any:
        timed = [(i, e) for i, e in enumerate(step.escalation) if e.after.strip() != AT_DUE]
        at_due = [e for e in step.escalation if e.after.strip() == AT_DUE]
        escalations = sorted(
            (
                (created + as_duration(self.evaluate(e.after, frame, step.id), step.id), i, e)
                for i, e in timed
            ),
            key=lambda t: (t[0], t[1]),
        )
        due_length = due_at - created if due_at else None
        reminders: list[tuple[datetime, m.Reminder]] = [(created + r.every, r) for r in step.reminders]
        breached = False
        while (outcome := group.outcome()) is None:
            moments = [t for t, _, _ in escalations] + [at for at, _ in reminders]
            if due_at and not breached:
                moments.append(due_at)
            timeout = max(min(moments) - workflow.now(), timedelta(milliseconds=1)) if moments else None
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: group.outcome() is not None or any(w.deciding for w in group.waits),
                    timeout=timeout,
                )
            if any(
                w.deciding for w in group.waits
            ):  # a decision in flight wins over a timer that fired meanwhile
                await workflow.wait_condition(lambda: not any(w.deciding for w in group.waits))
                continue
            now = workflow.now()
            if due_at and due_length and not breached and now >= due_at and at_due:
                # An escalation "after: due" takes the task over with a fresh due; the SLA breach is recorded.
                fresh = now + due_length
                escalation = at_due.pop(0)
                if await self.escalate(step, frame, group, escalation, due_at, now, fresh):
                    self.note_breach(step, due_at, now, "escalated")
                    due_at = fresh
                    for wait in group.waits:
                        wait.due_at = fresh
                    continue
            if due_at and not breached and now >= due_at:
                breached = True
                self.note_breach(step, due_at, now, "on_timeout" if step.on_timeout else "breached")
                if step.on_timeout is not None:
                    return await self.time_out(step, frame, group, due_at, now)
                for wait in group.open():
                    await self.call(
                        contracts.PROCESSES_RECORD_BREACH,
                        TaskBreach(**passed_due(self.run_input.tenant_id, wait.task_id, due_at, now)),
                    )
            while escalations and escalations[0][0] <= now:
                at, _, escalation = escalations.pop(0)
                await self.escalate(step, frame, group, escalation, at, now, due_at)
            for index, (at, reminder) in enumerate(reminders):
                if at <= now:
                    reminders[index] = (now + reminder.every, reminder)
                    await self.remind(step, frame, group, reminder)
        return self.task_output(group, outcome, timed_out=False)

    def note_breach(self, step: m.TaskStep, due_at: datetime, now: datetime, action: str) -> None:
        """A passed due date, as the state query shows it."""
        self.state.breaches.append(
            {
                "step_id": step.id,
                "due_at": due_at.isoformat(),
                "breached_at": now.isoformat(),
                "action": action,
            }
        )

    def task_output(self, group: TaskGroup, outcome: str | None, *, timed_out: bool) -> dict[str, Any]:
        decisions = [w.decision for w in sorted(group.waits, key=lambda w: w.order) if w.decision]
        return {
            "outcome": outcome,
            "timed_out": timed_out,
            "data": decisions[0].data if decisions else None,
            "decisions": [
                {
                    "task_id": str(d.task_id),
                    "outcome": d.outcome,
                    "comment": d.comment,
                    "data": d.data,
                    "by": d.email,
                    "at": d.decided_at.isoformat() if d.decided_at else None,
                }
                for d in decisions
            ],
        }

    async def time_out(
        self, step: m.TaskStep, frame: Frame, group: TaskGroup, due_at: datetime, now: datetime
    ) -> Any:
        assert step.on_timeout is not None
        for wait in group.open():
            wait.closed = True
            await self.call(
                contracts.PROCESSES_EXPIRE_TASK,
                TaskExpire(
                    **passed_due(self.run_input.tenant_id, wait.task_id, due_at, now),
                    action="timed_out",
                    outcome=step.on_timeout.outcome,
                ),
            )
        output = self.task_output(group, step.on_timeout.outcome, timed_out=True)
        self.record(frame, step.id, output)  # the branch may read steps.<id>.output
        await self.run_steps(step.on_timeout.steps, frame.nested())
        return output

    async def escalate(
        self,
        step: m.TaskStep,
        frame: Frame,
        group: TaskGroup,
        escalation: m.Escalation,
        at: datetime,
        now: datetime,
        due_at: datetime | None,
    ) -> bool:
        """Reassign the open tasks; an assignee that evaluates to nothing skips the escalation (False)."""
        value = self.evaluate(escalation.assignee, frame, step.id)
        if value is None or value == "":
            return False
        target = str(value)
        if target.startswith("user:"):
            target = target.lower()
        if not target.startswith(ASSIGNEE_KINDS):
            raise ProcessError(
                "InvalidAssignee", f"step '{step.id}': escalation to '{target}' is not user:/role:"
            )
        for wait in group.open():
            await self.call(
                contracts.PROCESSES_ESCALATE_TASK,
                TaskEscalate(
                    **passed_due(self.run_input.tenant_id, wait.task_id, at, now),
                    assignee=target,
                    new_due_at=due_at,
                    notify=escalation.notify,
                ),
            )
            wait.assignee = target
        return True

    async def remind(self, step: m.TaskStep, frame: Frame, group: TaskGroup, reminder: m.Reminder) -> None:
        targets = (
            [str(self.evaluate(reminder.notify, frame, step.id))]
            if reminder.notify
            else [w.assignee for w in group.open()]
        )
        if targets:
            await self.call(
                contracts.NOTIFICATIONS_NOTIFY,
                {
                    "tenant_id": str(self.run_input.tenant_id),
                    "to": targets,
                    "kind": "task.reminder",
                    "title": f"Reminder: {step.name or step.id} is waiting for you",
                    "data": {"process_id": str(self.run_input.process_id), "step": step.id},
                },
            )

    # -- the decision update, shared with the approval workflow's contract -----------------------------
    def second_vote(self, wait: TaskWait, decision: Decision) -> bool:
        """Whether the decider already decides (or decided) another task of the same step: in a quorum
        each person counts once, whatever keys (roles, candidacies) let them decide several tasks."""
        who = decider_of(decision)
        return who is not None and any(
            other is not wait and other.group == wait.group and other.decider == who
            for other in self.waits.values()
        )

    @workflow.update(name=contracts.DECIDE)
    async def decide(self, decision: Decision) -> Decision:
        wait = self.waits[decision.task_id]
        # Two updates accepted together both passed the validator: the second one is refused here.
        if self.second_vote(wait, decision) and workflow.patched(ONE_VOTE):
            raise ApplicationError("You have already decided a task of this step.", type="AlreadyDecided")
        wait.deciding = True
        wait.decider = decider_of(decision)
        try:
            await workflow.wait_condition(lambda: wait.created)
            decision = decision.model_copy(update={"decided_at": workflow.now()})
            await self.call(
                contracts.PROCESSES_COMPLETE_TASK,
                TaskComplete(tenant_id=self.run_input.tenant_id, decision=decision),
            )
        except BaseException:
            wait.decider = None  # not counted: the person may decide again
            raise
        finally:
            wait.deciding = False
        self.decided += 1
        wait.order = self.decided
        wait.decision = decision
        return decision

    @decide.validator
    def validate_decide(self, decision: Decision) -> None:
        wait = self.waits.get(decision.task_id)
        if wait is None or wait.closed or wait.decision is not None or wait.deciding:
            raise ApplicationError("The task is no longer open.", type="TaskClosed")
        if wait.assignee not in decision.assignee_keys and not set(wait.candidates) & set(
            decision.assignee_keys
        ):
            raise ApplicationError(f"The task is assigned to {wait.assignee}.", type="NotAssignee")
        if decision.outcome not in wait.outcomes:
            raise ApplicationError(
                f"The outcome must be one of: {', '.join(wait.outcomes)}.", type="InvalidOutcome"
            )
        if self.second_vote(wait, decision):
            raise ApplicationError("You have already decided a task of this step.", type="AlreadyDecided")

"""The definition interpreter's run state (frames, task waits, task groups), its business error, and
the deterministic conversions its steps use."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError, ChildWorkflowError, TimeoutError

with workflow.unsafe.imports_passed_through():
    from domain.durations import parse_duration
    from domain.processes.schemas import Decision


class ProcessError(Exception):
    """A business error: ends the process unless a ``try`` step catches its type."""

    def __init__(self, error_type: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.details = details or {}


@dataclass
class Frame:
    """Where a step runs: loop variables, the iteration's own step outputs, its path for ids."""

    locals: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    local_outputs: bool = False
    path: str = ""
    depth: int = 0

    @property
    def top_level(self) -> bool:
        return self.depth == 0

    def nested(self, **more: Any) -> Frame:
        return Frame({**self.locals, **more}, self.outputs, self.local_outputs, self.path, self.depth + 1)

    def iteration(self, name: str, item: Any, index: int) -> Frame:
        return Frame(
            {**self.locals, name: item, "index": index}, {}, True, f"{self.path}#{index}", self.depth + 1
        )


@dataclass
class TaskWait:
    """One human task of a task step, as the workflow tracks it."""

    task_id: uuid.UUID
    step_id: str
    key: str
    assignee: str
    candidates: list[str]
    outcomes: list[str]
    due_at: datetime | None
    created: bool = False
    deciding: bool = False
    closed: bool = False
    decision: Decision | None = None
    order: int = 0
    group: str = ""  # the task step's key: its waits make one quorum
    decider: str | None = None  # who decides (or decided) it, see ``decider_of``


@dataclass
class TaskGroup:
    """The tasks of one task step and the rule that decides the step's outcome."""

    waits: list[TaskWait]
    outcomes: list[str]
    quorum: str | int

    def outcome(self) -> str | None:
        decided = sorted((w for w in self.waits if w.decision), key=lambda w: w.order)
        if self.quorum == "any":
            return decided[0].decision.outcome if decided and decided[0].decision else None
        required = len(self.waits) if self.quorum == "all" else int(self.quorum)
        positive = self.outcomes[0]
        approvals = sum(1 for w in decided if w.decision and w.decision.outcome == positive)
        if approvals >= required:
            return positive
        undecided = sum(1 for w in self.waits if not w.decision and not w.closed)
        if approvals + undecided < required:
            negatives = [w.decision.outcome for w in decided if w.decision and w.decision.outcome != positive]
            return negatives[-1] if negatives else (self.outcomes[1] if len(self.outcomes) > 1 else positive)
        return None

    def open(self) -> list[TaskWait]:
        return [w for w in self.waits if not w.decision and not w.closed]


def decider_of(decision: Decision) -> str | None:
    """The person behind a decision, to count each person once in a quorum; None when unknown."""
    if decision.user_id is not None:
        return f"id:{decision.user_id}"
    return f"email:{decision.email.lower()}" if decision.email else None


def quorum_over_members(quorum: str | int, assignees: list[str]) -> bool:
    """A single role with a quorum beyond one member (a number over 1, or ``all``): one task per member."""
    many = quorum == "all" or (isinstance(quorum, int) and quorum > 1)
    return many and len(assignees) == 1 and assignees[0].startswith("role:")


def as_duration(value: Any, step_id: str) -> timedelta:
    if isinstance(value, timedelta):
        return value
    try:
        return parse_duration(str(value))
    except ValueError as exc:
        raise ProcessError("ExpressionError", f"step '{step_id}': {exc}", {"step": step_id}) from None


def as_instant(value: Any, step_id: str) -> datetime:
    try:
        instant = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        raise ProcessError(
            "ExpressionError", f"step '{step_id}': '{value}' is not an RFC 3339 instant", {"step": step_id}
        ) from None
    if instant.tzinfo is None:
        raise ProcessError(
            "ExpressionError", f"step '{step_id}': '{value}' has no UTC offset", {"step": step_id}
        )
    return instant


def is_duration(value: Any) -> bool:
    return isinstance(value, timedelta) or (isinstance(value, str) and value.strip().upper().startswith("P"))


def error_of(exc: ActivityError | ChildWorkflowError) -> tuple[str, str]:
    """The business error type and message inside an activity or child workflow failure."""
    cause: BaseException | None = exc.cause
    while isinstance(cause, ActivityError | ChildWorkflowError):
        cause = cause.cause
    if isinstance(cause, ApplicationError):
        return cause.type or "ActivityFailed", cause.message
    if isinstance(cause, TimeoutError):
        return "Timeout", str(cause) or "timed out"
    return "ActivityFailed", str(cause or exc)

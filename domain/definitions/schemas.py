"""Values passed to, kept by, and returned from the definition interpreter workflow."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from domain.definitions.model import Definition


class Resume(BaseModel):
    """Where a continued-as-new run picks up: inside a top-level foreach."""

    step_index: int
    item_index: int
    vars: dict[str, Any]
    outputs: dict[str, Any]
    results: list[Any]
    timeline: list[TimelineEntry] = Field(default_factory=list)


class DslRun(BaseModel):
    tenant_id: uuid.UUID
    tenant_domain: str
    process_id: uuid.UUID
    business_key: str
    started_by: uuid.UUID | None = None
    definition: Definition
    input: dict[str, Any] = Field(default_factory=dict)
    # Every definition a subprocess step may start, resolved and pinned when the process started.
    subdefinitions: dict[str, Definition] = Field(default_factory=dict)
    # The version of every decision table a decide step evaluates (``name@version`` or ``name@latest``),
    # pinned when the process started; empty in the input of processes started before decide steps.
    decisions: dict[str, int] = Field(default_factory=dict)
    resume: Resume | None = None
    continue_as_new_after: int = Field(
        default=5000, description="history events before a long loop continues as new"
    )


class TimelineEntry(BaseModel):
    step_id: str
    type: str
    status: Literal["running", "completed", "skipped", "failed", "timed_out", "cancelled"]
    started_at: datetime
    finished_at: datetime | None = None
    duration_ms: int | None = None
    detail: str | None = None


class OpenTask(BaseModel):
    task_id: uuid.UUID
    step_id: str
    assignee: str
    due_at: datetime | None = None


class DslState(BaseModel):
    phase: Literal["running", "completed", "failed", "cancelled"] = "running"
    definition: str = ""
    version: int = 0
    current_steps: list[str] = Field(default_factory=list)
    vars: dict[str, Any] = Field(default_factory=dict)
    open_tasks: list[OpenTask] = Field(default_factory=list)
    awaiting_events: list[str] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    breaches: list[dict[str, Any]] = Field(default_factory=list)


class DslResult(BaseModel):
    output: Any = None
    vars: dict[str, Any] = Field(default_factory=dict)
    # The state as the run ended: reading a completed process needs no query, which the worker could
    # answer only by replaying the whole history (absent from results recorded before it was added).
    state: DslState | None = None


class ProcessEvent(BaseModel):
    """An event a ``wait`` step may be waiting for, delivered as a signal."""

    name: str = Field(min_length=1, max_length=128)
    correlation_key: str | None = Field(default=None, max_length=255)
    payload: dict[str, Any] = Field(default_factory=dict)


class DecisionCall(BaseModel):
    """A decide step's evaluation: the pinned version of a table and the context the step built."""

    tenant_id: uuid.UUID
    process_id: uuid.UUID
    decision: str
    version: int
    context: dict[str, Any]


class TaskCancel(BaseModel):
    tenant_id: uuid.UUID
    task_ids: list[uuid.UUID]


class RoleMembers(BaseModel):
    """Who holds a role now: a task over a role with a quorum gets one task per member."""

    tenant_id: uuid.UUID
    role: str = Field(min_length=1, max_length=128)


class TaskBreach(BaseModel):
    tenant_id: uuid.UUID
    task_id: uuid.UUID
    due_at: datetime
    breached_at: datetime


Resume.model_rebuild()


class ProcessFinished(BaseModel):
    tenant_id: uuid.UUID
    process_id: uuid.UUID
    status: Literal["completed", "failed", "cancelled"]
    output: Any = None
    error: str | None = None

"""Process and task types: the REST payloads and the values passed to and from workflows."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from domain.durations import Duration
from domain.money import Money

BUSINESS_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@#/+-]{0,199}$")
DEFINITION_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
ASSIGNEE = re.compile(r"^(user|role):.+$")


def _assignee(value: str) -> str:
    value = value.strip()
    if not ASSIGNEE.match(value):
        raise ValueError("an assignee is 'user:<email>' or 'role:<name>'")
    kind, _, name = value.partition(":")
    return f"{kind}:{name.lower()}" if kind == "user" else value


Assignee = Annotated[str, AfterValidator(_assignee)]
ProcessStatus = Literal["running", "completed", "failed", "cancelled", "terminated", "timed_out"]
TaskStatus = Literal["open", "completed", "expired", "cancelled"]


# -- the approval chain ----------------------------------------------------------------------
class ChainStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignee: Assignee
    due: Duration | None = None
    escalate_to: Assignee | None = None
    title: str | None = Field(default=None, max_length=255)


class ApprovalInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=10_000)
    amount: Money | None = None
    chain: list[ChainStep] = Field(min_length=1, max_length=20)
    on_timeout: Literal["reject", "approve"] = "reject"


# The code-defined workflows a definition's `workflow:` step may start by name, with their input
# type: the registry the definition checks read. POST /processes starts YAML definitions only.
APPROVAL = "approval"
CODE_WORKFLOWS = {APPROVAL: ApprovalInput}


class ProcessStart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    definition: str = Field(max_length=64)
    version: int | None = Field(
        default=None, ge=1, description="the definition version; the latest if omitted"
    )
    business_key: str | None = Field(default=None, max_length=200)
    input: dict[str, Any] = Field(default_factory=dict)

    @field_validator("definition")
    @classmethod
    def _definition(cls, value: str) -> str:
        if not DEFINITION_NAME.match(value):
            raise ValueError("a definition name is lowercase letters, digits, '-' or '_'")
        return value

    @field_validator("business_key")
    @classmethod
    def _business_key(cls, value: str | None) -> str | None:
        if value is not None and not BUSINESS_KEY.match(value):
            raise ValueError(
                "a business key is 1-200 letters, digits or . _ : @ # / + -, starting with a letter or digit"
            )
        return value


# -- workflow values ---------------------------------------------------------------------------
class ApprovalRun(BaseModel):
    """What the approval workflow starts with: the tenant and the validated input."""

    tenant_id: uuid.UUID
    tenant_domain: str
    process_id: uuid.UUID
    business_key: str
    started_by: uuid.UUID | None = None
    input: ApprovalInput


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    task_id: uuid.UUID
    outcome: str = Field(min_length=1, max_length=64)
    comment: str | None = Field(default=None, max_length=10_000)
    data: dict[str, Any] | None = None
    user_id: uuid.UUID | None = None
    email: str | None = None
    # The assignee strings the decider holds ("user:<email>", "role:<name>"); checked by the workflow.
    assignee_keys: list[str] = Field(default_factory=list, exclude=False)
    decided_at: datetime | None = None


class Breach(BaseModel):
    task_id: uuid.UUID
    step: int
    due_at: datetime
    breached_at: datetime
    action: str


class ApprovalState(BaseModel):
    """The live state a workflow query returns."""

    phase: Literal["starting", "assigning", "waiting", "approved", "rejected", "cancelled"] = "starting"
    current_step: int | None = None
    open_task_id: uuid.UUID | None = None
    open_task_assignee: str | None = None
    open_task_due_at: datetime | None = None
    decisions: list[Decision] = Field(default_factory=list)
    breaches: list[Breach] = Field(default_factory=list)


class ApprovalResult(BaseModel):
    outcome: Literal["approved", "rejected"]
    reason: str
    decisions: list[Decision]
    breaches: list[Breach]


# -- activity payloads ---------------------------------------------------------------------------
class TaskCreate(BaseModel):
    task_id: uuid.UUID
    tenant_id: uuid.UUID
    process_id: uuid.UUID
    step: int
    step_key: str | None = None
    title: str
    assignee: str
    due_at: datetime | None
    data: dict[str, Any] = Field(default_factory=dict)


class TaskComplete(BaseModel):
    tenant_id: uuid.UUID
    decision: Decision


def passed_due(tenant_id: uuid.UUID, task_id: uuid.UUID, due_at: datetime, now: datetime) -> dict[str, Any]:
    """The fields every activity about a passed due date takes (``TaskBreach``, ``TaskEscalate``,
    ``TaskExpire``): the task, its due date, and when the workflow saw it pass."""
    return {"tenant_id": tenant_id, "task_id": task_id, "due_at": due_at, "breached_at": now}


class TaskEscalate(BaseModel):
    tenant_id: uuid.UUID
    task_id: uuid.UUID
    assignee: str
    due_at: datetime
    breached_at: datetime
    new_due_at: datetime | None
    notify: bool = True


class TaskExpire(BaseModel):
    tenant_id: uuid.UUID
    task_id: uuid.UUID
    due_at: datetime
    breached_at: datetime
    action: str
    outcome: str | None = None


class ProcessRef(BaseModel):
    tenant_id: uuid.UUID
    process_id: uuid.UUID


# -- REST outputs ---------------------------------------------------------------------------------
class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    process_id: uuid.UUID
    step: int
    title: str
    assignee: str
    status: TaskStatus
    outcome: str | None
    comment: str | None
    completed_by: uuid.UUID | None
    completed_at: datetime | None
    due_at: datetime | None
    escalation_level: int
    data: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class TaskCompleteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: str = Field(min_length=1, max_length=64, description="one of the task's outcomes")
    comment: str | None = Field(default=None, max_length=10_000)
    data: dict[str, Any] | None = Field(default=None, description="what the task's form asks for")


class ProcessOut(BaseModel):
    id: uuid.UUID
    definition: str
    version: int | None = None
    business_key: str
    workflow_id: str
    status: ProcessStatus
    input: dict[str, Any] | None = None
    state: dict[str, Any] | None = None
    result: Any = Field(default=None, description="the definition's output (YAML) or the workflow's result")
    error: str | None = None
    started_by: uuid.UUID | None = None
    started_at: datetime | None = None
    closed_at: datetime | None = None
    temporal_ui_url: str | None = None


class ChildProcess(BaseModel):
    tenant_id: uuid.UUID
    parent_id: uuid.UUID
    definition: str
    version: int | None = None
    business_key: str
    workflow_id: str
    input: dict[str, Any]

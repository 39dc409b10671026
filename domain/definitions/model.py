"""The typed form of a YAML process definition: what the parser produces and the interpreter runs.

Pure values only (this module is imported inside Temporal's workflow sandbox). Strings may hold
expressions: a value that is exactly ``{{ … }}`` evaluates to a native value (number, list, bool…),
any other string containing ``{{ … }}`` renders as text.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.durations import Duration

STEP_ID = r"^[a-z][a-z0-9_-]{0,63}$"
Expr = str  # a value that may contain a Jinja2 expression; checked by the validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class RetrySpec(_Strict):
    maximum_attempts: int = Field(default=3, ge=0, le=100, description="0 means unlimited")
    initial_interval: Duration | None = None
    backoff: float = Field(default=2.0, ge=1.0, le=10.0)
    maximum_interval: Duration | None = None
    non_retryable: list[str] = Field(default_factory=list, description="error types not to retry")


class Call(_Strict):
    """A registered activity and its arguments."""

    call: str
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")


class StepBase(_Strict):
    id: str = Field(pattern=STEP_ID)
    name: str | None = Field(default=None, max_length=255, description="shown in the timeline")
    when: Expr | None = Field(default=None, description="skip the step unless this is true")


class ActivityStep(StepBase):
    type: Literal["activity"]
    call: str
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")
    retry: RetrySpec | None = None
    timeout: Duration = timedelta(minutes=1)
    optional: bool = Field(default=False, description="a failure is recorded and the process goes on")
    compensate: Call | None = None


class Reminder(_Strict):
    every: Duration
    notify: Expr | None = Field(default=None, description="who to remind; the assignees by default")


class Escalation(_Strict):
    after: Expr = Field(
        description="ISO 8601 duration from the task's creation, an expression, or 'due': when the due date "
        "passes (the task is reassigned with a fresh due instead of timing out)"
    )
    assignee: Expr = Field(description="reassign to this user:/role: (or expression)")
    notify: bool = True


class OnTimeout(_Strict):
    """Interrupting: when ``due`` passes, the task closes and this branch decides what happens."""

    outcome: str | None = Field(default=None, description="the outcome the step takes")
    steps: list[Step] = Field(default_factory=list)


class TaskStep(StepBase):
    type: Literal["task"]
    title: Expr
    description: Expr | None = None
    assignee: Expr | list[Expr] = Field(
        description="user:<email>, role:<name>, or an expression; a list for quorum"
    )
    candidates: list[Expr] = Field(default_factory=list, description="others who may claim and decide")
    form: dict[str, Any] | None = Field(default=None, description="JSON Schema of the submitted data")
    outcomes: list[str] = Field(default_factory=lambda: ["approve", "reject"], min_length=1)
    quorum: Literal["all", "any"] | int = "any"
    due: Expr | None = None
    reminders: list[Reminder] = Field(default_factory=list)
    escalation: list[Escalation] = Field(default_factory=list)
    on_timeout: OnTimeout | None = None


class WaitStep(StepBase):
    type: Literal["wait"]
    duration: Expr | None = None
    until: Expr | None = Field(default=None, description="an RFC 3339 instant (expression)")
    signal: str | None = Field(default=None, description="wait for this named event")
    correlation: Expr | None = Field(default=None, description="the event's correlation key")
    timeout: Expr | None = None
    on_timeout: list[Step] = Field(default_factory=list)


class Case(_Strict):
    when: Expr
    steps: list[Step]


class SwitchStep(StepBase):
    type: Literal["switch"]
    cases: list[Case] = Field(min_length=1)
    default: list[Step] = Field(default_factory=list)


class Branch(_Strict):
    id: str = Field(pattern=STEP_ID)
    steps: list[Step]


class ParallelStep(StepBase):
    type: Literal["parallel"]
    branches: list[Branch] = Field(min_length=1)
    join: Literal["all", "any"] | int = "all"


class ForeachStep(StepBase):
    type: Literal["foreach"]
    items: Expr
    as_: str = Field(default="item", alias="as", pattern=r"^[a-z_][a-z0-9_]*$")
    concurrency: int = Field(default=1, ge=1, le=100)
    steps: list[Step]


class SetStep(StepBase):
    type: Literal["set"]
    vars: dict[str, Any] = Field(min_length=1)


class NotifyStep(StepBase):
    type: Literal["notify"]
    to: Expr | list[Expr]
    title: Expr
    body: Expr = ""
    category: str = "processes"


class EmitStep(StepBase):
    type: Literal["emit"]
    event: str = Field(pattern=r"^[a-z][a-z0-9_.-]{0,127}$")
    payload: dict[str, Any] = Field(default_factory=dict)


class SubprocessStep(StepBase):
    type: Literal["subprocess"]
    definition: str | None = None
    version: int | None = None
    workflow: str | None = Field(default=None, description="a code workflow, e.g. approval")
    input: dict[str, Any] = Field(default_factory=dict)
    wait: bool = True


ContextName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")]


class DecideStep(StepBase):
    """Evaluates a decision table (``definitions/decisions/``); its output is the table's outputs."""

    type: Literal["decide"]
    decision: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,63}$", description="the decision table's name")
    version: int | None = Field(
        default=None, ge=1, description="the table's version; the latest when the process starts by default"
    )
    context: dict[ContextName, Any] = Field(
        default_factory=dict, description="what the table's inputs read: name -> expression or value"
    )


class FailStep(StepBase):
    type: Literal["fail"]
    error: str = Field(default="ProcessFailed", pattern=r"^[A-Za-z][A-Za-z0-9_.]{0,63}$")
    message: Expr = "The process failed."


class EndStep(StepBase):
    type: Literal["end"]
    output: Any = None


class Catch(_Strict):
    errors: list[str] = Field(
        default_factory=list, description="error types; empty catches every business error"
    )
    steps: list[Step]


class TryStep(StepBase):
    type: Literal["try"]
    steps: list[Step]
    catch: list[Catch] = Field(min_length=1)


Step = Annotated[
    ActivityStep
    | TaskStep
    | WaitStep
    | SwitchStep
    | ParallelStep
    | ForeachStep
    | SetStep
    | NotifyStep
    | EmitStep
    | SubprocessStep
    | DecideStep
    | FailStep
    | EndStep
    | TryStep,
    Field(discriminator="type"),
]


class Definition(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,63}$")
    version: int = Field(ge=1)
    description: str | None = None
    input: dict[str, Any] = Field(default_factory=lambda: {"type": "object"}, description="JSON Schema")
    steps: list[Step] = Field(min_length=1)
    output: Any = None


for _model in (
    OnTimeout,
    WaitStep,
    Case,
    SwitchStep,
    Branch,
    ParallelStep,
    ForeachStep,
    Catch,
    TryStep,
    Definition,
):
    _model.model_rebuild()

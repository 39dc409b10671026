"""The scenario file format (described in full at the top of ``cli/scenarios.py``): read strictly,
and checked against the definition it plays."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from domain.definitions.model import Definition, TaskStep
from domain.definitions.validate import iter_steps
from domain.durations import Duration


class ScenarioInvalid(ValueError):
    """A scenario file that cannot be read or does not match the scenario format."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


def _assignee_key(value: str) -> str:
    """``user:<email>`` (email lowercased, as the interpreter stores it) or ``role:<name>``."""
    kind, _, name = value.strip().partition(":")
    if kind not in ("user", "role") or not name:
        raise ValueError("an assignee key is 'user:<email>' or 'role:<name>'")
    return f"user:{name.lower()}" if kind == "user" else f"role:{name}"


class ActivityAnswer(_Strict):
    match: dict[str, Any] | None = Field(default=None, description="a partial match of the call's argument")
    output: Any = None
    fail: str | None = Field(default=None, pattern=r"^[A-Za-z][A-Za-z0-9_.]{0,63}$")
    message: str | None = None


class TaskAnswer(_Strict):
    step: str = Field(min_length=1)
    outcome: str = Field(min_length=1, max_length=64)
    by: str | None = None
    data: dict[str, Any] | None = None
    comment: str | None = None
    after: Duration | None = None

    @field_validator("by")
    @classmethod
    def _by(cls, value: str | None) -> str | None:
        return None if value is None else _assignee_key(value)


class EventEntry(_Strict):
    name: str = Field(min_length=1, max_length=128)
    correlation_key: str | None = Field(default=None, max_length=255)
    payload: dict[str, Any] = Field(default_factory=dict)
    after: Duration | None = None

    @property
    def key(self) -> str:
        """How the interpreter names the wait (``awaiting_events``)."""
        return f"{self.name}:{self.correlation_key}" if self.correlation_key else self.name


class ExpectedCall(_Strict):
    call: str = Field(min_length=1)
    with_: dict[str, Any] | None = Field(default=None, alias="with")


class Expect(_Strict):
    status: Literal["completed", "failed"] | None = None
    error: str | None = None
    path: list[str] | None = None
    output: Any = None
    calls: list[str | ExpectedCall] | None = None
    breaches: list[str] | None = None

    @property
    def checks_output(self) -> bool:
        # `output: null` is an expectation; leaving `output` out is not.
        return "output" in self.model_fields_set

    @property
    def expected_status(self) -> str:
        return self.status or ("failed" if self.error else "completed")


class Scenario(_Strict):
    description: str | None = None
    input: dict[str, Any] = Field(default_factory=dict)
    activities: dict[str, ActivityAnswer | list[ActivityAnswer]] = Field(default_factory=dict)
    tasks: list[TaskAnswer] = Field(default_factory=list)
    events: list[EventEntry] = Field(default_factory=list)
    expect: Expect

    def answers(self, name: str) -> list[ActivityAnswer]:
        found = self.activities.get(name, [])
        return found if isinstance(found, list) else [found]


class _Loader(yaml.SafeLoader):
    """Safe YAML whose unquoted dates stay strings, as in definitions: ``2030-01-31`` is text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_scenario(path: Path) -> Scenario:
    """The scenario in ``path``, or ScenarioInvalid naming the file and every bad field."""
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioInvalid(f"{path}: cannot read the scenario: {exc}") from None
    except yaml.YAMLError as exc:
        raise ScenarioInvalid(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ScenarioInvalid(f"{path}: a scenario is a mapping with at least 'expect'")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        lines = [f"{path}: not a valid scenario:"]
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "(top level)"
            lines.append(f"  {where}: {error['msg']}")
        raise ScenarioInvalid("\n".join(lines)) from None


def check_against(scenario: Scenario, definition: Definition, path: Path) -> None:
    """Step ids the scenario names must exist in the definition: a typo is an error, not a 10 s wait."""
    steps = dict(iter_steps(definition))
    task_steps = sorted(step.id for step in steps.values() if isinstance(step, TaskStep))
    ids = {step.id for step in steps.values()}
    problems = [
        f"  tasks.{i}.step: '{entry.step}' is not a task step of {definition.name}; "
        f"its task steps: {', '.join(task_steps) or 'none'}"
        for i, entry in enumerate(scenario.tasks)
        if entry.step not in task_steps
    ]
    for field_name in ("path", "breaches"):
        for i, step_id in enumerate(getattr(scenario.expect, field_name) or []):
            if step_id not in ids:
                problems.append(f"  expect.{field_name}.{i}: no step '{step_id}' in {definition.name}")
    if problems:
        raise ScenarioInvalid("\n".join([f"{path}: does not fit {definition.name}:", *problems]))

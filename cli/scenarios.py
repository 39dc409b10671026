"""Run a process definition against a scenario on Temporal's time-skipping test server.

No database, no worker, no real activity: every activity the process calls is answered by a mock
that records the call, and the human tasks and events are supplied by the scenario. Time passes
only where the scenario says so (``after``) or while the runner waits for the process to finish,
when the server skips straight to the next timer (due dates, reminders, waits).

A scenario file (YAML)::

    description: A small purchase, approved by the director after escalation   # optional
    input:                          # the process input; checked against the definition's input schema
      amount: {value: "950.00", currency: EUR}
    activities:                     # optional: answers of mocked activities, by registered name
      crm.score: {output: {score: 7}}             # every call of crm.score returns this
      payments.charge:                            # a list: the first answer whose `match` fits
        - {match: {amount: 0}, fail: InvalidAmount, message: nothing to charge}
        - {output: {charge_id: ch_1}}
    tasks:                          # human decisions, used in order
      - step: manager_approval      # the id of the task step
        outcome: approve
        by: role:director           # optional: the decider's assignee key (user:<email> or role:<name>);
                                    #   default: the open task's own assignee
        data: {valid_until: "2030-01-31"}   # optional: what the task's form receives
        comment: Fine by me         # optional
        after: P1DT1H               # optional: let this much time pass first (ISO 8601 duration)
    events:                         # optional: events for ``wait`` steps, sent as the "event" signal
      - {name: payment.received, correlation_key: INV-7, payload: {amount: 10}, after: PT2H}
    expect:
      status: completed             # completed | failed (default: failed when `error` is given)
      error: VendorRejected         # the error type a failed process ends with
      path: [manager_approval, manager_result, route]   # completed steps in the order they finished
      output: {outcome: approved}   # the process output, compared exactly
      breaches: [manager_approval]  # optional: steps whose due date passed, in order
      calls:                        # optional: these activity calls happened in this order (others may
        - notifications.notify      #   come in between); a name, or a name and a partial match of the
        - {call: events.emit, with: {event: purchase.approved}}   # call's argument

How entries are used: ``tasks`` are taken in order. For each, the runner first lets ``after`` pass,
then polls the process (10 s of real time at most) until a task of that step is open and decides it
through the "decide" update; with ``by``, the task assigned to ``by`` is preferred, otherwise the
first open one. An ``events`` entry is sent as soon as the process waits for it (``name`` or
``name:correlation_key``), checked while the runner waits for tasks; the events nobody waited for
are sent after the last task, in order. ``after`` counts from the moment the previous entry was
used. The path lists a step after the steps nested in it (a switch after its chosen case) and once
per loop iteration. Activities without an answer return defaults: events.emit an event id
(``evt-1``, ``evt-2``…), notifications.notify 1, processes.register_child a new process id, the
other processes.* activities None, any other activity None. Tasks of a subprocess are not answered.

Checks before the run: the scenario matches this format, the step ids it names exist in the definition,
and the input passes the definition's input schema as the API checks it. The run's workflow id is
``dsl_<name>_<case>`` (for ``<name>.<case>.yaml``); the report of a run that ended carries its history,
which ``keel definitions test --record-histories`` saves for the replay tests.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import uuid
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from temporalio import activity
from temporalio.client import WorkflowFailureError, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.common import RawValue
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.exceptions import TimeoutError as TemporalTimeoutError
from temporalio.runtime import LoggingConfig, Runtime, TelemetryConfig, TelemetryFilter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.definitions.inputs import check_input
from domain.definitions.model import Definition, TaskStep
from domain.definitions.parser import ParsedDefinition, parse
from domain.definitions.schemas import DslResult, DslRun, DslState, OpenTask, ProcessEvent
from domain.definitions.validate import KnownDefinitions, iter_steps, subprocess_refs
from domain.durations import Duration
from domain.errors import ValidationFailed
from domain.processes.schemas import Decision
from keel import binaries

POLL_SECONDS = 0.05
WAIT_FOR_TASK_SECONDS = 10.0  # real time the runner waits for a task to open
PREFER_ASSIGNEE_SECONDS = 1.0  # how long a `by` waits for a task assigned to it before taking another
RESULT_SECONDS = 30.0  # real time the runner waits for the process to finish
STOP_SECONDS = 5.0  # real time a cancelled process has to unwind
DEFINITION_SUFFIXES = (".yaml", ".yml")
CODE_WORKFLOWS = ("approval",)


class ScenarioInvalid(ValueError):
    """A scenario file that cannot be read or does not match the scenario format."""


# -- the scenario format ---------------------------------------------------------------------------------


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


# -- definitions and the ones next to them ---------------------------------------------------------------


def definition_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in DEFINITION_SUFFIXES)


def _name_and_version(path: Path) -> tuple[str, int] | None:
    """A file's declared name and version, read leniently: a broken sibling is reported on its own."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return None
    version = data.get("version")
    return data["name"], version if isinstance(version, int) else 0


def sibling_definitions(folder: Path) -> dict[tuple[str, int], Path]:
    """The definitions in ``folder`` by (name, version): what a subprocess step of a file there may start."""
    found: dict[tuple[str, int], Path] = {}
    for path in definition_files(folder):
        ident = _name_and_version(path)
        if ident is not None:
            found.setdefault(ident, path)
    return found


def known_definitions(siblings: Collection[tuple[str, int]]) -> KnownDefinitions:
    def known(name: str, version: int | None) -> bool:
        return any(n == name and (version is None or v == version) for n, v in siblings)

    return known


def activity_names() -> frozenset[str]:
    from activities import activity_names as registered  # the activity modules are only needed here

    return registered()


def load_definition(path: Path, *, known_activities: Collection[str] | None = None) -> ParsedDefinition:
    """Parse and validate ``path`` as the API would; raises DefinitionInvalid or OSError."""
    source = path.read_bytes()
    return parse(
        source,
        known_activities=activity_names() if known_activities is None else known_activities,
        known_definitions=known_definitions(sibling_definitions(path.parent)),
        known_workflows=CODE_WORKFLOWS,
    )


def resolve_subdefinitions(path: Path, root: Definition) -> dict[str, Definition]:
    """Every definition ``root`` may start (transitively), from the files next to ``path``, keyed as the
    interpreter looks them up (``name@version``, or ``name@latest`` when the step names no version)."""
    siblings = sibling_definitions(path.parent)
    names = activity_names()
    out: dict[str, Definition] = {}
    pending = [root]
    while pending:
        for name, version in sorted(subprocess_refs(pending.pop()), key=str):
            key = f"{name}@{version}" if version is not None else f"{name}@latest"
            if key in out or name in CODE_WORKFLOWS:
                continue
            versions = {v: p for (n, v), p in siblings.items() if n == name}
            chosen = version if version is not None else max(versions, default=None)
            if chosen not in versions:
                raise ScenarioInvalid(f"{path}: the subprocess definition {key} is not in {path.parent}")
            out[key] = load_definition(versions[chosen], known_activities=names).definition
            pending.append(out[key])
    return out


# -- the mocked activities -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityCall:
    name: str
    args: list[Any]

    @property
    def argument(self) -> Any:
        """The single argument every Keel activity takes (None for none)."""
        return self.args[0] if len(self.args) == 1 else (self.args or None)


def contains(actual: Any, expected: Any) -> bool:
    """Whether ``expected`` is a partial view of ``actual``: mappings may leave keys out, at any depth."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and contains(actual[key], value) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(contains(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return bool(actual == expected)


class ActivityMock:
    """One dynamic activity answering every call by name: the scenario's answer, or a default."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.calls: list[ActivityCall] = []
        self._event_ids = itertools.count(1)

    def answer(self, call: ActivityCall) -> Any:
        for candidate in self.scenario.answers(call.name):
            if candidate.match is None or contains(call.argument, candidate.match):
                if candidate.fail:
                    message = candidate.message or f"{call.name} failed (scenario)"
                    raise ApplicationError(message, type=candidate.fail, non_retryable=True)
                return candidate.output
        return self.default(call)

    def default(self, call: ActivityCall) -> Any:
        if call.name == "events.emit":
            return f"evt-{next(self._event_ids)}"  # predictable ids keep outputs comparable
        if call.name == "notifications.notify":
            return 1
        if call.name == "processes.register_child":
            return str(uuid.uuid4())
        if call.name == "processes.cancel_tasks" and isinstance(call.argument, dict):
            return len(call.argument.get("task_ids", []))
        if call.name == "processes.cancel_open_tasks":
            return 0
        return None

    def activity(self) -> Callable[..., Awaitable[Any]]:
        @activity.defn(dynamic=True)
        async def mocked(args: Sequence[RawValue]) -> Any:
            converter = activity.payload_converter()
            call = ActivityCall(
                activity.info().activity_type, [converter.from_payload(a.payload) for a in args]
            )
            self.calls.append(call)
            return self.answer(call)

        return mocked


# -- the report ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioReport:
    scenario: str  # the scenario file's name
    definition: str  # "name vN"
    passed: bool
    failures: list[str]
    status: str  # completed, failed, running (did not finish) or not started
    error: str | None = None  # "Type: message" of a failed process
    output: Any = None
    path: list[str] = field(default_factory=list)
    calls: list[ActivityCall] = field(default_factory=list)
    history: str | None = field(default=None, repr=False)  # JSON of the run's history when it ended
    workflow_id: str | None = None  # of a run that ended; the name its history is recorded under

    def summary(self) -> str:
        head = f"{'PASS' if self.passed else 'FAIL'} {self.scenario} ({self.definition})"
        return "\n".join([head, *(f"  - {failure}" for failure in self.failures)])


def _show(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def _call_text(expected: str | ExpectedCall) -> str:
    if isinstance(expected, str):
        return expected
    return f"{expected.call} with {_show(expected.with_)}" if expected.with_ else expected.call


def _call_matches(call: ActivityCall, expected: str | ExpectedCall) -> bool:
    if isinstance(expected, str):
        return call.name == expected
    return call.name == expected.call and (expected.with_ is None or contains(call.argument, expected.with_))


def check_calls(calls: Sequence[ActivityCall], expected: Sequence[str | ExpectedCall]) -> str | None:
    """None when ``expected`` is a subsequence of ``calls``, else what is missing."""
    position = 0
    for index, wanted in enumerate(expected):
        found = next((i for i in range(position, len(calls)) if _call_matches(calls[i], wanted)), None)
        if found is None:
            actual = ", ".join(c.name for c in calls) or "none"
            return (
                f"calls: expected #{index + 1} '{_call_text(wanted)}' after call #{position} "
                f"but it is not there; the calls were: {actual}"
            )
        position = found + 1
    return None


@dataclass
class _Outcome:
    status: str
    output: Any = None
    error_type: str | None = None
    error_message: str | None = None
    state: DslState | None = None
    closed: bool = False  # the run ended without finishing (it timed out on the test server)
    history: str | None = None
    workflow_id: str | None = None

    @property
    def error(self) -> str | None:
        return f"{self.error_type}: {self.error_message}" if self.error_type else None


def compare(expect: Expect, outcome: _Outcome, calls: Sequence[ActivityCall]) -> list[str]:
    """Every difference between what the scenario expects and what happened, each readable on its own."""
    failures: list[str] = []
    if outcome.status != expect.expected_status:
        detail = f" ({outcome.error})" if outcome.error else ""
        failures.append(f"status: expected {expect.expected_status}, got {outcome.status}{detail}")
    if expect.error is not None and outcome.error_type != expect.error:
        failures.append(f"error: expected {expect.error}, got {outcome.error_type or 'no error'}")
    path = completed_path(outcome.state)
    if expect.path is not None and path != expect.path:
        failures.append(f"path: expected {_show(expect.path)}, got {_show(path)}")
    if expect.checks_output and outcome.output != expect.output:
        failures.append(f"output: expected {_show(expect.output)}, got {_show(outcome.output)}")
    if expect.breaches is not None:
        breaches = [b.get("step_id") for b in outcome.state.breaches] if outcome.state else []
        if breaches != expect.breaches:
            failures.append(f"breaches: expected {_show(expect.breaches)}, got {_show(breaches)}")
    if expect.calls is not None and (missing := check_calls(calls, expect.calls)):
        failures.append(missing)
    return failures


def completed_path(state: DslState | None) -> list[str]:
    return [entry.step_id for entry in state.timeline if entry.status == "completed"] if state else []


# -- playing the scenario --------------------------------------------------------------------------------


class _NotServed(Exception):
    """A scenario entry the process never asked for, or refused."""


class _Player:
    """Feeds the scenario's decisions and events to one running process."""

    def __init__(self, env: WorkflowEnvironment, handle: WorkflowHandle[Any, DslResult], scenario: Scenario):
        self.env = env
        self.handle = handle
        self.events = list(scenario.events)
        self.tasks = list(scenario.tasks)

    async def play(self) -> None:
        for index, entry in enumerate(self.tasks):
            await self.pass_time(entry.after)
            task = await self.open_task(index, entry)
            await self.decide(index, entry, task)
        while self.events:
            await self.send(self.events.pop(0))

    async def pass_time(self, after: Any) -> None:
        if after:
            await self.env.sleep(after)

    async def state(self) -> DslState:
        return await self.handle.query("state", result_type=DslState)

    async def open_task(self, index: int, entry: TaskAnswer) -> OpenTask:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_FOR_TASK_SECONDS
        first_seen: float | None = None
        while True:
            state = await self.state()
            if self.events and self.events[0].key in state.awaiting_events:
                await self.send(self.events.pop(0))
                deadline = loop.time() + WAIT_FOR_TASK_SECONDS
                continue
            tasks = [t for t in state.open_tasks if t.step_id == entry.step]
            if tasks:
                mine = [t for t in tasks if t.assignee == entry.by]
                first_seen = loop.time() if first_seen is None else first_seen
                # An escalation may still be on its way after time passed: give `by` a moment to show up.
                if entry.by is None or mine or loop.time() - first_seen > PREFER_ASSIGNEE_SECONDS:
                    return (mine or tasks)[0]
            elif state.phase != "running" or loop.time() > deadline:
                raise _NotServed(self.unserved(index, entry, state))
            await asyncio.sleep(POLL_SECONDS)

    @staticmethod
    def unserved(index: int, entry: TaskAnswer, state: DslState) -> str:
        why = (
            f"the process {state.phase} first"
            if state.phase != "running"
            else f"no task of that step opened within {WAIT_FOR_TASK_SECONDS:g} s"
        )
        open_tasks = ", ".join(f"{t.step_id} ({t.assignee})" for t in state.open_tasks) or "none"
        waiting = ", ".join(state.current_steps) or "none"
        return (
            f"tasks[{index}] (step '{entry.step}'): {why}; open tasks: {open_tasks}; running steps: {waiting}"
        )

    async def decide(self, index: int, entry: TaskAnswer, task: OpenTask) -> None:
        by = entry.by or task.assignee
        decision = Decision(
            task_id=task.task_id,
            outcome=entry.outcome,
            comment=entry.comment,
            data=entry.data,
            assignee_keys=[by],
            email=by.removeprefix("user:") if by.startswith("user:") else None,
        )
        try:
            await self.handle.execute_update("decide", decision, result_type=Decision)
        except WorkflowUpdateFailedError as exc:
            cause = exc.cause
            reason = f"{cause.type}: {cause.message}" if isinstance(cause, ApplicationError) else str(cause)
            raise _NotServed(
                f"tasks[{index}] (step '{entry.step}'): the decision '{entry.outcome}' by {by} was refused: "
                f"{reason}"
            ) from None

    async def send(self, event: EventEntry) -> None:
        await self.pass_time(event.after)
        signal = ProcessEvent(name=event.name, correlation_key=event.correlation_key, payload=event.payload)
        await self.handle.signal("event", signal)


async def _finish(handle: WorkflowHandle[Any, DslResult]) -> _Outcome:
    """Wait for the result (time skips meanwhile), then read the final state."""
    try:
        result = await asyncio.wait_for(handle.result(), RESULT_SECONDS)
        outcome = _Outcome("completed", output=result.output)
    except WorkflowFailureError as exc:
        cause = exc.cause
        if isinstance(cause, TemporalTimeoutError):
            # Waiting for a person or an event with no timer left, the test server skips to the run's timeout.
            outcome = _Outcome("running", closed=True)
        elif isinstance(cause, ApplicationError):
            outcome = _Outcome(
                "failed", error_type=cause.type or "ApplicationError", error_message=cause.message
            )
        else:
            outcome = _Outcome("failed", error_type=type(cause).__name__, error_message=str(cause))
    except TimeoutError:
        outcome = _Outcome("running")
    outcome.state = await handle.query("state", result_type=DslState)
    return outcome


async def _stop(handle: WorkflowHandle[Any, DslResult]) -> None:
    """End a process the scenario cannot finish. Cancelling lets it close its tasks and unwind normally (a
    terminated workflow is torn down mid-step by the worker); terminate only if it does not stop soon."""
    await handle.cancel()
    try:
        await asyncio.wait_for(handle.result(), STOP_SECONDS)
    except TimeoutError:
        await handle.terminate("the scenario could not finish the process")
    except WorkflowFailureError:
        pass  # cancelled, as asked


def _not_finished(outcome: _Outcome) -> str:
    state = outcome.state
    open_tasks = ", ".join(f"{t.step_id} ({t.assignee})" for t in state.open_tasks) if state else ""
    waiting = ", ".join(state.current_steps) if state else ""
    how = "it waits with no timer left" if outcome.closed else f"still running after {RESULT_SECONDS:g} s"
    return (
        f"the process did not finish ({how}); running steps: {waiting or 'none'}; "
        f"open tasks: {open_tasks or 'none'} (is a task or event entry missing?)"
    )


def input_problems(definition: Definition, data: dict[str, Any]) -> list[str]:
    """The start input against the definition's input schema, checked as the API checks it (without the
    tenant: an assignee need not exist)."""
    try:
        check_input(definition, data)
    except ValidationFailed as exc:
        return [f"input: {problem.field}: {problem.message}" for problem in exc.fields]
    return []


def history_name(definition_name: str, scenario_path: Path) -> str:
    """``dsl_<name>_<case>`` for ``<name>.<case>.yaml``: the run's workflow id and its recorded history's file
    name. The replay test replays a file under its name, and child workflow ids derive from the parent's, so
    the two must agree."""
    case = scenario_path.name.removesuffix(scenario_path.suffix).removeprefix(f"{definition_name}.")
    return f"dsl_{definition_name}_{re.sub(r'[^A-Za-z0-9]+', '_', case).strip('_')}"


async def _start(
    env: WorkflowEnvironment, run: DslRun, workflow_id: str, task_queue: str
) -> WorkflowHandle[Any, DslResult]:
    try:
        return await env.client.start_workflow(
            "dsl", run, id=workflow_id, task_queue=task_queue, result_type=DslResult
        )
    except WorkflowAlreadyStartedError:  # the same scenario running at the same time on this server
        return await env.client.start_workflow(
            "dsl",
            run,
            id=f"{workflow_id}_{uuid.uuid4().hex[:8]}",
            task_queue=task_queue,
            result_type=DslResult,
        )


async def _play(
    env: WorkflowEnvironment,
    parsed: ParsedDefinition,
    subdefinitions: dict[str, Definition],
    scenario_path: Path,
    scenario: Scenario,
    mock: ActivityMock,
) -> tuple[_Outcome, list[str]]:
    from workers.main import workflow_runner  # the worker module is only needed when a scenario runs
    from workflows.approval import ApprovalWorkflow
    from workflows.dsl import DslWorkflow

    definition = parsed.definition
    task_queue = f"scenario-{uuid.uuid4().hex}"
    run = DslRun(
        tenant_id=uuid.uuid4(),
        tenant_domain="scenario.test",
        process_id=uuid.uuid4(),
        business_key="scenario",
        definition=definition,
        input=scenario.input,
        subdefinitions=subdefinitions,
    )
    async with Worker(
        env.client,
        task_queue=task_queue,
        workflows=[DslWorkflow, ApprovalWorkflow],
        activities=[mock.activity()],
        workflow_runner=workflow_runner(),
    ):
        handle = await _start(env, run, history_name(definition.name, scenario_path), task_queue)
        try:
            await _Player(env, handle, scenario).play()
        except _NotServed as exc:
            state = await handle.query("state", result_type=DslState)
            await _stop(handle)
            return _Outcome("running" if state.phase == "running" else state.phase, state=state), [str(exc)]
        outcome = await _finish(handle)
        if outcome.status == "running":
            if not outcome.closed:
                await _stop(handle)
            return outcome, [_not_finished(outcome)]
        # The run's history, for the replay tests: the interpreter must keep replaying what it did.
        outcome.history = (await handle.fetch_history()).to_json()
        outcome.workflow_id = handle.id
        return outcome, []


async def run_scenario(
    definition_path: Path, scenario_path: Path, *, env: WorkflowEnvironment | None = None
) -> ScenarioReport:
    """Run the definition in ``definition_path`` as ``scenario_path`` describes and compare the result.

    ``env`` reuses a running time-skipping environment (one per test session is enough); without it, one is
    started and stopped around the run. Raises ScenarioInvalid for a bad scenario, DefinitionInvalid for a
    bad definition; a process that behaves differently than expected is a report with ``passed`` False.
    """
    scenario = load_scenario(scenario_path)
    parsed = load_definition(definition_path)
    check_against(scenario, parsed.definition, scenario_path)
    subdefinitions = resolve_subdefinitions(definition_path, parsed.definition)
    label = f"{parsed.definition.name} v{parsed.definition.version}"
    problems = input_problems(parsed.definition, scenario.input)
    if problems:  # the API would refuse to start it (422)
        return ScenarioReport(scenario_path.name, label, False, problems, "not started")
    mock = ActivityMock(scenario)
    if env is None:
        async with await start_environment() as own:
            outcome, failures = await _play(own, parsed, subdefinitions, scenario_path, scenario, mock)
    else:
        outcome, failures = await _play(env, parsed, subdefinitions, scenario_path, scenario, mock)
    failures += compare(scenario.expect, outcome, mock.calls)
    return ScenarioReport(
        scenario=scenario_path.name,
        definition=label,
        passed=not failures,
        failures=failures,
        status=outcome.status,
        error=outcome.error,
        output=outcome.output,
        path=completed_path(outcome.state),
        calls=list(mock.calls),
        history=outcome.history,
        workflow_id=outcome.workflow_id,
    )


async def start_environment() -> WorkflowEnvironment:
    """A time-skipping test server for scenarios; the caller shuts it down (``async with``)."""
    return await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter,
        test_server_existing_path=binaries.find("temporal-test-server"),
        runtime=_quiet_runtime(),
    )


def _quiet_runtime() -> Runtime:
    # The SDK core warns that the test server lacks features of a real one; irrelevant for scenarios.
    quiet = TelemetryFilter(core_level="ERROR", other_level="ERROR")
    return Runtime(telemetry=TelemetryConfig(logging=LoggingConfig(filter=quiet)))

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
      - {name: transfer.received, correlation_key: INV-7, payload: {amount: 10}, after: PT2H}
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
other processes.* activities None, decisions.evaluate the real table (from ``decisions/`` beside the
definition, then the shipped ones, pinned as a start pins them), any other activity None. Tasks of a
subprocess are not answered.

Checks before the run: the scenario matches this format, the step ids it names exist in the definition,
and the input passes the definition's input schema as the API checks it. The run's workflow id is
``dsl_<name>_<case>`` (for ``<name>.<case>.yaml``); the report of a run that ended carries its history,
which ``keel definitions test --record-histories`` saves for the replay tests.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from pathlib import Path
from typing import Any

from temporalio.client import WorkflowFailureError, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.exceptions import TimeoutError as TemporalTimeoutError
from temporalio.runtime import LoggingConfig, Runtime, TelemetryConfig, TelemetryFilter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from cli.scenario_activities import ActivityMock
from cli.scenario_decisions import scenario_tables
from cli.scenario_definitions import load_definition, resolve_subdefinitions
from cli.scenario_format import EventEntry, Scenario, TaskAnswer, check_against, load_scenario
from cli.scenario_report import Outcome, ScenarioReport, compare, completed_path
from domain.definitions.inputs import check_input
from domain.definitions.model import Definition
from domain.definitions.parser import ParsedDefinition
from domain.definitions.schemas import DslResult, DslRun, DslState, OpenTask, ProcessEvent
from domain.errors import ValidationFailed
from domain.outputs import from_row
from domain.processes.schemas import Decision
from keel import binaries

POLL_SECONDS = 0.05
WAIT_FOR_TASK_SECONDS = 10.0  # real time the runner waits for a task to open
PREFER_ASSIGNEE_SECONDS = 1.0  # how long a `by` waits for a task assigned to it before taking another
RESULT_SECONDS = 30.0  # real time the runner waits for the process to finish
STOP_SECONDS = 5.0  # real time a cancelled process has to unwind


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


async def _finish(handle: WorkflowHandle[Any, DslResult]) -> Outcome:
    """Wait for the result (time skips meanwhile), then read the final state."""
    try:
        result = await asyncio.wait_for(handle.result(), RESULT_SECONDS)
        outcome = Outcome("completed", output=result.output)
    except WorkflowFailureError as exc:
        cause = exc.cause
        if isinstance(cause, TemporalTimeoutError):
            # Waiting for a person or an event with no timer left, the test server skips to the run's timeout.
            outcome = Outcome("running", closed=True)
        elif isinstance(cause, ApplicationError):
            outcome = Outcome(
                "failed", error_type=cause.type or "ApplicationError", error_message=cause.message
            )
        else:
            outcome = Outcome("failed", error_type=type(cause).__name__, error_message=str(cause))
    except TimeoutError:
        outcome = Outcome("running")
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


def _not_finished(outcome: Outcome) -> str:
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
    decisions: dict[str, int],
    scenario_path: Path,
    scenario: Scenario,
    mock: ActivityMock,
) -> tuple[Outcome, list[str]]:
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
        decisions=decisions,
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
            return Outcome("running" if state.phase == "running" else state.phase, state=state), [str(exc)]
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
    tables = scenario_tables(definition_path, [parsed.definition, *subdefinitions.values()])
    mock = ActivityMock(scenario, decide=tables.evaluate)
    played = (parsed, subdefinitions, tables.pins, scenario_path, scenario, mock)
    if env is None:
        async with await start_environment() as own:
            outcome, failures = await _play(own, *played)
    else:
        outcome, failures = await _play(env, *played)
    failures += compare(scenario.expect, outcome, mock.calls)
    return from_row(
        ScenarioReport,
        outcome,  # how the run ended: its status, error, output, history and workflow id
        scenario=scenario_path.name,
        definition=label,
        passed=not failures,
        failures=failures,
        path=completed_path(outcome.state),
        calls=list(mock.calls),
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

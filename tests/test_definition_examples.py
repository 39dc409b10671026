"""The shipped definitions validate and pass their scenarios; the scenario runner and the CLI catch mistakes.

Scenarios run on the session's time-skipping server with mocked activities: no database, no worker.
"""

from __future__ import annotations

import asyncio
import logging
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from cli import scenarios
from cli.main import main
from cli.scenario_definitions import load_definition, sibling_definitions
from cli.scenario_format import ScenarioInvalid, load_scenario
from cli.scenarios import run_scenario
from workers.main import ALL_WORKFLOWS, workflow_runner

ROOT = Path(__file__).resolve().parents[1]
DEFINITIONS = ROOT / "definitions"
SCENARIOS = DEFINITIONS / "scenarios"
DEFINITION_FILES = sorted(DEFINITIONS.glob("*.yaml"))
SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))
EXAMPLES = ("purchase-approval", "employee-onboarding", "vendor-due-diligence", "purchase-routing")


def definition_of(scenario: Path) -> Path:
    """``<name>.<case>.yaml`` runs the highest version of definition ``<name>``."""
    name = scenario.name.split(".", 1)[0]
    versions = {v: p for (n, v), p in sibling_definitions(DEFINITIONS).items() if n == name}
    assert versions, f"{scenario.name}: no definition named '{name}' in {DEFINITIONS}"
    return versions[max(versions)]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip())
    return path


@pytest.fixture
def cli_side_effects() -> Iterator[None]:
    """``keel`` configures logging for the whole process; give the test session its handlers back."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    temporal_level = logging.getLogger("temporalio").level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("temporalio").setLevel(temporal_level)


# -- the shipped definitions ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", DEFINITION_FILES, ids=[p.name for p in DEFINITION_FILES])
def test_definition_validates_and_is_named_after_its_file(path: Path) -> None:
    definition = load_definition(path).definition
    assert path.name == f"{definition.name}.yaml"


def test_every_example_has_scenarios() -> None:
    shipped = {name for name, _ in sibling_definitions(DEFINITIONS)}
    for name in EXAMPLES:
        assert name in shipped
        assert list(SCENARIOS.glob(f"{name}.*.yaml")), f"no scenario for {name}"


@pytest.mark.parametrize("scenario", SCENARIO_FILES, ids=[p.name for p in SCENARIO_FILES])
async def test_scenario_passes(scenario: Path, time_skipping_env) -> None:
    report = await run_scenario(definition_of(scenario), scenario, env=time_skipping_env)
    assert report.passed, report.summary()


# -- the runner fails when it should ------------------------------------------------------------------------

SMALL_PURCHASE = """
input:
  amount: {value: "950.00", currency: EUR}
  subject: Standing desk
  requester: sam@acme.test
"""


async def test_wrong_output_and_path_fail_with_expected_and_actual(tmp_path, time_skipping_env) -> None:
    scenario = write(
        tmp_path,
        "wrong.yaml",
        SMALL_PURCHASE
        + """
tasks: [{step: manager_approval, outcome: approve}]
expect:
  path: [manager_approval, route]
  output: {outcome: rejected}
  calls: [{call: events.emit, with: {event: purchase.rejected}}]
""",
    )
    report = await run_scenario(DEFINITIONS / "purchase-approval.yaml", scenario, env=time_skipping_env)
    assert not report.passed
    assert report.status == "completed" and report.output == {"outcome": "approved"}
    path, output, calls = report.failures
    assert path.startswith('path: expected ["manager_approval", "route"], got ["manager_approval",')
    assert output == 'output: expected {"outcome": "rejected"}, got {"outcome": "approved"}'
    assert 'calls: expected #1 \'events.emit with {"event": "purchase.rejected"}\'' in calls
    assert report.summary().startswith("FAIL wrong.yaml (purchase-approval v1)\n  - path: expected")


async def test_unexpected_failure_and_refused_decision_are_reported(tmp_path, time_skipping_env) -> None:
    scenario = write(
        tmp_path,
        "refused.yaml",
        """
        input:
          vendor: {id: V-1, name: Initech}
          documents: [{type: tax, title: Tax certificate}]
        tasks: [{step: review, outcome: maybe}]
        expect: {output: null}
        """,
    )
    report = await run_scenario(DEFINITIONS / "vendor-due-diligence.yaml", scenario, env=time_skipping_env)
    assert not report.passed
    assert report.failures[0] == (
        "tasks[0] (step 'review'): the decision 'maybe' by role:compliance was refused: "
        "InvalidOutcome: The outcome must be one of: accept, reject."
    )
    assert "status: expected completed, got running" in report.failures

    rejected = write(
        tmp_path,
        "rejected.yaml",
        """
        input:
          vendor: {id: V-1, name: Initech}
          documents: [{type: tax, title: Tax certificate}]
        tasks: [{step: review, outcome: reject}]
        expect: {status: completed}
        """,
    )
    report = await run_scenario(DEFINITIONS / "vendor-due-diligence.yaml", rejected, env=time_skipping_env)
    assert report.failures == [
        "status: expected completed, got failed (VendorRejected: Tax certificate of Initech was rejected)"
    ]


async def test_a_task_that_never_opens_is_reported(tmp_path, time_skipping_env, monkeypatch) -> None:
    monkeypatch.setattr(scenarios, "WAIT_FOR_TASK_SECONDS", 0.5)
    scenario = write(
        tmp_path,
        "never.yaml",
        SMALL_PURCHASE + "tasks: [{step: board_vote, outcome: approve}]\nexpect: {}\n",
    )
    report = await run_scenario(DEFINITIONS / "purchase-approval.yaml", scenario, env=time_skipping_env)
    assert not report.passed
    assert report.failures[0] == (
        "tasks[0] (step 'board_vote'): no task of that step opened within 0.5 s; "
        "open tasks: manager_approval (role:manager); running steps: route, manager_approval"
    )


async def test_input_the_api_would_refuse_is_reported_without_starting(tmp_path, time_skipping_env) -> None:
    scenario = write(
        tmp_path,
        "bad-input.yaml",
        """
        input:
          amount: {value: "12,50", currency: EUR}
          subject: Chairs
          requester: not-an-email
        expect: {output: {outcome: approved}}
        """,
    )
    report = await run_scenario(DEFINITIONS / "purchase-approval.yaml", scenario, env=time_skipping_env)
    assert (report.passed, report.status, report.calls) == (False, "not started", [])
    assert [f.split(":")[1].strip() for f in report.failures] == ["input.amount.value", "input.requester"]


def test_a_bad_scenario_is_a_clear_error(tmp_path) -> None:
    scenario = write(
        tmp_path,
        "bad.yaml",
        """
        tasks: [{step: review, by: someone}]
        expect: {status: done}
        surprise: 1
        """,
    )
    with pytest.raises(ScenarioInvalid) as err:
        load_scenario(scenario)
    message = str(err.value)
    assert message.startswith(f"{scenario}: not a valid scenario:")
    for part in (
        "tasks.0.outcome: Field required",
        "tasks.0.by: Value error, an assignee key is",
        "expect.status",
    ):
        assert part in message
    assert "surprise: Extra inputs are not permitted" in message


async def test_a_process_left_waiting_is_reported(tmp_path, time_skipping_env) -> None:
    scenario = write(tmp_path, "silent.yaml", SMALL_PURCHASE + "expect: {}\n")
    report = await run_scenario(DEFINITIONS / "purchase-approval.yaml", scenario, env=time_skipping_env)
    assert report.status == "running"
    assert report.failures == [
        "the process did not finish (it waits with no timer left); running steps: route, manager_approval; "
        "open tasks: manager_approval (role:director) (is a task or event entry missing?)",
        "status: expected completed, got running",
    ]


async def test_steps_the_definition_lacks_are_a_clear_error(tmp_path, time_skipping_env) -> None:
    scenario = write(
        tmp_path,
        "typo.yaml",
        SMALL_PURCHASE + "tasks: [{step: manager, outcome: approve}]\nexpect: {path: [route, annnounce]}\n",
    )
    with pytest.raises(ScenarioInvalid) as err:
        await run_scenario(DEFINITIONS / "purchase-approval.yaml", scenario, env=time_skipping_env)
    assert str(err.value) == (
        f"{scenario}: does not fit purchase-approval:\n"
        "  tasks.0.step: 'manager' is not a task step of purchase-approval; "
        "its task steps: board_vote, manager_approval\n"
        "  expect.path.1: no step 'annnounce' in purchase-approval"
    )


# -- decide steps: the tables beside the definition, then the shipped ones ----------------------------------

GRADING = """
name: grading
version: 1
steps:
  - {id: grade, type: decide, decision: grade, context: {score: "{{ input.score }}"}}
output: "{{ steps.grade.output.letter }}"
"""


def grade_table(version: int, pass_mark: int) -> str:
    return f"""
    name: grade
    version: {version}
    hit_policy: first
    inputs: [{{name: score, expression: score, type: number}}]
    outputs: [{{name: letter, type: string}}]
    rules:
      - {{when: {{score: ">= {pass_mark}"}}, then: {{letter: pass}}}}
      - {{then: {{letter: fail}}}}
    """


async def test_a_decide_step_evaluates_the_latest_table_beside_the_definition(
    tmp_path, time_skipping_env
) -> None:
    definition = write(tmp_path, "grading.yaml", GRADING)
    (tmp_path / "decisions").mkdir()
    write(tmp_path / "decisions", "grade-1.yaml", grade_table(1, 50))
    write(tmp_path / "decisions", "grade-2.yaml", grade_table(2, 70))  # the latest is pinned
    scenario = write(
        tmp_path,
        "grading.sixty.yaml",
        """
        input: {score: 60}
        expect:
          output: fail
          calls: [{call: decisions.evaluate, with: {decision: grade, version: 2, context: {score: 60}}}]
        """,
    )
    report = await run_scenario(definition, scenario, env=time_skipping_env)
    assert report.passed, report.summary()
    # A scenario may answer the table itself, as any activity.
    answered = write(
        tmp_path,
        "grading.answered.yaml",
        """
        input: {score: 60}
        activities: {decisions.evaluate: [{output: {outputs: {letter: excellent}}}]}
        expect: {output: excellent}
        """,
    )
    report = await run_scenario(definition, answered, env=time_skipping_env)
    assert report.passed, report.summary()


async def test_a_decide_step_without_its_table_is_a_clear_error(tmp_path, time_skipping_env) -> None:
    definition = write(tmp_path, "grading.yaml", GRADING)
    scenario = write(tmp_path, "grading.any.yaml", "input: {score: 1}\nexpect: {}\n")
    with pytest.raises(ScenarioInvalid) as err:
        await run_scenario(definition, scenario, env=time_skipping_env)
    assert str(err.value).startswith(
        f"{definition}: A decision table the process evaluates is not available."
    )
    assert "unknown decision 'grade'" in str(err.value)


# -- the runner's mocks, events and subprocesses ------------------------------------------------------------


async def test_mocked_failures_events_and_sibling_subprocesses(tmp_path, time_skipping_env) -> None:
    write(
        tmp_path,
        "child.yaml",
        """
        name: child
        version: 3
        steps: [{id: double, type: set, vars: {x: "{{ input.n * 2 }}"}}]
        output: "{{ vars.x }}"
        """,
    )
    definition = write(
        tmp_path,
        "parent.yaml",
        """
        name: parent
        version: 1
        steps:
          - id: attempt
            type: try
            steps: [{id: send, type: activity, call: events.emit, with: {event: invoice.sent}}]
            catch: [{errors: [MailboxFull], steps: [{id: note, type: set, vars: {why: "{{ error.type }}"}}]}]
          - {id: paid, type: wait, signal: payment.received, correlation: "{{ input.invoice }}", timeout: P7D}
          - {id: sub, type: subprocess, definition: child, input: {n: "{{ steps.paid.output.amount }}"}}
        output: {why: "{{ vars.why }}", doubled: "{{ steps.sub.output.result.output }}"}
        """,
    )
    scenario = write(
        tmp_path,
        "parent.paid.yaml",
        """
        input: {invoice: INV-7}
        activities:
          events.emit:
            - {match: {event: invoice.sent}, fail: MailboxFull, message: try later}
        events:
          - {name: payment.received, correlation_key: INV-8, payload: {amount: 1}}
          - {name: payment.received, correlation_key: INV-7, payload: {amount: 21}, after: P2D}
        expect:
          path: [note, attempt, paid, sub]
          output: {why: MailboxFull, doubled: 42}
          calls: [{call: events.emit, with: {event: invoice.sent}}, processes.register_child]
        """,
    )
    report = await run_scenario(definition, scenario, env=time_skipping_env)
    assert report.passed, report.summary()
    finished = [c for c in report.calls if c.name == "processes.record_finished"]
    assert [c.name for c in report.calls if c not in finished] == ["events.emit", "processes.register_child"]
    assert len(finished) == 2  # the child and the parent each report their end
    # The recorded history replays on the interpreter, so it can join the replay tests.
    assert report.history is not None and report.workflow_id == "dsl_parent_paid"
    replayer = Replayer(
        workflows=ALL_WORKFLOWS, data_converter=pydantic_data_converter, workflow_runner=workflow_runner()
    )
    replayed = await replayer.replay_workflow(
        WorkflowHistory.from_json("dsl_parent_paid", report.history), raise_on_replay_failure=False
    )
    assert replayed.replay_failure is None


# -- the CLI ------------------------------------------------------------------------------------------------


def test_cli_validate_accepts_the_shipped_definitions(capsys, cli_side_effects) -> None:
    assert main(["definitions", "validate", *map(str, DEFINITION_FILES)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(DEFINITION_FILES)
    assert all(re.fullmatch(r".+\.yaml: ok [a-z0-9_-]+ v\d+ sha256=[0-9a-f]{64}", line) for line in lines)


def test_cli_validate_reports_file_line_column(tmp_path, capsys, cli_side_effects) -> None:
    good = write(tmp_path, "good.yaml", "name: good\nversion: 1\nsteps: [{id: a, type: end}]\n")
    broken = write(
        tmp_path,
        "broken.yaml",
        """
        name: broken
        version: 1
        steps:
          - {id: charge, type: activity, call: payments.charge}
          - {id: later, type: set, vars: {x: "{{ steps.nope.output }}"}}
        """,
    )
    assert main(["definitions", "validate", str(good), str(broken)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{good}: ok good v1 sha256=")
    assert out[1] == f"{broken}:4:40: unknown activity 'payments.charge'"
    assert out[2].startswith(f"{broken}:5:38: no step 'nope' in this definition")


def test_cli_graph_by_name_and_by_path(capsys, cli_side_effects) -> None:
    assert main(["definitions", "graph", "purchase-approval"]) == 0
    by_name = capsys.readouterr().out
    assert by_name.startswith("flowchart TD") and "board_vote" in by_name
    assert main(["definitions", "graph", str(DEFINITIONS / "purchase-approval.yaml")]) == 0
    assert capsys.readouterr().out == by_name
    assert main(["definitions", "graph", "no-such-process"]) == 1
    assert "no shipped definition named 'no-such-process'" in capsys.readouterr().out


async def test_cli_test_prints_pass_and_fail(tmp_path, capsys, cli_side_effects) -> None:
    wrong = write(
        tmp_path,
        "purchase-approval.wrong.yaml",
        SMALL_PURCHASE
        + "tasks: [{step: manager_approval, outcome: reject}]\nexpect: {output: {outcome: approved}}\n",
    )
    good = SCENARIOS / "purchase-approval.small-approved.yaml"
    argv = ["definitions", "test", str(DEFINITIONS / "purchase-approval.yaml")]
    # The command starts its own server and event loop: run it off this test's loop.
    histories = tmp_path / "histories"
    scenarios_args = ["--scenario", str(good), "--scenario", str(wrong), "--record-histories", str(histories)]
    code = await asyncio.to_thread(main, [*argv, *scenarios_args])
    assert code == 1
    out = capsys.readouterr().out.splitlines()
    recorded = histories / "dsl_purchase-approval_small_approved.json"
    assert [p.name for p in histories.iterdir()] == [recorded.name]  # passing runs only
    assert out == [
        "PASS purchase-approval.small-approved.yaml (purchase-approval v1)",
        f"  history: {recorded}",
        "FAIL purchase-approval.wrong.yaml (purchase-approval v1)",
        '  - output: expected {"outcome": "approved"}, got {"outcome": "rejected"}',
        "1 passed, 1 failed",
    ]

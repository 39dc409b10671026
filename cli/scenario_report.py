"""What a scenario run reports: the activity calls made, and how the outcome compares with what
the scenario expects."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cli.scenario_activities import ActivityCall, contains
from cli.scenario_format import Expect, ExpectedCall
from domain.definitions.schemas import DslState


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
class Outcome:
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


def compare(expect: Expect, outcome: Outcome, calls: Sequence[ActivityCall]) -> list[str]:
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

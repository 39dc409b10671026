"""The activities a scenario mocks: each call recorded, each answered as the scenario says."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from temporalio import activity
from temporalio.common import RawValue
from temporalio.exceptions import ApplicationError

from cli.scenario_format import Scenario


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

    def __init__(self, scenario: Scenario, decide: Callable[[Any], Any] | None = None) -> None:
        self.scenario = scenario
        self.decide = decide  # how ``decisions.evaluate`` answers when the scenario does not
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
        if call.name == "decisions.evaluate" and self.decide is not None:
            return self.decide(call.argument)
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

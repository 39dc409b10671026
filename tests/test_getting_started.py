"""docs/getting-started.md stays true to the API: every curl call in it names an operation that
``/openapi.json`` lists (a renamed path or method fails here, not in a new user's terminal)."""

from __future__ import annotations

import re
from pathlib import Path

from api.app import create_app
from keel.settings import Settings

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "getting-started.md"
SHELL_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)
METHOD = re.compile(r"-X ([A-Z]+)\b")
PATH = re.compile(r"\$API(/[^\s\"'?]*)")


def _calls(text: str) -> list[tuple[str, str]]:
    """(method, path) of each curl command, its continuation lines joined; GET unless ``-X``."""
    calls = []
    for block in SHELL_BLOCK.findall(text):
        for command in block.replace("\\\n", " ").splitlines():
            path = PATH.search(command)
            if "curl" in command and path is not None:
                method = METHOD.search(command)
                calls.append((method[1].lower() if method else "get", "/api/v1" + path[1]))
    return calls


def _pattern(template: str) -> re.Pattern[str]:
    """An OpenAPI path as a regex in which each {parameter} is one $VARIABLE segment."""
    return re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", r"\\$[A-Z_]+", re.escape(template)) + "$")


def test_every_call_in_the_guide_is_an_operation_of_the_api() -> None:
    paths = create_app(Settings()).openapi()["paths"]
    calls = _calls(GUIDE.read_text())
    assert len(calls) >= 15, calls  # the four parts of the guide, not a parse that found nothing
    for method, path in calls:
        operations = [t for t, ops in paths.items() if method in ops and _pattern(t).match(path)]
        assert operations, f"{method.upper()} {path}: no such operation in /openapi.json"


def test_a_call_matches_its_operation_only() -> None:
    complete = _pattern("/api/v1/tasks/{task_id}/complete")
    assert complete.match("/api/v1/tasks/$TASK/complete")
    assert not complete.match("/api/v1/tasks/complete") and not complete.match("/api/v1/tasks/$TASK")
    assert _calls('```sh\ncurl -s "${H[@]}" \\\n  -X POST "$API/bookings/$BOOKING/cancel?x=1"\n```') == [
        ("post", "/api/v1/bookings/$BOOKING/cancel")
    ]

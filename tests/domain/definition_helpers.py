"""Helpers for the definition parser tests: parse against a small catalogue of activities, and read
back the problems of a refused definition."""

from __future__ import annotations

import time
from textwrap import dedent
from typing import Any

import pytest

from domain.definitions.errors import DefinitionInvalid
from domain.definitions.parser import parse

ACTIVITIES = {"processes.create_task", "notifications.notify", "events.emit", "demo.charge", "demo.refund"}
MINIMAL = "name: p\nversion: 1\nsteps:\n  - id: done\n    type: end\n"


def parse_ok(source, **options):
    return parse(
        source, known_activities=ACTIVITIES, known_definitions=lambda n, v: n == "vendor-check", **options
    )


def problems(source, **options):
    """The error entries of a definition that must be refused."""
    with pytest.raises(DefinitionInvalid) as caught:
        parse_ok(source, **options)
    return caught.value.details["fields"]


def only(source, **options):
    found = problems(source, **options)
    assert len(found) == 1, found
    return found[0]


def steps(body: str) -> str:
    """A definition around a list of steps; the first step is on line 4, its items start in column 1."""
    return "name: p\nversion: 1\nsteps:\n" + dedent(body)


def refused_quickly(source: str) -> dict[str, Any]:
    """The first problem of a hostile document, found in well under the seconds it would otherwise cost."""
    started = time.perf_counter()
    found = problems(source)
    assert time.perf_counter() - started < 2.0
    return dict(found[0])

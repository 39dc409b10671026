"""The event catalogue: every event Keel's code emits is listed, and Keel's namespaces are reserved."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.events import catalogue
from domain.events.catalogue import CATALOGUE, UnknownEventType, check_emitted, is_reserved

ROOT = Path(__file__).parents[2]
SOURCES = ("domain", "activities", "workflows", "api", "web", "keel", "cli")
# Functions whose first string argument is an event type (``emit`` and the domain's small wrappers).
EMITTERS = {"emit": 2, "_event": 2, "_task_event": 2, "_emit": 3, "transition": 3}


def _emitted_names() -> Iterator[tuple[str, str, bool]]:
    """(where, name or f-string prefix, is_prefix) for every event type literal passed to an emitter."""
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                position = EMITTERS.get(str(name))
                if position is None or len(node.args) <= position:
                    continue
                arg = node.args[position]
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield where, arg.value, False
                elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                    yield where, str(arg.values[0].value), True


def test_every_literal_event_name_in_the_code_is_catalogued():
    found = list(_emitted_names())
    assert len(found) > 30  # the scan sees the emitters (a rename would make it vacuous)
    missing = [
        (where, name)
        for where, name, prefix in found
        if (not any(t.startswith(name) for t in CATALOGUE) if prefix else name not in CATALOGUE)
    ]
    assert missing == []


def test_keel_namespaces_are_reserved_whatever_the_case():
    for name in (
        "booking.confirmed",
        "campaign.completed",
        "entity.anything",
        "Task.completed",
        " sla.x",
        "invoice.x",
    ):
        assert is_reserved(name), name
    for name in ("bill.paid", "transfer.succeeded", "bookingx.confirmed"):
        assert not is_reserved(name), name
    assert {"process", "task", "sla", "entity", "booking", "resource", "campaign", "webhook"} <= (
        catalogue.NAMESPACES
    )


def test_an_uncatalogued_keel_event_is_refused_when_emitted():
    check_emitted("booking.confirmed")
    check_emitted("bill.paid")  # the tenant's own namespace
    with pytest.raises(UnknownEventType):
        check_emitted("booking.teleported")


def test_every_entry_has_a_description_and_an_object_schema():
    for event in CATALOGUE.values():
        assert event.description and event.payload["type"] == "object", event.name

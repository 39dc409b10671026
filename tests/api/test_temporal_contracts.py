"""The API crosses into Temporal through typed references only, and each Temporal name is held once.

A workflow, signal, update or query named by a string literal in ``api/`` would bypass the workflow
classes (and ``workflows.contracts``), so a renamed handler would fail at run time instead of in
review; these checks read the source, they start nothing.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
TEMPORAL_CALLS = {
    "start_workflow",
    "execute_workflow",
    "signal_with_start_workflow",
    "signal",
    "execute_update",
    "start_update",
    "query",
}


def string_named_calls(source: str) -> list[tuple[int, str]]:
    """(line, method) of each Temporal call whose first argument is a string literal."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            first = node.args[0] if node.args else None
            literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
            if node.func.attr in TEMPORAL_CALLS and (literal or isinstance(first, ast.JoinedStr)):
                found.append((node.lineno, node.func.attr))
    return found


def test_the_check_finds_a_string_named_call():
    sample = 'async def f(c, h):\n    await c.start_workflow("booking", 1)\n    await h.query(X.state)\n'
    assert string_named_calls(sample) == [(2, "start_workflow")]
    assert string_named_calls('await h.execute_update("decide", d)') == [(1, "execute_update")]
    assert string_named_calls('await h.signal(f"can{x}")') == [(1, "signal")]


@pytest.mark.parametrize("path", sorted((ROOT / "api").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_api_names_no_workflow_signal_update_or_query_by_string(path):
    assert string_named_calls(path.read_text()) == [], f"{path}: use the workflow class's typed method"


def python_files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in (ROOT / folder).rglob("*.py")]


def test_search_attribute_keys_are_declared_once():
    declared = [
        p.relative_to(ROOT).as_posix()
        for p in python_files("api", "workflows", "activities", "workers", "keel", "domain")
        if re.search(r"SearchAttributeKey\.for_", p.read_text())
    ]
    assert declared == ["keel/search_attributes.py"]


def test_the_code_workflow_registry_is_declared_once():
    literal = re.compile(r"""["']approval["']""")
    holders = [
        p.relative_to(ROOT).as_posix()
        for p in python_files("api", "workflows", "activities", "workers", "domain")
        if literal.search(p.read_text())
    ]
    assert holders == ["domain/processes/schemas.py"]


def test_workflow_classes_register_the_contract_names():
    from workers.main import ALL_WORKFLOWS
    from workflows import contracts

    registered = {cls.__temporal_workflow_definition.name for cls in ALL_WORKFLOWS}  # type: ignore[attr-defined]
    names = {v for k, v in vars(contracts).items() if k.isupper() and isinstance(v, str)}
    assert registered <= names
    for path in python_files("workflows"):
        assert not re.search(r'@workflow\.(defn|signal|query|update)\(name="', path.read_text()), path


# The names running histories hold. Written out here on purpose: a change to workflows/contracts.py
# that renames one (or lets two constants share a name) must fail before it reaches a worker.
WORKFLOW_TYPES = {
    "approval",
    "audit-maintenance",
    "dsl",
    "booking",
    "calendar-sync",
    "campaign",
    "document-generation",
    "entity-import",
    "housekeeping",
    "invoice",
    "notification",
    "outbox",
    "report-run",
    "report-delivery",
    "search-sync",
    "signing",
    "subscription",
    "webhooks",
}


def test_registered_workflow_types_keep_their_names():
    from workers.main import ALL_WORKFLOWS

    assert {cls.__temporal_workflow_definition.name for cls in ALL_WORKFLOWS} == WORKFLOW_TYPES  # type: ignore[attr-defined]


ACTIVITIES = {
    "audit.maintain",
    "bookings.complete",
    "bookings.expire",
    "bookings.remind",
    "bookings.times",
    "calendars.sync",
    "campaigns.finish",
    "campaigns.is_cancelling",
    "campaigns.materialize",
    "campaigns.resume_handed",
    "campaigns.send_batch",
    "decisions.evaluate",
    "documents.fail_generation",
    "documents.generate",
    "events.emit",
    "imports.batch",
    "imports.fail",
    "imports.finish",
    "imports.stage",
    "reports.fail",
    "reports.run",
    "report_subscriptions.begin",
    "report_subscriptions.deliver",
    "report_subscriptions.fail",
    "notifications.finish",
    "notifications.mark_failed",
    "notifications.notify",
    "notifications.plan",
    "notifications.send",
    "notifications.skip",
    "outbox.drain",
    "outbox.record_handed",
    "processes.cancel_open_tasks",
    "processes.cancel_tasks",
    "processes.complete_task",
    "processes.create_task",
    "processes.escalate_task",
    "processes.expire_task",
    "processes.record_breach",
    "processes.record_finished",
    "processes.register_child",
    "processes.role_members",
    "housekeeping.sweep",
    "search.reindex",
    "search.sync",
    "signing.advance",
    "signing.complete",
    "signing.expire",
    "signing.remind",
    "invoices.charge",
    "invoices.overdue",
    "invoices.remind",
    "invoices.render",
    "subscriptions.advance",
    "webhooks.attempt",
}


def test_registered_activities_keep_their_names():
    import importlib
    import inspect

    from workflows import contracts

    registered = set()
    for path in python_files("activities"):
        module = importlib.import_module(
            f"activities.{path.stem}" if path.stem != "__init__" else "activities"
        )
        for _, cls in inspect.getmembers(module, inspect.isclass):
            for _, fn in inspect.getmembers(cls, inspect.isfunction):
                definition = getattr(fn, "__temporal_activity_definition", None)
                if definition is not None:
                    registered.add(definition.name)
    assert registered == ACTIVITIES
    declared = {v for k, v in vars(contracts).items() if k.isupper() and isinstance(v, str) and "." in v}
    assert declared == ACTIVITIES
    for path in python_files("activities", "workflows"):  # every call and registration goes through contracts
        if path.name != "contracts.py":
            assert not [n for n in ACTIVITIES if f'"{n}"' in path.read_text()], path

"""What a process carries of the definitions it may start as subprocesses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from activities import activity_names
from domain.definitions.parser import parse
from domain.definitions.service import Catalog, bundle
from tests.domain.definition_helpers import ACTIVITIES, steps

SHIPPED = Path(__file__).parents[2] / "definitions"


def test_a_subprocess_of_the_shipped_approval_definition_is_bundled() -> None:
    """``definition: approval`` and ``workflow: approval`` both run the YAML chain (the code workflow
    only finishes processes started with it), so the interpreter finds it in the bundle, once."""
    catalog = Catalog(activity_names(), SHIPPED)
    root = parse(
        steps(
            """\
            - id: sign-off
              type: subprocess
              definition: approval
              input: {subject: Chairs, chain: [{assignee: "role:manager"}]}
            - id: legacy
              type: subprocess
              workflow: approval
              input: {subject: Chairs, chain: [{assignee: "role:manager"}]}
            - id: done
              type: end
            """
        ),
        known_activities=ACTIVITIES,
        known_definitions=lambda name, version: name == "approval",
    ).definition
    unused: Any = None  # a shipped definition is resolved without the database or the caller
    found = bundle(unused, unused, catalog, root)
    assert list(found) == ["approval@latest"]
    assert found["approval@latest"] == catalog.shipped["approval"][1].definition

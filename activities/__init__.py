"""Temporal activities: thin adapters from a workflow to the domain, registered in one place."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine
from temporalio import activity


def _methods() -> list[str]:
    from activities.definitions import DefinitionActivities

    return [
        name
        for name, fn in inspect.getmembers(DefinitionActivities, inspect.isfunction)
        if activity._Definition.from_callable(fn) is not None
    ]


def all_activities(engine: Engine) -> list[Callable[..., Any]]:
    """Every activity, bound to the engine. YAML definitions call them by their registered names."""
    from activities.definitions import DefinitionActivities

    acts = DefinitionActivities(engine)
    return [getattr(acts, name) for name in _methods()]


def activity_names() -> frozenset[str]:
    """The names a definition's ``call`` may use (no engine needed)."""
    from activities.definitions import DefinitionActivities

    names = set()
    for name in _methods():
        defn = activity._Definition.from_callable(getattr(DefinitionActivities, name))
        if defn is not None and defn.name:
            names.add(defn.name)
    return frozenset(names)

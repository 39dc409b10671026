"""What can go wrong with a decision table: it does not parse, its context is wrong, or its rules
disagree at evaluation time."""

from __future__ import annotations

from collections.abc import Iterable

from domain.definitions.errors import DefinitionInvalid, LocatedFieldError
from domain.errors import FieldError, ValidationFailed


class DecisionInvalid(DefinitionInvalid):
    """``details["fields"]``: ``{field, message, line, column}`` each, ``field`` a JSON pointer into the
    table (``/rules/3/when/amount``), as for a process definition."""

    def __init__(
        self, errors: Iterable[LocatedFieldError], message: str = "The decision is not valid."
    ) -> None:
        super().__init__(errors, message)


class ContextInvalid(ValidationFailed):
    """A context missing an input or holding a value of the wrong type; each field is ``context.<input>``."""

    def __init__(self, fields: list[FieldError], message: str = "The context is not valid.") -> None:
        super().__init__(fields, message)


class DecisionConflict(ValidationFailed, code="decision_conflict"):
    """At evaluation time ``unique`` matched more than one rule, or ``any`` matched rules that answer
    differently. ``details["rules"]``: the 1-based numbers of the rules that matched."""

    def __init__(self, message: str, rules: list[int]) -> None:
        super().__init__([FieldError("context", message)], message, "decision_conflict")
        self.rules = rules
        self.details["rules"] = rules

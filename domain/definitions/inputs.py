"""Checking a process's start input against its definition's JSON Schema, with Keel's formats.

Formats a definition may use on input fields:
- ``keel-assignee``: ``user:<email>`` or ``role:<name>`` that designates someone active in the tenant;
- ``keel-duration``: an ISO 8601 duration (PT4H, P2D; no months or years);
- ``keel-money``: ``{"value": "12.30", "currency": "EUR"}`` with a real ISO 4217 code and its precision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jsonschema import FormatChecker, ValidationError
from pydantic import ValidationError as PydanticError

from domain.definitions.model import Definition
from domain.durations import parse_duration
from domain.entities import safeschema
from domain.errors import FieldError, ValidationFailed
from domain.money import Money

AssigneeExists = Callable[[str], bool]


def _checker(assignee_exists: AssigneeExists | None) -> FormatChecker:
    checker = FormatChecker()

    @checker.checks("keel-assignee", raises=ValueError)
    def assignee(value: object) -> bool:
        if not isinstance(value, str):
            return True
        kind, _, name = value.partition(":")
        if kind not in ("user", "role") or not name.strip():
            raise ValueError("an assignee is 'user:<email>' or 'role:<name>'")
        if assignee_exists is not None and not assignee_exists(value):
            raise ValueError(f"no active {kind} {name} in this tenant")
        return True

    @checker.checks("keel-duration", raises=ValueError)
    def duration(value: object) -> bool:
        if isinstance(value, str):
            parse_duration(value)
        return True

    @checker.checks("keel-money", raises=ValueError)
    def money(value: object) -> bool:
        if isinstance(value, dict):
            try:
                Money.model_validate(value)
            except PydanticError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                raise ValueError(
                    f"{where + ': ' if where else ''}{first['msg'].removeprefix('Value error, ')}"
                ) from exc
        return True

    return checker


def _field(error: ValidationError) -> list[FieldError]:
    path = ["input", *(str(p) for p in error.absolute_path)]
    if error.validator == "required" and isinstance(error.instance, dict):
        return [
            FieldError(".".join([*path, name]), "field required")
            for name in error.validator_value
            if name not in error.instance
        ]
    if error.validator == "format" and error.cause is not None:
        message = str(error.cause)
        if (
            error.validator_value == "keel-money"
            and ":" in message
            and message.split(":")[0] in ("value", "currency")
        ):
            name, _, message = message.partition(": ")
            path.append(name)
        return [FieldError(".".join(path), message)]
    if error.validator == "minItems":
        return [FieldError(".".join(path), f"must have at least {error.validator_value} item(s)")]
    if error.validator == "maxItems":
        return [FieldError(".".join(path), f"must have at most {error.validator_value} item(s)")]
    if error.validator == "additionalProperties":
        return [FieldError(".".join(path), error.message.replace("Additional properties", "unknown fields"))]
    return [FieldError(".".join(path), error.message)]


def check_input(
    definition: Definition, data: dict[str, Any], assignee_exists: AssigneeExists | None = None
) -> None:
    """A 422 listing every bad field (``input.chain.0.due``), or nothing."""
    # RE2 patterns and no $ref retrieval: a definition's schema runs in the shared API process.
    try:
        validator = safeschema.validator(definition.input, format_checker=_checker(assignee_exists))
    except safeschema.UnsafeSchema as exc:  # published before these limits: republish it
        raise ValidationFailed.one(
            "input", f"the definition's input schema is no longer accepted: {exc}"
        ) from exc
    problems = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    fields = [f for error in problems for f in _field(error)]
    if fields:
        raise ValidationFailed(fields)

"""A definition that does not parse or validate: every problem, each with where it is in the YAML source."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.errors import FieldError, ValidationFailed


@dataclass(frozen=True)
class LocatedFieldError(FieldError):
    """A field error with its place in the source: 1-based line and column, None when unknown."""

    line: int | None = None
    column: int | None = None

    def as_dict(self) -> dict[str, str | int | None]:
        return {"field": self.field, "message": self.message, "line": self.line, "column": self.column}


class DefinitionInvalid(ValidationFailed):
    """``details["fields"]``: ``{field, message, line, column}`` each, ``field`` a JSON pointer into the
    document (``/steps/2/cases/0/when``), ordered by place in the source."""

    def __init__(
        self, errors: Iterable[LocatedFieldError], message: str = "The definition is not valid."
    ) -> None:
        ordered = sorted(set(errors), key=_place)
        super().__init__(list(ordered), message, "validation_failed")
        self.errors = ordered
        self.details["fields"] = [error.as_dict() for error in ordered]

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"  {_where(e)}: {e.message}" for e in self.errors)])


def _place(error: LocatedFieldError) -> tuple[int, int, str, str]:
    return (error.line or 0, error.column or 0, error.field, error.message)


def _where(error: LocatedFieldError) -> str:
    if error.line is None:
        return error.field or "/"
    return f"line {error.line}, column {error.column} ({error.field or '/'})"

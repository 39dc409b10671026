"""Output shapes built from a row: the fields named as the row's columns are copied, so a builder names
only the fields that differ (computed, renamed or constant)."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


def _field_names(cls: type[Any]) -> Iterable[str]:
    """The fields of a pydantic model or a dataclass."""
    if issubclass(cls, BaseModel):
        return cls.model_fields
    return (f.name for f in dataclasses.fields(cls))


def from_row(cls: type[T], row: object, **given: Any) -> T:
    """``cls`` (a pydantic model or a dataclass) from the row's attributes of the same names and ``given``.

    A field the row lacks and ``given`` omits keeps its default (or fails validation if it has none).
    """
    copied = [name for name in _field_names(cls) if name not in given and hasattr(row, name)]
    return cls(**{name: getattr(row, name) for name in copied}, **given)


def plain(value: Any) -> Any:
    """A value as JSON holds it: ids and decimals as text, times in ISO 8601, containers walked."""
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def plain_columns(row: object, names: Iterable[str]) -> dict[str, Any]:
    """The row's attributes of these names, in this order, each as ``plain`` makes it."""
    return {name: plain(getattr(row, name)) for name in names}

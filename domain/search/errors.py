"""Search errors: the shared domain errors, and a type that has no search settings."""

from __future__ import annotations

from domain.errors import Conflict, NotFound, Unavailable, ValidationFailed

__all__ = ["Conflict", "NotFound", "NotSearchable", "Unavailable", "ValidationFailed"]


class NotSearchable(Conflict):
    """The entity type declares no ``search`` settings, so it has no index."""

    code = "not_searchable"

    def __init__(self, type_name: str) -> None:
        super().__init__(
            f'Entity type \'{type_name}\' is not searchable: give it "search": {{"fields": [...]}} first.',
            {"type": type_name},
        )

"""Index shapes several models share."""

from __future__ import annotations

from sqlalchemy import Index, text


def unique_while_live(name: str, *columns: str, also: str | None = None) -> Index:
    """Unique among the rows not soft-deleted (and matching ``also``, SQL): a deleted row frees its key."""
    where = "deleted_at IS NULL" + (f" AND {also}" if also else "")
    return Index(name, *columns, unique=True, postgresql_where=text(where))

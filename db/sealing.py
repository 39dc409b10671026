"""Encrypting (and, on downgrade, decrypting) a text column in place, for migrations that move a
stored secret under ``keel.crypto``. The key is asked for only when a row needs it, so a database with
nothing to seal migrates without one."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from keel import crypto

Box = Callable[[], crypto.SecretBox]
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def _select(table: str, column: str, sealed: bool) -> sa.TextClause:
    # Table and column names come from migrations, never from input; they are checked all the same.
    if not (_IDENTIFIER.match(table) and _IDENTIFIER.match(column)):
        raise ValueError(f"not an identifier: {table}.{column}")
    match = "LIKE" if sealed else "NOT LIKE"
    return sa.text(f"SELECT id, {column} FROM {table} WHERE {column} {match} :prefix")  # noqa: S608


def seal_column(conn: sa.Connection, table: str, column: str, box: Box) -> int:
    """Encrypt every non-null value of ``table.column`` still in plaintext; returns how many."""
    rows = conn.execute(_select(table, column, sealed=False), {"prefix": crypto.TOKEN_PREFIX + "%"}).all()
    return _rewrite(conn, table, column, rows, lambda: box().seal)


def open_column(conn: sa.Connection, table: str, column: str, box: Box) -> int:
    """Decrypt every sealed value of ``table.column`` back to plaintext; returns how many."""
    rows = conn.execute(_select(table, column, sealed=True), {"prefix": crypto.TOKEN_PREFIX + "%"}).all()
    return _rewrite(conn, table, column, rows, lambda: box().open)


def _rewrite(
    conn: sa.Connection,
    table: str,
    column: str,
    rows: Sequence[Any],  # (id, value) rows
    transform: Callable[[], Callable[[str], str]],
) -> int:
    if rows:
        change = transform()
        update = sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id")  # noqa: S608 (checked above)
        for row in rows:
            conn.execute(update, {"value": change(row[1]), "id": row[0]})
    return len(rows)

"""CSV cells that a spreadsheet will not run as formulas (OWASP "CSV injection").

A text cell that starts with ``= + - @``, a tab or a carriage return is written with a leading
``'``, which spreadsheets show as text. Cells that already start with quotes before such a
character get one more, so ``restore`` (used by the import) undoes exactly what ``neutralise``
did and an export imports back unchanged. Plain numbers (``-5``, ``+33612345678``) stay as they are:
a spreadsheet reads them as numbers, never as formulas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_TRIGGER = re.compile(r"^'*[=+\-@\t\r]")
_QUOTED = re.compile(r"^'+[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def neutralise(cell: str) -> str:
    if _TRIGGER.match(cell) and not _NUMBER.match(cell):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """The value ``neutralise`` was given, for a cell it wrote."""
    return cell[1:] if _QUOTED.match(cell) and not _NUMBER.match(cell[1:]) else cell


def row(cells: Iterable[Any]) -> list[Any]:
    """A row for ``csv.writer`` with each text cell neutralised."""
    return [neutralise(c) if isinstance(c, str) else c for c in cells]

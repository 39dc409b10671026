"""How the billing routes answer: a page of objects (the page asked for taken by one dependency),
one object with its ETag (and ``Location`` when it was just made), or a PDF shown inline and never
cached."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypedDict

from fastapi import Depends, Response
from fastapi.responses import JSONResponse

from api.deps import Cursor, Limit
from api.envelope import page, respond, success
from domain.pagination import clamp_limit

PRIVATE = {"Cache-Control": "private, no-store"}


class Window(TypedDict):
    """Which page a list service reads."""

    limit: int | None
    cursor: str | None


@dataclass(frozen=True)
class Paging:
    """The page a list request asks for (``?limit=&cursor=``), and its answer."""

    limit: int | None
    cursor: str | None

    @property
    def window(self) -> Window:
        return {"limit": self.limit, "cursor": self.cursor}

    def answer(
        self, found: tuple[list[Any], str | None], out: Callable[[Any], dict[str, Any]]
    ) -> JSONResponse:
        """The rows a list service ``found``, each answered as ``out`` makes it, and the next cursor;
        the limit as the caller asked it, clamped like the query."""
        rows, next_cursor = found
        data = [out(row) for row in rows]
        return respond(page(data, limit=clamp_limit(self.limit), next_cursor=next_cursor))


def _paging(limit: Limit = None, cursor: Cursor = None) -> Paging:
    return Paging(limit, cursor)


Page = Annotated[Paging, Depends(_paging)]


def one_answer(
    out: dict[str, Any],
    etag: str | None = None,
    *,
    location: str | None = None,
    message: str | None = None,
) -> JSONResponse:
    """One object, with its ETag where it can change; with a ``location`` it was just made: a 201
    saying where it is."""
    headers = {"ETag": etag} if etag else {}
    if location:
        headers["Location"] = location
    return respond(success(out, message=message), status_code=201 if location else 200, headers=headers)


def pdf_answer(content: bytes, name: str, headers: Mapping[str, str] = PRIVATE) -> Response:
    """A PDF named ``name``.pdf, shown inline."""
    disposition = {"Content-Disposition": f'inline; filename="{name}.pdf"'}
    return Response(content=content, media_type="application/pdf", headers={**disposition, **headers})

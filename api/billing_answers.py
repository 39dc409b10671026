"""How the billing routes answer: a page of objects (the page asked for taken by one dependency),
one object with its ETag (and ``Location`` when it was just made), or a PDF shown inline and never
cached; and the routes that do no more than call a service function and answer its object."""

from __future__ import annotations

import inspect
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Annotated, Any, Generic, TypedDict, TypeVar

from fastapi import Depends, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from typing_extensions import Unpack

from api.deps import Ctx, Cursor, Db, IfMatch, Limit
from api.envelope import page, respond, success
from api.resource_routes import ResourceRoutes, RouteOptions
from domain.pagination import clamp_limit

PRIVATE = {"Cache-Control": "private, no-store"}
_ITEM_ID = re.compile(r"\{(\w+)")


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


Row = TypeVar("Row")
Act = Callable[..., Row]
"""A service function: the session, the context, then the object's id (on one object) and the body
(where the route takes one), ``if_match`` by name where it checks it; it gives the object."""


def _parameter(
    name: str, annotation: Any, default: Any = inspect.Parameter.empty, *, keyword_only: bool = False
) -> inspect.Parameter:
    kind = inspect.Parameter.KEYWORD_ONLY if keyword_only else inspect.Parameter.POSITIONAL_OR_KEYWORD
    return inspect.Parameter(name, kind, annotation=annotation, default=default)


def _handler(
    name: str, parameters: list[inspect.Parameter], run: Callable[[dict[str, Any]], JSONResponse]
) -> Callable[..., JSONResponse]:
    """The endpoint ``name`` taking ``parameters``, answering what ``run`` makes of their values. Its
    signature is set rather than written; FastAPI reads it, as ``inspect`` does."""

    def handler(**asked: Any) -> JSONResponse:
        return run(asked)

    handler.__name__ = handler.__qualname__ = name
    handler.__signature__ = inspect.Signature(parameters, return_annotation=JSONResponse)  # type: ignore[attr-defined]
    return handler


@dataclass(frozen=True)
class ServiceRoutes(Generic[Row]):
    """The routes of a billing object that hand the request to one service function and answer the
    object it gives as ``out`` writes it, with its ETag (``etag``) where it can change. Each route is
    declared with the endpoint's name and the service function; the endpoint takes what a written one
    would (the object's id as ``routes.item`` names it, ``body``, ``ctx``, ``session``, ``if_match``, a
    listing's filters and ``page``), so that FastAPI documents and checks it the same. A route that
    does more than that is written out, on ``routes``."""

    routes: ResourceRoutes
    out: Callable[[Row], dict[str, Any]]
    etag: Callable[[Row], str] | None = None

    def create(
        self,
        endpoint: str,
        body: type[BaseModel],
        make: Act[Row],
        *codes: int,
        summary: str | None = None,
        **options: Unpack[RouteOptions],
    ) -> None:
        """A 201 with the object ``make`` made and where it is (``Location``)."""
        where = f"{self.routes.router.prefix}{self.routes.collection}"

        def created(row: Row) -> JSONResponse:
            out = self.out(row)
            return one_answer(out, self._etag(row), location=f"{where}/{out['id']}")

        handler = self._endpoint(endpoint, make, created, on_item=False, body=body)
        self.routes.create(*codes, summary=summary, **options)(handler)

    def listing(
        self,
        endpoint: str,
        find: Callable[..., tuple[list[Row], str | None]],
        *codes: int,
        filters: Mapping[str, Any] = MappingProxyType({}),
        summary: str | None = None,
        **options: Unpack[RouteOptions],
    ) -> None:
        """A page of what ``find`` finds, given the session, the context, the page's window and each
        of ``filters`` by name: a query parameter of that annotation, None when not asked."""
        parameters = [
            _parameter("ctx", Ctx),
            _parameter("session", Db),
            *(_parameter(name, annotation, default=None) for name, annotation in filters.items()),
            _parameter("page", Page, keyword_only=True),
        ]

        def run(asked: dict[str, Any]) -> JSONResponse:
            page: Paging = asked["page"]
            asked_for = {name: asked[name] for name in filters}
            return page.answer(find(asked["session"], asked["ctx"], **asked_for, **page.window), self.out)

        self.routes.listing(*codes, summary=summary, **options)(_handler(endpoint, parameters, run))

    def read(
        self,
        endpoint: str,
        get: Act[Row],
        *codes: int,
        summary: str | None = None,
        **options: Unpack[RouteOptions],
    ) -> None:
        """The object ``get`` reads."""
        self.routes.read(*codes, summary=summary, **options)(self._endpoint(endpoint, get, self._one))

    def patch(
        self,
        endpoint: str,
        body: type[BaseModel],
        change: Act[Row],
        *codes: int,
        if_match: bool = False,
        summary: str | None = None,
        **options: Unpack[RouteOptions],
    ) -> None:
        """The object as ``change`` left it (checking ``If-Match`` where ``if_match``)."""
        handler = self._endpoint(endpoint, change, self._one, body=body, if_match=if_match)
        self.routes.patch(*codes, summary=summary, **options)(handler)

    def delete(
        self,
        endpoint: str,
        remove: Act[Row],
        *codes: int,
        if_match: bool = False,
        summary: str | None = None,
        **options: Unpack[RouteOptions],
    ) -> None:
        """The object as ``remove`` deleted it (checking ``If-Match`` where ``if_match``); a deleted
        object has no ETag left to match."""
        handler = self._endpoint(endpoint, remove, self._deleted, if_match=if_match)
        self.routes.delete(*codes, summary=summary, **options)(handler)

    def _etag(self, row: Row) -> str | None:
        return self.etag(row) if self.etag else None

    def _one(self, row: Row) -> JSONResponse:
        return one_answer(self.out(row), self._etag(row))

    def _deleted(self, row: Row) -> JSONResponse:
        return respond(success(self.out(row)))

    def _endpoint(
        self,
        name: str,
        act: Act[Row],
        answer: Callable[[Row], JSONResponse],
        *,
        on_item: bool = True,
        body: type[BaseModel] | None = None,
        if_match: bool = False,
    ) -> Callable[..., JSONResponse]:
        """The endpoint ``name``: ``act`` given what it takes of the request, its object answered as
        ``answer`` makes it. Its signature is set rather than written, the id's name being the item's."""
        given = [_parameter(_ITEM_ID.findall(self.routes.item)[0], uuid.UUID)] if on_item else []
        if body is not None:
            given.append(_parameter("body", body))
        parameters = [*given, _parameter("ctx", Ctx), _parameter("session", Db)]
        if if_match:
            parameters.append(_parameter("if_match", IfMatch, default=None))

        def run(asked: dict[str, Any]) -> JSONResponse:
            checked = {"if_match": asked["if_match"]} if if_match else {}
            return answer(act(asked["session"], asked["ctx"], *(asked[p.name] for p in given), **checked))

        return _handler(name, parameters, run)

"""How the routes of one resource are declared, the one way the conventions ask for every route.

Each route answers its object (or a page of them) in the success envelope, documented as
``Envelope[model]``; each may answer what the resource's ``answers`` name (by default 403: the
credential lacks the permission), a route on one object also 404 (missing, or another tenant's), and
creating answers 201. A route adds the other error statuses it may answer; ``errors`` adds 401 and 422
to all. The endpoint stays an ordinary function with its own typed parameters: only the decorator is
shared.

    routes = ResourceRoutes(router, CustomerOut, item="/{customer_id:uuid}")

    @routes.read(summary="A customer, with its ETag")
    def get_customer(customer_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse: ...
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, TypedDict, TypeVar

from fastapi import APIRouter, Path, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session
from typing_extensions import Unpack

from api.bodies import yaml_content
from api.deps import Ctx, Cursor, Db, IfMatch, Limit
from api.envelope import Envelope, created, errors, models_page, success
from api.etag import Versioned, matching, tagged, tagged_response
from api.signing_signal import PDF_RESPONSE, PNG_RESPONSE
from domain.context import TenantContext

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
Route = Callable[[Endpoint], Endpoint]
"""A route's decorator: it registers the endpoint and gives it back."""
Fetch = Callable[..., tuple[Iterable[BaseModel], str | None]]
"""What reads a page: ``fetch(session, ctx, limit=, cursor=)`` (of the tenant's objects) or
``fetch(session, ctx, object_id, limit=, cursor=)`` (of what is below one object), the models and the
next page's cursor."""

Make = Callable[[Session, TenantContext, Any], Versioned]
"""What makes an object: ``make(session, ctx, body)``, its answer."""
Change = Callable[[Session, TenantContext, uuid.UUID, Any, Callable[[Versioned], None]], Versioned]
"""What changes one: ``change(session, ctx, id, body, check)``, its answer; ``check(current)`` first."""
Remove = Callable[[Session, TenantContext, uuid.UUID], BaseModel]
"""What deletes one: ``remove(session, ctx, id)``, its answer as deleted."""

ANY_ROUTE = (403,)
NO_CONTENT = 204
"""A route answering this status answers no body, hence no envelope."""


class RouteOptions(TypedDict, total=False):
    """What a route may add to its declaration, as FastAPI takes it."""

    description: str | None
    model: Any
    """What the envelope carries, when not the resource's model (``list[...]`` for several)."""
    status_code: int | None
    responses: dict[int | str, dict[str, Any]]
    """Answers documented besides the error statuses (a 202, a download's media types)."""
    response_class: type[Response]
    """A route answering something other than the envelope (a download): it documents no model."""
    openapi_extra: dict[str, Any]
    name: str
    unguarded: bool
    """No permission guards the route: it answers none of the resource's ``answers`` (a 404 is what a
    caller who may not see the object reads)."""
    undocumented_errors: bool
    """The route documents no error status at all (a caller's own profile, say)."""


def enveloped(model: Any) -> Any:
    """``model`` (a pydantic model, or a ``list`` of one) in the success envelope, as OpenAPI shows it."""
    return Envelope[model]


@dataclass(frozen=True)
class ResourceRoutes:
    """The routes of one resource on ``router``, answered as ``model``: the ``collection`` path (below
    the router's prefix; "" is the prefix itself) and ``item``, the path of one object below it (none
    for a resource only listed and added to). ``answers``: the error statuses every route of the
    resource may answer (none where no permission guards it: one's own things, a link's token)."""

    router: APIRouter
    model: Any
    item: str = ""
    collection: str = ""
    answers: tuple[int, ...] = ANY_ROUTE

    def create(self, *codes: int, summary: str | None = None, **options: Unpack[RouteOptions]) -> Route:
        """``POST`` on the collection: a 201 with the object made (or, ``status_code=202``, the object
        whose making has started)."""
        options.setdefault("status_code", 201)
        return self._route(self.router.post, "", codes, summary, options)

    def creating(self, make: Make, body: type[BaseModel], *, name: str, summary: str) -> Callable[..., Any]:
        """The ``create`` route ``name`` taking ``body``: ``make(session, ctx, body)`` answered with a
        201, its Location and its ETag. Its endpoint, given back, is the same for every resource made so."""
        collection = self.router.prefix + self.collection

        def endpoint(body: Any, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
            out = make(session, ctx, body)
            return created(response, f"{collection}/{out.id}", tagged(out, response))

        endpoint.__annotations__["body"] = body  # FastAPI reads the body's model from the signature
        return self.create(summary=summary, name=name)(endpoint)

    def updating(
        self, change: Change, body: type[BaseModel], *codes: int, name: str, summary: str
    ) -> Callable[..., Any]:
        """The ``patch`` route ``name`` taking ``body``: ``change(session, ctx, id, body, check)`` answered
        with the object's ETag, where ``check(current)`` is a 412 when ``If-Match`` names another version."""

        def endpoint(
            object_id: Any, body: Any, ctx: Ctx, session: Db, if_match: IfMatch = None
        ) -> JSONResponse:
            return tagged_response(change(session, ctx, object_id, body, matching(if_match)))

        # FastAPI reads the path parameter and the body's model from the signature.
        endpoint.__annotations__.update(object_id=self._id(), body=body)
        return self.patch(412, *codes, summary=summary, name=name)(endpoint)

    def deleting(self, remove: Remove, *codes: int, name: str, summary: str) -> Callable[..., Any]:
        """The ``delete`` route ``name``: ``remove(session, ctx, id)``, the object as deleted."""

        def endpoint(object_id: Any, ctx: Ctx, session: Db) -> dict[str, Any]:
            return success(remove(session, ctx, object_id).model_dump(mode="json"))

        endpoint.__annotations__["object_id"] = self._id()

        return self.delete(*codes, summary=summary, name=name)(endpoint)

    def _id(self) -> Any:
        """The path parameter that names one object (the last in ``item``): a UUID."""
        return Annotated[uuid.UUID, Path(alias=self.item.rsplit("{", 1)[-1].split(":")[0].rstrip("}"))]

    def listing(self, *codes: int, summary: str | None = None, **options: Unpack[RouteOptions]) -> Route:
        """``GET`` on the collection: a page of objects."""
        options.setdefault("model", list[self.model])  # type: ignore[name-defined]  # a type made at run time
        return self._route(self.router.get, "", codes, summary, options)

    def paged(self, fetch: Fetch, *, summary: str) -> Callable[..., dict[str, Any]]:
        """The ``listing`` route (named ``list_`` and the collection's last part): a page of what ``fetch``
        reads, newest first. Its endpoint, given back, is the same for every resource listed so."""
        name = "list_" + (self.router.prefix + self.collection).rsplit("/", 1)[-1].replace("-", "_")

        def endpoint(ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None) -> dict[str, Any]:
            items, next_cursor = fetch(session, ctx, limit=limit, cursor=cursor)
            return models_page(items, limit=limit, next_cursor=next_cursor)

        return self.listing(summary=summary, name=name)(endpoint)

    def paged_below(
        self, below: str, fetch: Fetch, model: Any, *, summary: str
    ) -> Callable[..., dict[str, Any]]:
        """The ``read`` route on ``item + below`` (named ``list_`` and ``below``'s last part): a page of
        ``model`` that ``fetch`` reads below the object whose id is ``item``'s path parameter, newest
        first."""
        name = "list_" + below.rsplit("/", 1)[-1].replace("-", "_")

        def endpoint(
            object_id: Any, ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None
        ) -> dict[str, Any]:
            items, next_cursor = fetch(session, ctx, object_id, limit=limit, cursor=cursor)
            return models_page(items, limit=limit, next_cursor=next_cursor)

        endpoint.__annotations__["object_id"] = self._id()
        return self.read(below=below, model=list[model], name=name, summary=summary)(endpoint)

    def collection_get(
        self, below: str, *codes: int, summary: str | None = None, **options: Unpack[RouteOptions]
    ) -> Route:
        """``GET`` on ``collection + below``: what is read of the collection as a whole (its analytics,
        its duplicates), answered as ``model``."""
        return self._route(self.router.get, below, codes, summary, options)

    def collection_post(
        self, below: str, *codes: int, summary: str | None = None, **options: Unpack[RouteOptions]
    ) -> Route:
        """``POST`` on ``collection + below``: an action on the collection as a whole (validate, merge,
        search), answered as ``model``."""
        return self._route(self.router.post, below, codes, summary, options)

    def yaml_validate(self, what: str, model: type[BaseModel]) -> Route:
        """``POST /validate`` of a YAML document (``what``, e.g. "a metric"): its problems with line and
        column, or ``model``; nothing is stored."""
        return self.collection_post(
            "/validate",
            400,
            413,
            415,
            model=model,
            summary=f"Check {what} without publishing it; errors carry line and column",
            openapi_extra=yaml_content(what),
        )

    def read(
        self, *codes: int, summary: str | None = None, below: str = "", **options: Unpack[RouteOptions]
    ) -> Route:
        """``GET`` on one object, or on what is ``below`` it answered as ``model`` (``list[...]`` for
        several)."""
        return self._route(self.router.get, self.item + below, (404, *codes), summary, options)

    def put(
        self, *codes: int, summary: str | None = None, below: str = "", **options: Unpack[RouteOptions]
    ) -> Route:
        """``PUT`` on one object (or what is ``below`` it): the object replaced as a whole."""
        return self._route(self.router.put, self.item + below, (404, *codes), summary, options)

    def patch(self, *codes: int, summary: str | None = None, **options: Unpack[RouteOptions]) -> Route:
        """``PATCH`` on one object: the fields sent changed."""
        return self._route(self.router.patch, self.item, (404, *codes), summary, options)

    def delete(
        self, *codes: int, summary: str | None = None, below: str = "", **options: Unpack[RouteOptions]
    ) -> Route:
        """``DELETE`` on one object (or what is ``below`` it): the object as deleted, or
        (``status_code=204``) nothing."""
        return self._route(self.router.delete, self.item + below, (404, *codes), summary, options)

    def post(
        self, below: str, *codes: int, summary: str | None = None, **options: Unpack[RouteOptions]
    ) -> Route:
        """``POST`` on ``item + below``: an action on the object (``/send``, ``/cancel``) answering the
        object as it is now, or (``model``, ``status_code=201``) something it makes (a payment)."""
        return self._route(self.router.post, self.item + below, (404, *codes), summary, options)

    def pdf(
        self, *codes: int, summary: str | None = None, below: str = "/pdf", name: str | None = None
    ) -> Route:
        """``GET`` on ``item + below``: a PDF of the object (or of something below it), not an envelope."""
        return self.router.get(
            self.collection + self.item + below,
            response_class=Response,
            responses=PDF_RESPONSE | errors(*self.answers, 404, *codes),
            summary=summary,
            name=name,
        )

    def png(self, *codes: int, summary: str | None = None, below: str) -> Route:
        """``GET`` on ``item + below``: an image of (a page of) the object, not an envelope."""
        return self.router.get(
            self.collection + self.item + below,
            response_class=Response,
            responses=PNG_RESPONSE | errors(*self.answers, 404, *codes),
            summary=summary,
        )

    def _route(
        self,
        method: Callable[..., Route],
        path: str,
        codes: tuple[int, ...],
        summary: str | None,
        options: RouteOptions,
    ) -> Route:
        """A route on ``path`` below the collection answering ``codes`` besides the resource's: in the
        envelope of ``model`` (by default the resource's), unless it answers no body or its own
        ``response_class``."""
        status_code = options.get("status_code")
        response_class = options.get("response_class")
        if not options.get("unguarded"):
            codes = self.answers + codes
        documented = {} if options.get("undocumented_errors") else errors(*codes)
        extra: dict[str, Any] = {}
        if response_class is not None:
            extra["response_class"] = response_class
        if "name" in options:
            extra["name"] = options["name"]
        if "openapi_extra" in options:
            extra["openapi_extra"] = options["openapi_extra"]
        if status_code == NO_CONTENT or response_class is not None:
            model = None
        else:
            model = enveloped(options.get("model", self.model))
        return method(
            self.collection + path,
            status_code=status_code,
            response_model=model,
            responses=options.get("responses", {}) | documented or None,
            summary=summary,
            description=options.get("description"),
            **extra,
        )


@dataclass(frozen=True)
class SingleRoutes:
    """The routes of what a tenant has exactly one of (its settings, a policy) at ``path``, answered as
    ``model``: read it, replace it. Never a 404: a tenant that set nothing reads the defaults."""

    router: APIRouter
    model: type[BaseModel]
    path: str

    def read(self, *, summary: str) -> Route:
        """``GET``: the tenant's object (its defaults until it is first set)."""
        return self.router.get(
            self.path, response_model=enveloped(self.model), responses=errors(*ANY_ROUTE), summary=summary
        )

    def put(self, *, summary: str, description: str | None = None) -> Route:
        """``PUT``: the object replaced as a whole."""
        return self.router.put(
            self.path,
            response_model=enveloped(self.model),
            responses=errors(*ANY_ROUTE),
            summary=summary,
            description=description,
        )

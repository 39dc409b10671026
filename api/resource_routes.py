"""How the routes of one resource are declared, the one way the conventions ask for every resource.

Each route answers its object (or a page of them) in the success envelope, documented as
``Envelope[model]``; each may answer 403 (the credential lacks the permission), a route on one object
also 404 (missing, or another tenant's), and creating answers 201. A route adds the other error
statuses it may answer; ``errors`` adds 401 and 422 to all. The endpoint stays an ordinary function
with its own typed parameters: only the decorator is shared.

    routes = ResourceRoutes(router, CustomerOut, item="/{customer_id:uuid}")

    @routes.read(summary="A customer, with its ETag")
    def get_customer(customer_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse: ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import APIRouter, Response
from pydantic import BaseModel

from api.envelope import Envelope, errors
from api.signing_signal import PDF_RESPONSE

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
Route = Callable[[Endpoint], Endpoint]
"""A route's decorator: it registers the endpoint and gives it back."""

ANY_ROUTE = (403,)
ONE_OBJECT = (403, 404)


def enveloped(model: Any) -> Any:
    """``model`` (a pydantic model, or a ``list`` of one) in the success envelope, as OpenAPI shows it."""
    return Envelope[model]


@dataclass(frozen=True)
class ResourceRoutes:
    """The routes of one resource on ``router``, answered as ``model``: the ``collection`` path (below
    the router's prefix; "" is the prefix itself) and ``item``, the path of one object below it (none
    for a resource only listed and added to)."""

    router: APIRouter
    model: type[BaseModel]
    item: str = ""
    collection: str = ""

    def create(self, *codes: int, summary: str, description: str | None = None) -> Route:
        """``POST`` on the collection: a 201 with the object made."""
        return self._route(self.router.post, "", ANY_ROUTE + codes, summary, description, status_code=201)

    def listing(self, *codes: int, summary: str, description: str | None = None) -> Route:
        """``GET`` on the collection: a page of objects."""
        many = list[self.model]  # type: ignore[name-defined]  # a type made at run time
        return self._route(self.router.get, "", ANY_ROUTE + codes, summary, description, model=many)

    def read(
        self,
        *codes: int,
        summary: str | None = None,
        description: str | None = None,
        below: str = "",
        model: Any = None,
    ) -> Route:
        """``GET`` on one object, or on what is ``below`` it answered as ``model`` (``list[...]`` for
        several)."""
        path = self.item + below
        return self._route(self.router.get, path, ONE_OBJECT + codes, summary, description, model=model)

    def put(self, *codes: int, summary: str, description: str | None = None) -> Route:
        """``PUT`` on one object: the object replaced as a whole."""
        return self._route(self.router.put, self.item, ONE_OBJECT + codes, summary, description)

    def patch(self, *codes: int, summary: str, description: str | None = None) -> Route:
        """``PATCH`` on one object: the fields sent changed."""
        return self._route(self.router.patch, self.item, ONE_OBJECT + codes, summary, description)

    def delete(self, *codes: int, summary: str | None = None, description: str | None = None) -> Route:
        """``DELETE`` on one object: the object as deleted."""
        return self._route(self.router.delete, self.item, ONE_OBJECT + codes, summary, description)

    def post(
        self,
        below: str,
        *codes: int,
        summary: str,
        description: str | None = None,
        model: Any = None,
        status_code: int | None = None,
    ) -> Route:
        """``POST`` on ``item + below``: an action on the object (``/send``, ``/cancel``) answering the
        object as it is now, or (``model``, ``status_code=201``) something it makes (a payment)."""
        path = self.item + below
        return self._route(
            self.router.post,
            path,
            ONE_OBJECT + codes,
            summary,
            description,
            model=model,
            status_code=status_code,
        )

    def pdf(self, *codes: int, summary: str, below: str = "/pdf") -> Route:
        """``GET`` on ``item + below``: a PDF of the object (or of something below it), not an envelope."""
        return self.router.get(
            self.collection + self.item + below,
            response_class=Response,
            responses=PDF_RESPONSE | errors(*ONE_OBJECT, *codes),
            summary=summary,
        )

    def _route(
        self,
        method: Callable[..., Route],
        path: str,
        codes: tuple[int, ...],
        summary: str | None,
        description: str | None,
        *,
        model: Any = None,
        status_code: int | None = None,
    ) -> Route:
        """A route on ``path`` below the collection, answering ``model`` (by default the resource's)."""
        return method(
            self.collection + path,
            status_code=status_code,
            response_model=enveloped(model or self.model),
            responses=errors(*codes),
            summary=summary,
            description=description,
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

"""Strong ETags for single objects that change; the If-Match check lives with the domain."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from fastapi import Response
from fastapi.responses import JSONResponse

from api.envelope import respond, success
from domain.preconditions import check_if_match

__all__ = ["Versioned", "check_if_match", "etag", "etag_of", "matching", "tagged", "tagged_response"]


class Versioned(Protocol):
    """An object's answer that carries what its ETag is made of."""

    @property
    def id(self) -> Any: ...

    @property
    def updated_at(self) -> datetime: ...

    def model_dump(self, *, mode: str) -> dict[str, Any]: ...


def etag(ident: object, updated_at: datetime) -> str:
    return '"' + hashlib.sha256(f"{ident}:{updated_at.isoformat()}".encode()).hexdigest()[:32] + '"'


def etag_of(out: Versioned) -> str:
    """The ETag of an object's answer: its id and when it last changed."""
    return etag(out.id, out.updated_at)


def tagged(out: Versioned, response: Response) -> dict[str, Any]:
    """``out`` as JSON, its ETag set on ``response``."""
    response.headers["ETag"] = etag_of(out)
    return out.model_dump(mode="json")


def matching(if_match: str | None) -> Callable[[Versioned], None]:
    """What a service calls with an object as it stands, before changing it: a 412 when ``If-Match``
    names another version."""
    return lambda current: check_if_match(if_match, etag_of(current))


def tagged_response(out: Versioned) -> JSONResponse:
    """``out`` in the success envelope, with its ETag."""
    return respond(success(out.model_dump(mode="json")), headers={"ETag": etag_of(out)})

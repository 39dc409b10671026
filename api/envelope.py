"""The response envelope (seed §2.3) for success and error, with typed models for OpenAPI."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypedDict, TypeVar

from pydantic import BaseModel, Field
from starlette.responses import JSONResponse, Response

from domain.pagination import clamp_limit

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


def now_rfc3339() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class Envelope(BaseModel, Generic[T]):
    status: Literal["success"] = "success"
    data: T
    message: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)
    timestamp: str = Field(default_factory=now_rfc3339)


class ErrorBody(BaseModel):
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorEnvelope(BaseModel):
    status: Literal["error"] = "error"
    error: ErrorBody
    timestamp: str = Field(default_factory=now_rfc3339)


def success(data: Any, *, message: str | None = None, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "status": "success",
        "data": data,
        "message": message,
        "meta": meta or {},
        "timestamp": now_rfc3339(),
    }


def page(data: list[Any], *, limit: int, next_cursor: str | None) -> dict[str, Any]:
    return success(data, meta={"limit": limit, "next_cursor": next_cursor})


def dumped(model: type[BaseModel], row: Any) -> dict[str, Any]:
    """An ORM row answered as ``model`` (which reads it by attribute), ready for the envelope."""
    return model.model_validate(row).model_dump(mode="json")


def models_page(models: Iterable[BaseModel], *, limit: int | None, next_cursor: str | None) -> dict[str, Any]:
    """A page of output models; ``limit`` as the caller asked it, clamped like the query."""
    data = [model.model_dump(mode="json") for model in models]
    return page(data, limit=clamp_limit(limit), next_cursor=next_cursor)


def rows_page(
    model: type[BaseModel], rows: Iterable[Any], *, limit: int | None, next_cursor: str | None
) -> dict[str, Any]:
    """A page of ORM rows, each answered as ``model`` (which reads them by attribute)."""
    return models_page((model.model_validate(row) for row in rows), limit=limit, next_cursor=next_cursor)


def listed(data: list[M], *, limit: int, next_cursor: str | None) -> Envelope[list[M]]:
    """A list of output models as answered: ``meta`` carries the limit and the next cursor."""
    return Envelope(data=data, meta={"limit": limit, "next_cursor": next_cursor})


def rows_listed(
    model: type[M], rows: Iterable[Any], *, limit: int | None, next_cursor: str | None
) -> Envelope[list[M]]:
    """A page of ORM rows, each answered as ``model``; ``limit`` as the caller asked it, clamped like
    the query."""
    return listed(
        [model.model_validate(row) for row in rows], limit=clamp_limit(limit), next_cursor=next_cursor
    )


def created(
    response: Response,
    location: str,
    data: Any,
    *,
    message: str | None = None,
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The envelope of what a request made, with the ``Location`` to read it again."""
    response.headers["Location"] = location
    return success(data, message=message, meta=meta)


# A published version (a definition, a metric, a decision table) never changes: the same content again
# is a 200 that says so.
REPUBLISHED: dict[int | str, dict[str, Any]] = {
    200: {"description": "this version was already published with the same content"}
}


def published(response: Response, location: str, data: Any, is_new: bool) -> dict[str, Any]:
    """The envelope of a publication: 201 with its ``Location`` when new, 200 when already published."""
    response.status_code = 201 if is_new else 200
    message = None if is_new else "This version was already published with the same content."
    return created(response, location, data, message=message)


def error(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "status": "error",
        "error": {"code": code, "message": message, "details": details or {}},
        "timestamp": now_rfc3339(),
    }


_DESCRIPTIONS = {
    400: "bad_request: the body is not valid JSON",
    401: "unauthenticated: missing, wrong or expired credential",
    403: "forbidden: the credential lacks a permission",
    404: "not_found: no such object in your tenant",
    409: "conflict: the object's state forbids the change",
    410: "gone: the link or token was used, expired or voided",
    412: "precondition_failed: If-Match does not match",
    413: "payload_too_large: details.limit_bytes is the limit",
    416: "range_not_satisfiable: the Range is outside the content",
    415: "unsupported_media_type",
    422: "validation_failed: details.fields lists each bad field",
    423: "locked: too many failed attempts",
    429: "rate_limited: see Retry-After",
    503: "service_unavailable: a backing service is down",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for a route's error statuses, all in the error envelope."""
    return {code: {"model": ErrorEnvelope, "description": _DESCRIPTIONS[code]} for code in (401, 422, *codes)}


class Answers(TypedDict):
    """A route's documented answers, as ``router.get(path, **answers(...))`` takes them."""

    response_model: Any
    responses: dict[int | str, dict[str, Any]]


def answers(model: Any, *codes: int) -> Answers:
    """``model`` in the success envelope and ``codes`` in the error envelope: named once where several
    routes of a resource answer alike (a setting read and replaced at one path, say)."""
    return {"response_model": Envelope[model], "responses": errors(*codes)}


def respond(
    body: dict[str, Any], *, status_code: int = 200, headers: dict[str, str] | None = None
) -> JSONResponse:
    """An already JSON-ready envelope sent as is. Hot routes use it: FastAPI then skips validating the
    body against the response model (documented in OpenAPI all the same) and the thread hop that
    validation takes after a sync route."""
    return JSONResponse(body, status_code=status_code, headers=headers)

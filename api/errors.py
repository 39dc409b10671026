"""The one place where exceptions become error envelopes and status codes."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.exc import DataError, SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.envelope import error
from api.middleware import security_headers
from db.session import tenant_session
from domain.audit import service as audit
from domain.context import TenantContext
from domain.errors import (
    BadRequest,
    Conflict,
    DomainError,
    Gone,
    Locked,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    PreconditionFailed,
    RateLimited,
    Unauthenticated,
    Unavailable,
    UnsupportedMediaType,
    ValidationFailed,
)
from domain.identity.errors import MissingPermission
from domain.identity.once import AtMostEvery

log = logging.getLogger("keel.api")

STATUS = {
    BadRequest: 400,
    NotFound: 404,
    Conflict: 409,
    PermissionDenied: 403,
    Unauthenticated: 401,
    PreconditionFailed: 412,
    ValidationFailed: 422,
    RateLimited: 429,
    Unavailable: 503,
    UnsupportedMediaType: 415,
    PayloadTooLarge: 413,
    Gone: 410,
    Locked: 423,
}
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "payload_too_large",
    415: "unsupported_media_type",
    423: "locked",
    429: "rate_limited",
}


def status_for(exc: DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def correlation_of(request: Request) -> str | None:
    return getattr(request.state, "correlation_id", None)


# A refusal is audited at most once a minute per (user, permission) and process, so that a client
# repeating a forbidden call cannot flood the audit log.
_refusals = AtMostEvery(60.0)


def _record_refusal(engine: Engine, ctx: TenantContext, permission: str, route: str) -> None:
    """``auth.forbidden`` in a short transaction of its own: the request's has rolled back."""
    change = {"permission": [None, permission], "route": [None, route]}
    try:
        with tenant_session(engine, ctx.tenant_id) as session:
            audit.record(session, ctx, "auth.forbidden", "user", ctx.user_id, change)
    except SQLAlchemyError as exc:
        log.warning("could not audit a refusal", extra={"error": type(exc).__name__})


async def _audit_refusal(request: Request, exc: MissingPermission) -> None:
    ctx: TenantContext | None = getattr(request.state, "ctx", None)
    if ctx is None or not _refusals.due((ctx.tenant_id, ctx.user_id, exc.permission)):
        return
    route = getattr(request.scope.get("route"), "path", request.url.path)
    await run_in_threadpool(
        _record_refusal, request.app.state.engine, ctx, exc.permission, f"{request.method} {route}"
    )


async def domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    if isinstance(exc, MissingPermission):
        await _audit_refusal(request, exc)
    status = status_for(exc)
    headers: dict[str, str] = {}
    if isinstance(exc, Unauthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    return JSONResponse(error(exc.code, exc.message, exc.details), status_code=status, headers=headers)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:] if len(parts) > 1 else parts
    return ".".join(parts)


async def request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        detail = next(e for e in errors if e.get("type") == "json_invalid")
        return JSONResponse(
            error(
                "bad_request",
                "The request body is not valid JSON.",
                {"reason": detail.get("ctx", {}).get("error")},
            ),
            status_code=400,
        )
    fields = [
        {"field": _field_path(tuple(e["loc"])), "message": e["msg"].removeprefix("Value error, ")}
        for e in errors
    ]
    return JSONResponse(
        error("validation_failed", "The request is not valid.", {"fields": fields}), status_code=422
    )


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return JSONResponse(
        error(code, message), status_code=exc.status_code, headers=getattr(exc, "headers", None)
    )


async def data_error(request: Request, exc: Exception) -> JSONResponse:
    """PostgreSQL's class 22 (a number out of a column's range, a malformed value): the input did not
    fit where it goes, which validation should have said; a 422, logged so the gap gets closed."""
    assert isinstance(exc, DataError)
    state = getattr(exc.orig, "sqlstate", None)
    log.warning(
        "input refused by the database", extra={"correlation_id": correlation_of(request), "sqlstate": state}
    )
    fields = [{"field": "body", "message": "holds a value out of range or not storable"}]
    return JSONResponse(
        error("validation_failed", "The request is not valid.", {"fields": fields}), status_code=422
    )


async def unexpected(request: Request, exc: Exception) -> JSONResponse:
    cid = correlation_of(request)
    log.error("unhandled error", exc_info=exc, extra={"correlation_id": cid, "path": request.url.path})
    response = JSONResponse(
        error("internal_error", "An unexpected error occurred.", {"correlation_id": cid}),
        status_code=500,
        headers={"X-Correlation-ID": cid or ""},
    )
    # Sent by the outermost middleware, past RequestContextMiddleware: the headers are added here.
    security_headers(response.headers, request.url.path)
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(RequestValidationError, request_validation)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(DataError, data_error)
    app.add_exception_handler(Exception, unexpected)

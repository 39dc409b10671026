"""The OpenAPI document, completed with what every route shares, so that it lists every status a
route can answer.

Routes declare their own errors (``api.envelope.errors``); the statuses that come from the layers
around a route are added here, once, from what the route really depends on:
- a route that takes a body can answer 400 (not valid JSON or form data) and 413 (too large);
- a route that needs a credential declares the bearer scheme and 401;
- a route that talks to Temporal can answer 503 while Temporal is unreachable;
- every route can answer 422 (the input layer refuses NUL bytes and the like in any parameter) and
  500 (``internal_error`` with the correlation id that is in the logs).

Then the names and bodies that client generators read are made fit for them (``api.openapi_names``,
``api.openapi_media``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from api import openapi_media, openapi_names
from api.deps import current_context, get_temporal, resolve_context
from api.envelope import _DESCRIPTIONS

BEARER = "bearer"
_AUTH = {current_context, resolve_context}
_EXTRA_DESCRIPTIONS = {500: "internal_error: details.correlation_id names the request in the logs"}


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _error_response(code: int) -> dict[str, Any]:
    return {
        "description": _DESCRIPTIONS.get(code) or _EXTRA_DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}},
    }


def complete(app: FastAPI, document: dict[str, Any]) -> dict[str, Any]:
    """Add the shared statuses and the security scheme to ``document`` (built from ``app``)."""
    components = document.setdefault("components", {})
    components.setdefault("securitySchemes", {})[BEARER] = {
        "type": "http",
        "scheme": "bearer",
        "description": "An access token from POST /api/v1/auth/token, or an API key (keel_…).",
    }
    # Included routers are nested; iterate their effective routes, as FastAPI's own generator does.
    named: list[tuple[dict[str, Any], str, str]] = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        calls = set(_calls(route.dependant))
        for method in context.methods or ():
            operation = document["paths"].get(context.path_format, {}).get(method.lower())
            if operation is None:
                continue
            named.append((operation, str((context.tags or ["keel"])[0]), context.name or route.name))
            responses = operation.setdefault("responses", {})
            codes = [422, 500]
            if "requestBody" in operation:
                codes += [400, 413]
            if calls & _AUTH:
                operation["security"] = [{BEARER: []}]
                codes.append(401)
            if get_temporal in calls:
                codes.append(503)
            for code in codes:
                responses.setdefault(str(code), _error_response(code))
    ids = openapi_names.operation_ids((tag, name) for _operation, tag, name in named)
    for (operation, _tag, _name), operation_id in zip(named, ids, strict=True):
        operation["operationId"] = operation_id
    openapi_names.rename_components(document)
    openapi_names.hoist_definitions(document)
    openapi_media.complete(document)
    return document


def install(app: FastAPI) -> None:
    """Serve the completed document at ``/openapi.json`` (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = complete(app, document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

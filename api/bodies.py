"""OpenAPI ``requestBody`` for the routes that read their own body (an upload, or JSON or an upload):
FastAPI cannot infer it from their parameters, so each declares it in ``openapi_extra``."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import BaseModel

from domain.errors import BadRequest, UnsupportedMediaType

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")


def request_body(content: dict[str, Any]) -> dict[str, Any]:
    """``openapi_extra`` declaring a required body of the given content types."""
    return {"requestBody": {"required": True, "content": content}}


def json_content(model: type[BaseModel]) -> dict[str, Any]:
    """A JSON body validated as ``model`` (its schema referencing the shared components)."""
    return {
        "application/json": {"schema": model.model_json_schema(ref_template="#/components/schemas/{model}")}
    }


def multipart_content(required: list[str], fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """A multipart/form-data body: the binary ``file`` and the other fields given (their schemas)."""
    properties = {"file": {"type": "string", "format": "binary"}, **(fields or {})}
    return {
        "multipart/form-data": {"schema": {"type": "object", "required": required, "properties": properties}}
    }


def yaml_content(what: str) -> dict[str, Any]:
    """``openapi_extra`` of a route reading ``what`` as a YAML body."""
    return request_body(
        {"application/yaml": {"schema": {"type": "string", "description": f"{what} in YAML"}}}
    )


async def yaml_body(request: Request, what: str) -> bytes:
    """The request's YAML body (a 415 for another media type, a 400 when empty); ``what`` names it."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in YAML_TYPES:
        raise UnsupportedMediaType(f"Send the {what} as application/yaml (got '{content_type or 'none'}').")
    body = await request.body()
    if not body.strip():
        raise BadRequest(f"The body is empty: send the {what}'s YAML.")
    return body

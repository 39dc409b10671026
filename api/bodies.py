"""OpenAPI ``requestBody`` for the routes that read their own body (an upload, or JSON or an upload):
FastAPI cannot infer it from their parameters, so each declares it in ``openapi_extra``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


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

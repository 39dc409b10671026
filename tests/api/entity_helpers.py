"""Shared set-up for entity tests: a customer type and a few records."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, data

CUSTOMER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "email": {"type": "string", "format": "email"},
        "city": {"type": "string"},
        "age": {"type": "integer", "minimum": 0},
        "vip": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["name"],
    "additionalProperties": False,
}


def customer_type(admin: Api, name: str = "customer", **extra: Any) -> dict[str, Any]:
    body = {
        "name": name,
        "schema": CUSTOMER_SCHEMA,
        "unique": ["email"],
        "statuses": ["active", "inactive"],
    } | extra
    return data(admin.post("/api/v1/entity-types", json=body), 201)


def create(
    admin: Api, attributes: dict[str, Any], type_name: str = "customer", **extra: Any
) -> dict[str, Any]:
    return data(admin.post(f"/api/v1/entities/{type_name}", json={"attributes": attributes} | extra), 201)

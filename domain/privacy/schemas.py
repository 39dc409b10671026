from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class PersonExport(BaseModel):
    """Each list holds the rows as stored (secrets left out)."""

    email: str
    user: dict[str, Any] | None
    tasks: list[dict[str, Any]]
    notifications: list[dict[str, Any]]
    deliveries: list[dict[str, Any]]
    delivery_messages: list[dict[str, Any]]
    bookings: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    customers: list[dict[str, Any]]
    audit: list[dict[str, Any]]


class ErasureOut(BaseModel):
    email_hash: str
    erased: dict[str, int]

"""Shared set-up for the billing catalogue tests (no tests here): a user with chosen permissions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from tests.api.conftest import Api, data
from tests.conftest import TenantFixture


def fields(error: dict[str, Any]) -> list[str]:
    return [f["field"] for f in error["details"]["fields"]]


def user_with(admin: Api, api: Callable[[str | None], Api], tenant: TenantFixture, *permissions: str) -> Api:
    """A signed-in user whose one role holds exactly ``permissions``."""
    role = f"r{uuid.uuid4().hex[:8]}"
    data(admin.post("/api/v1/roles", json={"name": role, "permissions": list(permissions)}), 201)
    email = f"{role}@{tenant.domain}"
    body = {"email": email, "password": "a-long-password", "roles": [role]}
    data(admin.post("/api/v1/users", json=body), 201)
    return api(None).login(email, "a-long-password")

"""Listing duplicate pairs is bounded work: a type whose records are all alike at a low threshold
answers 503 after the statement timeout instead of computing every pair."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import Engine, text

from domain.entities import dedup
from tests.api.conftest import Api, data, error_of
from tests.conftest import TenantFixture

LOOSE = {
    "name": "contact",
    "schema": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
    "dedup": {"fields": ["name"], "threshold": 0.05},
}


def test_duplicate_pairs_stop_at_the_timeout(
    admin: Api, admin_engine: Engine, tenant: TenantFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    etype = data(admin.post("/api/v1/entity-types", json=LOOSE), 201)
    with admin_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO entities (id, tenant_id, type_id, attributes, dedup_text, version, schema_version,"
                " created_at, updated_at) SELECT gen_random_uuid(), :t, :ty, jsonb_build_object('name', n),"
                " n, 1, 1, now(), now() FROM (SELECT 'acme trading company ' || i AS n"
                " FROM generate_series(1, 4000) AS i) AS s"
            ),
            {"t": tenant.id, "ty": etype["id"]},
        )
    monkeypatch.setattr(dedup, "PAIRS_TIMEOUT_MS", 100)
    start = time.monotonic()
    err = error_of(admin.get("/api/v1/entities/contact/duplicates"), 503, "service_unavailable")
    assert time.monotonic() - start < 3
    assert "dedup threshold" in err["message"]
    # The connection is usable again and the next request of the tenant works.
    assert len(data(admin.get("/api/v1/entities/contact", params={"limit": "5"}))) == 5

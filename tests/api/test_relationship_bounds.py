"""The neighbourhood walk is bounded in time: around a hub with many edges it answers 503 after the
statement timeout, and the connection serves the next request."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import Engine, text

from domain.entities import relationships
from tests.api.conftest import Api, data, error_of
from tests.conftest import TenantFixture

NODE = {"name": "node", "schema": {"type": "object", "properties": {"name": {"type": "string"}}}}
LINK = {"name": "link", "cardinality": "many_to_many"}


def _hub(admin: Api, admin_engine: Engine, tenant: TenantFixture, spokes: int) -> dict[str, Any]:
    etype = data(admin.post("/api/v1/entity-types", json=NODE), 201)
    rt = data(admin.post("/api/v1/relation-types", json=LINK), 201)
    hub = data(admin.post("/api/v1/entities/node", json={"attributes": {"name": "hub"}}), 201)
    with admin_engine.begin() as conn:
        conn.execute(
            text(
                "WITH spokes AS (INSERT INTO entities (id, tenant_id, type_id, attributes, version,"
                " schema_version, created_at, updated_at) SELECT gen_random_uuid(), :t, :ty, '{}', 1, 1,"
                " now(), now() FROM generate_series(1, :n) RETURNING id)"
                " INSERT INTO relationships (id, tenant_id, relation_type_id, cardinality, source_id, target_id,"
                " attributes, created_at, updated_at) SELECT gen_random_uuid(), :t, :rt, 'many_to_many', :hub,"
                " id, '{}', now(), now() FROM spokes"
            ),
            {"t": tenant.id, "ty": etype["id"], "rt": rt["id"], "hub": hub["id"], "n": spokes},
        )
    with admin_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE entities, relationships"))  # plans as autovacuum would leave them
    return hub


def test_a_walk_around_a_hub_stops_at_the_timeout(
    admin: Api, admin_engine: Engine, tenant: TenantFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = _hub(admin, admin_engine, tenant, 60_000)
    path = f"/api/v1/entities/node/{hub['id']}/relationships"
    monkeypatch.setattr(relationships, "WALK_TIMEOUT_MS", 10)
    start = time.monotonic()
    err = error_of(admin.get(path, params={"depth": 3, "direction": "both"}), 503, "service_unavailable")
    assert time.monotonic() - start < 3 and "smaller depth" in err["message"]
    monkeypatch.setattr(relationships, "WALK_TIMEOUT_MS", 20_000)
    graph = data(admin.get(path, params={"depth": 1}))
    assert graph["truncated"] is True and len(graph["nodes"]) == 500

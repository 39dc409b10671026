"""GET /audit/verify, GET /audit/export and PUT /audit/retention through the REST contract."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, text

from db.models import AuditLog, Tenant
from db.session import tenant_session
from domain.audit import chain
from domain.audit import service as audit
from domain.context import TenantContext
from tests.api.conftest import Api, data, error_of
from tests.conftest import TenantFixture

PASSWORD = "a-long-password"


@pytest.fixture(autouse=True)
def no_settling(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(chain, "SETTLE", timedelta(0))  # the API runs in this process
    yield


def _member(admin: Api, api: Callable[[str | None], Api], tenant: TenantFixture, *perms: str) -> Api:
    role = f"r{len(perms)}"
    data(admin.post("/api/v1/roles", json={"name": role, "permissions": list(perms)}), 201)
    email = f"{role}@{tenant.domain}"
    data(admin.post("/api/v1/users", json={"email": email, "password": PASSWORD, "roles": [role]}), 201)
    return api(None).login(email, PASSWORD)


def _write(engine: Engine, tenant: TenantFixture, n: int) -> None:
    ctx = TenantContext.system(tenant.id)
    with tenant_session(engine, tenant.id) as session:
        for i in range(n):
            audit.record(session, ctx, "thing.updated", "thing", i, {"n": [i, i + 1]}, flush=False)


def test_verify_is_ok_then_names_the_row_the_owner_changed(
    admin: Api, admin_engine: Engine, engine: Engine, tenant: TenantFixture
) -> None:
    for name in ("one", "two", "three"):
        data(admin.post("/api/v1/roles", json={"name": name, "permissions": ["audit:read"]}), 201)
    verdict = data(admin.get("/api/v1/audit/verify"))
    assert verdict["ok"] is True and verdict["first_broken"] is None
    assert verdict["sealed"] >= 4 and verdict["unsealed"] == 0  # the tenant's creation, then 3 roles
    with tenant_session(engine, tenant.id) as session:
        target = session.scalar(select(AuditLog.id).where(AuditLog.action == "role.created").limit(1))
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET changes = '{}' WHERE id = :i"), {"i": target})
    broken = data(admin.get("/api/v1/audit/verify"))
    assert broken["ok"] is False and broken["first_broken"]["audit_id"] == str(target)
    assert broken["first_broken"]["seq"] >= 2 and "differs" in broken["first_broken"]["reason"]


def test_export_streams_every_row_with_its_seal(admin: Api, engine: Engine, tenant: TenantFixture) -> None:
    _write(engine, tenant, 3000)
    with admin.http.stream("GET", "/api/v1/audit/export", params={"format": "jsonl"}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
        assert "content-length" not in r.headers  # streamed, not built whole
        chunks = list(r.iter_raw())
    rows = [json.loads(line) for line in b"".join(chunks).decode().splitlines()]
    assert len(rows) >= 3001 and len(chunks) > 1
    assert all(len(row["seal_hash"]) == 64 and row["seq"] >= 1 for row in rows)
    assert [row["created_at"] for row in rows] == sorted(row["created_at"] for row in rows)

    r = admin.get("/api/v1/audit/export", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(r.text)))
    assert len(table) == len(rows) and table[0]["seal_hash"] == rows[0]["seal_hash"]
    assert json.loads(table[-1]["changes"]) == rows[-1]["changes"]


def test_export_window(admin: Api, admin_engine: Engine, engine: Engine, tenant: TenantFixture) -> None:
    _write(engine, tenant, 3)
    old = datetime.now(UTC) - timedelta(days=3)
    with admin_engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_log SET created_at = :old WHERE tenant_id = :t AND entity_id = '0'"),
            {"old": old, "t": tenant.id},
        )
    window = {"from": (old - timedelta(hours=1)).isoformat(), "to": (old + timedelta(hours=1)).isoformat()}
    r = admin.get("/api/v1/audit/export", params=window)
    (row,) = [json.loads(line) for line in r.text.splitlines()]
    assert row["entity_id"] == "0" and row["seal_hash"]


def test_bad_input_is_refused_and_changes_nothing(
    admin: Api, api: Callable[[str | None], Api], engine: Engine, tenant: TenantFixture
) -> None:
    reader = _member(admin, api, tenant, "audit:read")
    nobody = _member(admin, api, tenant, "users:read", "roles:read")
    error_of(admin.get("/api/v1/audit/export", params={"format": "xml"}), 422, "validation_failed")
    later, earlier = "2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z"
    error_of(
        admin.get("/api/v1/audit/export", params={"from": later, "to": earlier}), 422, "validation_failed"
    )
    error_of(nobody.get("/api/v1/audit/verify"), 403, "forbidden")
    error_of(nobody.get("/api/v1/audit/export"), 403, "forbidden")
    with tenant_session(engine, tenant.id) as session:
        before = session.scalar(select(func.count()).select_from(AuditLog))
    for days in (29, 3651, "many"):
        error_of(admin.put("/api/v1/audit/retention", json={"days": days}), 422, "validation_failed")
    error_of(reader.put("/api/v1/audit/retention", json={"days": 90}), 403, "forbidden")
    assert data(reader.get("/api/v1/audit/retention")) == {"days": None}
    with tenant_session(engine, tenant.id) as session:
        assert session.scalar(select(func.count()).select_from(AuditLog)) == before
        settings = session.scalar(select(Tenant.settings).where(Tenant.id == tenant.id))
    assert settings is not None and "audit_retention_days" not in settings


def test_retention_prunes_old_entries_and_the_chain_still_verifies(
    admin: Api, admin_engine: Engine, engine: Engine, tenant: TenantFixture
) -> None:
    _write(engine, tenant, 20)
    with admin_engine.begin() as conn:  # written 100 days ago, sealed by the next verify
        conn.execute(
            text(
                "UPDATE audit_log SET created_at = now() - interval '100 days' + entity_id::int * interval '1 s' "
                "WHERE tenant_id = :t AND action = 'thing.updated'"
            ),
            {"t": tenant.id},
        )
    assert data(admin.get("/api/v1/audit/verify"))["ok"] is True
    assert data(admin.put("/api/v1/audit/retention", json={"days": 30})) == {"days": 30}
    verdict = data(admin.get("/api/v1/audit/verify"))
    assert verdict["ok"] is True, verdict
    with tenant_session(engine, tenant.id) as session:
        left = session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "thing.updated")
        )
        pruned = session.scalar(select(AuditLog.changes).where(AuditLog.action == "audit.pruned"))
    assert left == 0 and pruned is not None and pruned["deleted"] >= 20
    assert data(admin.get("/api/v1/audit/retention")) == {"days": 30}

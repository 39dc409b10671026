"""Exports past one batch are complete and in order; CSV cells never start a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import json
import uuid
from typing import Any

from sqlalchemy import Engine, text

from db.models import EntityType
from db.session import tenant_session
from domain.entities import types
from tests.api.conftest import Api, data
from tests.api.entity_helpers import create, customer_type
from tests.api.test_imports import upload, wait_done
from tests.conftest import TenantFixture

EXPORT = "/api/v1/entities/customer/export"


def _bulk_insert(admin_engine: Engine, tenant: TenantFixture, type_id: str, n: int) -> None:
    """n records in one statement, all with the same created_at: the export must order ties by id."""
    with admin_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO entities (id, tenant_id, type_id, attributes, version, schema_version, status,"
                " created_at, updated_at) SELECT gen_random_uuid(), :t, :ty,"
                " jsonb_build_object('name', 'n' || i, 'age', i), 1, 1, 'active', now(), now()"
                " FROM generate_series(1, :n) AS i"
            ),
            {"t": tenant.id, "ty": type_id, "n": n},
        )


def test_an_export_of_several_batches_has_every_record_once(
    admin: Api, admin_engine: Engine, tenant: TenantFixture
) -> None:
    etype = customer_type(admin)
    _bulk_insert(admin_engine, tenant, etype["id"], 3500)
    table = list(csv.DictReader(io.StringIO(admin.get(EXPORT).text)))
    assert len(table) == 3500 and len({row["id"] for row in table}) == 3500
    assert sorted(int(row["age"]) for row in table) == list(range(1, 3501))
    lines = admin.get(EXPORT, params={"format": "jsonl", "filter[age][gt]": "1000"}).text.splitlines()
    assert len(lines) == 2500 and len({json.loads(x)["id"] for x in lines}) == 2500


def test_formula_cells_are_neutralised_and_import_back_unchanged(
    admin: Api, make_tenant: Any, api: Any
) -> None:
    customer_type(admin)
    nasty = [
        '=HYPERLINK("http://x")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\tTab",
        "\rCR",
        "'=quoted",
        "-5",
        "+33612345678",
    ]
    for i, name in enumerate(nasty):
        create(admin, {"name": name, "city": f"c{i}"}, external_id=f"=x{i}")
    table = list(csv.DictReader(io.StringIO(admin.get(EXPORT).text)))
    by_city = {row["city"]: row for row in table}
    assert [by_city[f"c{i}"]["name"] for i in range(len(nasty))] == [
        "'=HYPERLINK(\"http://x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tTab", "'\rCR", "''=quoted", "-5", "+33612345678"
    ]  # fmt: skip
    assert all(row["external_id"].startswith("'=x") for row in table)
    # The export imports into another tenant as the same values.
    other = api(make_tenant().api_key)
    customer_type(other)
    r = upload(other, "customer", admin.get(EXPORT).content, filename="customers.csv")
    assert r.status_code == 202, r.text
    done = wait_done(other, r.headers["location"])
    assert (done["rows_ok"], done["rows_failed"]) == (len(nasty), 0), done
    copied = {c["attributes"]["city"]: c for c in data(other.get("/api/v1/entities/customer"))}
    assert [copied[f"c{i}"]["attributes"]["name"] for i in range(len(nasty))] == nasty
    assert sorted(c["external_id"] for c in copied.values()) == sorted(f"=x{i}" for i in range(len(nasty)))


def test_checking_a_schema_change_does_not_hold_every_record(
    admin: Api, admin_engine: Engine, tenant: TenantFixture, engine: Engine
) -> None:
    etype = customer_type(admin)
    _bulk_insert(admin_engine, tenant, etype["id"], 2500)
    with tenant_session(engine, tenant.id) as session:
        row = session.get(EntityType, uuid.UUID(etype["id"]))
        assert row is not None
        assert types._breaking_records(session, row)[0] == 0
        assert len(session.identity_map) <= types.CHECK_BATCH + 1

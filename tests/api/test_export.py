"""Streamed exports with the list's filters, and an export that imports back as the same records."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tests.api.conftest import Api, data, error_of
from tests.api.entity_helpers import create, customer_type
from tests.api.test_imports import upload, wait_done

EXPORT = "/api/v1/entities/customer/export"


def seed(admin: Api) -> list[dict[str, Any]]:
    customer_type(admin)
    return [
        create(
            admin,
            {"name": "Zoë", "email": "zoe@example.com", "age": 31, "tags": ["a", "b"]},
            external_id="e-1",
        ),
        create(admin, {"name": "Ann, Jr.", "city": "Multi\nline", "vip": False, "age": 20}),
        create(admin, {"name": "Bob", "vip": True, "age": 45}, status="inactive"),
    ]


def content(record: dict[str, Any]) -> tuple[Any, ...]:
    return (record["external_id"] or "", record["status"], json.dumps(record["attributes"], sort_keys=True))


def test_csv_has_the_fixed_columns_then_the_schema_properties(admin: Api) -> None:
    made = seed(admin)
    r = admin.get(EXPORT)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == 'attachment; filename="customer.csv"'
    table = list(csv.DictReader(io.StringIO(r.text)))
    columns = list(table[0])
    assert columns[:5] == ["id", "external_id", "status", "created_at", "updated_at"]
    # Then the schema's properties, in the order the stored (JSONB) schema lists them.
    assert sorted(columns[5:]) == ["age", "city", "email", "name", "tags", "vip"]
    assert [row["id"] for row in table] == [m["id"] for m in made]  # oldest first
    assert table[0]["tags"] == '["a", "b"]' and table[0]["external_id"] == "e-1" and table[0]["vip"] == ""
    assert table[1]["city"] == "Multi\nline" and table[1]["vip"] == "false" and table[1]["name"] == "Ann, Jr."


def test_filters_apply_and_bad_ones_are_refused_before_streaming(admin: Api) -> None:
    made = seed(admin)
    r = admin.get(EXPORT, params={"format": "jsonl", "filter[age][gte]": "30"})
    assert r.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert [x["id"] for x in lines] == [made[0]["id"], made[2]["id"]]
    assert lines[0]["attributes"] == made[0]["attributes"] and lines[0]["type"] == "customer"
    only = admin.get(EXPORT, params={"status": "inactive"})
    assert [row["name"] for row in csv.DictReader(io.StringIO(only.text))] == ["Bob"]
    error_of(admin.get(EXPORT, params={"filter[shoe]": "1"}), 422, "validation_failed")
    error_of(admin.get(EXPORT, params={"format": "xml"}), 422, "validation_failed")
    error_of(admin.get("/api/v1/entities/nothing/export"), 404, "not_found")


def test_an_export_imports_into_another_tenant_as_the_same_records(admin: Api, make_tenant, api) -> None:
    made = seed(admin)
    for fmt in ("csv", "jsonl"):
        other = api(make_tenant().api_key)
        customer_type(other)
        exported = admin.get(EXPORT, params={"format": fmt}).content
        r = upload(other, "customer", exported, filename=f"customers.{fmt}")
        assert r.status_code == 202, r.text
        done = wait_done(other, r.headers["location"])
        assert (done["rows_ok"], done["rows_failed"]) == (3, 0), done
        copied = data(other.get("/api/v1/entities/customer"))
        assert sorted(content(c) for c in copied) == sorted(content(m) for m in made)
        assert {c["id"] for c in copied}.isdisjoint({m["id"] for m in made})

"""Entity types: defined by a JSON Schema, versioned, and protected against breaking changes."""

from __future__ import annotations

from tests.api.conftest import Api, data, error_of
from tests.api.entity_helpers import CUSTOMER_SCHEMA, create, customer_type


def test_define_read_and_list_a_type(admin: Api) -> None:
    r = admin.post(
        "/api/v1/entity-types",
        json={
            "name": "customer",
            "label": "Customer",
            "schema": CUSTOMER_SCHEMA,
            "unique": ["email"],
            "dedup": {"fields": ["name", "email"], "threshold": 0.8},
            "search": {"fields": ["name", "email", "city"], "facets": ["city"]},
            "statuses": ["active", "inactive"],
        },
    )
    created = data(r, 201)
    assert r.headers["location"] == "/api/v1/entity-types/customer"
    assert created["version"] == 1 and created["schema"] == CUSTOMER_SCHEMA
    assert created["dedup"] == {"fields": ["name", "email"], "threshold": 0.8}
    assert data(admin.get("/api/v1/entity-types/customer"))["id"] == created["id"]
    assert [t["name"] for t in data(admin.get("/api/v1/entity-types"))] == ["customer"]
    error_of(
        admin.post("/api/v1/entity-types", json={"name": "customer", "schema": CUSTOMER_SCHEMA}),
        409,
        "conflict",
    )


def test_bad_definitions_are_refused_field_by_field(admin: Api) -> None:
    cases = [
        ({"name": "Bad Name", "schema": CUSTOMER_SCHEMA}, "name"),
        ({"name": "x", "schema": {"type": "string"}}, "/schema/type"),
        (
            {"name": "x", "schema": {"type": "object", "properties": {"a": {"type": "nope"}}}},
            "/schema/properties/a/type",
        ),
        ({"name": "x", "schema": CUSTOMER_SCHEMA, "unique": ["phone"]}, "/unique/0"),
        (
            {"name": "x", "schema": CUSTOMER_SCHEMA, "search": {"fields": ["name"], "facets": ["zip"]}},
            "/search/facets/0",
        ),
        (
            {"name": "x", "schema": CUSTOMER_SCHEMA, "dedup": {"fields": ["name"], "threshold": 2}},
            "dedup.threshold",
        ),
        ({"name": "x", "schema": CUSTOMER_SCHEMA, "statuses": ["a", "a"]}, "statuses"),
    ]
    for body, field in cases:
        err = error_of(admin.post("/api/v1/entity-types", json=body), 422, "validation_failed")
        assert field in [f["field"] for f in err["details"]["fields"]], (body, err)
    assert data(admin.get("/api/v1/entity-types")) == []
    error_of(admin.get("/api/v1/entity-types/nothing"), 404, "not_found")


def test_schema_changes_are_versioned_and_breaking_ones_refused_with_a_count(admin: Api) -> None:
    customer_type(admin)
    old = create(admin, {"name": "Ann", "city": "Paris"})
    create(admin, {"name": "Bob"})
    create(admin, {"name": "Cy", "city": "Lyon"})
    # Making city required would break Bob.
    stricter = CUSTOMER_SCHEMA | {"required": ["name", "city"]}
    err = error_of(
        admin.put("/api/v1/entity-types/customer", json={"schema": stricter}), 409, "schema_incompatible"
    )
    assert err["details"]["invalid_records"] == 1
    assert err["details"]["examples"][0]["fields"] == [
        {"field": "/attributes/city", "message": "is required"}
    ]
    assert data(admin.get("/api/v1/entity-types/customer"))["version"] == 1
    # A compatible change (a new optional attribute) is version 2; old records stay readable.
    wider = CUSTOMER_SCHEMA | {"properties": CUSTOMER_SCHEMA["properties"] | {"phone": {"type": "string"}}}
    updated = data(admin.put("/api/v1/entity-types/customer", json={"schema": wider, "unique": ["email"]}))
    assert updated["version"] == 2
    record = data(admin.get(f"/api/v1/entities/customer/{old['id']}"))
    assert record["schema_version"] == 1 and record["attributes"]["city"] == "Paris"
    versions = data(admin.get("/api/v1/entity-types/customer/versions"))
    assert [v["version"] for v in versions] == [2, 1] and "phone" not in versions[1]["schema"]["properties"]
    # The new attribute is usable at once (the cached type was invalidated).
    data(admin.post("/api/v1/entities/customer", json={"attributes": {"name": "Di", "phone": "1"}}), 201)


def test_making_an_attribute_unique_is_refused_while_values_repeat(admin: Api) -> None:
    customer_type(admin, unique=[])
    create(admin, {"name": "Same"})
    create(admin, {"name": "Same"})
    err = error_of(
        admin.put("/api/v1/entity-types/customer", json={"schema": CUSTOMER_SCHEMA, "unique": ["name"]}),
        409,
        "unique_violation",
    )
    assert err["details"]["duplicates"] == {"name": 2}

"""Relation types and relationships through the live API: typed directed edges, cardinality, attributes,
soft-delete hiding and restore, the neighbourhood walk, and every kind of bad input leaving nothing behind."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.api.conftest import Api, data, error_of

PERSON = {
    "name": "person",
    "schema": {
        "type": "object",
        "properties": {"name": {"type": "string"}, "email": {"type": "string"}, "city": {"type": "string"}},
        "required": ["name"],
    },
    "search": {"fields": ["name"]},
}
COMPANY = {
    "name": "company",
    "schema": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
}
EMPLOYS: dict[str, Any] = {
    "name": "employs",
    "label": "Employs",
    "source_types": ["company"],
    "target_types": ["person"],
    "cardinality": "one_to_many",
    "attributes_schema": {
        "type": "object",
        "properties": {"role": {"type": "string"}, "since": {"type": "integer", "minimum": 1900}},
        "required": ["role"],
    },
}
KNOWS = {
    "name": "knows",
    "source_types": ["person"],
    "target_types": ["person"],
    "cardinality": "many_to_many",
}
MANAGES = {
    "name": "manages",
    "source_types": ["person"],
    "target_types": ["person"],
    "cardinality": "one_to_one",
}


def put(api: Api, path: str, **kw: Any) -> Any:
    return api.http.put(path, **kw)


def delete(api: Api, path: str, **kw: Any) -> Any:
    return api.http.delete(path, **kw)


def setup_types(admin: Api) -> None:
    for t in (PERSON, COMPANY):
        data(admin.post("/api/v1/entity-types", json=t), 201)
    for rt in (EMPLOYS, KNOWS, MANAGES):
        data(admin.post("/api/v1/relation-types", json=rt), 201)


def make(admin: Api, etype: str, **attributes: Any) -> str:
    r = admin.post(f"/api/v1/entities/{etype}", json={"attributes": attributes})
    return str(data(r, 201)["id"])


def rel_path(etype: str, ident: str, rt: str) -> str:
    return f"/api/v1/entities/{etype}/{ident}/relationships/{rt}"


def relate(admin: Api, etype: str, source: str, rt: str, target: str, **attributes: Any) -> Any:
    return admin.post(rel_path(etype, source, rt), json={"target_id": target, "attributes": attributes})


def edges(admin: Api, etype: str, ident: str, rt: str | None = None, **params: Any) -> list[dict[str, Any]]:
    path = rel_path(etype, ident, rt) if rt else f"/api/v1/entities/{etype}/{ident}/relationships"
    return list(data(admin.get(path, params=params)))


def targets(admin: Api, etype: str, ident: str, rt: str | None = None, **params: Any) -> list[str]:
    return sorted(e["target"]["id"] for e in edges(admin, etype, ident, rt, **params))


@pytest.fixture
def world(admin: Api) -> dict[str, str]:
    setup_types(admin)
    return {
        "acme": make(admin, "company", name="Acme"),
        "globex": make(admin, "company", name="Globex"),
        "ann": make(admin, "person", name="Ann", email="ann@x.test", city="Paris"),
        "bob": make(admin, "person", name="Bob", city="Lyon"),
        "cy": make(admin, "person", name="Cy"),
        "dee": make(admin, "person", name="Dee"),
    }


def test_relation_types_are_defined_read_replaced_and_removed(admin):
    data(admin.post("/api/v1/entity-types", json=PERSON), 201)
    data(admin.post("/api/v1/entity-types", json=COMPANY), 201)
    r = admin.post("/api/v1/relation-types", json=EMPLOYS)
    created = data(r, 201)
    assert r.headers["location"] == "/api/v1/relation-types/employs"
    assert {k: created[k] for k in EMPLOYS} == EMPLOYS
    assert data(admin.get("/api/v1/relation-types/employs")) == created
    data(admin.post("/api/v1/relation-types", json=KNOWS), 201)
    assert [t["name"] for t in data(admin.get("/api/v1/relation-types"))] == ["employs", "knows"]

    changed = data(put(admin, "/api/v1/relation-types/knows", json={**KNOWS, "label": "Knows", "name": None}))
    assert changed["label"] == "Knows" and changed["cardinality"] == "many_to_many"
    error_of(
        put(admin, "/api/v1/relation-types/knows", json={**KNOWS, "name": "likes"}), 422, "validation_failed"
    )

    assert data(delete(admin, "/api/v1/relation-types/knows"))["name"] == "knows"
    error_of(admin.get("/api/v1/relation-types/knows"), 404, "not_found")
    audit = data(
        admin.get("/api/v1/audit", params={"entity_type": "relation_type", "entity_id": created["id"]})
    )
    assert [a["action"] for a in audit] == ["relation_type.created"]


def test_bad_relation_types_are_refused_with_the_field(admin):
    data(admin.post("/api/v1/entity-types", json=PERSON), 201)
    bad = error_of(
        admin.post(
            "/api/v1/relation-types",
            json={**EMPLOYS, "source_types": ["person", "ghost"], "target_types": ["robot"]},
        ),
        422,
        "validation_failed",
    )
    assert [f["field"] for f in bad["details"]["fields"]] == ["/source_types/1", "/target_types/0"]
    bad = error_of(
        admin.post(
            "/api/v1/relation-types",
            json={
                **KNOWS,
                "attributes_schema": {"type": "object", "properties": {"since": {"type": "nope"}}},
            },
        ),
        422,
        "validation_failed",
    )
    assert bad["details"]["fields"][0]["field"].startswith("/attributes_schema")
    error_of(
        admin.post("/api/v1/relation-types", json={**KNOWS, "cardinality": "some"}), 422, "validation_failed"
    )
    error_of(
        admin.post("/api/v1/relation-types", json={**KNOWS, "name": "Has Space"}), 422, "validation_failed"
    )
    assert data(admin.get("/api/v1/relation-types")) == []
    data(admin.post("/api/v1/relation-types", json=KNOWS), 201)
    error_of(admin.post("/api/v1/relation-types", json=KNOWS), 409, "conflict")
    error_of(put(admin, "/api/v1/relation-types/ghost", json={**KNOWS, "name": "ghost"}), 404, "not_found")


def test_an_edge_is_created_listed_both_ways_audited_and_announced(admin, world):
    r = relate(admin, "company", world["acme"], "employs", world["ann"], role="engineer", since=2020)
    edge = data(r, 201)
    assert r.headers["location"] == rel_path("company", world["acme"], "employs") + f"/{world['ann']}"
    assert edge["relation_type"] == "employs" and edge["attributes"] == {"role": "engineer", "since": 2020}
    assert edge["source"] == {"id": world["acme"], "type": "company"}
    assert edge["target"] == {"id": world["ann"], "type": "person"}
    data(relate(admin, "company", world["acme"], "employs", world["bob"], role="cook"), 201)

    assert targets(admin, "company", world["acme"], "employs") == sorted([world["ann"], world["bob"]])
    assert edges(admin, "person", world["ann"], "employs") == []  # outgoing by default
    (incoming,) = edges(admin, "person", world["ann"], "employs", direction="in")
    assert incoming == edge
    data(relate(admin, "person", world["ann"], "knows", world["bob"]), 201)
    assert len(edges(admin, "person", world["ann"], direction="both")) == 2  # every relation type
    page1 = data(admin.get(rel_path("company", world["acme"], "employs"), params={"limit": 1}))
    assert len(page1) == 1

    audit = data(admin.get("/api/v1/audit", params={"entity_type": "relationship", "entity_id": edge["id"]}))
    assert [a["action"] for a in audit] == ["relationship.created"]
    (event,) = [
        e
        for e in data(admin.get("/api/v1/events", params={"type": "relationship.created"}))
        if e["payload"]["id"] == edge["id"]
    ]
    assert event["payload"] == {
        "id": edge["id"],
        "relation_type": "employs",
        "source_type": "company",
        "source_id": world["acme"],
        "target_type": "person",
        "target_id": world["ann"],
    }


def test_bad_edges_are_refused_and_nothing_is_written(admin, world, make_tenant, api):
    acme, ann, bob = world["acme"], world["ann"], world["bob"]
    missing = str(uuid.uuid4())
    err = error_of(relate(admin, "company", acme, "employs", missing, role="x"), 404, "not_found")
    assert "target" in err["message"] and missing in err["message"]
    err = error_of(relate(admin, "company", missing, "employs", ann, role="x"), 404, "not_found")
    assert "source" in err["message"] and missing in err["message"]
    error_of(relate(admin, "person", acme, "employs", ann, role="x"), 404, "not_found")  # acme is no person
    error_of(relate(admin, "company", acme, "ghost", ann), 404, "not_found")
    error_of(relate(admin, "ghost", acme, "employs", ann, role="x"), 404, "not_found")

    other = api(make_tenant().api_key)
    data(other.post("/api/v1/entity-types", json=PERSON), 201)
    stranger = make(other, "person", name="Stranger")
    err = error_of(relate(admin, "company", acme, "employs", stranger, role="x"), 404, "not_found")
    assert "target" in err["message"]

    # The relation type's ends: a company cannot be employed, a person cannot employ.
    err = error_of(
        relate(admin, "company", acme, "employs", world["globex"], role="x"), 422, "validation_failed"
    )
    assert err["details"]["fields"][0]["field"] == "/target_id"
    err = error_of(relate(admin, "person", ann, "employs", bob, role="x"), 422, "validation_failed")
    assert err["details"]["fields"][0]["field"] == "/source"
    # The attributes schema, every bad field by JSON pointer.
    err = error_of(relate(admin, "company", acme, "employs", ann, since=1200), 422, "validation_failed")
    assert [f["field"] for f in err["details"]["fields"]] == ["/attributes/role", "/attributes/since"]
    err = error_of(relate(admin, "person", ann, "knows", ann), 422, "validation_failed")
    assert err["details"]["fields"] == [
        {"field": "/target_id", "message": "a record cannot be related to itself"}
    ]
    error_of(
        admin.post(rel_path("company", acme, "employs"), json={"attributes": {}}), 422, "validation_failed"
    )
    error_of(
        admin.post(rel_path("company", acme, "employs"), json={"target_id": "nope"}), 422, "validation_failed"
    )

    assert edges(admin, "company", acme, direction="both") == []
    assert edges(admin, "person", ann, direction="both") == []
    assert data(admin.get("/api/v1/audit", params={"entity_type": "relationship"})) == []


def test_cardinality_is_enforced(admin, world):
    acme, globex, ann, bob, cy = world["acme"], world["globex"], world["ann"], world["bob"], world["cy"]
    data(relate(admin, "company", acme, "employs", ann, role="a"), 201)
    data(relate(admin, "company", acme, "employs", bob, role="b"), 201)  # one source, many targets
    err = error_of(relate(admin, "company", globex, "employs", ann, role="c"), 409, "cardinality_violation")
    assert err["details"] == {"relation_type": "employs", "cardinality": "one_to_many", "side": "target"}
    error_of(relate(admin, "company", acme, "employs", ann, role="again"), 409, "conflict")  # same edge

    data(relate(admin, "person", ann, "manages", bob), 201)
    err = error_of(relate(admin, "person", ann, "manages", cy), 409, "cardinality_violation")
    assert err["details"]["side"] == "source"
    error_of(relate(admin, "person", cy, "manages", bob), 409, "cardinality_violation")
    data(relate(admin, "person", bob, "manages", ann), 201)  # the other direction is another edge

    data(relate(admin, "person", ann, "knows", bob), 201)
    data(relate(admin, "person", cy, "knows", bob), 201)
    data(relate(admin, "person", ann, "knows", cy), 201)
    assert targets(admin, "company", globex, "employs") == []


def test_removing_an_edge(admin, world):
    acme, ann = world["acme"], world["ann"]
    edge = data(relate(admin, "company", acme, "employs", ann, role="a"), 201)
    path = rel_path("company", acme, "employs") + f"/{ann}"
    gone = data(delete(admin, path))
    assert gone["id"] == edge["id"]
    assert edges(admin, "company", acme) == []
    error_of(delete(admin, path), 404, "not_found")
    error_of(delete(admin, rel_path("company", acme, "employs") + f"/{world['bob']}"), 404, "not_found")
    # The removed edge frees the target for another company (the cardinality indexes skip it).
    data(relate(admin, "company", world["globex"], "employs", ann, role="b"), 201)
    (event,) = data(admin.get("/api/v1/events", params={"type": "relationship.deleted"}))
    assert event["payload"]["id"] == edge["id"]


def test_a_deleted_record_hides_its_edges_and_a_restore_brings_them_back(admin, world):
    acme, ann, bob = world["acme"], world["ann"], world["bob"]
    data(relate(admin, "company", acme, "employs", ann, role="a"), 201)
    data(relate(admin, "company", acme, "employs", bob, role="b"), 201)
    data(relate(admin, "person", ann, "knows", bob), 201)
    data(delete(admin, f"/api/v1/entities/person/{ann}"))

    assert targets(admin, "company", acme, "employs") == [bob]
    seen = edges(admin, "person", bob, direction="both")
    assert len(seen) == 1 and all(ann not in (e["source"]["id"], e["target"]["id"]) for e in seen)
    graph = data(admin.get(f"/api/v1/entities/company/{acme}/relationships", params={"depth": 2}))
    assert {n["id"] for n in graph["nodes"]} == {acme, bob}
    error_of(admin.get(rel_path("person", ann, "knows")), 404, "not_found")
    error_of(relate(admin, "person", bob, "knows", ann), 404, "not_found")

    data(admin.post(f"/api/v1/entities/person/{ann}/restore"))
    assert targets(admin, "company", acme, "employs") == sorted([ann, bob])
    assert targets(admin, "person", ann, "knows") == [bob]

    # A hidden edge keeps its place: while Acme is deleted nobody else may employ Ann, so that
    # restoring Acme can never break the one-to-many rule.
    data(delete(admin, f"/api/v1/entities/company/{acme}"))
    assert edges(admin, "person", ann, "employs", direction="in") == []
    error_of(
        relate(admin, "company", world["globex"], "employs", ann, role="x"), 409, "cardinality_violation"
    )
    data(admin.post(f"/api/v1/entities/company/{acme}/restore"))
    (back,) = edges(admin, "person", ann, "employs", direction="in")
    assert back["source"]["id"] == acme


def test_the_neighbourhood_walk(admin, world):
    ann, bob, cy, dee, acme = world["ann"], world["bob"], world["cy"], world["dee"], world["acme"]
    for s, t in ((ann, bob), (bob, cy), (cy, dee), (dee, ann)):  # a cycle
        data(relate(admin, "person", s, "knows", t), 201)
    data(relate(admin, "company", acme, "employs", ann, role="a"), 201)

    def walk(ident: str, rt: str | None = "knows", **params: Any) -> dict[str, Any]:
        path = rel_path("person", ident, rt) if rt else f"/api/v1/entities/person/{ident}/relationships"
        return dict(data(admin.get(path, params=params)))

    one = walk(ann, depth=1)
    assert [(n["id"], n["depth"]) for n in one["nodes"]] == [(ann, 0), (bob, 1)]
    assert one["nodes"][0] == {"id": ann, "type": "person", "depth": 0, "attributes": {"name": "Ann"}}
    assert [(e["source"]["id"], e["target"]["id"]) for e in one["edges"]] == [(ann, bob)]
    assert one["truncated"] is False
    two = walk(ann, depth=2)
    assert {n["id"]: n["depth"] for n in two["nodes"]} == {ann: 0, bob: 1, cy: 2}
    assert len(two["edges"]) == 2
    three = walk(ann, depth=3)
    assert {n["id"]: n["depth"] for n in three["nodes"]} == {ann: 0, bob: 1, cy: 2, dee: 3}
    assert len(three["edges"]) == 3  # dee -> ann starts beyond the limit
    back = walk(ann, depth=1, direction="in")
    assert {n["id"] for n in back["nodes"]} == {ann, dee}
    both = walk(ann, rt=None, depth=1, direction="both")
    assert {n["id"]: n["type"] for n in both["nodes"]} == {
        ann: "person",
        bob: "person",
        dee: "person",
        acme: "company",
    }
    assert len(both["edges"]) == 3

    error_of(admin.get(rel_path("person", ann, "knows"), params={"depth": 4}), 422, "validation_failed")
    error_of(admin.get(rel_path("person", ann, "knows"), params={"depth": 0}), 422, "validation_failed")
    error_of(
        admin.get(rel_path("person", ann, "knows"), params={"direction": "up"}), 422, "validation_failed"
    )


def test_changing_a_relation_type_that_edges_use(admin, world):
    acme, ann, bob = world["acme"], world["ann"], world["bob"]
    data(relate(admin, "person", ann, "knows", bob), 201)
    data(relate(admin, "person", ann, "knows", world["cy"]), 201)
    data(relate(admin, "company", acme, "employs", ann, role="a"), 201)

    err = error_of(
        put(admin, "/api/v1/relation-types/knows", json={**KNOWS, "cardinality": "one_to_one"}),
        409,
        "cardinality_violation",
    )
    assert err["details"] == {"count": 1}
    err = error_of(
        put(admin, "/api/v1/relation-types/knows", json={**KNOWS, "target_types": ["company"]}),
        409,
        "conflict",
    )
    assert err["details"]["fields"][0]["field"] == "/target_types"
    strict = {**EMPLOYS, "attributes_schema": {**EMPLOYS["attributes_schema"], "required": ["role", "since"]}}
    err = error_of(put(admin, "/api/v1/relation-types/employs", json=strict), 409, "conflict")
    assert err["details"]["fields"][0]["field"] == "/attributes_schema"
    err = error_of(delete(admin, "/api/v1/relation-types/knows"), 409, "conflict")
    assert err["details"] == {"count": 2}
    assert data(admin.get("/api/v1/relation-types/knows"))["cardinality"] == "many_to_many"

    # Loosening is fine, and the edges follow the new cardinality at once.
    data(put(admin, "/api/v1/relation-types/employs", json={**EMPLOYS, "cardinality": "many_to_many"}))
    data(relate(admin, "company", world["globex"], "employs", ann, role="b"), 201)
    error_of(put(admin, "/api/v1/relation-types/employs", json=EMPLOYS), 409, "cardinality_violation")


def test_permissions(admin, api, tenant, world):
    data(
        admin.post(
            "/api/v1/roles", json={"name": "reader", "permissions": ["entities:read", "entity_types:read"]}
        ),
        201,
    )
    email = f"reader@{tenant.domain}"
    data(
        admin.post(
            "/api/v1/users", json={"email": email, "password": "a-long-password", "roles": ["reader"]}
        ),
        201,
    )
    reader = api(None).login(email, "a-long-password")
    data(relate(admin, "person", world["ann"], "knows", world["bob"]), 201)
    assert targets(reader, "person", world["ann"], "knows") == [world["bob"]]
    assert data(reader.get("/api/v1/relation-types/knows"))["name"] == "knows"
    error_of(relate(reader, "person", world["bob"], "knows", world["ann"]), 403, "forbidden")
    error_of(delete(reader, rel_path("person", world["ann"], "knows") + f"/{world['bob']}"), 403, "forbidden")
    error_of(reader.post("/api/v1/relation-types", json={**KNOWS, "name": "likes"}), 403, "forbidden")
    error_of(api(None).get(rel_path("person", world["ann"], "knows")), 401, "unauthenticated")

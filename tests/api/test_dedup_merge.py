"""Duplicate candidates (pg_trgm on the dedup fields), the duplicate pairs listing, and merges: attributes
by strategy, edges repointed, merged records soft-deleted, all in history, audit and events; bad merges
change nothing."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlalchemy import Engine, text

from db.session import tenant_session
from domain.context import TenantContext
from domain.entities import dedup, types, validation
from domain.entities.merge import merge_attributes
from tests.api.conftest import Api, data, error_of
from tests.api.test_relationships import KNOWS, MANAGES, edges, relate, targets

CONTACT = {
    "name": "contact",
    "schema": {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "email": {"type": "string"},
            "phone": {"type": "string"},
            "city": {"type": "string"},
            "tags": {"type": "array"},
        },
        "required": ["name"],
        "maxProperties": 4,
    },
    "unique": ["email"],
    "dedup": {"fields": ["name", "email"], "threshold": 0.5},
}
EMPLOYS = {"name": "employs", "target_types": ["contact"], "cardinality": "one_to_many"}


def create(admin: Api, etype: str = "contact", allow: bool = True, **attributes: Any) -> Any:
    params = {"on_duplicate": "allow"} if allow else {}
    return admin.post(f"/api/v1/entities/{etype}", json={"attributes": attributes}, params=params)


def make(admin: Api, etype: str = "contact", **attributes: Any) -> str:
    return str(data(create(admin, etype, **attributes), 201)["id"])


def item(etype: str, ident: str) -> str:
    return f"/api/v1/entities/{etype}/{ident}"


def merge(admin: Api, survivor: str, sources: list[str], strategy: str | None = None, **kw: Any) -> Any:
    body: dict[str, Any] = {"from": sources} | ({"strategy": strategy} if strategy else {})
    return admin.post(item("contact", survivor) + "/merge", json=body, **kw)


@pytest.fixture
def contacts(admin: Api) -> Api:
    data(admin.post("/api/v1/entity-types", json=CONTACT), 201)
    return admin


def test_a_create_with_similar_records_answers_the_candidates(contacts):
    jose = make(contacts, name="José Müller", email="jose.muller@x.test")
    make(contacts, name="Zed Quux", email="zq@elsewhere.test")
    r = create(contacts, allow=False, name="Jose MULLER", email="jose.muller@y.test")
    err = error_of(r, 409, "duplicate_candidates")
    (candidate,) = err["details"]["candidates"]
    assert candidate["entity_id"] == jose and 0.5 <= candidate["score"] < 1
    assert candidate["attributes"] == {"name": "José Müller", "email": "jose.muller@x.test"}
    assert len(data(contacts.get("/api/v1/entities/contact"))) == 2  # nothing written

    data(create(contacts, allow=True, name="Jose Muller", email="jose.muller@y.test"), 201)
    assert len(data(contacts.get("/api/v1/entities/contact"))) == 3
    # Unrelated and deleted records are no candidates.
    data(create(contacts, allow=False, name="Ann Other", email="ann@z.test"), 201)
    contacts.http.delete(item("contact", jose))
    assert (
        len(
            error_of(
                create(contacts, allow=False, name="José Müller", email="j.m@x.test"),
                409,
                "duplicate_candidates",
            )["details"]["candidates"]
        )
        == 1
    )


def seed(
    engine: Engine, tenant_id: uuid.UUID, etype: Any, rows: list[dict[str, Any]], filler: int = 0
) -> None:
    """Records written straight to the table (with their dedup text), plus ``filler`` unrelated ones."""
    with tenant_session(engine, tenant_id) as session:
        for attributes in rows:
            session.execute(
                text(
                    "INSERT INTO entities (id, tenant_id, type_id, attributes, version, schema_version,"
                    " dedup_text, created_at, updated_at)"
                    " VALUES (gen_random_uuid(), :tenant, :type, CAST(:attrs AS jsonb), 1, 1, :dedup, now(), now())"
                ),
                {
                    "tenant": str(tenant_id),
                    "type": str(etype.id),
                    "attrs": json.dumps(attributes),
                    "dedup": validation.dedup_text(etype, attributes),
                },
            )
        session.execute(
            text(
                "INSERT INTO entities (id, tenant_id, type_id, attributes, version, schema_version, dedup_text,"
                " created_at, updated_at) SELECT gen_random_uuid(), :tenant, :type, '{}', 1, 1,"
                " 'q' || g || ' w' || (g * 7), now(), now() FROM generate_series(1, :n) g"
            ),
            {"tenant": str(tenant_id), "type": str(etype.id), "n": filler},
        )


def candidates_plan(conn: Any, tenant_id: uuid.UUID, etype: Any) -> str:
    # A small test table is cheapest to read whole or through the tenant index: rule both out to see
    # whether the query can use the trigram index at all.
    conn.execute(text("SET LOCAL enable_seqscan = off"))
    conn.execute(text("SET LOCAL enable_indexscan = off"))
    params = {"q": "marie curie", "tenant": str(tenant_id), "type": str(etype.id), "exclude": [], "limit": 5}
    return "\n".join(conn.execute(text("EXPLAIN " + dedup._CANDIDATES), params).scalars())


@pytest.fixture
def marie(contacts: Api, engine: Engine, admin_engine: Engine, tenant: Any) -> tuple[TenantContext, Any]:
    ctx = TenantContext.system(tenant.id)
    with tenant_session(engine, tenant.id) as session:
        etype = types.get_type(session, ctx, "contact")
    rows = [{"name": f"Marie Curie {i}", "email": f"marie{i}@x.test"} for i in range(3)]
    seed(engine, tenant.id, etype, [*rows, {"name": "Pierre", "email": "p@x.test"}], filler=2000)
    with admin_engine.begin() as conn:
        conn.execute(text("ANALYZE entities"))
    return ctx, etype


def test_candidates_by_similarity_above_the_type_threshold(marie, engine: Engine, tenant):
    ctx, etype = marie
    query = {"name": "Marie Curie", "email": "marie1@x.test"}
    with tenant_session(engine, tenant.id) as session:
        session.execute(text("SELECT set_config('pg_trgm.similarity_threshold', '0.3', true)"))
        found = dedup.candidates(session, ctx, etype, query, limit=2)
        assert len(found) == 2 and found[0].score >= found[1].score >= 0.5
        assert found[0].attributes == query | {"name": "Marie Curie 1"}
        # The type's threshold (0.5) applies, whatever the transaction had before.
        assert (
            session.execute(text("SELECT current_setting('pg_trgm.similarity_threshold')")).scalar() == "0.5"
        )
        excluded = dedup.candidates(session, ctx, etype, query, exclude_ids=[found[0].entity_id])
        assert found[0].entity_id not in {c.entity_id for c in excluded} and len(excluded) == 2
        assert dedup.candidates(session, ctx, etype, {"name": "Totally Different", "email": "q@q.q"}) == []
        assert dedup.candidates(session, ctx, etype, {}) == []  # no dedup text: no query at all
        assert found[0].to_json() == {
            "entity_id": str(found[0].entity_id),
            "score": found[0].score,
            "attributes": found[0].attributes,
        }


def plan_with_only_the_trigram_index(
    admin_engine: Engine, tenant_id: uuid.UUID, etype: Any, role: str | None
) -> str:
    """The candidate query's plan once the (tenant, type) b-trees are gone (dropped in a transaction that
    is rolled back): the planner's pick between them and the GIN index depends on table size."""
    with admin_engine.connect() as conn, conn.begin() as tx:
        for index in ("ix_entities_tenant_id", "ix_entities_listing"):
            conn.execute(text(f"DROP INDEX {index}"))
        conn.execute(text("ALTER TABLE entities DROP CONSTRAINT uq_entities_tenant_id_type_id_external_id"))
        if role:
            conn.execute(text(f'SET LOCAL ROLE "{role}"'))
            conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
        plan = candidates_plan(conn, tenant_id, etype)
        tx.rollback()
    return plan


def test_the_candidate_query_fits_the_trigram_index(marie, admin_engine: Engine, tenant):
    """The query's predicates match the partial GIN index (``%`` on dedup_text, live records only)."""
    plan = plan_with_only_the_trigram_index(admin_engine, tenant.id, marie[1], None)
    assert "Bitmap Index Scan on ix_entities_dedup_text" in plan, plan


def test_the_application_role_can_use_the_trigram_index(marie, admin_engine: Engine, settings, tenant):
    """Row-level security does not keep the index out (the tenant filter stays a separate condition)."""
    plan = plan_with_only_the_trigram_index(admin_engine, tenant.id, marie[1], settings.database_app_role)
    assert "Bitmap Index Scan on ix_entities_dedup_text" in plan, plan


def test_duplicate_pairs_are_listed_once_each(contacts):
    a = make(contacts, name="Olivia Newton", email="olivia@x.test")
    b = make(contacts, name="Olivia Newtón", email="olivia@y.test")
    c = make(contacts, name="olivia newton", email="olivia@z.test")
    make(contacts, name="Somebody Else", email="se@q.test")
    pairs = data(contacts.get("/api/v1/entities/contact/duplicates"))
    assert sorted(tuple(sorted((p["a"]["id"], p["b"]["id"]))) for p in pairs) == sorted(
        tuple(sorted(x)) for x in ((a, b), (a, c), (b, c))
    )
    assert [p["score"] for p in pairs] == sorted((p["score"] for p in pairs), reverse=True)
    assert all(p["a"]["id"] < p["b"]["id"] and 0.5 <= p["score"] <= 1 for p in pairs)
    assert pairs[0]["a"]["attributes"]["name"].lower().startswith("olivia")
    assert len(data(contacts.get("/api/v1/entities/contact/duplicates", params={"limit": 1}))) == 1
    contacts.http.delete(item("contact", c))
    assert len(data(contacts.get("/api/v1/entities/contact/duplicates"))) == 1
    error_of(
        contacts.get("/api/v1/entities/contact/duplicates", params={"limit": 0}), 422, "validation_failed"
    )
    error_of(contacts.get("/api/v1/entities/ghost/duplicates"), 404, "not_found")
    plain = {k: v for k, v in CONTACT.items() if k not in ("dedup", "unique")} | {"name": "note"}
    data(contacts.post("/api/v1/entity-types", json=plain), 201)
    make(contacts, "note", name="x")
    make(contacts, "note", name="x")
    assert data(contacts.get("/api/v1/entities/note/duplicates")) == []


def test_merge_strategies():
    survivor: dict[str, Any] = {"name": "Ann", "email": None, "city": "", "tags": []}
    sources: list[dict[str, Any]] = [
        {"email": "a@x.test", "city": "Paris", "phone": None},
        {"phone": "+33 1", "city": "Lyon", "name": "A."},
    ]
    assert merge_attributes(survivor, sources, "keep_target") == {
        "name": "Ann",
        "email": "a@x.test",
        "city": "",
        "tags": [],
        "phone": "+33 1",
    }
    assert merge_attributes(survivor, sources, "fill_empty") == {
        "name": "Ann",
        "email": "a@x.test",
        "city": "Paris",
        "tags": [],
        "phone": "+33 1",
    }
    assert merge_attributes(survivor, sources, "prefer_source") == {
        "name": "A.",
        "email": "a@x.test",
        "city": "Paris",
        "tags": [],
        "phone": "+33 1",
    }
    assert merge_attributes(survivor, [], "prefer_source") == survivor


@pytest.fixture
def graph(contacts: Api) -> dict[str, str]:
    """A survivor and two duplicates with edges that collide once repointed."""
    data(
        contacts.post(
            "/api/v1/entity-types",
            json={
                "name": "company",
                "schema": {"type": "object", "properties": {"name": {"type": "string"}}},
            },
        ),
        201,
    )
    relation_types: list[dict[str, Any]] = [
        {**KNOWS, "source_types": [], "target_types": []},
        {**MANAGES, "source_types": [], "target_types": []},
        EMPLOYS,
    ]
    for kind in relation_types:
        data(contacts.post("/api/v1/relation-types", json=kind), 201)
    ids = {
        "s": make(contacts, name="Grace Hopper", city="Arlington"),
        "a": make(contacts, name="Grace M. Hopper", email="grace@navy.test", phone="+1 555"),
        "b": make(contacts, name="G. Hopper", city="New York"),
        "x": make(contacts, name="Xavier", email="x@x.test"),
        "y": make(contacts, name="Yolanda", email="y@x.test"),
        "z": make(contacts, name="Zoe", email="z@x.test"),
        "acme": make(contacts, "company", name="Acme"),
    }
    s, a, b, x, y, z = (ids[k] for k in "sabxyz")
    for src, rt, tgt in (
        (s, "knows", x),
        (a, "knows", x),  # becomes a duplicate of s -> x
        (b, "knows", y),  # moves: s -> y
        (s, "knows", a),  # becomes a self-loop
        (x, "knows", b),  # moves: x -> s
        (s, "manages", z),
        (a, "manages", y),  # s already manages someone (one_to_one)
    ):
        data(relate(contacts, "contact", src, rt, tgt), 201)
    data(relate(contacts, "company", ids["acme"], "employs", a), 201)  # moves: acme employs s
    return ids


def test_a_merge_moves_attributes_edges_and_history(contacts, graph):
    s, a, b, x, y, z, acme = (graph[k] for k in ("s", "a", "b", "x", "y", "z", "acme"))
    r = merge(contacts, s, [a, b])  # keep_target by default
    out = data(r)
    survivor = out["survivor"]
    assert survivor["attributes"] == {
        "name": "Grace Hopper",
        "city": "Arlington",
        "email": "grace@navy.test",  # a unique value the merged record held
        "phone": "+1 555",
    }
    assert survivor["version"] == 2 and r.headers["etag"]
    assert out["merged"] == [a, b] and out["relationships"] == {"repointed": 3, "dropped": 3}

    for gone in (a, b):
        error_of(contacts.get(item("contact", gone)), 404, "not_found")
        record = data(contacts.get(item("contact", gone), params={"include_deleted": True}))
        assert record["merged_into"] == s and record["deleted_at"]
        (last, *_) = data(contacts.get(item("contact", gone) + "/history"))
        assert (last["operation"], last["note"]) == ("deleted", f"merged into {s}")
    (last, *_) = data(contacts.get(item("contact", s) + "/history"))
    assert last["operation"] == "merged" and a in last["note"] and b in last["note"]
    assert last["diff"]["attributes.email"] == [None, "grace@navy.test"]

    assert targets(contacts, "contact", s, "knows") == sorted([x, y])
    assert targets(contacts, "contact", s, "manages") == [z]
    assert [e["source"]["id"] for e in edges(contacts, "contact", s, "knows", direction="in")] == [x]
    assert targets(contacts, "company", acme, "employs") == [s]
    assert edges(contacts, "contact", y, "manages", direction="in") == []

    audit = data(contacts.get("/api/v1/audit", params={"entity_id": s}))
    assert audit[0]["action"] == "entity.merged"
    (merged_event,) = data(contacts.get("/api/v1/events", params={"type": "entity.merged"}))
    assert merged_event["payload"] == {"type": "contact", "id": s, "version": 2}
    deleted = {
        e["payload"]["id"] for e in data(contacts.get("/api/v1/events", params={"type": "entity.deleted"}))
    }
    assert deleted == {a, b}
    assert len(data(contacts.get("/api/v1/events", params={"type": "relationship.deleted"}))) == 3
    # The survivor holds the email now; a new record cannot take it.
    error_of(create(contacts, name="Other", email="grace@navy.test"), 409, "unique_violation")


def test_prefer_source_and_fill_empty(contacts):
    s = make(contacts, name="Alan", city="")
    a = make(contacts, name="Alan Turing", city="Wilmslow")
    assert data(merge(contacts, s, [a], "fill_empty"))["survivor"]["attributes"] == {
        "name": "Alan",
        "city": "Wilmslow",
    }
    t = make(contacts, name="Ada", city="London")
    c = make(contacts, name="Ada Lovelace", phone="+44")
    assert data(merge(contacts, t, [c], "prefer_source"))["survivor"]["attributes"] == {
        "name": "Ada Lovelace",
        "city": "London",
        "phone": "+44",
    }


def test_bad_merges_change_nothing(contacts, graph, make_tenant, api):
    s, a = graph["s"], graph["a"]
    before = {k: data(contacts.get(item("contact", graph[k]))) for k in "sab"}
    edges_before = sorted(e["id"] for e in edges(contacts, "contact", s, direction="both"))

    err = error_of(merge(contacts, s, [a, s]), 422, "validation_failed")
    assert err["details"]["fields"] == [
        {"field": "/from/1", "message": "a record cannot be merged into itself"}
    ]
    err = error_of(merge(contacts, s, [a, a]), 422, "validation_failed")
    assert err["details"]["fields"][0]["field"] == "/from/1"
    error_of(merge(contacts, s, []), 422, "validation_failed")
    error_of(merge(contacts, s, [a], "newest"), 422, "validation_failed")
    error_of(contacts.post(item("contact", s) + "/merge", json={"from": ["nope"]}), 422, "validation_failed")

    missing = str(uuid.uuid4())
    err = error_of(merge(contacts, s, [a, missing]), 404, "not_found")
    assert missing in err["message"]
    error_of(merge(contacts, missing, [a]), 404, "not_found")
    error_of(merge(contacts, s, [graph["acme"]]), 404, "not_found")  # a company, not a contact
    other = api(make_tenant().api_key)
    data(other.post("/api/v1/entity-types", json=CONTACT), 201)
    stranger = make(other, name="Grace Hopper")
    error_of(merge(contacts, s, [stranger]), 404, "not_found")
    error_of(merge(other, stranger, [s]), 404, "not_found")

    # The merged attributes break the schema (five attributes; at most four).
    tagged = make(contacts, name="Tagged", tags=["x"])
    err = error_of(merge(contacts, a, [s, tagged], "keep_target"), 422, "validation_failed")
    assert err["details"]["fields"][0]["field"] == "/attributes"
    error_of(merge(contacts, s, [a], headers={"If-Match": '"stale"'}), 412, "precondition_failed")

    gone = make(contacts, name="Gone")
    contacts.http.delete(item("contact", gone))
    err = error_of(merge(contacts, s, [a, gone]), 409, "conflict")
    assert "already deleted" in err["message"]
    error_of(merge(contacts, gone, [a]), 409, "conflict")

    after = {k: data(contacts.get(item("contact", graph[k]))) for k in "sab"}
    assert after == before
    assert sorted(e["id"] for e in edges(contacts, "contact", s, direction="both")) == edges_before
    assert data(contacts.get("/api/v1/events", params={"type": "entity.merged"})) == []

    data(merge(contacts, s, [a]))
    err = error_of(merge(contacts, s, [a]), 409, "conflict")
    assert f"merged into {s}" in err["message"]


def test_merge_needs_write_permission(contacts, api, tenant):
    s, a = make(contacts, name="Kim"), make(contacts, name="Kim K")
    data(contacts.post("/api/v1/roles", json={"name": "reader", "permissions": ["entities:read"]}), 201)
    email = f"r@{tenant.domain}"
    data(
        contacts.post(
            "/api/v1/users", json={"email": email, "password": "a-long-password", "roles": ["reader"]}
        ),
        201,
    )
    reader = api(None).login(email, "a-long-password")
    error_of(merge(reader, s, [a]), 403, "forbidden")
    assert len(data(reader.get("/api/v1/entities/contact/duplicates"))) == 1
    assert data(contacts.get(item("contact", a)))["deleted_at"] is None

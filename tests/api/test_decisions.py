"""Decision tables through REST: publishing YAML (immutable versions, audited, every bad table a 4xx
with line and column and nothing stored), the catalogue of shipped and published tables, a version
with its warnings and renderings, evaluation with its explanation, validation, permissions and
tenant isolation (RLS included)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text

from db.models.decisions import Decision
from db.session import tenant_session
from tests.api.conftest import Api, data, error_of
from tests.conftest import TenantFixture

YAML = {"content-type": "application/yaml"}
BASE = "/api/v1/decisions"
FEES = """\
name: shipping-fee
version: {version}
description: Shipping fee by weight and country
hit_policy: first
inputs:
  - {{name: weight, expression: parcel.weight, type: number}}
  - {{name: country, expression: country, type: string}}
outputs:
  - {{name: fee, type: number}}
  - {{name: carrier, type: string}}
rules:
  - when: {{weight: "< 1", country: '"DE","AT"'}}
    then: {{fee: {small}, carrier: dhl}}
    description: small parcels at home
  - when: {{weight: "[1..10)"}}
    then: {{fee: 9, carrier: dhl}}
  - when: {{weight: ">= 10"}}
    then: {{fee: 25, carrier: freight}}
"""
CELL_LINE = 12  # the line of the first rule's cells in FEES


def fees(version: int = 1, small: float = 4.5) -> str:
    return FEES.format(version=version, small=small)


def publish(api: Api, body: str | bytes, status: int = 201) -> Any:
    return data(api.post(BASE, content=body, headers=YAML), status)


def evaluate(api: Api, name: str, body: Any) -> Any:
    return api.post(f"{BASE}/{name}/evaluate", json=body)


def refused(api: Api, body: str | bytes, path: str = BASE) -> list[dict[str, Any]]:
    """The 422's field errors, each with its line and column."""
    error = error_of(api.post(path, content=body, headers=YAML), 422, "validation_failed")
    fields: list[dict[str, Any]] = error["details"]["fields"]
    assert fields and all(f["line"] and f["column"] for f in fields), fields
    return fields


def stored(engine: Engine, tenant: TenantFixture) -> int:
    with tenant_session(engine, tenant.id) as session:
        return session.scalar(select(func.count()).select_from(Decision)) or 0


def test_a_version_is_published_once_audited_and_read_with_its_warnings_and_renderings(admin: Api):
    made = admin.post(BASE, content=fees(), headers=YAML)
    assert made.status_code == 201, made.text
    assert made.headers["location"] == f"{BASE}/shipping-fee/versions/1"
    out = made.json()["data"]
    assert (out["name"], out["version"], out["origin"], out["hit_policy"]) == (
        "shipping-fee",
        1,
        "tenant",
        "first",
    )
    assert len(out["sha256"]) == 64 and made.headers["etag"] == f'"{out["sha256"]}"'
    assert out["document"]["rules"][1]["then"] == {"fee": 9, "carrier": "dhl"}
    # A light parcel to another country is covered by no rule: a warning, since the table is not complete.
    (gap,) = [w for w in out["warnings"] if w["kind"] == "gap"]
    assert gap["witness"]["weight"] < 1 and gap["witness"]["country"] not in ("DE", "AT"), gap
    assert "<table" in out["html"] and "small parcels at home" in out["html"]
    assert "shipping-fee" in out["markdown"] and "| " in out["markdown"]

    again = admin.post(BASE, content=fees(), headers=YAML)
    assert again.status_code == 200 and again.json()["data"]["sha256"] == out["sha256"]
    assert again.json()["message"]
    conflict = error_of(admin.post(BASE, content=fees(small=5), headers=YAML), 409, "conflict")
    assert conflict["details"]["sha256"] == out["sha256"]
    publish(admin, fees(version=2, small=5))

    read = admin.get(f"{BASE}/shipping-fee/versions/1")
    assert read.headers["etag"] == f'"{out["sha256"]}"' and data(read) == out
    assert data(admin.get(f"{BASE}/shipping-fee/versions/2"))["document"]["rules"][0]["then"]["fee"] == 5
    error_of(admin.get(f"{BASE}/shipping-fee/versions/3"), 404, "not_found")

    audit = data(admin.get("/api/v1/audit", params={"entity_type": "decision"}))
    published = [a for a in audit if a["action"] == "decision.published"]
    assert len(published) == 2, audit  # the same content again is no new version


def test_the_catalogue_lists_shipped_and_published_tables_a_page_at_a_time(admin: Api):
    publish(admin, fees())
    publish(admin, fees(version=2, small=5))
    names: list[str] = []
    first = admin.get(BASE, params={"limit": 2})
    body = first.json()
    assert first.status_code == 200 and len(body["data"]) == 2 and body["meta"]["limit"] == 2
    items, cursor = body["data"], body["meta"]["next_cursor"]
    while cursor:
        more = admin.get(BASE, params={"limit": 2, "cursor": cursor}).json()
        items += more["data"]
        cursor = more["meta"]["next_cursor"]
    names = [item["name"] for item in items]
    assert names == sorted(names) and len(names) == len(set(names))
    mine = next(item for item in items if item["name"] == "shipping-fee")
    assert mine == {
        "name": "shipping-fee",
        "origin": "tenant",
        "latest_version": 2,
        "versions": [1, 2],
        "description": "Shipping fee by weight and country",
        "hit_policy": "first",
    }
    shipped = [item for item in items if item["origin"] == "shipped"]
    assert len(shipped) >= 4 and all(item["versions"] and item["description"] for item in shipped)
    assert data(admin.get(BASE, params={"limit": 200})) == items
    error_of(admin.get(BASE, params={"cursor": "forged"}), 422, "validation_failed")
    error_of(admin.get(BASE, params={"limit": 0}), 422, "validation_failed")


def test_a_shipped_table_is_seen_by_every_tenant_and_its_name_cannot_be_published(admin: Api):
    shipped = next(
        item for item in data(admin.get(BASE, params={"limit": 200})) if item["origin"] == "shipped"
    )
    version = data(admin.get(f"{BASE}/{shipped['name']}/versions/{shipped['latest_version']}"))
    assert version["origin"] == "shipped" and version["source"] and "<table" in version["html"]
    taken = fees().replace("name: shipping-fee", f"name: {shipped['name']}")
    error = error_of(admin.post(BASE, content=taken, headers=YAML), 409, "conflict")
    assert "shipped" in error["message"]


def test_evaluation_answers_the_outputs_and_why_each_rule_matched_or_not(admin: Api):
    publish(admin, fees())
    publish(admin, fees(version=2, small=5))
    context = {"parcel": {"weight": 0.5}, "country": "DE"}
    latest = data(evaluate(admin, "shipping-fee", {"context": context}))
    assert latest["outputs"] == {"fee": 5, "carrier": "dhl"} and latest["version"] == 2
    assert latest["matched"] == [1] and latest["hit_policy"] == "first"
    assert latest["inputs"] == {"weight": 0.5, "country": "DE"}
    pinned = data(evaluate(admin, "shipping-fee", {"context": context, "version": 1}))
    assert pinned["outputs"] == {"fee": 4.5, "carrier": "dhl"} and pinned["version"] == 1

    heavy = data(evaluate(admin, "shipping-fee", {"context": {"parcel": {"weight": 12}, "country": "FR"}}))
    assert heavy["outputs"] == {"fee": 25, "carrier": "freight"} and heavy["matched"] == [3]
    first, second, third = heavy["explanation"]
    assert first["matched"] is False and first["description"] == "small parcels at home"
    assert first["failed"]["input"] == "weight" and first["failed"]["value"] == 12
    assert first["failed"]["cell"] == "< 1"
    assert second["failed"]["cell"] == "[1..10)" and third == {
        "rule": 3,
        "matched": True,
        "description": None,
        "failed": None,
    }

    nothing = data(evaluate(admin, "shipping-fee", {"context": {"parcel": {"weight": 0.2}, "country": "FR"}}))
    assert nothing["outputs"] is None and nothing["matched"] == []
    assert nothing["explanation"][0]["failed"]["input"] == "country"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"context": {"country": "DE"}}, "context.weight"),  # an input the context lacks
        ({"context": {"parcel": {"weight": "heavy"}, "country": "DE"}}, "context.weight"),  # wrong type
        ({"context": [1, 2]}, "context"),
        ({"context": "DE"}, "context"),
        ({}, "context"),
        ({"context": {}, "version": 0}, "version"),
        ({"context": {}, "version": -1}, "version"),
        ({"context": {}, "version": 10**12}, "version"),
        ({"context": {}, "version": 1.5}, "version"),
        ({"context": {}, "version": "1"}, "version"),
        ({"context": {}, "colour": "red"}, "colour"),
    ],
)
def test_a_bad_evaluation_is_a_422_naming_what_is_wrong(admin: Api, body: dict[str, Any], field: str):
    publish(admin, fees())
    error = error_of(evaluate(admin, "shipping-fee", body), 422, "validation_failed")
    assert field in {f["field"] for f in error["details"]["fields"]}, error


def test_evaluating_what_the_tenant_does_not_have_is_a_404(admin: Api):
    publish(admin, fees())
    error_of(evaluate(admin, "shipping-fee", {"context": {}, "version": 2}), 404, "not_found")
    error_of(evaluate(admin, "no-such-table", {"context": {}}), 404, "not_found")
    error_of(evaluate(admin, "Bad Name", {"context": {}}), 422, "validation_failed")
    bad = admin.post(
        f"{BASE}/shipping-fee/evaluate", content=b"{", headers={"content-type": "application/json"}
    )
    error_of(bad, 400, "bad_request")
    for version in ("0", "-1", "1000001", "x", "1.5"):
        error_of(admin.get(f"{BASE}/shipping-fee/versions/{version}"), 422, "validation_failed")
    error_of(admin.get(f"{BASE}/BAD/versions/1"), 422, "validation_failed")


def test_validation_answers_the_warnings_and_stores_nothing(
    admin: Api, engine: Engine, tenant: TenantFixture
):
    valid = data(admin.post(f"{BASE}/validate", content=fees(version=7), headers=YAML))
    assert valid["valid"] is True and (valid["name"], valid["version"]) == ("shipping-fee", 7)
    assert [w["kind"] for w in valid["warnings"]] == ["gap"]
    (problem,) = refused(admin, fees().replace('"< 1"', '"<< 1"'), f"{BASE}/validate")
    assert problem["field"] == "/rules/0/when/weight" and problem["line"] == CELL_LINE, problem
    assert stored(engine, tenant) == 0
    error_of(admin.post(f"{BASE}/validate", json={"name": "x"}), 415, "unsupported_media_type")


def _many_rules(count: int) -> str:
    aliases = ", ".join(["*r"] * (count - 1))
    return (
        "name: many\nversion: 1\nhit_policy: collect\n"
        "inputs: [{name: x, expression: x, type: number}]\noutputs: [{name: y, type: number}]\n"
        f'rules: [&r {{when: {{x: "> 0"}}, then: {{y: 1}}}}, {aliases}]\n'
    )


UNIQUE_OVERLAP = fees().replace("hit_policy: first", "hit_policy: unique").replace('"[1..10)"', '"[0..10)"')
# case -> (body, JSON pointer, line, column) of a problem the 422 must name; None: not asserted.
BAD_TABLES: dict[str, tuple[str, str | None, int | None, int | None]] = {
    "unknown hit policy": (fees().replace("hit_policy: first", "hit_policy: best"), "/hit_policy", 4, 13),
    # The column of the second '<' inside the quoted cell.
    "a cell that does not parse": (fees().replace('"< 1"', '"<< 1"'), "/rules/0/when/weight", CELL_LINE, 22),
    "a range that does not close": (
        fees().replace('"[1..10)"', '"[1..10"'),
        "/rules/1/when/weight",
        15,
        None,
    ),
    "an output of the wrong type": (fees().replace("fee: 9", "fee: nine"), "/rules/1/then/fee", 16, 17),
    "a cell of the wrong type": (
        fees().replace('"< 1"', '"< \\"one\\""'),
        "/rules/0/when/weight",
        CELL_LINE,
        None,
    ),
    "an unknown input": (
        fees().replace('weight: ">= 10"', 'height: ">= 10"'),
        "/rules/2/when/height",
        17,
        12,
    ),
    "aggregation without collect": (fees() + "aggregation: sum\n", "/aggregation", 19, 14),
    "a name not matching the pattern": (fees().replace("shipping-fee", "Shipping Fee"), "/name", 1, 7),
    "NUL bytes": (fees().replace("Shipping fee", "Ship\x00ping fee"), None, 3, None),
    "overlapping rules under unique": (UNIQUE_OVERLAP, "/rules/1/when", 15, None),
    "not YAML": ("name: [unclosed\n", None, None, None),
    "more than 5,000 rules": (_many_rules(5001), "/rules", 6, None),
}


@pytest.mark.parametrize("case", list(BAD_TABLES), ids=list(BAD_TABLES))
def test_a_bad_table_is_a_422_with_line_and_column_and_nothing_is_published(
    admin: Api, engine: Engine, tenant: TenantFixture, case: str
):
    body, pointer, line, column = BAD_TABLES[case]
    fields = refused(admin, body)
    named = [f for f in fields if pointer is None or f["field"] == pointer]
    assert named and all(line is None or f["line"] == line for f in named), fields
    assert all(column is None or f["column"] == column for f in named), fields
    if case == "overlapping rules under unique":
        (overlap,) = [f for f in fields if "overlap" in f["message"]]
        assert "weight = 0" in overlap["message"], overlap  # the witness input that hits both rules
    if case == "more than 5,000 rules":
        assert "5000" in fields[0]["message"], fields
    assert stored(engine, tenant) == 0
    assert not [i for i in data(admin.get(BASE, params={"limit": 200})) if i["origin"] == "tenant"]


def test_bodies_the_api_does_not_take(admin: Api, engine: Engine, tenant: TenantFixture):
    too_big = fees() + "#" * 70_000 + "\n"
    error_of(admin.post(BASE, content=too_big, headers=YAML), 413, "payload_too_large")
    error_of(admin.post(BASE, content=b"  \n", headers=YAML), 400, "bad_request")
    error_of(admin.post(BASE, json={"name": "shipping-fee"}), 415, "unsupported_media_type")
    assert stored(engine, tenant) == 0


def test_another_tenants_tables_are_unknown(
    admin: Api, api: Callable[[str | None], Api], make_tenant: Any, engine: Engine, tenant: TenantFixture
):
    publish(admin, fees())
    other_tenant = make_tenant("Other")
    other = api(other_tenant.api_key)
    error_of(other.get(f"{BASE}/shipping-fee/versions/1"), 404, "not_found")
    error_of(
        evaluate(other, "shipping-fee", {"context": {"parcel": {"weight": 1}, "country": "DE"}}),
        404,
        "not_found",
    )
    assert "shipping-fee" not in {i["name"] for i in data(other.get(BASE, params={"limit": 200}))}
    # Its own table of the same name is its own.
    publish(other, fees(small=7))
    assert data(other.get(f"{BASE}/shipping-fee/versions/1"))["document"]["rules"][0]["then"]["fee"] == 7
    assert data(admin.get(f"{BASE}/shipping-fee/versions/1"))["document"]["rules"][0]["then"]["fee"] == 4.5
    with tenant_session(engine, other_tenant.id) as session:  # RLS: the first tenant's row is invisible
        assert session.execute(text("SELECT count(*) FROM decisions")).scalar_one() == 1
    assert stored(engine, tenant) == 1


def test_reading_needs_decisions_read_and_publishing_decisions_write(
    admin: Api, engine: Engine, tenant: TenantFixture
):
    publish(admin, fees())
    data(admin.post("/api/v1/roles", json={"name": "clerk", "permissions": ["processes:read"]}), 201)
    people = {"mo": ["member"], "cy": ["clerk"]}
    for name, roles in people.items():
        body = {"email": f"{name}@{tenant.domain}", "password": f"{name}-password-12", "roles": roles}
        data(admin.post("/api/v1/users", json=body), 201)
    mo, cy = (admin.login(f"{name}@{tenant.domain}", f"{name}-password-12") for name in people)
    # A member reads and evaluates (decisions:read, as definitions:read) but may not publish.
    assert data(mo.get(f"{BASE}/shipping-fee/versions/1"))["name"] == "shipping-fee"
    context = {"context": {"parcel": {"weight": 3}, "country": "DE"}}
    assert data(evaluate(mo, "shipping-fee", context))["outputs"]["fee"] == 9
    error_of(mo.post(BASE, content=fees(version=2), headers=YAML), 403, "forbidden")
    for call in (
        cy.get(BASE),
        cy.get(f"{BASE}/shipping-fee/versions/1"),
        evaluate(cy, "shipping-fee", context),
        cy.post(f"{BASE}/validate", content=fees(), headers=YAML),
        cy.post(BASE, content=fees(version=2), headers=YAML),
    ):
        error_of(call, 403, "forbidden")
    assert stored(engine, tenant) == 1


def test_collect_with_an_aggregation_sums_the_matched_rules(admin: Api):
    points = """\
name: loyalty-points
version: 1
hit_policy: collect
aggregation: sum
inputs:
  - {name: total, expression: order.total, type: number}
  - {name: member, expression: member, type: boolean}
outputs:
  - {name: points, type: number}
rules:
  - when: {total: ">= 0"}
    then: {points: 1}
  - when: {total: "> 100"}
    then: {points: 10}
  - when: {member: "true"}
    then: {points: 5}
"""
    publish(admin, points)
    answer = data(evaluate(admin, "loyalty-points", {"context": {"order": {"total": 150}, "member": True}}))
    assert answer["outputs"] == {"points": 16} and answer["matched"] == [1, 2, 3]
    assert answer["aggregation"] == "sum"
    answer = data(evaluate(admin, "loyalty-points", {"context": {"order": {"total": 50}, "member": False}}))
    assert answer["outputs"] == {"points": 1} and answer["matched"] == [1]


def test_a_shipped_table_evaluates_for_every_tenant(
    admin: Api, api: Callable[[str | None], Api], make_tenant: Any
):
    context = {"amount": {"value": "1250.00", "currency": "EUR"}, "department": "it"}
    for caller in (admin, api(make_tenant("Other").api_key)):
        answer = data(evaluate(caller, "approval-routing", {"context": context}))
        assert answer["outputs"] == {"approver": "manager", "respond_within": "P2D"}, answer
        assert answer["matched"][0] == 2 and answer["explanation"][0]["failed"]["input"] == "amount"
    error_of(evaluate(admin, "approval-routing", {"context": context, "version": 99}), 404, "not_found")


def test_rules_that_disagree_at_evaluation_are_a_422_naming_them(admin: Api):
    # Expression cells are opaque to the static checks: unique can only find the overlap when evaluating.
    grade = """\
name: grade
version: 1
hit_policy: unique
inputs: [{name: score, expression: score, type: number}]
outputs: [{name: grade, type: string}]
rules:
  - when: {score: "{{ value > 1 }}"}
    then: {grade: b}
  - when: {score: "{{ value > 2 }}"}
    then: {grade: a}
"""
    publish(admin, grade)
    assert data(evaluate(admin, "grade", {"context": {"score": 2}}))["outputs"] == {"grade": "b"}
    error = error_of(evaluate(admin, "grade", {"context": {"score": 3}}), 422, "decision_conflict")
    assert error["details"]["rules"] == [1, 2]


def test_publishing_the_same_version_at_once_stores_it_once(
    admin: Api, engine: Engine, tenant: TenantFixture
):
    bodies = [fees(), fees(), fees(small=6), fees(), fees(small=6), fees()]
    with ThreadPoolExecutor(len(bodies)) as pool:
        answers = list(pool.map(lambda body: admin.post(BASE, content=body, headers=YAML), bodies))
    statuses = [a.status_code for a in answers]
    assert statuses.count(201) == 1, [a.text for a in answers]
    won = bodies[statuses.index(201)]
    # Whichever came first, the same content again is a 200 and other content a 409: never a 500.
    assert statuses == [
        201 if i == statuses.index(201) else 200 if b == won else 409 for i, b in enumerate(bodies)
    ]
    assert stored(engine, tenant) == 1

"""Records of a custom type through the REST contract: CRUD, validation, ETags, history, lists."""

from __future__ import annotations

from collections.abc import Callable

from tests.api.conftest import Api, data, error_of
from tests.api.entity_helpers import create, customer_type
from tests.conftest import TenantFixture


def test_create_read_and_find_by_external_id(admin: Api) -> None:
    customer_type(admin)
    r = admin.post(
        "/api/v1/entities/customer",
        json={"attributes": {"name": "Zoë", "email": "zoe@example.com", "age": 31}, "external_id": "crm-1"},
    )
    record = data(r, 201)
    assert r.headers["location"] == f"/api/v1/entities/customer/{record['id']}" and r.headers["etag"]
    assert record["status"] == "active" and record["version"] == 1 and record["type"] == "customer"
    got = admin.get(f"/api/v1/entities/customer/{record['id']}")
    assert data(got)["attributes"] == {"name": "Zoë", "email": "zoe@example.com", "age": 31}
    assert got.headers["etag"] == r.headers["etag"]
    by_external = data(admin.get("/api/v1/entities/customer", params={"external_id": "crm-1"}))
    assert [e["id"] for e in by_external] == [record["id"]]


def test_every_bad_field_is_listed_by_json_pointer_and_nothing_is_written(admin: Api) -> None:
    customer_type(admin)
    err = error_of(
        admin.post(
            "/api/v1/entities/customer",
            json={"attributes": {"email": "not-an-email", "age": -1, "colour": "red"}, "status": "gone"},
        ),
        422,
        "validation_failed",
    )
    fields = {f["field"] for f in err["details"]["fields"]}
    assert fields == {
        "/attributes/name",
        "/attributes/email",
        "/attributes/age",
        "/attributes/colour",
        "/status",
    }
    assert data(admin.get("/api/v1/entities/customer")) == []
    error_of(admin.post("/api/v1/entities/customer", json={"attributes": []}), 422, "validation_failed")
    error_of(admin.post("/api/v1/entities/nothing", json={"attributes": {"name": "x"}}), 404, "not_found")


def test_unique_attributes_and_external_ids_are_unique_per_type(admin: Api) -> None:
    customer_type(admin)
    first = create(admin, {"name": "A", "email": "a@example.com"}, external_id="x1")
    err = error_of(
        admin.post("/api/v1/entities/customer", json={"attributes": {"name": "B", "email": "A@example.com"}}),
        409,
        "unique_violation",
    )
    assert err["details"]["fields"][0] == {"field": "/attributes/email", "entity_id": first["id"]}
    error_of(
        admin.post("/api/v1/entities/customer", json={"attributes": {"name": "C"}, "external_id": "x1"}),
        409,
        "external_id_taken",
    )
    # Deleting frees the value; restoring while another record holds it is refused.
    data(admin.delete(f"/api/v1/entities/customer/{first['id']}"))
    create(admin, {"name": "B", "email": "a@example.com"})
    error_of(admin.post(f"/api/v1/entities/customer/{first['id']}/restore"), 409, "unique_violation")
    assert len(data(admin.get("/api/v1/entities/customer"))) == 1


def test_put_and_patch_guarded_by_if_match(admin: Api) -> None:
    customer_type(admin)
    r = admin.post("/api/v1/entities/customer", json={"attributes": {"name": "A", "city": "Paris", "age": 3}})
    record, tag = data(r, 201), r.headers["etag"]
    url = f"/api/v1/entities/customer/{record['id']}"
    put = admin.put(url, json={"attributes": {"name": "A", "city": "Lyon"}}, headers={"If-Match": tag})
    assert data(put)["attributes"] == {"name": "A", "city": "Lyon"} and data(put)["version"] == 2
    # The old tag is stale now: 412, and the record is unchanged.
    stale = admin.put(url, json={"attributes": {"name": "Z"}}, headers={"If-Match": tag})
    assert error_of(stale, 412, "precondition_failed")["details"]["etag"] == put.headers["etag"]
    patched = admin.patch(
        url,
        content='{"attributes": {"city": null, "age": 40, "tags": ["x"]}, "status": "inactive"}',
        headers={"Content-Type": "application/merge-patch+json", "If-Match": put.headers["etag"]},
    )
    assert data(patched)["attributes"] == {"name": "A", "age": 40, "tags": ["x"]}
    assert data(patched)["status"] == "inactive" and data(patched)["version"] == 3
    error_of(admin.patch(url, json={"attributes": {"age": "old"}}), 422, "validation_failed")
    error_of(admin.patch(url, json={"colour": 1}), 422, "validation_failed")
    error_of(admin.patch(url, json=[1]), 422, "validation_failed")
    assert data(admin.get(url))["version"] == 3


def test_history_diff_actor_version_and_revert(admin: Api, tenant: TenantFixture) -> None:
    customer_type(admin)
    record = create(admin, {"name": "A", "city": "Paris"})
    url = f"/api/v1/entities/customer/{record['id']}"
    data(admin.patch(url, json={"attributes": {"city": "Lyon"}}))
    data(admin.delete(url))
    error_of(admin.get(url), 404, "not_found")
    assert data(admin.get(url, params={"include_deleted": "true"}))["deleted_at"]
    data(admin.post(url + "/restore"))
    history = data(admin.get(url + "/history"))
    assert [h["operation"] for h in history] == ["restored", "deleted", "updated", "created"]
    assert history[2]["diff"] == {"attributes.city": ["Paris", "Lyon"]}
    assert history[3]["actor_type"] == "api_key" and history[3]["actor_id"]
    first = data(admin.get(url + "/history/1"))
    assert first["attributes"] == {"name": "A", "city": "Paris"}
    reverted = data(admin.post(url + "/history/1/revert"))
    assert reverted["attributes"]["city"] == "Paris" and reverted["version"] == 5
    assert data(admin.get(url + "/history"))[0]["note"] == "reverted to version 1"
    error_of(admin.get(url + "/history/99"), 404, "not_found")
    error_of(admin.post(url + "/history/99/revert"), 404, "not_found")


def test_lists_filter_sort_and_page_with_cursors(admin: Api) -> None:
    customer_type(admin)
    people = [
        ("Ann", "Paris", 25),
        ("Bob", "Paris", 35),
        ("Cy", "Lyon", 45),
        ("Di", "Paris", 55),
        ("Ed", None, 30),
    ]
    for name, city, age in people:
        create(admin, {"name": name, "age": age} | ({"city": city} if city else {}))
    names = lambda rows: [r["attributes"]["name"] for r in rows]  # noqa: E731
    paris_30 = admin.get(
        "/api/v1/entities/customer", params={"filter[city]": "Paris", "filter[age][gte]": "30", "sort": "age"}
    )
    assert names(data(paris_30)) == ["Bob", "Di"]
    assert names(
        data(
            admin.get(
                "/api/v1/entities/customer",
                params={"filter[city][in]": "Lyon,Paris", "filter[age][lt]": "40", "sort": "-age"},
            )
        )
    ) == ["Bob", "Ann"]
    assert names(data(admin.get("/api/v1/entities/customer", params={"filter[city][exists]": "false"}))) == [
        "Ed"
    ]
    # Pages of 2 sorted by name descending, walked with meta.next_cursor.
    seen, cursor = [], None
    while True:
        params = {"sort": "-name", "limit": "2"} | ({"cursor": cursor} if cursor else {})
        body = admin.get("/api/v1/entities/customer", params=params).json()
        seen += names(body["data"])
        cursor = body["meta"]["next_cursor"]
        if not cursor:
            break
    assert seen == ["Ed", "Di", "Cy", "Bob", "Ann"]
    # Sorting on an attribute some records lack puts them last.
    assert names(data(admin.get("/api/v1/entities/customer", params={"sort": "city"})))[-1] == "Ed"


def test_bad_list_queries_are_clear_errors(admin: Api) -> None:
    customer_type(admin)
    create(admin, {"name": "A"})
    cases = [
        ({"filter[colour]": "red"}, "filter[colour]"),
        ({"filter[age][near]": "3"}, "filter[age][near]"),
        ({"filter[age]": "old"}, "filter[age]"),
        ({"filter[tags]": "x"}, "filter[tags]"),
        ({"sort": "colour"}, "sort"),
        ({"cursor": "garbage"}, "cursor"),
        ({"created_after": "yesterday"}, "created_after"),
    ]
    for params, field in cases:
        err = error_of(admin.get("/api/v1/entities/customer", params=params), 422, "validation_failed")
        assert err["details"]["fields"][0]["field"] == field, (params, err)
    page = admin.get("/api/v1/entities/customer", params={"limit": "1", "sort": "name"}).json()
    assert page["meta"]["limit"] == 1
    error_of(admin.get("/api/v1/entities/customer", params={"limit": "0"}), 422, "validation_failed")
    assert admin.get("/api/v1/entities/customer", params={"limit": "5000"}).json()["meta"]["limit"] == 200


def test_tenants_never_see_each_others_records(
    admin: Api, api: Callable[[str | None], Api], make_tenant: Callable[..., TenantFixture]
) -> None:
    customer_type(admin)
    record = create(admin, {"name": "Secret"})
    other = api(make_tenant("Other").api_key)
    customer_type(other)
    error_of(other.get(f"/api/v1/entities/customer/{record['id']}"), 404, "not_found")
    error_of(
        other.patch(f"/api/v1/entities/customer/{record['id']}", json={"attributes": {"name": "x"}}),
        404,
        "not_found",
    )
    assert data(other.get("/api/v1/entities/customer")) == []


def test_members_cannot_read_deleted_records_or_define_types(
    admin: Api, api: Callable[[str | None], Api], tenant: TenantFixture
) -> None:
    customer_type(admin)
    record = create(admin, {"name": "A"})
    data(
        admin.post(
            "/api/v1/users",
            json={"email": f"m@{tenant.domain}", "password": "a-long-password", "roles": ["member"]},
        ),
        201,
    )
    member = api(None).login(f"m@{tenant.domain}", "a-long-password")
    assert data(member.get(f"/api/v1/entities/customer/{record['id']}"))["id"] == record["id"]
    error_of(member.get("/api/v1/entities/customer", params={"include_deleted": "true"}), 403, "forbidden")
    error_of(
        member.post("/api/v1/entity-types", json={"name": "x", "schema": {"type": "object"}}),
        403,
        "forbidden",
    )


def test_concurrent_creates_of_one_unique_value_leave_exactly_one_record(admin: Api) -> None:
    from concurrent.futures import ThreadPoolExecutor

    customer_type(admin)

    def attempt(i: int) -> int:
        body = {"attributes": {"name": f"N{i}", "email": "race@example.com"}}
        return admin.post("/api/v1/entities/customer", json=body).status_code

    with ThreadPoolExecutor(10) as pool:
        codes = sorted(pool.map(attempt, range(10)))
    assert codes == [201] + [409] * 9
    listed = data(admin.get("/api/v1/entities/customer", params={"filter[email]": "race@example.com"}))
    assert len(listed) == 1

"""The console's records over HTTP, against the live stack (Typesense kept in step by the worker): the
kinds of record, a type's table searched without a script (a misspelt name still finds its record,
facets count and filter), a record's page with its attributes as a form carrying the ETag, its history
with diffs after a save and a revert through the REST API, its relationships both ways; who may read
and who may change; another organisation's record is the 404 page; bad query values answer a page."""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

import httpx

from tests.api.conftest import Api, Live, data
from tests.api.test_console import PASSWORD, browser, csrf_of, sign_in
from tests.api.test_search import eventually, ids, search
from tests.conftest import TenantFixture

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "title": "Name"},
        "city": {"type": "string"},
        "vip": {"type": "boolean"},
        "notes": {"type": "object"},
    },
    "required": ["name"],
}
PEOPLE = [("Margaret Hamilton", "Boston"), ("Grace Hopper", "Arlington"), ("Ada Lovelace", "London")]


def define(admin: Api, name: str = "customer") -> None:
    """A type named ``name`` searched by name and city, with city and vip as facets."""
    body = {
        "name": name,
        "label": name.title(),
        "description": f"The {name}s we serve",
        "schema": SCHEMA,
        "statuses": ["active", "inactive"],
        "search": {"fields": ["name", "city"], "facets": ["city", "vip"]},
    }
    data(admin.post("/api/v1/entity-types", json=body), 201)


def people(admin: Api, type_name: str = "customer") -> dict[str, str]:
    """The three people, created in order (Ada last, so newest), once search finds them all."""
    made = {}
    for name, city in PEOPLE:
        attributes = {"name": name, "city": city, "vip": city == "London"}
        made[name] = data(admin.post(f"/api/v1/entities/{type_name}", json={"attributes": attributes}), 201)[
            "id"
        ]
    eventually(lambda: search(admin, type_name=type_name).json()["meta"]["found"] == len(PEOPLE))
    return made


def signed_in(live: Live, email: str, password: str = PASSWORD, **headers: str) -> httpx.Client:
    client = browser(live, **headers)
    assert sign_in(client, email, password).status_code == 303
    return client


def links(page: str, type_name: str = "customer") -> list[str]:
    """The record ids the page links to, in page order."""
    return re.findall(rf'href="/app/records/{type_name}/([0-9a-f-]{{36}})"', page)


def test_the_kinds_of_record_and_a_table_searched_without_a_script(
    live: Live, admin: Api, tenant: TenantFixture
):
    boss = signed_in(live, tenant.admin_email, tenant.admin_password)
    empty = boss.get("/app/records")
    assert empty.status_code == 200 and "POST /api/v1/entity-types" in empty.text  # how to define one

    define(admin)
    none_yet = boss.get("/app/records/customer")
    assert none_yet.status_code == 200 and "Create one with POST /api/v1/entities/customer" in none_yet.text
    made = people(admin)
    listed = boss.get("/app/records")
    assert 'href="/app/records/customer"' in listed.text and "The customers we serve" in listed.text

    table = boss.get("/app/records/customer")
    assert table.status_code == 200
    assert links(table.text) == [made["Ada Lovelace"], made["Grace Hopper"], made["Margaret Hamilton"]]
    assert 'role="search"' in table.text and 'id="q"' in table.text and "Records found: 3" in table.text
    assert "console-records.js" in table.text and "<script>" not in table.text  # no inline script

    misspelt = boss.get("/app/records/customer", params={"q": "Margret Hamiltn"})
    assert links(misspelt.text) == [made["Margaret Hamilton"]]
    assert 'value="Margret Hamiltn"' in misspelt.text  # the box keeps what was typed

    # Facets: each value with its count, linking to the table filtered by it.
    facet = re.search(
        r'<a href="([^"]+)" data-facet="city" data-value="London">London <span class="count">1', table.text
    )
    assert facet is not None, table.text
    london = boss.get(html.unescape(facet[1]))
    assert links(london.text) == [made["Ada Lovelace"]] and 'aria-current="true"' in london.text
    vip = boss.get("/app/records/customer", params={"filter[vip]": "false"})
    assert set(links(vip.text)) == {made["Grace Hopper"], made["Margaret Hamilton"]}
    nothing = boss.get("/app/records/customer", params={"q": "zzzzqqqq"})
    assert links(nothing.text) == [] and "Nothing matches" in nothing.text

    # Values no facet takes are left out, never a 500 nor an API error body.
    for odd in (
        {"filter[vip]": "maybe"},
        {"filter[nope]": "x"},
        {"filter[city]": "`"},
        {"q": "x" * 900},
        {"q": "name:=*", "filter[city": "x"},
    ):
        answer = boss.get("/app/records/customer", params=odd)
        assert answer.status_code == 200 and "<h1" in answer.text, odd
    missing = boss.get("/app/records/no_such_type")
    assert missing.status_code == 404 and "Not found" in missing.text


def test_a_type_without_search_settings_lists_its_newest_records(
    live: Live, admin: Api, tenant: TenantFixture
):
    body = {"name": "asset", "schema": {"type": "object", "properties": {"tag": {"type": "string"}}}}
    data(admin.post("/api/v1/entity-types", json=body), 201)
    first = data(admin.post("/api/v1/entities/asset", json={"attributes": {"tag": "A-1"}}), 201)
    second = data(admin.post("/api/v1/entities/asset", json={"attributes": {"tag": "A-2"}}), 201)
    boss = signed_in(live, tenant.admin_email, tenant.admin_password)
    page = boss.get("/app/records/asset")
    assert page.status_code == 200 and links(page.text, "asset") == [second["id"], first["id"]]
    assert "PUT /api/v1/entity-types/asset" in page.text and 'id="q"' not in page.text


def relate(admin: Api, customer: str) -> str:
    """A company the customer works at; its id."""
    company = {"name": "company", "schema": {"type": "object", "properties": {"title": {"type": "string"}}}}
    data(admin.post("/api/v1/entity-types", json=company), 201)
    acme = data(admin.post("/api/v1/entities/company", json={"attributes": {"title": "Acme Rockets"}}), 201)
    kind = {
        "name": "works_at",
        "source_types": ["customer"],
        "target_types": ["company"],
        "cardinality": "many_to_many",
    }
    data(admin.post("/api/v1/relation-types", json=kind), 201)
    edge = {"target_id": acme["id"]}
    data(admin.post(f"/api/v1/entities/customer/{customer}/relationships/works_at", json=edge), 201)
    return str(acme["id"])


def test_a_record_page_edits_shows_the_diff_and_reverts(live: Live, admin: Api, tenant: TenantFixture):
    define(admin)
    made = people(admin)
    ada = made["Ada Lovelace"]
    acme = relate(admin, ada)
    boss = signed_in(live, tenant.admin_email, tenant.admin_password)

    page = boss.get(f"/app/records/customer/{ada}")
    assert page.status_code == 200 and "<h1>Ada Lovelace</h1>" in page.text
    assert 'name="attributes.name"' in page.text and 'value="Ada Lovelace"' in page.text
    assert re.search(r'name="attributes.vip" data-kind="boolean" data-had="1" checked', page.text)
    assert 'name="attributes.notes"' in page.text and 'data-kind="json"' in page.text
    etag = admin.get(f"/api/v1/entities/customer/{ada}").headers["etag"]
    shown = re.search(r'data-etag="([^"]+)"', page.text)
    assert shown is not None and html.unescape(shown[1]) == etag
    # Its relationship, linked to the other record's page, and back from there.
    assert f'href="/app/records/company/{acme}">Acme Rockets</a>' in page.text
    company = boss.get(f"/app/records/company/{acme}")
    assert (
        f'href="/app/records/customer/{ada}">Ada Lovelace</a>' in company.text
        and "to this record" in company.text
    )

    # Saving is the page's PATCH with the session's CSRF token and the ETag; a stale ETag is a 412.
    csrf = csrf_of(page.text)
    patch = {"attributes": {"city": "Paris"}}
    headers = {"X-CSRF-Token": csrf, "If-Match": etag, "Content-Type": "application/merge-patch+json"}
    saved = boss.patch(f"/api/v1/entities/customer/{ada}", json=patch, headers=headers)
    assert saved.status_code == 200, saved.text
    stale = boss.patch(
        f"/api/v1/entities/customer/{ada}", json={"attributes": {"city": "Rome"}}, headers=headers
    )
    assert stale.status_code == 412

    after = boss.get(f"/app/records/customer/{ada}", params={"saved": "1"})
    assert "Your changes are saved" in after.text
    row = re.search(r'<tr data-field="attributes.city">(.*?)</tr>', after.text)
    assert row is not None and "London" in row[1] and "Paris" in row[1]
    assert 'data-version="1"' in after.text and "Revert to version 1" in after.text
    assert "Revert to version 2" not in after.text  # the current version
    assert f"by {tenant.admin_email}" in after.text  # who saved it

    revert_headers = {"X-CSRF-Token": csrf, "If-Match": saved.headers["etag"]}
    back = boss.post(f"/api/v1/entities/customer/{ada}/history/1/revert", headers=revert_headers)
    assert back.status_code == 200, back.text
    reverted = boss.get(f"/app/records/customer/{ada}", params={"reverted": "1"})
    assert "back to version 1" in reverted.text and "reverted to version 1" in reverted.text
    assert data(admin.get(f"/api/v1/entities/customer/{ada}"))["attributes"]["city"] == "London"
    assert (
        boss.get(f"/app/records/customer/{ada}", params={"reverted": "x" * 50, "saved": "??"}).status_code
        == 200
    )


def role_user(admin: Api, tenant: TenantFixture, permissions: list[str]) -> str:
    role = f"r{uuid.uuid4().hex[:8]}"
    data(admin.post("/api/v1/roles", json={"name": role, "permissions": permissions}), 201)
    email = f"{role}@{tenant.domain}"
    data(admin.post("/api/v1/users", json={"email": email, "password": PASSWORD, "roles": [role]}), 201)
    return email


def test_readers_see_no_controls_strangers_are_refused_and_others_ids_are_not_found(
    live: Live, admin: Api, tenant: TenantFixture, approver: str, make_tenant: Any, api: Any
):
    define(admin)
    made = people(admin)
    ada = made["Ada Lovelace"]
    data(admin.patch(f"/api/v1/entities/customer/{ada}", json={"attributes": {"city": "Turin"}}))

    stranger = signed_in(live, approver)  # tasks only
    for path in ("/app/records", "/app/records/customer", f"/app/records/customer/{ada}"):
        refused = stranger.get(path)
        assert refused.status_code == 403 and "Not allowed" in refused.text, path
    assert 'href="/app/records"' not in stranger.get("/app/inbox").text  # nor offered in the nav

    reader = signed_in(live, role_user(admin, tenant, ["entities:read"]), **{"Accept-Language": "fr"})
    table = reader.get("/app/records/customer", params={"q": "Lovlace"})
    assert "Chercher parmi ces fiches" in table.text and "Fiches trouvées : 1" in table.text
    assert links(table.text) == [ada]
    page = reader.get(f"/app/records/customer/{ada}")
    assert page.status_code == 200 and 'lang="fr"' in page.text and "Historique" in page.text
    assert "records-edit" not in page.text and "records-revert" not in page.text  # no save, no revert
    assert "Turin" in page.text and "entities:write" in page.text
    assert reader.get("/app/records").status_code == 200

    other = make_tenant("Records elsewhere")
    theirs = api(other.api_key)
    define(theirs)
    foreign = data(
        theirs.post("/api/v1/entities/customer", json={"attributes": {"name": "Ada Lovelace"}}), 201
    )
    boss = signed_in(live, tenant.admin_email, tenant.admin_password)
    for path in (
        f"/app/records/customer/{foreign['id']}",
        f"/app/records/customer/{uuid.uuid4()}",
        "/app/records/customer/not-a-uuid",
        f"/app/records/no_such_type/{ada}",
    ):
        missing = boss.get(path)
        assert missing.status_code == 404 and "Not found" in missing.text, path
    eventually(lambda: ids(search(theirs, "Lovelace")) == [foreign["id"]])
    assert foreign["id"] not in boss.get("/app/records/customer", params={"q": "Lovelace"}).text
    assert boss.get("/app/records").status_code == 200

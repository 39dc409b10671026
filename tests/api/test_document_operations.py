"""PDF operations and search through the HTTP API: each result a document or a version with its own
history; bad ranges, unknown fields, non-PDF inputs and other tenants' documents refused with nothing
stored."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, func, select

from db.models import Document, DocumentVersion
from db.session import tenant_session
from tests.api.conftest import Api, data, error_of
from tests.conftest import TenantFixture
from tests.domain.pdf_helpers import FORM_HTML, html_pdf, outline_titles, pages_pdf

BASE = "/api/v1/documents"


def upload(who: Api, content: bytes, name: str, claimed: str = "application/pdf") -> dict[str, Any]:
    meta = json.dumps({"name": name, "document_type": "contract"})
    return data(who.post(BASE, files={"file": (name, content, claimed)}, data={"meta": meta}), 201)


def content(who: Api, doc_id: str) -> bytes:
    response = who.get(f"{BASE}/{doc_id}/content")
    assert response.status_code == 200, response.text
    return response.content


def texts(pdf: bytes) -> list[str]:
    return [page.extract_text().strip() for page in PdfReader(io.BytesIO(pdf)).pages]


def counts(engine: Engine, tenant: TenantFixture) -> tuple[int, int]:
    with tenant_session(engine, tenant.id) as session:
        docs = session.scalar(select(func.count()).select_from(Document))
        versions = session.scalar(select(func.count()).select_from(DocumentVersion))
    return int(docs or 0), int(versions or 0)


@pytest.fixture
def two(admin: Api) -> tuple[dict[str, Any], dict[str, Any]]:
    return upload(admin, pages_pdf("Alpha one", "Alpha two"), "alpha.pdf"), upload(
        admin, pages_pdf("Bravo one"), "bravo.pdf"
    )


def test_merge_keeps_the_order_and_outlines_each_source(admin: Api, two: tuple[dict[str, Any], ...]) -> None:
    alpha, bravo = two
    body = {"documents": [bravo["id"], alpha["id"]], "name": "bundle.pdf"}
    response = admin.post(f"{BASE}/merge", json=body)
    merged = data(response, 201)
    assert response.headers["Location"] == f"{BASE}/{merged['id']}"
    assert (merged["source"], merged["page_count"], merged["version"]) == ("merge", 3, 1)
    assert merged["document_type"] == "contract"
    pdf = content(admin, merged["id"])
    assert texts(pdf) == ["Bravo one", "Alpha one", "Alpha two"]
    assert outline_titles(pdf) == [("bravo.pdf", 0), ("alpha.pdf", 1)]
    versions = data(admin.get(f"{BASE}/{merged['id']}/versions"))
    assert [(v["version"], v["source"]) for v in versions] == [(1, "merge")]
    assert alpha["id"] in versions[0]["note"] and bravo["id"] in versions[0]["note"]


def test_split_makes_a_document_per_range(admin: Api, engine: Engine, tenant: TenantFixture) -> None:
    source = upload(admin, pages_pdf("One", "Two", "Three"), "three.pdf")
    parts = data(admin.post(f"{BASE}/{source['id']}/split", json={"ranges": ["1-2", "3-"]}), 201)["documents"]
    assert [p["name"] for p in parts] == ["three.pdf (pages 1-2)", "three.pdf (pages 3-)"]
    assert [texts(content(admin, p["id"])) for p in parts] == [["One", "Two"], ["Three"]]
    before = counts(engine, tenant)
    for ranges, field in ((["1-2", "2-4"], "ranges.1"), (["0"], "ranges.0"), (["x"], "ranges.0")):
        error = error_of(
            admin.post(f"{BASE}/{source['id']}/split", json={"ranges": ranges}), 422, "validation_failed"
        )
        assert [f["field"] for f in error["details"]["fields"]] == [field]
    error_of(admin.post(f"{BASE}/{source['id']}/split", json={"ranges": []}), 422, "validation_failed")
    assert counts(engine, tenant) == before


def test_stamp_adds_a_version_with_the_text_on_the_chosen_pages(admin: Api) -> None:
    doc = upload(admin, pages_pdf("Invoice 7", "Terms"), "invoice.pdf")
    response = admin.post(f"{BASE}/{doc['id']}/stamp", json={"text": "PAID", "pages": "first"})
    version = data(response, 201)
    assert (version["version"], version["source"]) == (2, "stamp")
    assert response.headers["Location"] == f"{BASE}/{doc['id']}/content?version=2"
    first, second = texts(content(admin, doc["id"]))
    assert "PAID" in first and "Invoice 7" in first and "PAID" not in second
    assert texts(data_bytes(admin, doc["id"], 1)) == ["Invoice 7", "Terms"]  # the original is kept
    for body, field in (
        ({"text": ""}, "text"),
        ({"text": "PAID", "pages": [3]}, "pages.0"),
        ({"text": "PAID", "position": "middle"}, "position"),
        ({"text": "line\nbreak"}, "text"),
    ):
        error = error_of(admin.post(f"{BASE}/{doc['id']}/stamp", json=body), 422, "validation_failed")
        assert field in [f["field"] for f in error["details"]["fields"]], error
    assert data(admin.get(f"{BASE}/{doc['id']}"))["version"] == 2


def data_bytes(who: Api, doc_id: str, version: int) -> bytes:
    response = who.get(f"{BASE}/{doc_id}/content", params={"version": version})
    assert response.status_code == 200, response.text
    return response.content


def test_a_form_is_listed_filled_and_flattened(admin: Api) -> None:
    doc = upload(admin, html_pdf(FORM_HTML, forms=True), "application.pdf")
    fields = {f["name"]: f for f in data(admin.get(f"{BASE}/{doc['id']}/fields"))}
    assert {"name", "city", "agree", "plan"} <= set(fields)
    assert fields["city"]["value"] == "Lisbon" and fields["plan"]["type"] == "choice"
    before = data(admin.get(f"{BASE}/{doc['id']}"))["version"]
    error = error_of(
        admin.post(f"{BASE}/{doc['id']}/fill", json={"fields": {"nope": "x", "agree": "maybe"}}),
        422,
        "validation_failed",
    )
    assert sorted(f["field"] for f in error["details"]["fields"]) == ["fields.agree", "fields.nope"]
    assert data(admin.get(f"{BASE}/{doc['id']}"))["version"] == before
    filled = data(admin.post(f"{BASE}/{doc['id']}/fill", json={"fields": {"name": "Ada Lovelace"}}), 201)
    assert filled["source"] == "fill"
    assert {f["name"]: f["value"] for f in data(admin.get(f"{BASE}/{doc['id']}/fields"))}[
        "name"
    ] == "Ada Lovelace"
    flat = {"fields": {"city": "Porto"}, "flatten": True}
    data(admin.post(f"{BASE}/{doc['id']}/fill", json=flat), 201)
    assert data(admin.get(f"{BASE}/{doc['id']}/fields")) == []  # the form is gone, its values printed
    printed = " ".join(texts(content(admin, doc["id"])))
    assert "Ada Lovelace" in printed and "Porto" in printed


def test_packages_as_zip_or_pdf(admin: Api, engine: Engine, tenant: TenantFixture) -> None:
    pdf = upload(admin, pages_pdf("Contract body"), "contract.pdf")
    note = upload(admin, b"plain words\n", "note.txt", "text/plain")
    zipped = data(
        admin.post(
            f"{BASE}/package", json={"documents": [pdf["id"], note["id"]], "format": "zip", "name": "all.zip"}
        ),
        201,
    )
    assert (zipped["content_type"], zipped["source"]) == ("application/zip", "package")
    with zipfile.ZipFile(io.BytesIO(content(admin, zipped["id"]))) as archive:
        names = archive.namelist()
        assert sorted(names) == ["contract.pdf", "note.txt"]
        assert archive.read("note.txt") == b"plain words\n"
    one = data(
        admin.post(
            f"{BASE}/package",
            json={"documents": [pdf["id"], pdf["id"]], "format": "pdf", "name": "twice.pdf"},
        ),
        201,
    )
    assert texts(content(admin, one["id"])) == ["Contract body", "Contract body"]
    before = counts(engine, tenant)
    error = error_of(
        admin.post(
            f"{BASE}/package", json={"documents": [pdf["id"], note["id"]], "format": "pdf", "name": "x.pdf"}
        ),
        422,
        "validation_failed",
    )
    assert [f["field"] for f in error["details"]["fields"]] == ["documents.1"]
    error = error_of(
        admin.post(f"{BASE}/merge", json={"documents": [note["id"]], "name": "x.pdf"}),
        422,
        "validation_failed",
    )
    assert [f["field"] for f in error["details"]["fields"]] == ["documents.0"]
    error_of(
        admin.post(f"{BASE}/package", json={"documents": [], "format": "zip", "name": "x"}),
        422,
        "validation_failed",
    )
    error_of(
        admin.post(f"{BASE}/package", json={"documents": [pdf["id"]], "format": "rar", "name": "x"}),
        422,
        "validation_failed",
    )
    assert counts(engine, tenant) == before


def test_other_tenants_and_deleted_documents_are_not_found(
    admin: Api,
    api: Callable[[str | None], Api],
    make_tenant: Callable[..., TenantFixture],
    engine: Engine,
    tenant: TenantFixture,
) -> None:
    mine = upload(admin, pages_pdf("Mine"), "mine.pdf")
    other = make_tenant()
    theirs = upload(api(other.api_key), pages_pdf("Theirs"), "theirs.pdf")
    before = counts(engine, tenant)
    error_of(
        admin.post(f"{BASE}/merge", json={"documents": [mine["id"], theirs["id"]], "name": "x.pdf"}),
        404,
        "not_found",
    )
    error_of(admin.post(f"{BASE}/{theirs['id']}/stamp", json={"text": "MINE"}), 404, "not_found")
    error_of(admin.get(f"{BASE}/{theirs['id']}/fields"), 404, "not_found")
    data(admin.delete(f"{BASE}/{mine['id']}"))
    error_of(admin.post(f"{BASE}/{mine['id']}/split", json={"ranges": ["1"]}), 404, "not_found")
    assert counts(engine, tenant) == before


def search(who: Api, q: str, **filters: Any) -> dict[str, Any]:
    result: dict[str, Any] = data(who.post(f"{BASE}/search", json={"q": q, **filters}))
    return result


def wait_for(who: Api, q: str, count: int, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        result = search(who, q)
        if len(result["hits"]) == count or time.monotonic() > deadline:
            return result
        time.sleep(0.3)


def test_the_text_of_documents_is_searchable(
    admin: Api, api: Callable[[str | None], Api], make_tenant: Callable[..., TenantFixture]
) -> None:
    doc = upload(admin, pages_pdf("Quarterly zygomorphic report", "Appendix"), "q3.pdf")
    result = wait_for(admin, "zygomorphic", 1)
    assert [hit["document"]["id"] for hit in result["hits"]] == [doc["id"]]
    assert "<mark>zygomorphic</mark>" in result["hits"][0]["snippet"]
    assert search(admin, "zygomorphic", document_type="invoice")["hits"] == []
    stranger = api(make_tenant().api_key)
    assert search(stranger, "zygomorphic")["hits"] == []
    data(admin.post(f"{BASE}/{doc['id']}/stamp", json={"text": "ARCHIVED"}), 201)
    assert wait_for(admin, "ARCHIVED", 1)["hits"][0]["document"]["version"] == 2
    data(admin.delete(f"{BASE}/{doc['id']}"))
    assert wait_for(admin, "zygomorphic", 0)["hits"] == []
    for body in ({"q": ""}, {"q": "x" * 201}, {"q": "a", "limit": 0}, {"q": "a", "document_type": "a`b"}):
        error_of(admin.post(f"{BASE}/search", json=body), 422, "validation_failed")

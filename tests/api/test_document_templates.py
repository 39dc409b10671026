"""Document templates through the HTTP API: save (checked by rendering), versions, If-Match, preview
as PDF and PNG, page numbers, and templates refused at save with nothing stored."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from tests.api.conftest import Api, data, error_of

BASE = "/api/v1/document-templates"
PAGED_CSS = """
@page { size: A5; margin: 20mm; @bottom-center { content: "page " counter(page) " of " counter(pages); } }
.page { break-before: page; }
"""


def template(key: str = "invoice", **extra: Any) -> dict[str, Any]:
    return {
        "key": key,
        "name": "Invoice",
        "content": "<h1>Invoice {{ number }}</h1><p>Total {{ total | money('EUR') }}</p>",
        "sample_data": {"number": "S-1", "total": "12.30"},
        **extra,
    }


def texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_create_read_update_with_versions(admin: Api) -> None:
    r = admin.post(BASE, json=template())
    saved = data(r, 201)
    assert r.headers["Location"] == f"{BASE}/invoice"
    assert (saved["version"], saved["name"], saved["locale"]) == (1, "Invoice", "en")
    first_tag = r.headers["ETag"]
    error_of(admin.post(BASE, json=template()), 409, "conflict")

    got = admin.get(f"{BASE}/invoice")
    assert data(got)["content"] == template()["content"] and got.headers["ETag"] == first_tag

    changed = template(name="Invoice (new)", content="<h1>Rechnung {{ number }}</h1>")
    del changed["key"]
    r = admin.put(f"{BASE}/invoice", json=changed, headers={"If-Match": first_tag})
    assert data(r)["version"] == 2
    second_tag = r.headers["ETag"]
    stale = admin.put(f"{BASE}/invoice", json=changed, headers={"If-Match": first_tag})
    assert error_of(stale, 412, "precondition_failed")["details"]["etag"] == second_tag

    r = admin.patch(f"{BASE}/invoice", json={"locale": "de-DE"}, headers={"If-Match": second_tag})
    patched = data(r)
    assert (patched["version"], patched["locale"], patched["name"]) == (3, "de-DE", "Invoice (new)")

    versions = data(admin.get(f"{BASE}/invoice/versions"))
    assert [v["version"] for v in versions] == [3, 2, 1]
    assert data(admin.get(f"{BASE}/invoice", params={"version": 1}))["content"] == template()["content"]
    assert [t["key"] for t in data(admin.get(BASE))] == ["invoice"]

    data(admin.delete(f"{BASE}/invoice"))
    error_of(admin.get(f"{BASE}/invoice"), 404, "not_found")
    data(admin.post(BASE, json=template()), 201)  # the key is free again


def test_preview_pdf_with_page_numbers_and_png(admin: Api) -> None:
    pages = "".join(f'<div class="page">Section {{{{ sections[{i}] }}}}</div>' for i in range(5))
    body = template(
        key="report",
        content="<h1>{{ title }}</h1>" + pages,
        css=PAGED_CSS,
        sample_data={"title": "Sample", "sections": ["a", "b", "c", "d", "e"]},
    )
    data(admin.post(BASE, json=body), 201)
    preview = {"data": {"title": "Quarterly report", "sections": ["one", "two", "three", "four", "five"]}}
    r = admin.post(f"{BASE}/report/preview", json=preview)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    pages_text = texts(r.content)
    assert len(pages_text) == 6  # the title page, then five sections
    assert "Quarterly report" in pages_text[0]
    assert "page 2 of 6" in pages_text[1] and "Section one" in pages_text[1]

    png = admin.post(f"{BASE}/report/preview", json=preview, params={"format": "png"})
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG\r\n\x1a\n")
    sample = admin.post(f"{BASE}/report/preview", json={})
    assert "Sample" in texts(sample.content)[0]

    missing = admin.post(f"{BASE}/report/preview", json={"data": {"title": "x"}})
    assert error_of(missing, 422, "validation_failed")["details"]["fields"][0]["field"] == "data"
    error_of(admin.post(f"{BASE}/nothing/preview", json={}), 404, "not_found")


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"content": "{{ ''.__class__.__mro__[1].__subclasses__() }}"}, "content", "not allowed"),
        ({"content": "{% for x in range(100000000) %}{{ x }}{% endfor %}"}, "content", ""),
        ({"content": '<img src="https://example.com/logo.png">'}, "content", "example.com"),
        ({"content": '<img src="file:///etc/passwd">'}, "content", "file: URL"),
        ({"content": "<p>x</p>", "css": "body { background: url(file:///etc/passwd) }"}, "css", "file: URL"),
        ({"content": '<link rel="stylesheet" href="http://169.254.169.254/latest">'}, "content", "169.254"),
        ({"content": "<p>{{ customer.name }}</p>", "sample_data": {}}, "sample_data", "customer"),
        ({"content": "<p>line one</p>\n{% if %}"}, "content", "line 2"),
        ({"content": "<p style='break-after: page'>x</p>" * 150}, "content", "pages"),
        ({"locale": "xx-NOWHERE"}, "locale", ""),
    ],
)
def test_refused_templates_store_nothing(admin: Api, changes: dict[str, Any], field: str, words: str) -> None:
    r = admin.post(BASE, json=template(key="bad", **changes))
    fields = error_of(r, 422, "validation_failed")["details"]["fields"]
    assert fields[0]["field"] == field, fields
    assert words in fields[0]["message"], fields
    error_of(admin.get(f"{BASE}/bad"), 404, "not_found")
    assert data(admin.get(BASE)) == []


def test_refused_update_keeps_the_current_version(admin: Api) -> None:
    r = admin.post(BASE, json=template())
    tag = r.headers["ETag"]
    bad = admin.patch(f"{BASE}/invoice", json={"content": "{{ missing.value }}"}, headers={"If-Match": tag})
    error_of(bad, 422, "validation_failed")
    assert [v["version"] for v in data(admin.get(f"{BASE}/invoice/versions"))] == [1]


def test_other_tenants_and_members(admin: Api, api, make_tenant) -> None:
    data(admin.post(BASE, json=template()), 201)
    other = api(make_tenant().api_key)
    error_of(other.get(f"{BASE}/invoice"), 404, "not_found")
    error_of(other.post(f"{BASE}/invoice/preview", json={}), 404, "not_found")
    assert data(other.get(BASE)) == []


def test_null_fields_in_a_patch_are_named(admin: Api) -> None:
    tag = admin.post(BASE, json=template()).headers["ETag"]
    r = admin.patch(f"{BASE}/invoice", json={"locale": None, "name": None}, headers={"If-Match": tag})
    fields = {f["field"] for f in error_of(r, 422, "validation_failed")["details"]["fields"]}
    assert fields == {"locale", "name"}


def test_members_use_templates_but_do_not_change_them(admin: Api, api, tenant) -> None:
    data(admin.post(BASE, json=template()), 201)
    user = {"email": f"member@{tenant.domain}", "password": "a-long-password", "roles": ["member"]}
    data(admin.post("/api/v1/users", json=user), 201)
    member = api(None).login(user["email"], user["password"])
    assert data(member.get(f"{BASE}/invoice"))["version"] == 1
    assert member.post(f"{BASE}/invoice/preview", json={}).status_code == 200
    error_of(member.post(BASE, json=template(key="mine")), 403, "forbidden")
    error_of(member.delete(f"{BASE}/invoice"), 403, "forbidden")
    files = {"file": ("logo.png", b"\x89PNG\r\n\x1a\n", "image/png")}
    error_of(member.post("/api/v1/document-assets", files=files, data={"name": "logo.png"}), 403, "forbidden")
    upload = {"file": ("notes.txt", b"hello", "text/plain")}
    meta = {"meta": '{"name": "notes.txt", "document_type": "note"}'}
    assert data(member.post("/api/v1/documents", files=upload, data=meta), 201)["status"] == "ready"
    error_of(api(None).get(BASE), 401, "unauthenticated")
    error_of(api(None).get("/api/v1/documents"), 401, "unauthenticated")

"""The console's documents and invoices over HTTP, against the live stack: the lists and their
filters, a PDF's preview from ``GET /api/v1/documents/{id}/pages/{n}`` (a PNG; 409 for what is not a
PDF, 422 past the last page), downloads through the REST content routes with the session cookie, an
invoice's amounts in the reader's money format and its PDF's first page, and the 403 and 404 pages."""

from __future__ import annotations

import uuid

import pytest

from tests.api.conftest import Api, Live, data, error_of
from tests.api.invoice_helpers import customer, draft, seller, tax_rate, wait_for
from tests.api.test_console import browser, sign_in
from tests.api.test_documents import upload, wait_ready
from tests.conftest import TenantFixture
from tests.domain.pdf_helpers import pages_pdf

PNG = b"\x89PNG\r\n\x1a\n"


def test_documents_are_listed_previewed_and_downloaded(
    live: Live, admin: Api, tenant: TenantFixture, approver: str, make_tenant
):
    kind = f"contract-{uuid.uuid4().hex[:6]}"
    pdf = data(upload(admin, pages_pdf("first", "second"), "lease.pdf", document_type=kind), 201)
    text = data(upload(admin, b"plain words\n", "notes.txt", document_type=kind), 201)
    assert wait_ready(admin, pdf["id"])["status"] == "ready"

    page = admin.get(f"/api/v1/documents/{pdf['id']}/pages/2", params={"scale": 0.5})
    assert page.status_code == 200 and page.headers["content-type"] == "image/png"
    assert page.content.startswith(PNG)
    error_of(admin.get(f"/api/v1/documents/{pdf['id']}/pages/3"), 422, "validation_failed")
    error_of(
        admin.get(f"/api/v1/documents/{pdf['id']}/pages/1", params={"scale": 9}), 422, "validation_failed"
    )
    assert admin.get(f"/api/v1/documents/{pdf['id']}/pages/0").status_code == 422
    error_of(admin.get(f"/api/v1/documents/{text['id']}/pages/1"), 409, "conflict")

    boss = browser(live)
    assert sign_in(boss, tenant.admin_email, tenant.admin_password).status_code == 303
    listed = boss.get("/app/documents", params={"type": kind})
    assert listed.status_code == 200
    assert f'href="/app/documents/{pdf["id"]}"' in listed.text and "notes.txt" in listed.text
    assert "notes.txt" not in boss.get("/app/documents", params={"type": "other"}).text
    assert boss.get("/app/documents", params={"type": "x" * 101}).status_code == 422  # bounded

    shown = boss.get(f"/app/documents/{pdf['id']}")
    assert shown.status_code == 200
    for src in (f"/api/v1/documents/{pdf['id']}/pages/1", f"/api/v1/documents/{pdf['id']}/pages/2"):
        assert f'src="{src}?scale=1"' in shown.text
    image = boss.get(f"/api/v1/documents/{pdf['id']}/pages/1")  # what the <img> loads, by cookie
    assert image.status_code == 200 and image.content.startswith(PNG)
    download = boss.get(f"/api/v1/documents/{pdf['id']}/content")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert "No preview" in boss.get(f"/app/documents/{text['id']}").text

    member = browser(live)
    assert sign_in(member, approver).status_code == 303
    assert member.get("/app/documents").status_code == 403  # tasks only
    assert member.get(f"/api/v1/documents/{pdf['id']}/pages/1").status_code == 403
    stranger = make_tenant()
    other = data(upload(Api(live.url, stranger.api_key), pages_pdf("theirs"), "theirs.pdf"), 201)
    for missing in (other["id"], str(uuid.uuid4()), "not-an-id"):
        answer = boss.get(f"/app/documents/{missing}")
        assert answer.status_code == 404 and "Not found" in answer.text
    assert boss.get(f"/api/v1/documents/{other['id']}/pages/1").status_code == 404


@pytest.fixture
def shop(engine, tenant):
    seller(engine, tenant.id)
    tax_rate(engine, tenant.id, "20")
    return {"customer": customer(engine, tenant.id, name="Client Martin")}


def test_invoices_show_their_amounts_in_the_readers_format_and_their_pdf(
    live: Live, admin: Api, tenant: TenantFixture, approver: str, shop, engine
):
    lines = [{"description": "Conseil", "unit_amount": "1234.50", "quantity": "2"}]
    opened = draft(admin, shop["customer"], lines)
    data(admin.post(f"/api/v1/invoices/{opened['id']}/finalize"))
    ready = wait_for(admin, opened["id"], lambda i: i["pdf_document_id"] is not None)
    drafted = draft(admin, shop["customer"], lines)
    preview = admin.get(f"/api/v1/invoices/{ready['id']}/pdf/pages/1")
    assert preview.status_code == 200 and preview.content.startswith(PNG)
    error_of(admin.get(f"/api/v1/invoices/{drafted['id']}/pdf/pages/1"), 409, "conflict")
    error_of(admin.get(f"/api/v1/invoices/{ready['id']}/pdf/pages/2"), 422, "validation_failed")

    boss = browser(live, **{"Accept-Language": "fr-FR,fr;q=0.9"})
    assert sign_in(boss, tenant.admin_email, tenant.admin_password).status_code == 303
    listed = boss.get("/app/invoices", params={"status": "open"})
    assert listed.status_code == 200 and ready["number"] in listed.text
    assert f'href="/app/invoices/{drafted["id"]}"' not in listed.text
    assert "Client Martin" in listed.text and "2\u202f962,80\xa0€" in listed.text  # 2 x 1 234,50 + 20 %
    everything = boss.get("/app/invoices", params={"status": "nonsense"})
    assert everything.status_code == 200 and f'href="/app/invoices/{drafted["id"]}"' in everything.text

    page = boss.get(f"/app/invoices/{ready['id']}")
    assert page.status_code == 200 and "Facture" in page.text and "1\u202f234,50\xa0€" in page.text
    assert f'src="/api/v1/invoices/{ready["id"]}/pdf/pages/1?scale=1"' in page.text
    assert boss.get(f"/api/v1/invoices/{ready['id']}/pdf").content.startswith(b"%PDF")
    assert "finalisez" in boss.get(f"/app/invoices/{drafted['id']}").text  # a draft has no PDF yet

    member = browser(live)
    assert sign_in(member, approver).status_code == 303
    assert member.get(f"/app/invoices/{ready['id']}").status_code == 403
    assert boss.get(f"/app/invoices/{uuid.uuid4()}").status_code == 404

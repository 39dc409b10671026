"""Credit notes, void and sending through the live API: credits by line or by amount (tax split over
the invoice's rates, parts adding up), their own CN series, never more than what remains creditable
(422, nothing changed), a fully credited invoice is closed, credit beyond what was due goes to the
customer; sending emails the customer a link that downloads the PDF."""

from __future__ import annotations

import io
import re
import time
from datetime import date

import httpx
import pytest
from pypdf import PdfReader

from tests.api.conftest import data, error_of
from tests.api.invoice_helpers import customer, draft, finalized, minor, price, seller, tax_rate, wait_for


@pytest.fixture
def invoice(admin, engine, tenant):
    seller(engine, tenant.id)
    tax_rate(engine, tenant.id, "20")
    tax_rate(engine, tenant.id, "5.5", category="books")
    book = price(engine, tenant.id, 1235, tax_category="books", name="Field guide")
    cid = customer(engine, tenant.id)
    lines = [{"description": "Consulting", "unit_amount": "100.00", "quantity": "3"}, {"price": str(book)}]
    inv = finalized(admin, cid, lines)
    assert inv["total"] == "373.03"  # 300 + 60 VAT, 12.35 + 0.68 (0.67925 half up)
    return inv


def credit(admin, invoice_id, body):
    return admin.post(f"/api/v1/invoices/{invoice_id}/credit-notes", json={"reason": "goodwill", **body})


def adds_up(note):
    nets = sum(minor(line["net"]) for line in note["lines"])
    taxes = sum(minor(line["tax"]) for line in note["lines"])
    assert nets == minor(note["subtotal"]) and taxes == sum(minor(t["tax"]) for t in note["tax_breakdown"])
    assert nets + taxes == minor(note["total"])


def test_credit_by_line_then_by_amount_then_the_rest(admin, invoice):
    year = date.today().year
    by_line = data(credit(admin, invoice["id"], {"lines": [{"line": 0, "quantity": "1"}]}), 201)
    assert (by_line["number"], by_line["total"], by_line["subtotal"]) == (
        f"CN-{year}-000001",
        "120.00",
        "100.00",
    )
    adds_up(by_line)
    by_amount = data(credit(admin, invoice["id"], {"amount": "50.00"}), 201)
    assert by_amount["number"] == f"CN-{year}-000002" and by_amount["total"] == "50.00"
    # 50.00 over 360.00 at 20 % and 13.03 at 5.5 %: 48.25 (tax 8.04) and 1.75 (tax 0.09)
    parts = {line["description"]: (line["net"], line["tax"]) for line in by_amount["lines"]}
    assert parts == {"Credit: TVA 20%": ("40.21", "8.04"), "Credit: TVA 5.5%": ("1.66", "0.09")}
    adds_up(by_amount)
    now = data(admin.get(f"/api/v1/invoices/{invoice['id']}"))
    assert (now["amount_credited"], now["amount_due"], now["status"]) == ("170.00", "203.03", "open")
    assert [n["number"] for n in now["credit_notes"]] == [by_line["number"], by_amount["number"]]

    before = now
    refusals = [
        ({"amount": "203.04"}, "amount"),
        ({"lines": [{"line": 0, "quantity": "3"}]}, "lines.0.quantity"),
        ({"lines": [{"line": 0, "quantity": "0"}]}, "lines.0.quantity"),
        ({"lines": [{"line": 7, "quantity": "1"}]}, "lines.0.line"),
        ({"lines": [{"line": 0, "quantity": "-1"}]}, "lines.0.quantity"),
        ({"amount": "0"}, "amount"),
        ({"amount": "1.001"}, "amount"),
    ]
    for body, field in refusals:
        err = error_of(credit(admin, invoice["id"], body), 422, "validation_failed")
        assert [f["field"] for f in err["details"]["fields"]] == [field], body
    both = admin.post(
        f"/api/v1/invoices/{invoice['id']}/credit-notes",
        json={"reason": "x", "amount": "1", "lines": [{"line": 0, "quantity": "1"}]},
    )
    error_of(both, 422, "validation_failed")
    no_reason = admin.post(f"/api/v1/invoices/{invoice['id']}/credit-notes", json={"amount": "1"})
    assert error_of(no_reason, 422, "validation_failed")["details"]["fields"][0]["field"] == "reason"
    after = data(admin.get(f"/api/v1/invoices/{invoice['id']}"))
    assert (after["amount_credited"], after["amount_due"], len(after["credit_notes"])) == (
        "170.00",
        "203.03",
        2,
    )
    # Nothing the refusals could have changed did (the PDF, re-rendered by the invoice's workflow
    # after the two credit notes, may land meanwhile: its document and updated_at are left aside).
    unchanged = {k: v for k, v in before.items() if k not in ("updated_at", "pdf_document_id")}
    assert {k: v for k, v in after.items() if k in unchanged} == unchanged

    data(
        admin.post(
            f"/api/v1/invoices/{invoice['id']}/payments", json={"amount": "100.00", "method": "manual"}
        ),
        201,
    )
    rest = data(credit(admin, invoice["id"], {"amount": "103.03"}), 201)
    assert rest["to_customer_credit"] == "0.00"
    closed = data(admin.get(f"/api/v1/invoices/{invoice['id']}"))
    assert (closed["status"], closed["amount_due"], closed["amount_paid"]) == ("paid", "0.00", "100.00")
    assert minor(closed["amount_paid"]) + minor(closed["amount_credited"]) == minor(closed["total"])
    # 100.00 is still creditable (it was paid): more is refused, a credit of it goes to the customer
    error_of(credit(admin, invoice["id"], {"amount": "100.01"}), 422, "validation_failed")
    back = data(credit(admin, invoice["id"], {"amount": "100.00"}), 201)
    assert back["to_customer_credit"] == "100.00"
    error_of(credit(admin, invoice["id"], {"amount": "0.01"}), 422, "validation_failed")  # nothing left


def test_credit_on_a_paid_invoice_goes_to_the_customer(admin, invoice):
    data(
        admin.post(
            f"/api/v1/invoices/{invoice['id']}/payments", json={"amount": "373.03", "method": "manual"}
        ),
        201,
    )
    note = data(credit(admin, invoice["id"], {"lines": [{"line": 1, "quantity": "1"}]}), 201)
    assert (note["total"], note["to_customer_credit"]) == ("13.03", "13.03")
    paid = data(admin.get(f"/api/v1/invoices/{invoice['id']}"))
    assert (paid["status"], paid["amount_paid"], paid["amount_credited"], paid["amount_due"]) == (
        "paid",
        "360.00",
        "13.03",
        "0.00",
    )
    nxt = finalized(admin, paid["customer"], [{"description": "Small", "unit_amount": "100.00"}])
    assert (nxt["credit_applied"], nxt["amount_due"]) == ("13.03", "106.97")


def test_drafts_and_void_invoices_cannot_be_credited(admin, invoice):
    drafted = draft(admin, invoice["customer"], [{"description": "x", "unit_amount": "5"}])
    error_of(credit(admin, drafted["id"], {"amount": "1.00"}), 409, "conflict")
    fresh = finalized(admin, invoice["customer"], [{"description": "x", "unit_amount": "5"}])
    voided = data(admin.post(f"/api/v1/invoices/{fresh['id']}/void"))
    assert voided["status"] == "void" and voided["amount_due"] == "0.00"
    error_of(credit(admin, fresh["id"], {"amount": "1.00"}), 409, "conflict")
    error_of(admin.post(f"/api/v1/invoices/{fresh['id']}/void"), 409, "conflict")
    data(credit(admin, invoice["id"], {"amount": "1.00"}), 201)
    error_of(admin.post(f"/api/v1/invoices/{invoice['id']}/void"), 409, "conflict")  # it has a credit note
    error_of(admin.post(f"/api/v1/invoices/{drafted['id']}/void"), 409, "conflict")


def test_send_emails_a_link_to_the_pdf(admin, invoice, live):
    drafted = draft(admin, invoice["customer"], [{"description": "x", "unit_amount": "5"}])
    error_of(admin.post(f"/api/v1/invoices/{drafted['id']}/send"), 409, "conflict")
    wait_for(admin, invoice["id"], lambda i: i["pdf_document_id"] is not None)
    sent = data(admin.post(f"/api/v1/invoices/{invoice['id']}/send"))
    assert sent["sent_at"] is not None
    deadline = time.monotonic() + 30
    while not (mails := data(admin.get("/api/v1/dev/outbox", params={"to": "billing@dupont.example"}))):
        assert time.monotonic() < deadline, "no email"
        time.sleep(0.2)
    mail = mails[0]
    assert invoice["number"] in mail["subject"] and "373.03 EUR" in mail["text"]
    link = re.search(r"https?://\S+/api/v1/document-downloads/\S+", mail["text"])
    assert link, mail["text"]
    path = link.group(0)[link.group(0).index("/api/v1/") :]
    pdf = httpx.get(live.url + path)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert [
        e["payload"]["number"] for e in data(admin.get("/api/v1/events", params={"type": "invoice.sent"}))
    ] == [invoice["number"]]


def test_each_credit_note_gets_its_pdf(admin, invoice, api, make_tenant):
    note = data(credit(admin, invoice["id"], {"lines": [{"line": 0, "quantity": "1.5"}]}), 201)
    assert note["pdf_document_id"] is None and note["total"] == "180.00"
    ready = wait_for(admin, invoice["id"], lambda i: i["credit_notes"][0]["pdf_document_id"] is not None)
    path = f"/api/v1/invoices/{invoice['id']}/credit-notes/{note['id']}/pdf"
    r = admin.get(path)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    for expected in ("Credit note", note["number"], invoice["number"], "goodwill", "Consulting", "180,00"):
        assert expected in text, (expected, text)
    assert ready["pdf_document_id"] is not None  # the invoice's own PDF shows the credit too
    invoice_text = "".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(admin.get(f"/api/v1/invoices/{invoice['id']}/pdf").content)).pages
    )
    error_of(api(make_tenant("Other").api_key).get(path), 404, "not_found")
    other = finalized(admin, invoice["customer"], [{"description": "x", "unit_amount": "5"}])
    error_of(admin.get(f"/api/v1/invoices/{other['id']}/credit-notes/{note['id']}/pdf"), 404, "not_found")
    assert invoice["number"] in invoice_text and note["number"] in invoice_text  # same render step

"""Finalizing while Temporal does not answer: the invoice stays finalized with its number (giving
the number back would leave a gap), the answer says the PDF will follow, and the next change to the
invoice starts its workflow, which renders the PDF."""

from __future__ import annotations

from api.app import create_app
from keel.temporal import free_port
from tests.api.conftest import Api, data, error_of, served
from tests.api.invoice_helpers import customer, draft, wait_for


def test_finalize_without_temporal_then_the_next_change_starts_the_workflow(admin, live, engine, tenant):
    cid = customer(engine, tenant.id)
    drafted = draft(admin, cid, [{"description": "Work", "unit_amount": "100.00"}])
    cut_off = live.settings.model_copy(update={"temporal_address": f"127.0.0.1:{free_port()}"})
    with served(create_app(cut_off)) as url:
        r = Api(url, tenant.api_key).post(f"/api/v1/invoices/{drafted['id']}/finalize")
        final = data(r)
        assert (
            final["status"] == "open"
            and final["number"]
            and "once the workflow service answers" in r.json()["message"]
        )
    assert data(admin.get(f"/api/v1/invoices/{drafted['id']}"))["pdf_document_id"] is None
    data(
        admin.post(
            f"/api/v1/invoices/{drafted['id']}/payments", json={"amount": "10.00", "method": "manual"}
        ),
        201,
    )
    ready = wait_for(admin, drafted["id"], lambda i: i["pdf_document_id"] is not None)
    assert ready["amount_due"] == "90.00" and ready["number"] == final["number"]


def test_sending_an_invoice_without_its_pdf_starts_the_workflow_that_makes_it(admin, live, engine, tenant):
    cid = customer(engine, tenant.id)
    drafted = draft(admin, cid, [{"description": "Work", "unit_amount": "100.00"}])
    cut_off = live.settings.model_copy(update={"temporal_address": f"127.0.0.1:{free_port()}"})
    with served(create_app(cut_off)) as url:
        data(Api(url, tenant.api_key).post(f"/api/v1/invoices/{drafted['id']}/finalize"))
    error_of(admin.post(f"/api/v1/invoices/{drafted['id']}/send"), 409, "conflict")
    wait_for(admin, drafted["id"], lambda i: i["pdf_document_id"] is not None)
    assert data(admin.post(f"/api/v1/invoices/{drafted['id']}/send"))["sent_at"] is not None

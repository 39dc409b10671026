"""The invoice workflow's steps run twice (a retried activity) act once: one PDF version per change,
one overdue event, one email per reminder; a paid invoice is neither overdue nor reminded."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from adapters.storage import object_store
from db.models import Delivery, DocumentVersion, OutboxEvent
from db.models.billing import BillingCustomer, BillingSettings
from db.models.invoices import Invoice
from db.session import tenant_session
from domain.billing.invoices import payments, pdf, process
from domain.billing.invoices import service as invoices
from domain.billing.invoices.schemas import InvoiceIn, PaymentIn
from domain.context import TenantContext
from domain.documents.schemas import DocumentLimits


def test_steps_repeated_act_once(engine, settings, tenant):
    ctx = TenantContext.system(tenant.id, tenant.domain)
    store, limits = object_store(settings), DocumentLimits.of(settings)
    secret, base = settings.require_jwt_secret(), settings.api_url
    with tenant_session(engine, tenant.id) as s:
        s.add(
            BillingSettings(
                tenant_id=tenant.id,
                seller_address={},
                reporting_currency="EUR",
                dunning={"reminders": ["P3D"], "final_notice": "P10D", "then": "notify"},
            )
        )
        c = BillingCustomer(
            id=uuid.uuid4(),
            tenant_id=tenant.id,
            name="C",
            email="c@x.example",
            currency="EUR",
            country="FR",
            address={},
            tax_ids=[],
            locale="en",
            payment_terms_days=5,
            credit_minor=0,
            metadata_={},
            version=1,
        )
        s.add(c)
        s.flush()
        body = InvoiceIn.model_validate(
            {"customer": str(c.id), "lines": [{"description": "W", "unit_amount": "9"}]}
        )
        invoice_id = invoices.finalize(s, ctx, invoices.create(s, ctx, body).id).id
    for _ in range(2):
        with tenant_session(engine, tenant.id) as s:
            assert pdf.render(s, ctx, store, invoice_id, limits) == "open"
    for _ in range(2):
        with tenant_session(engine, tenant.id) as s:
            step = process.overdue(s, ctx, invoice_id)
            assert step.reminders_seconds == [3 * 86400] and step.final_notice_seconds == 10 * 86400
            assert step.then == "notify"
    for round_ in (1, 1, 0, 0):
        with tenant_session(engine, tenant.id) as s:
            assert (
                process.remind(s, ctx, invoice_id, round_, "notify", secret=secret, base_url=base).status
                == "open"
            )
    with tenant_session(engine, tenant.id) as s:
        invoice = s.get(Invoice, invoice_id)
        assert invoice is not None and invoice.reminders_sent == 2
        versions = s.scalar(
            select(func.count())
            .select_from(DocumentVersion)
            .where(DocumentVersion.document_id == invoice.pdf_document_id)
        )
        assert versions == 1
        overdue = s.scalar(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.type == "invoice.overdue")
        )
        assert overdue == 1
        stmt = select(Delivery.dedup_key).where(Delivery.dedup_key.like(f"invoice:{invoice_id}:%"))
        keys = sorted(k or "" for k in s.scalars(stmt))
        assert keys == [f"invoice:{invoice_id}:final_notice", f"invoice:{invoice_id}:reminder:1"]
        payments.record(s, ctx, invoice_id, PaymentIn(amount="10.80", method="manual"))
    with tenant_session(engine, tenant.id) as s:
        assert process.overdue(s, ctx, invoice_id).status == "paid"
        assert process.remind(s, ctx, invoice_id, 2, None, secret=secret, base_url=base).status == "paid"
        assert pdf.render(s, ctx, store, invoice_id, limits) == "paid"
    with tenant_session(engine, tenant.id) as s:
        invoice = s.get(Invoice, invoice_id)
        assert (
            invoice is not None
            and invoice.reminders_sent == 2
            and invoice.rendered_revision == invoice.revision
        )

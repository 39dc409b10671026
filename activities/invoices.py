"""Activities of the invoice workflow: each opens a tenant unit of work and calls one domain step."""

from __future__ import annotations

from temporalio import activity

from activities import Deps
from adapters.storage import object_store
from domain.billing.invoices import pdf, process
from domain.billing.invoices.schemas import InvoiceRef, InvoiceStep, ReminderStep
from domain.documents.schemas import DocumentLimits
from domain.errors import NotFound
from workflows import contracts

# An invoice that no longer exists is a fact no retry can change.
FINAL = (NotFound,)


class InvoiceActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @activity.defn(name=contracts.INVOICES_RENDER)
    def render(self, ref: InvoiceRef) -> str:
        settings = self.deps.settings
        with self.deps.unit(ref.tenant_id, final=FINAL) as (session, ctx):
            return pdf.render(
                session, ctx, object_store(settings), ref.invoice_id, DocumentLimits.of(settings)
            )

    @activity.defn(name=contracts.INVOICES_OVERDUE)
    def overdue(self, ref: InvoiceRef) -> InvoiceStep:
        with self.deps.unit(ref.tenant_id, final=FINAL) as (session, ctx):
            return process.overdue(session, ctx, ref.invoice_id)

    @activity.defn(name=contracts.INVOICES_REMIND)
    def remind(self, step: ReminderStep) -> InvoiceStep:
        settings = self.deps.settings
        with self.deps.unit(step.tenant_id, final=FINAL) as (session, ctx):
            return process.remind(
                session,
                ctx,
                step.invoice_id,
                step.round,
                step.then,
                secret=settings.require_jwt_secret(),
                base_url=settings.api_url,
            )

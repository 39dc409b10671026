"""Activities of the invoice workflow: each opens a tenant unit of work and calls one domain step."""

from __future__ import annotations

from temporalio import activity

from activities import Deps
from adapters.storage import object_store
from adapters.stripe_gateway import gateway
from domain.billing.invoices import pdf, process
from domain.billing.invoices.schemas import ChargeStep, InvoiceRef, InvoiceStep, ReminderStep
from domain.billing.stripe import charges
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

    @activity.defn(name=contracts.INVOICES_CHARGE)
    def charge(self, step: ChargeStep) -> InvoiceStep:
        """Reserve the attempt (committed), charge at Stripe outside any transaction, record the
        outcome (``charges.py`` says why three steps)."""
        settings = self.deps.settings
        configured = settings.stripe_api_key is not None
        with self.deps.unit(step.tenant_id, final=FINAL) as (session, ctx):
            pending = charges.reserve(session, ctx, step.invoice_id, step.attempt, configured=configured)
        if isinstance(pending, InvoiceStep):
            return pending
        outcome = charges.attempt(gateway(settings), pending)
        with self.deps.unit(step.tenant_id, final=FINAL) as (session, ctx):
            return charges.settle(session, ctx, pending, outcome)

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

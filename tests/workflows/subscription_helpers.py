"""Set-up for subscription workflow tests: a catalogue written through the ORM, the subscription made by
the domain service at the time-skipping server's clock, and readers of what the workflow did."""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select
from temporalio.client import Client

from activities import invoices as invoice_activities
from db.models import OutboxEvent
from db.models.invoices import Invoice
from db.models.subscriptions import Subscription, SubscriptionInvoice
from db.models.usage import UsageEvent
from db.session import tenant_session
from domain.billing.invoices import notify
from domain.billing.subscriptions import service as subscriptions
from domain.billing.subscriptions.schemas import SubscriptionIn, SubscriptionRun
from domain.context import TenantContext
from tests.api.subscription_helpers import customer, metric, recurring, seller, tax_rate
from workflows.subscriptions import SubscriptionWorkflow


def catalogue(engine: Engine, tenant_id: uuid.UUID) -> dict[str, Any]:
    seller(engine, tenant_id)
    tax_rate(engine, tenant_id, "20")
    code = metric(engine, tenant_id)
    usage = {"metric": code, "model": "per_unit", "tiers": None, "package_size": None}
    return {
        # Terms far beyond the test's months: no invoice goes overdue unless a test wants it to.
        "customer": customer(engine, tenant_id, payment_terms_days=365),
        "plan": recurring(engine, tenant_id, 1000),
        "usage": recurring(engine, tenant_id, 5, usage=usage, name="API calls"),
        "metric": code,
    }


def at_clock(monkeypatch: pytest.MonkeyPatch, when: datetime) -> None:
    """Requests made by the test happen at ``when`` (the server's clock), not the wall clock."""
    monkeypatch.setattr(subscriptions, "now", lambda: when.replace(microsecond=0))


def create(engine: Engine, tenant: Any, body: dict[str, Any]) -> Subscription:
    ctx = TenantContext.system(tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as s:
        sub = subscriptions.create(s, ctx, SubscriptionIn.model_validate(body))
        s.expunge(sub)
    return sub


async def start(client: Client, queue: str, sub: Subscription) -> Any:
    run = SubscriptionRun(tenant_id=sub.tenant_id, subscription_id=sub.id)
    return await client.start_workflow(SubscriptionWorkflow.run, run, id=sub.workflow_id, task_queue=queue)


def usage(engine: Engine, tenant_id: uuid.UUID, sub: Subscription, code: str, times: list[datetime]) -> None:
    with tenant_session(engine, tenant_id) as s:
        for when in times:
            s.add(
                UsageEvent(
                    tenant_id=tenant_id,
                    transaction_id=uuid.uuid4().hex,
                    customer_id=sub.customer_id,
                    subscription_id=sub.id,
                    metric_code=code,
                    occurred_at=when,
                    properties={},
                )
            )


def facts(engine: Engine, tenant_id: uuid.UUID, sub_id: uuid.UUID) -> dict[str, Any]:
    with tenant_session(engine, tenant_id) as s:
        sub = s.get(Subscription, sub_id)
        assert sub is not None
        links = s.execute(
            select(SubscriptionInvoice.kind, Invoice.total_minor, SubscriptionInvoice.period_start)
            .join(Invoice, Invoice.id == SubscriptionInvoice.invoice_id)
            .where(SubscriptionInvoice.subscription_id == sub_id)
            .order_by(SubscriptionInvoice.created_at)
        ).all()
        events = [
            e.type
            for e in s.scalars(
                select(OutboxEvent)
                .where(
                    OutboxEvent.type.like("subscription.%"),
                    OutboxEvent.payload["subscription_id"].astext == str(sub_id),
                )
                .order_by(OutboxEvent.created_at, OutboxEvent.id)
            )
        ]
        return {
            "status": sub.status,
            "period_index": sub.period_index,
            "start": sub.current_period_start,
            "end": sub.current_period_end,
            "invoices": [(kind, total) for kind, total, _ in links],
            "events": events,
        }


async def stop_invoice_workflows(client: Client, engine: Engine, tenant_id: uuid.UUID) -> None:
    """The invoices' own workflows (children that outlive the subscription's) end with the test."""
    with tenant_session(engine, tenant_id) as s:
        ids = [w for w in s.scalars(select(Invoice.workflow_id)) if w]
    for ident in ids:
        with contextlib.suppress(Exception):
            await client.get_workflow_handle(ident).terminate(reason="the test is over")


def quick_pdfs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Invoice PDFs are not what these tests look at: the render step answers the invoice's status at
    once, so that time skipping is not held back by a renderer (each PDF takes seconds), and dunning
    emails link to a PDF that is not there."""

    def status_only(session: Any, ctx: TenantContext, store: Any, invoice_id: uuid.UUID, limits: Any) -> str:
        invoice = session.get(Invoice, invoice_id)
        return str(invoice.status) if invoice is not None else "void"

    monkeypatch.setattr(invoice_activities.pdf, "render", status_only)
    monkeypatch.setattr(notify, "pdf_link", lambda *args, **kwargs: "http://localhost/no-pdf-in-this-test")

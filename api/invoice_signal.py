"""Telling an invoice's workflow of a change: the invoices router's own writes, a card payment from
Stripe's webhook, a refund, an accepted quote. The change is committed first (the workflow re-reads
the invoice), then the workflow is signalled, and started when it is not running."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from api import booking_payments
from api.deps import EngineDep, SettingsDep
from api.process_runtime import Start, own_transaction
from api.workflow_signal import signal_with_start
from db.models.invoices import Invoice
from domain.billing.invoices import service as invoices
from keel.settings import Settings
from workflows import contracts
from workflows.invoices import InvoiceWorkflow

log = logging.getLogger("keel.invoices")
T = TypeVar("T")


async def tell_invoice(request: Request, settings: Any, invoice: Invoice | None) -> bool:
    """Signal-with-start the invoice's workflow; False when Temporal did not answer (the change is
    committed; the invoice's next change tells the workflow again)."""
    if invoice is None or invoice.workflow_id is None:
        return True
    start = Start(InvoiceWorkflow.run, invoices.run_of(invoice), invoice.workflow_id)
    return await signal_with_start(
        request, settings.temporal_task_queue, start, contracts.INVOICE_CHANGED, log
    )


@dataclass(frozen=True)
class InvoiceChanges:
    """What a route needs to commit a change an invoice's workflow must see, then tell it."""

    request: Request
    engine: Engine
    settings: Settings

    async def commit_then_tell(
        self, tenant_id: uuid.UUID, work: Callable[[Session], tuple[T, Invoice | None]]
    ) -> tuple[T, bool]:
        """``work`` committed in a transaction of its own, then the invoice it names (if any) told;
        its result, and False when Temporal did not answer. A booking the change makes paid is confirmed
        in the same transaction, and its process told."""
        out, invoice, confirmed = await own_transaction(
            self.engine, tenant_id, booking_payments.following(tenant_id, work)
        )
        await booking_payments.tell_confirmed(self.request, confirmed)
        return out, await tell_invoice(self.request, self.settings, invoice)


def _invoice_changes(request: Request, engine: EngineDep, settings: SettingsDep) -> InvoiceChanges:
    return InvoiceChanges(request, engine, settings)


Changes = Annotated[InvoiceChanges, Depends(_invoice_changes)]

"""Telling an invoice's workflow of a change committed outside the invoices router (a card payment
from Stripe's webhook, a refund), exactly as the router does for a manual payment."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from temporalio.service import RPCError

from api.deps import get_temporal
from api.process_runtime import RPC_TIMEOUT
from db.models.invoices import Invoice
from domain.billing.invoices import service as invoices
from domain.errors import Unavailable
from workflows import contracts
from workflows.invoices import InvoiceWorkflow

log = logging.getLogger("keel.invoices")


async def tell_invoice(request: Request, settings: Any, invoice: Invoice | None) -> bool:
    """Signal-with-start the invoice's workflow; False when Temporal did not answer (the change is
    committed; the invoice's next change tells the workflow again)."""
    if invoice is None or invoice.workflow_id is None:
        return True
    try:
        client = await get_temporal(request)
        await client.start_workflow(
            InvoiceWorkflow.run,
            invoices.run_of(invoice),
            id=invoice.workflow_id,
            task_queue=settings.temporal_task_queue,
            start_signal=contracts.INVOICE_CHANGED,
            rpc_timeout=RPC_TIMEOUT,
        )
    except (RPCError, Unavailable) as exc:
        log.warning(
            "invoice workflow not told", extra={"workflow_id": invoice.workflow_id, "error": str(exc)}
        )
        return False
    return True

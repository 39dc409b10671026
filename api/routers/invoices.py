"""Invoices: drafts, finalizing with a gapless number, credit notes, payments, void, uncollectible,
sending, and the PDF.

Drafts are written in the request's unit of work. A change the invoice's workflow must see
(finalize, a payment, a credit note, void, uncollectible, send) is committed in a transaction of its
own first, then the workflow is told with signal-with-start: it is started if it is not running
(the first time, or after it ended), so a lost start is caught up by the next change. A finalized
invoice stays finalized even if Temporal does not answer: its number is taken, and the answer says
that the PDF will follow.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from adapters.storage import object_store
from api.billing_answers import Page, one_answer, pdf_answer
from api.deps import Ctx, Db, IfMatch, SettingsDep
from api.envelope import respond, success
from api.invoice_signal import Changes, InvoiceChanges
from api.resource_routes import ResourceRoutes, SingleRoutes
from api.signing_signal import PAGE_NUMBER, PAGE_SCALE, page_answer
from db.models.invoices import Invoice
from domain.billing.invoices import credit_notes, dunning, payments, pdf
from domain.billing.invoices import service as invoices
from domain.billing.invoices.dunning import DunningIn, DunningOut
from domain.billing.invoices.schemas import (
    CreditNoteIn,
    CreditNoteOut,
    InvoiceIn,
    InvoiceOut,
    InvoicePatch,
    PaymentIn,
    PaymentOut,
    Status,
)
from domain.billing.invoices.views import credit_note_out, invoice_out, payment_out
from domain.context import TenantContext
from domain.errors import Conflict

# No prefix: the tenant's dunning policy (/api/v1/billing/dunning) is served here too.
router = APIRouter(tags=["invoices"])
BASE = "/api/v1/invoices"
routes = ResourceRoutes(router, InvoiceOut, collection=BASE, item="/{invoice_id:uuid}")
dunning_policy = SingleRoutes(router, DunningOut, "/api/v1/billing/dunning")
T = TypeVar("T")
NOT_STARTED = "Recorded; the PDF and the due-date tracking start once the workflow service answers."


def _view(session: Session, ctx: TenantContext, invoice: Invoice) -> dict[str, Any]:
    return invoice_out(invoice, invoices.credit_notes_of(session, ctx, [invoice.id]))


def _answer(session: Session, ctx: TenantContext, invoice: Invoice, *, created: bool = False) -> JSONResponse:
    """The invoice with its ETag; once ``created``, a 201 with its Location."""
    location = f"{BASE}/{invoice.id}" if created else None
    return one_answer(_view(session, ctx, invoice), invoices.etag_of(invoice), location=location)


async def _write_then_tell(
    changes: InvoiceChanges, ctx: TenantContext, write: Callable[[Session], tuple[Invoice, T]]
) -> tuple[dict[str, Any], str, T, bool]:
    """``write`` committed in its own transaction (the workflow re-reads the invoice), then the
    workflow told: the invoice as answered, its ETag, what ``write`` gave besides, and whether the
    workflow service answered."""

    def run(session: Session) -> tuple[tuple[dict[str, Any], str, T], Invoice]:
        invoice, extra = write(session)
        return (_view(session, ctx, invoice), invoices.etag_of(invoice), extra), invoice

    (out, etag, extra), told = await changes.commit_then_tell(ctx.tenant_id, run)
    return out, etag, extra, told


async def _add_to_invoice(
    changes: InvoiceChanges,
    ctx: TenantContext,
    invoice_id: uuid.UUID,
    add: Callable[[Session], dict[str, Any]],
) -> dict[str, Any]:
    """A payment or credit note ``add``ed (committed, then the workflow told); it as answered."""

    def write(session: Session) -> tuple[Invoice, dict[str, Any]]:
        added = add(session)  # first: it reads the invoice under its row lock
        return invoices.get(session, ctx, invoice_id), added

    _, _, out, _ = await _write_then_tell(changes, ctx, write)
    return out


@routes.create(
    summary="Create a draft invoice in the customer's currency",
    description="Each line is a catalogue `price` or a `description` with a `unit_amount`, with a "
    "`quantity` (decimal string, default 1; required for a recurring or usage price, charged as one-off "
    "units), an optional `discount_percent` and `tax_category`. A line's amount is unit times quantity "
    "less the discount, rounded half up once; its tax comes from the customer's address and the "
    "category. An unknown or another tenant's customer or price, a price in another currency, or too "
    "many decimals is a 422 naming the field, and nothing is stored.",
)
def create_invoice(body: InvoiceIn, ctx: Ctx, session: Db) -> JSONResponse:
    return _answer(session, ctx, invoices.create(session, ctx, body), created=True)


@routes.listing(summary="Invoices, newest first: ?status=, ?customer=, ?from=&to= (issue dates, inclusive)")
def list_invoices(
    ctx: Ctx,
    session: Db,
    status: Annotated[Status | None, Query()] = None,
    customer: Annotated[uuid.UUID | None, Query()] = None,
    issued_from: Annotated[date | None, Query(alias="from")] = None,
    issued_to: Annotated[date | None, Query(alias="to")] = None,
    *,
    page: Page,
) -> JSONResponse:
    found = invoices.list_invoices(
        session,
        ctx,
        status=status,
        customer=customer,
        issued_from=issued_from,
        issued_to=issued_to,
        **page.window,
    )
    notes = invoices.credit_notes_of(session, ctx, [r.id for r in found[0]])
    return page.answer(found, lambda invoice: invoice_out(invoice, notes))


@routes.read(summary="An invoice, with its ETag")
def get_invoice(invoice_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return _answer(session, ctx, invoices.get(session, ctx, invoice_id))


@routes.patch(
    409,
    412,
    summary="Change a draft (lines are replaced as a whole); 409 once finalized, 412 on a stale If-Match",
)
def patch_invoice(
    invoice_id: uuid.UUID, body: InvoicePatch, ctx: Ctx, session: Db, if_match: IfMatch = None
) -> JSONResponse:
    return _answer(session, ctx, invoices.patch(session, ctx, invoice_id, body, if_match=if_match))


@routes.delete(409, summary="Delete a draft (a finalized invoice is voided or credited instead: 409)")
def delete_invoice(invoice_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    invoice = invoices.delete_draft(session, ctx, invoice_id)
    return respond(success(_view(session, ctx, invoice)))


@routes.post(
    "/finalize",
    409,
    412,
    summary="Finalize a draft: its number INV-{year}-{000001}, issue and due dates, customer credit applied",
)
async def finalize_invoice(
    invoice_id: uuid.UUID, ctx: Ctx, changes: Changes, if_match: IfMatch = None
) -> JSONResponse:
    out, etag, _, told = await _write_then_tell(
        changes, ctx, lambda s: (invoices.finalize(s, ctx, invoice_id, if_match=if_match), None)
    )
    return one_answer(out, etag, message=None if told else NOT_STARTED)


@routes.post(
    "/payments",
    409,
    model=PaymentOut,
    status_code=201,
    summary="Record a payment received: partial keeps it open, in full makes it paid, more becomes credit",
    description="409 on a draft, void or paid invoice, and when the `reference` was used before (a "
    "payment is recorded once per reference). What exceeds the amount due is added to the customer's "
    "credit, applied to their next finalized invoice.",
)
async def record_payment(invoice_id: uuid.UUID, body: PaymentIn, ctx: Ctx, changes: Changes) -> JSONResponse:
    out = await _add_to_invoice(
        changes, ctx, invoice_id, lambda s: payment_out(payments.record(s, ctx, invoice_id, body))
    )
    return respond(success(out), status_code=201, headers={"Location": f"/api/v1/payments/{out['id']}"})


@routes.post(
    "/credit-notes",
    409,
    model=CreditNoteOut,
    status_code=201,
    summary="Credit a finalized invoice: lines [{line, quantity}] or one gross amount; CN-{year}-{000001}",
    description="More than what remains creditable is a 422. The credit lowers the amount due; an invoice "
    "with nothing left due is paid; what was paid beyond the new total becomes the customer's credit.",
)
async def create_credit_note(
    invoice_id: uuid.UUID, body: CreditNoteIn, ctx: Ctx, changes: Changes
) -> JSONResponse:
    out = await _add_to_invoice(
        changes, ctx, invoice_id, lambda s: credit_note_out(credit_notes.create(s, ctx, invoice_id, body))
    )
    return respond(success(out), status_code=201, headers={"Location": f"{BASE}/{invoice_id}"})


def _transition(name: str, act: Callable[[Session, TenantContext, uuid.UUID], Invoice]) -> Any:
    async def handler(invoice_id: uuid.UUID, ctx: Ctx, changes: Changes) -> JSONResponse:
        out, etag, _, _ = await _write_then_tell(changes, ctx, lambda s: (act(s, ctx, invoice_id), None))
        return one_answer(out, etag)

    handler.__name__ = name
    return handler


routes.post(
    "/void",
    409,
    summary="Void an open invoice with no payments, applied credit or credit notes (409 otherwise)",
)(_transition("void_invoice", invoices.void))
routes.post(
    "/mark-uncollectible",
    409,
    summary="Mark an open invoice uncollectible (it can still be paid); 409 otherwise",
)(_transition("mark_invoice_uncollectible", invoices.mark_uncollectible))


@routes.post(
    "/send",
    409,
    summary="Email the invoice to the customer with a link to its PDF (409 on a draft or void invoice, "
    "or while its PDF is being made)",
)
async def send_invoice(invoice_id: uuid.UUID, ctx: Ctx, changes: Changes) -> JSONResponse:
    settings = changes.settings

    def write(session: Session) -> tuple[Invoice, None]:
        invoice = invoices.send(
            session, ctx, invoice_id, secret=settings.require_jwt_secret(), base_url=settings.api_url
        )
        return invoice, None

    try:
        out, etag, _, _ = await _write_then_tell(changes, ctx, write)
    except Conflict:
        # No PDF yet: make sure the workflow that renders it runs (it may never have started if
        # Temporal did not answer the finalize), so that sending again shortly succeeds.
        await changes.commit_then_tell(ctx.tenant_id, lambda s: (None, invoices.get(s, ctx, invoice_id)))
        raise
    return one_answer(out, etag, message="Queued for the customer's email address.")


@routes.pdf(409, summary="The invoice's current PDF; 409 on a draft or while it is being made")
def invoice_pdf(invoice_id: uuid.UUID, ctx: Ctx, session: Db, settings: SettingsDep) -> Response:
    invoice = invoices.get(session, ctx, invoice_id)
    return pdf_answer(pdf.current_pdf(session, ctx, object_store(settings), invoice), f"{invoice.number}")


@routes.png(
    409,
    422,
    below="/pdf/pages/{number}",
    summary="A page of the invoice's PDF as a PNG image (its preview); 409 on a draft, 422 past its end",
)
def invoice_page(
    invoice_id: uuid.UUID,
    ctx: Ctx,
    session: Db,
    settings: SettingsDep,
    number: Annotated[int, PAGE_NUMBER],
    scale: Annotated[float, PAGE_SCALE] = 1.0,
) -> Response:
    invoice = invoices.get(session, ctx, invoice_id)
    return page_answer(pdf.current_pdf(session, ctx, object_store(settings), invoice), number, scale)


@routes.pdf(
    409, below="/credit-notes/{note_id:uuid}/pdf", summary="A credit note's PDF; 409 while it is being made"
)
def credit_note_pdf(
    invoice_id: uuid.UUID, note_id: uuid.UUID, ctx: Ctx, session: Db, settings: SettingsDep
) -> Response:
    note = credit_notes.get(session, ctx, invoice_id, note_id)
    missing = "The credit note's PDF is being made; try again in a moment."
    content = pdf.document_bytes(session, ctx, object_store(settings), note.pdf_document_id, missing)
    return pdf_answer(content, note.number)


@dunning_policy.read(summary="The tenant's dunning policy (empty until set)")
def get_dunning(ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(dunning.read(session, ctx)))


@dunning_policy.put(
    summary="Set the dunning policy: reminders and a final notice as ISO 8601 durations after the due date",
    description='`{reminders: ["P3D", "P7D", "P14D"], final_notice: "P30D", then: '
    '"mark_uncollectible" | "notify"}`: each reminder and the final notice is an email to the '
    "customer with the PDF link, sent once; then the invoice is marked uncollectible, or (notify) left "
    "open. Applies to invoices that become overdue from now on. Needs `billing:settings`.",
)
def put_dunning(body: DunningIn, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(dunning.replace(session, ctx, body)))

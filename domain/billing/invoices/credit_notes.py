"""Credit notes against a finalized invoice, numbered ``CN-{year}-{000001}`` in their own series.

Two forms: ``lines`` credit quantities of the invoice's lines (their net and tax computed as the
invoice did, rounded half up once per line; crediting what is left of a line credits exactly what
is left of its net and tax), or one gross ``amount`` whose tax is split over the invoice's taxes in
proportion to their share of the total (largest remainder, so the parts add up). The total may not
exceed what remains creditable (total less earlier credit notes): a 422. The credit lowers the
amount due; what exceeds it (the invoice was paid) becomes the customer's credit. An open invoice
left with nothing due is paid.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from db.models.invoices import CreditNote, Invoice
from domain.audit import service as audit
from domain.billing import money
from domain.billing.invoices import credit, numbering
from domain.billing.invoices import service as invoices
from domain.billing.invoices.lines import breakdown_of, tax_of
from domain.billing.invoices.schemas import CreditLineIn, CreditNoteIn
from domain.billing.invoices.views import amount_due, credit_note_out
from domain.context import TenantContext
from domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from domain.queries import find

CREDITABLE = ("open", "paid", "uncollectible")


def _credited_so_far(notes: list[CreditNote]) -> dict[int, dict[str, Any]]:
    """Per invoice line: the quantity, net and tax credited by earlier credit notes."""
    out: dict[int, dict[str, Any]] = {}
    for note in notes:
        for line in note.lines:
            if line.get("quantity") is None:
                continue
            seen = out.setdefault(line["line"], {"quantity": Decimal(0), "net_minor": 0, "tax_minor": 0})
            seen["quantity"] += Decimal(line["quantity"])
            seen["net_minor"] += line["net_minor"]
            seen["tax_minor"] += line["tax_minor"]
    return out


def _by_lines(invoice: Invoice, asked: list[CreditLineIn], notes: list[CreditNote]) -> list[dict[str, Any]]:
    done = _credited_so_far(notes)
    wanted: dict[int, Decimal] = {}
    bad: list[FieldError] = []
    for i, item in enumerate(asked):
        if item.line >= len(invoice.lines):
            bad.append(FieldError(f"lines.{i}.line", f"the invoice has {len(invoice.lines)} lines (from 0)"))
            continue
        wanted[item.line] = wanted.get(item.line, Decimal(0)) + Decimal(item.quantity)
        line = invoice.lines[item.line]
        left = Decimal(line["quantity"]) - done.get(item.line, {}).get("quantity", Decimal(0))
        if wanted[item.line] > left or Decimal(item.quantity) == 0:
            bad.append(
                FieldError(f"lines.{i}.quantity", f"must be more than 0 and at most {left}, what is left")
            )
    if bad:
        raise ValidationFailed(bad, "; ".join(f"{f.field}: {f.message}" for f in bad))
    out = []
    for index, qty in wanted.items():
        line = invoice.lines[index]
        seen = done.get(index, {"quantity": Decimal(0), "net_minor": 0, "tax_minor": 0})
        tax = line["tax"]
        if seen["quantity"] + qty == Decimal(line["quantity"]):  # the rest of the line, exactly
            net, tax_minor = line["net_minor"] - seen["net_minor"], line["tax_minor"] - seen["tax_minor"]
        else:
            amount = money.line_amount(
                line["unit_minor"], qty, discount_percent=Decimal(line["discount_percent"])
            )
            net, tax_minor = tax_of(amount, Decimal(tax["percentage"]), tax["inclusive"])
        out.append(
            {
                "line": index,
                "description": line["description"],
                "quantity": str(qty),
                "net_minor": net,
                "tax_minor": tax_minor,
                "tax": tax,
            }
        )
    return out


def _by_amount(invoice: Invoice, gross: int) -> list[dict[str, Any]]:
    """``gross`` spread over the invoice's taxes by their share of its total; each part's tax is the
    tax inside it at that rate."""
    groups = [g for g in invoice.tax_breakdown if g["taxable_minor"] + g["tax_minor"] > 0]
    if not groups or invoice.total_minor <= 0:
        raise ValidationFailed.one("amount", "the invoice has nothing to credit")
    exact = [Decimal(gross) * (g["taxable_minor"] + g["tax_minor"]) / invoice.total_minor for g in groups]
    parts = [int(x) for x in exact]  # floors (all positive), then the remainders by size
    order = sorted(range(len(groups)), key=lambda k: exact[k] - parts[k], reverse=True)
    for k in order[: gross - sum(parts)]:
        parts[k] += 1
    out = []
    for g, part in zip(groups, parts, strict=True):
        if part == 0:
            continue
        tax = {k: g[k] for k in ("rate_id", "name", "percentage", "inclusive", "reverse_charge", "mention")}
        tax_minor = money.included_tax(part, Decimal(g["percentage"]))
        out.append(
            {
                "line": None,
                "description": f"Credit: {g['name']}",
                "quantity": None,
                "net_minor": part - tax_minor,
                "tax_minor": tax_minor,
                "tax": tax,
            }
        )
    return out


def create(session: Session, ctx: TenantContext, invoice_id: uuid.UUID, body: CreditNoteIn) -> CreditNote:
    invoice = invoices.locked(session, ctx, invoice_id)
    if invoice.status not in CREDITABLE:
        raise Conflict(
            f"The invoice is {invoice.status}: only a finalized invoice that is not void can be credited."
        )
    notes = invoices.credit_notes_of(session, ctx, [invoice.id])
    if body.lines is not None:
        lines = _by_lines(invoice, body.lines, notes)
        field = "lines"
    else:
        gross = money.to_minor(body.amount or "0", invoice.currency, field="amount")
        if gross <= 0:
            raise ValidationFailed.one("amount", "must be more than zero")
        lines, field = _by_amount(invoice, gross), "amount"
    subtotal = sum(line["net_minor"] for line in lines)
    tax = sum(line["tax_minor"] for line in lines)
    total = subtotal + tax
    remaining = invoice.total_minor - invoice.credited_minor
    if total > remaining:
        left = money.to_text(remaining, invoice.currency)
        raise ValidationFailed.one(
            field, f"credits {money.to_text(total, invoice.currency)}, more than the {left} left to credit"
        )
    if total <= 0:
        raise ValidationFailed.one(field, "credits nothing")
    before = audit.snapshot(invoice, invoices.FIELDS)
    due = amount_due(invoice)
    to_credit = max(0, total - due)
    now = datetime.now(UTC)
    note = CreditNote.new(
        ctx,
        id=uuid.uuid4(),
        invoice_id=invoice.id,
        customer_id=invoice.customer_id,
        number=numbering.next_number(session, ctx, numbering.CREDIT_NOTE, now.date()),
        currency=invoice.currency,
        reason=body.reason,
        lines=lines,
        tax_breakdown=breakdown_of(lines),
        subtotal_minor=subtotal,
        tax_minor=tax,
        total_minor=total,
        to_customer_credit_minor=to_credit,
        issued_on=now.date(),
        created_by=ctx.actor_id,
    )
    session.add(note)
    invoice.credited_minor += total
    if to_credit:
        # Money already received beyond the new total moves from this invoice to the customer.
        invoice.amount_paid_minor -= to_credit
        customer = credit.locked_customer(session, ctx, invoice.customer_id)
        credit.move(session, ctx, customer, to_credit, "customer.credited", invoice.id)
    invoice.revision += 1
    invoices.changed(session, ctx, invoice, "invoice.credited", before)
    audit.record(session, ctx, "credit_note.created", "credit_note", note.id, credit_note_out(note))
    if invoice.status in ("open", "uncollectible") and amount_due(invoice) == 0:
        invoices.mark_paid(session, ctx, invoice)
    return note


def get(session: Session, ctx: TenantContext, invoice_id: uuid.UUID, note_id: uuid.UUID) -> CreditNote:
    """A credit note of the invoice; another invoice's or tenant's is a 404."""
    invoice = invoices.get(session, ctx, invoice_id)
    note = find(session, ctx, CreditNote, note_id)
    if note is None or note.invoice_id != invoice.id:
        raise NotFound("credit note", note_id)
    return note

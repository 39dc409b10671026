"""Revenue per period: finalized invoices (not void) by their issue day, less credit notes by theirs,
and what was collected (payments received less refunds, by the day in the tenant's time zone).

One SQL statement sums every source per day, currency (and customer); each day's sum is converted at
that day's rate, rounded once, then added into its period. A total is its converted net plus its
converted tax, so every row adds up to the minor unit, and the totals row is the sum of the rows.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import BigInteger, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from db.models.invoices import CreditNote, Invoice, InvoicePayment
from db.models.stripe import PaymentRefund
from domain.billing.reports.common import RECEIVED, VOID_OR_DRAFT, customer_names, local_day, texts
from domain.billing.reports.periods import Bucket, buckets, start_of
from domain.billing.reports.rates import Rates
from domain.billing.reports.schemas import Column, Report, ReportParams
from domain.context import TenantContext
from domain.queries import mine

AMOUNTS = [
    "subtotal",
    "tax",
    "total",
    "credited_subtotal",
    "credited_tax",
    "credited",
    "net_revenue",
    "collected",
]
COUNTS = ["invoices", "credit_notes"]


def columns(p: ReportParams) -> list[Column]:
    cols: list[Column] = []
    if p.period is not None:
        cols += [Column("period", "Period"), Column("start", "Start", "date"), Column("end", "End", "date")]
    if p.by == "customer":
        cols += [Column("customer_id", "Customer id"), Column("customer_name", "Customer")]
    cols += [Column("invoices", "Invoices", "int")]
    cols += [Column(k, t, "money") for k, t in (("subtotal", "Subtotal"), ("tax", "Tax"), ("total", "Total"))]
    cols += [Column("credit_notes", "Credit notes", "int")]
    titles = ("Credited subtotal", "Credited tax", "Credited", "Net revenue", "Collected")
    cols += [Column(k, t, "money") for k, t in zip(AMOUNTS[3:], titles, strict=True)]
    return cols


def _sums(ctx: TenantContext, p: ReportParams) -> Any:
    """Per source, day, currency (and customer): count, net, tax. Sources: invoice, credit, cash."""
    zero = literal(0, BigInteger)
    by_customer = p.by == "customer"

    def who(column: Any) -> Any:
        return column if by_customer else null()

    invoiced = select(
        literal("invoice").label("source"),
        Invoice.issued_on.label("day"),
        Invoice.currency.label("currency"),
        who(Invoice.customer_id).label("customer_id"),
        func.count().label("n"),
        func.sum(Invoice.subtotal_minor).label("net"),
        func.sum(Invoice.tax_minor).label("tax"),
    ).where(
        *mine(ctx, Invoice),
        Invoice.status.not_in(VOID_OR_DRAFT),
        Invoice.issued_on.between(p.first, p.last),
    )
    credited = (
        select(
            literal("credit"),
            CreditNote.issued_on,
            CreditNote.currency,
            who(CreditNote.customer_id),
            func.count(),
            func.sum(CreditNote.subtotal_minor),
            func.sum(CreditNote.tax_minor),
        )
        .join(Invoice, Invoice.id == CreditNote.invoice_id)
        .where(
            *mine(ctx, CreditNote),
            *mine(ctx, Invoice),
            Invoice.status.not_in(VOID_OR_DRAFT),
            CreditNote.issued_on.between(p.first, p.last),
        )
    )
    paid_day = local_day(InvoicePayment.received_at, p.time_zone)
    received = select(
        literal("cash"),
        paid_day,
        InvoicePayment.currency,
        who(InvoicePayment.customer_id),
        zero,
        func.sum(InvoicePayment.amount_minor),
        zero,
    ).where(
        *mine(ctx, InvoicePayment), InvoicePayment.status.in_(RECEIVED), paid_day.between(p.first, p.last)
    )
    refund_day = local_day(PaymentRefund.created_at, p.time_zone)
    refunded = (
        select(
            literal("cash"),
            refund_day,
            PaymentRefund.currency,
            who(InvoicePayment.customer_id),
            zero,
            -func.sum(PaymentRefund.amount_minor),
            zero,
        )
        .join(InvoicePayment, InvoicePayment.id == PaymentRefund.payment_id)
        .where(*mine(ctx, PaymentRefund), *mine(ctx, InvoicePayment), refund_day.between(p.first, p.last))
    )
    keys = [
        (Invoice.issued_on, Invoice.currency, Invoice.customer_id),
        (CreditNote.issued_on, CreditNote.currency, CreditNote.customer_id),
        (paid_day, InvoicePayment.currency, InvoicePayment.customer_id),
        (refund_day, PaymentRefund.currency, InvoicePayment.customer_id),
    ]
    arms = [invoiced, credited, received, refunded]
    return union_all(
        *[arm.group_by(*(k if by_customer else k[:2])) for arm, k in zip(arms, keys, strict=True)]
    )


def report(session: Session, ctx: TenantContext, p: ReportParams) -> Report:
    rows = session.execute(_sums(ctx, p)).all()
    rates = Rates(session, ctx, p.currency, {(r.currency, r.day) for r in rows})
    periods: dict[date, Bucket] = {b.start: b for b in buckets(p.first, p.last, p.period or "year")}
    cells: dict[tuple[date | None, uuid.UUID | None], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(AMOUNTS + COUNTS, 0)
    )
    if p.period is not None and p.by is None:
        for first_day in periods:  # every period has its row, empty ones too
            cells[(first_day, None)]
    for r in rows:
        # The bucket's first day in the range: the key ``buckets`` gives it.
        bucket_day = max(start_of(r.day, p.period), p.first) if p.period is not None else None
        cell = cells[(bucket_day, r.customer_id)]
        net, tax = rates.convert(int(r.net), r.currency, r.day), rates.convert(int(r.tax), r.currency, r.day)
        if r.source == "invoice":
            cell["invoices"] += r.n
            cell["subtotal"] += net
            cell["tax"] += tax
        elif r.source == "credit":
            cell["credit_notes"] += r.n
            cell["credited_subtotal"] += net
            cell["credited_tax"] += tax
        else:
            cell["collected"] += net
    names = customer_names(session, ctx, (c for _, c in cells))
    out: list[dict[str, Any]] = []
    totals = dict.fromkeys(AMOUNTS + COUNTS, 0)
    for (bucket_day, customer), cell in sorted(
        cells.items(), key=lambda kv: (kv[0][0] or date.min, names.get(kv[0][1], "") if kv[0][1] else "")
    ):
        cell["total"] = cell["subtotal"] + cell["tax"]
        cell["credited"] = cell["credited_subtotal"] + cell["credited_tax"]
        cell["net_revenue"] = cell["subtotal"] - cell["credited_subtotal"]
        row: dict[str, Any] = {}
        if bucket_day is not None:
            bucket = periods[bucket_day]
            row |= {"period": bucket.label, "start": bucket.start.isoformat(), "end": bucket.end.isoformat()}
        if p.by == "customer":
            row |= {"customer_id": str(customer), "customer_name": names.get(customer, "")}
        row |= {"invoices": cell["invoices"], "credit_notes": cell["credit_notes"]}
        row |= texts({k: cell[k] for k in AMOUNTS}, p.currency)
        out.append({c.key: row[c.key] for c in columns(p)})
        for key in totals:
            totals[key] += cell[key]
    total_row: dict[str, Any] = {"invoices": totals["invoices"], "credit_notes": totals["credit_notes"]}
    total_row |= texts({k: totals[k] for k in AMOUNTS}, p.currency)
    notes = [
        "Invoices count on their issue day, credit notes on theirs, payments and refunds on the day "
        f"they happened in {p.time_zone}; each day's amounts are converted at that day's rate."
    ]
    return Report("revenue", p, columns(p), out, total_row, notes)

"""Receivables ageing as of a day (``to``, default today): what was still owed on each invoice at the
end of that day, by days past its due date: current (not yet due), 0-30, 31-60, 61-90, over 90.

An invoice's balance on the day is rebuilt from its history, so a past date shows what was owed
then: its total, less the customer credit applied when it was finalized, less payments received by
then, plus refunds taken back from it by then, less credit notes issued by then (what they moved to
the customer's credit aside). Invoices finalized after the day, and those voided or written off
(uncollectible) by then, are left out. Each balance is converted at its invoice's issue-day rate.
One SQL statement: the balance per invoice, summed per bucket, currency, issue day (and customer).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import Date, case, func, literal, or_, select
from sqlalchemy.orm import Session

from db.models.invoices import CreditNote, Invoice, InvoicePayment
from db.models.stripe import PaymentRefund
from domain.billing.reports.common import RECEIVED, customer_names, local_day, texts
from domain.billing.reports.rates import Rates
from domain.billing.reports.schemas import Column, Report, ReportParams
from domain.context import TenantContext
from domain.queries import mine

BUCKETS = ["current", "days_0_30", "days_31_60", "days_61_90", "days_over_90"]
TITLES = ["Current", "0-30 days", "31-60 days", "61-90 days", "Over 90 days"]


def columns(p: ReportParams) -> list[Column]:
    cols = [Column("customer_id", "Customer id"), Column("customer_name", "Customer")] if p.by else []
    cols.append(Column("invoices", "Invoices", "int"))
    cols += [Column(k, t, "money") for k, t in zip(BUCKETS, TITLES, strict=True)]
    return [*cols, Column("total", "Total", "money")]


def _balances(ctx: TenantContext, p: ReportParams) -> Any:
    as_of, zone = p.last, p.time_zone
    zero = literal(0)
    paid = (
        select(func.coalesce(func.sum(InvoicePayment.applied_minor), zero))
        .where(
            *mine(ctx, InvoicePayment),
            InvoicePayment.invoice_id == Invoice.id,
            InvoicePayment.status.in_(RECEIVED),
            local_day(InvoicePayment.received_at, zone) <= as_of,
        )
        .scalar_subquery()
    )
    refunded = (
        select(func.coalesce(func.sum(PaymentRefund.from_invoice_minor), zero))
        .where(
            *mine(ctx, PaymentRefund),
            PaymentRefund.invoice_id == Invoice.id,
            local_day(PaymentRefund.created_at, zone) <= as_of,
        )
        .scalar_subquery()
    )
    credited = (
        select(func.coalesce(func.sum(CreditNote.total_minor - CreditNote.to_customer_credit_minor), zero))
        .where(*mine(ctx, CreditNote), CreditNote.invoice_id == Invoice.id, CreditNote.issued_on <= as_of)
        .scalar_subquery()
    )
    balance = Invoice.total_minor - Invoice.credit_applied_minor - paid + refunded - credited
    per_invoice = (
        select(
            Invoice.customer_id,
            Invoice.currency,
            Invoice.issued_on,
            func.coalesce(Invoice.due_on, Invoice.issued_on).label("due_on"),
            balance.label("balance"),
        )
        .where(
            *mine(ctx, Invoice),
            Invoice.status != "draft",
            Invoice.issued_on <= as_of,
            or_(Invoice.closed_at.is_(None), local_day(Invoice.closed_at, zone) > as_of),
        )
        .subquery()
    )
    late = literal(as_of, Date) - per_invoice.c.due_on  # days past due (date - date: integer)
    bucket = case(
        (late < 0, "current"),
        (late <= 30, "days_0_30"),
        (late <= 60, "days_31_60"),
        (late <= 90, "days_61_90"),
        else_="days_over_90",
    ).label("bucket")
    keys = [bucket, per_invoice.c.currency, per_invoice.c.issued_on]
    if p.by == "customer":
        keys.append(per_invoice.c.customer_id)
    return (
        select(*keys, func.count().label("n"), func.sum(per_invoice.c.balance).label("due"))
        .where(per_invoice.c.balance > 0)
        .group_by(*keys)
    )


def report(session: Session, ctx: TenantContext, p: ReportParams) -> Report:
    rows = session.execute(_balances(ctx, p)).all()
    rates = Rates(session, ctx, p.currency, {(r.currency, r.issued_on) for r in rows})
    cells: dict[uuid.UUID | None, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(["invoices", *BUCKETS], 0)
    )
    if p.by is None:
        cells[None]  # one row, even when nothing is owed
    for r in rows:
        cell = cells[r.customer_id if p.by else None]
        cell["invoices"] += r.n
        cell[r.bucket] += rates.convert(int(r.due), r.currency, r.issued_on)
    names = customer_names(session, ctx, (c for c in cells if c is not None))
    out: list[dict[str, Any]] = []
    totals = dict.fromkeys(["invoices", *BUCKETS], 0)
    for customer, cell in sorted(cells.items(), key=lambda kv: names.get(kv[0], "") if kv[0] else ""):
        row: dict[str, Any] = (
            {"customer_id": str(customer), "customer_name": names.get(customer, "")}
            if (customer is not None)
            else {}
        )
        row["invoices"] = cell["invoices"]
        row |= texts({k: cell[k] for k in BUCKETS} | {"total": sum(cell[k] for k in BUCKETS)}, p.currency)
        out.append(row)
        for key in totals:
            totals[key] += cell[key]
    total_row: dict[str, Any] = {"invoices": totals["invoices"]}
    total_row |= texts(
        {k: totals[k] for k in BUCKETS} | {"total": sum(totals[k] for k in BUCKETS)}, p.currency
    )
    notes = [
        f"Balances at the end of {p.last.isoformat()} ({p.time_zone}); days past due counted on that day; "
        "each balance converted at its invoice's issue-day rate. Refunds count from the day they were made."
    ]
    return Report("ar-aging", p, columns(p), out, total_row, notes)

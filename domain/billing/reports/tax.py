"""Tax collected per rate (name, percentage, country) or per country, with its taxable base, from the
tax breakdown of finalized invoices (not void) issued in the range, less credit notes issued in it.

Reverse-charge lines show their base with 0 tax. A rate's country is the tax rate's; lines with no
rate (reverse charge, no tax) take the customer's country. One SQL statement expands the stored
breakdowns and sums them per rate, country, currency and day; each day's sums are converted at that
day's rate.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, and_, cast, column, func, literal, select, true, union_all
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Session

from db.models.billing import BillingCustomer, TaxRate
from db.models.invoices import CreditNote, Invoice
from domain.billing.reports.common import VOID_OR_DRAFT, texts
from domain.billing.reports.rates import Rates
from domain.billing.reports.schemas import Column, Report, ReportParams
from domain.context import TenantContext
from domain.queries import mine

AMOUNTS = ["taxable_amount", "tax", "credited_taxable", "credited_tax", "net_taxable", "net_tax"]
TITLES = ["Taxable amount", "Tax", "Credited taxable", "Credited tax", "Net taxable", "Net tax"]
RATE_KEYS = ["name", "percentage", "country", "reverse_charge"]


def columns(p: ReportParams) -> list[Column]:
    if p.by == "country":
        cols = [Column("country", "Country")]
    else:
        cols = [
            Column("name", "Tax"),
            Column("percentage", "Percentage", "decimal"),
            Column("country", "Country"),
            Column("reverse_charge", "Reverse charge"),
        ]
    return cols + [Column(k, t, "money") for k, t in zip(AMOUNTS, TITLES, strict=True)]


def _arm(ctx: TenantContext, p: ReportParams, source: str, doc: Any) -> Any:
    """The breakdown rows of invoices or credit notes, summed per rate, country, currency and day."""
    line = func.jsonb_array_elements(doc.tax_breakdown).table_valued(column("value", JSONB)).lateral("line")
    item = line.c.value
    rate_id = cast(item["rate_id"].astext, UUID(as_uuid=True))
    keys = [
        item["name"].astext.label("name"),
        item["percentage"].astext.label("percentage"),
        func.coalesce(TaxRate.country, BillingCustomer.country).label("country"),
        item["reverse_charge"].astext.label("reverse_charge"),
        doc.currency.label("currency"),
        doc.issued_on.label("day"),
    ]
    stmt = (
        select(
            literal(source).label("source"),
            *keys,
            func.sum(cast(item["taxable_minor"].astext, BigInteger)).label("taxable"),
            func.sum(cast(item["tax_minor"].astext, BigInteger)).label("tax"),
        )
        .select_from(doc)
        .join(line, true())
        .join(
            BillingCustomer,
            and_(BillingCustomer.id == doc.customer_id, *mine(ctx, BillingCustomer, deleted=True)),
        )
        .outerjoin(TaxRate, and_(TaxRate.id == rate_id, *mine(ctx, TaxRate, deleted=True)))
        .where(*mine(ctx, doc), doc.issued_on.between(p.first, p.last))
        .group_by(*[k.element for k in keys])
    )
    if doc is CreditNote:  # the credit notes of invoices that still count
        stmt = stmt.join(Invoice, Invoice.id == CreditNote.invoice_id).where(*mine(ctx, Invoice))
    return stmt.where(Invoice.status.not_in(VOID_OR_DRAFT))


def _key(r: Any, by: str | None) -> tuple[Any, ...]:
    if by == "country":
        return (r.country,)
    return (r.name, Decimal(r.percentage or "0"), r.country, r.reverse_charge == "true")


def report(session: Session, ctx: TenantContext, p: ReportParams) -> Report:
    stmt = union_all(_arm(ctx, p, "invoice", Invoice), _arm(ctx, p, "credit", CreditNote))
    rows = session.execute(stmt).all()
    rates = Rates(session, ctx, p.currency, {(r.currency, r.day) for r in rows})
    cells: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: dict.fromkeys(AMOUNTS, 0))
    for r in rows:
        cell = cells[_key(r, p.by)]
        base, tax = (
            rates.convert(int(r.taxable), r.currency, r.day),
            rates.convert(int(r.tax), r.currency, r.day),
        )
        prefix = "" if r.source == "invoice" else "credited_"
        cell[f"{prefix}taxable" if prefix else "taxable_amount"] += base
        cell[f"{prefix}tax"] += tax
    totals = dict.fromkeys(AMOUNTS, 0)
    out: list[dict[str, Any]] = []
    for key, cell in sorted(cells.items(), key=lambda kv: tuple(str(k) for k in kv[0])):
        cell["net_taxable"] = cell["taxable_amount"] - cell["credited_taxable"]
        cell["net_tax"] = cell["tax"] - cell["credited_tax"]
        if p.by == "country":
            row: dict[str, Any] = {"country": key[0]}
        else:
            row = {"name": key[0], "percentage": f"{key[1].normalize():f}", "country": key[2]}
            row["reverse_charge"] = key[3]
        out.append(row | texts(cell, p.currency))
        for k in totals:
            totals[k] += cell[k]
    notes = [
        "Invoices and credit notes count on their issue day, converted at that day's rate; "
        "reverse-charge lines show their base with 0 tax."
    ]
    return Report("tax", p, columns(p), out, texts(totals, p.currency), notes)

"""A report's parameters, its columns (for CSV and XLSX) and its answer as the API documents it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from domain.billing.reports.periods import Period

Kind = Literal["text", "date", "int", "money", "decimal"]
ReportName = Literal["revenue", "ar-aging", "mrr", "tax"]
Format = Literal["json", "csv", "xlsx"]


@dataclass(frozen=True)
class ReportParams:
    first: date  # inclusive
    last: date  # inclusive
    period: Period | None  # the time bucket, None when the report is not split by time
    by: str | None  # the other dimension: customer | rate | country
    currency: str  # the currency every amount is converted to
    time_zone: str  # IANA name: the tenant's, else UTC
    group_by: list[str] = field(default_factory=list)  # as asked, for the answer


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: Kind = "text"


@dataclass
class Report:
    """Rows of JSON-ready values (amounts as decimal strings) and a totals row of the same keys."""

    name: ReportName
    params: ReportParams
    columns: list[Column]
    rows: list[dict[str, Any]]
    totals: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    def out(self) -> dict[str, Any]:
        p = self.params
        return {
            "report": self.name,
            "currency": p.currency,
            "from": p.first.isoformat(),
            "to": p.last.isoformat(),
            "group_by": p.group_by,
            "time_zone": p.time_zone,
            "columns": [c.key for c in self.columns],
            "rows": self.rows,
            "totals": self.totals,
            "notes": self.notes,
        }


class ReportOut(BaseModel):
    report: ReportName
    currency: str = Field(description="ISO 4217: every amount is in it, as a decimal string")
    from_: date = Field(alias="from", description="first day covered (inclusive)")
    to: date = Field(description="last day covered (inclusive)")
    group_by: list[str]
    time_zone: str = Field(description="IANA zone the days of timestamps are taken in")
    columns: list[str] = Field(description="the keys of each row, in the order of the CSV and XLSX columns")
    rows: list[dict[str, Any]] = Field(
        description="revenue: period, start, end, [customer_id, customer_name,] invoices, subtotal, tax, "
        "total, credit_notes, credited_subtotal, credited_tax, credited, net_revenue, collected; "
        "ar-aging: [customer_id, customer_name,] invoices, current, days_0_30, days_31_60, days_61_90, "
        "days_over_90, total; tax: name, percentage, country, reverse_charge (group_by=rate) or "
        "country, taxable_amount, tax, credited_taxable, credited_tax, net_taxable, net_tax; mrr: "
        "month, mrr, arr, new, expansion, contraction, churned, customers, churned_customers, churn_rate"
    )
    totals: dict[str, Any] = Field(description="the sum of the rows' amounts (the last state for mrr)")
    notes: list[str] = Field(description="how the figures were made, where it matters")

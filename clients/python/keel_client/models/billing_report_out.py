from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.billing_report_out_report import BillingReportOutReport

if TYPE_CHECKING:
    from ..models.billing_report_out_rows_item import BillingReportOutRowsItem
    from ..models.billing_report_out_totals import BillingReportOutTotals


T = TypeVar("T", bound="BillingReportOut")


@_attrs_define
class BillingReportOut:
    """
    Attributes:
        report (BillingReportOutReport):
        currency (str): ISO 4217: every amount is in it, as a decimal string
        from_ (datetime.date): first day covered (inclusive)
        to (datetime.date): last day covered (inclusive)
        group_by (list[str]):
        time_zone (str): IANA zone the days of timestamps are taken in
        columns (list[str]): the keys of each row, in the order of the CSV and XLSX columns
        rows (list[BillingReportOutRowsItem]): revenue: period, start, end, [customer_id, customer_name,] invoices,
            subtotal, tax, total, credit_notes, credited_subtotal, credited_tax, credited, net_revenue, collected; ar-aging:
            [customer_id, customer_name,] invoices, current, days_0_30, days_31_60, days_61_90, days_over_90, total; tax:
            name, percentage, country, reverse_charge (group_by=rate) or country, taxable_amount, tax, credited_taxable,
            credited_tax, net_taxable, net_tax; mrr: month, mrr, arr, new, expansion, contraction, churned, customers,
            churned_customers, churn_rate
        totals (BillingReportOutTotals): the sum of the rows' amounts (the last state for mrr)
        notes (list[str]): how the figures were made, where it matters
    """

    report: BillingReportOutReport
    currency: str
    from_: datetime.date
    to: datetime.date
    group_by: list[str]
    time_zone: str
    columns: list[str]
    rows: list[BillingReportOutRowsItem]
    totals: BillingReportOutTotals
    notes: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        report = self.report.value

        currency = self.currency

        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        group_by = self.group_by

        time_zone = self.time_zone

        columns = self.columns

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        totals = self.totals.to_dict()

        notes = self.notes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "report": report,
                "currency": currency,
                "from": from_,
                "to": to,
                "group_by": group_by,
                "time_zone": time_zone,
                "columns": columns,
                "rows": rows,
                "totals": totals,
                "notes": notes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.billing_report_out_rows_item import BillingReportOutRowsItem
        from ..models.billing_report_out_totals import BillingReportOutTotals

        d = dict(src_dict)
        report = BillingReportOutReport(d.pop("report"))

        currency = d.pop("currency")

        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        group_by = cast(list[str], d.pop("group_by"))

        time_zone = d.pop("time_zone")

        columns = cast(list[str], d.pop("columns"))

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = BillingReportOutRowsItem.from_dict(rows_item_data)

            rows.append(rows_item)

        totals = BillingReportOutTotals.from_dict(d.pop("totals"))

        notes = cast(list[str], d.pop("notes"))

        billing_report_out = cls(
            report=report,
            currency=currency,
            from_=from_,
            to=to,
            group_by=group_by,
            time_zone=time_zone,
            columns=columns,
            rows=rows,
            totals=totals,
            notes=notes,
        )

        billing_report_out.additional_properties = d
        return billing_report_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

"""Report building blocks: period buckets, the report's exchange rates (the same numbers as
``fx.convert``), and the CSV and XLSX writers."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import openpyxl
import pytest
from sqlalchemy import Engine

from db.models.billing import FxRate
from db.session import tenant_session
from domain.billing.catalog import fx
from domain.billing.reports import export
from domain.billing.reports.periods import buckets, start_of
from domain.billing.reports.rates import Rates
from domain.billing.reports.schemas import Column, Report, ReportParams
from domain.context import TenantContext
from domain.errors import ValidationFailed
from tests.conftest import TenantFixture


def test_buckets_cover_the_range_once_clipped_at_both_ends() -> None:
    for period in ("day", "week", "month", "quarter", "year"):
        first, last = date(2023, 11, 17), date(2025, 2, 3)
        found = buckets(first, last, period)
        assert found[0].start == first and found[-1].end == last
        for before, after in pairwise(found):
            assert after.start == before.end + timedelta(days=1)
        assert all(start_of(b.start, period) == start_of(b.end, period) for b in found)
    assert [b.label for b in buckets(date(2024, 12, 30), date(2025, 1, 6), "week")] == [
        "2025-W01",
        "2025-W02",
    ]
    assert [b.label for b in buckets(date(2025, 2, 1), date(2025, 8, 1), "quarter")] == [
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
    ]
    assert len(buckets(date(2015, 1, 1), date(2025, 1, 1), "day")) == 3654


def test_buckets_at_the_ends_of_the_calendar() -> None:
    last = buckets(date(9999, 12, 1), date.max, "month")
    assert [(b.label, b.start, b.end) for b in last] == [("9999-12", date(9999, 12, 1), date.max)]
    assert buckets(date(9999, 12, 27), date.max, "week")[-1].end == date.max
    assert buckets(date(9999, 1, 1), date.max, "year")[-1].label == "9999"
    assert buckets(date.min, date(1, 1, 10), "week")[0].start == date.min


def _rates(ctx: TenantContext, rows: list[tuple[str, str, str, date]]) -> list[FxRate]:
    return [
        FxRate(tenant_id=ctx.tenant_id, base=b, quote=q, rate=Decimal(r), on_date=d) for b, q, r, d in rows
    ]


def test_report_rates_are_fx_converts_numbers(
    engine: Engine, make_tenant: Callable[..., TenantFixture]
) -> None:
    tenant = make_tenant()
    ctx = TenantContext.system(tenant.id)
    day = date(2025, 1, 1)
    history = [
        ("EUR", "USD", "1.1", day),
        ("USD", "EUR", "0.95", day + timedelta(days=10)),  # a later inverse rate wins
        ("EUR", "USD", "1.2", day + timedelta(days=10)),  # ... but not over a direct one of the same day
        ("EUR", "GBP", "0.85", day),
        ("JPY", "EUR", "0.0061", day + timedelta(days=3)),
        ("EUR", "KWD", "0.331", day - timedelta(days=400)),
    ]
    with tenant_session(engine, tenant.id) as session:
        session.add_all(_rates(ctx, history))
    chance = random.Random(7)
    needs = {
        (c, day + timedelta(days=chance.randrange(0, 30)))
        for c in ("USD", "GBP", "JPY", "KWD")
        for _ in range(8)
    }
    with tenant_session(engine, tenant.id) as session:
        for target in ("EUR", "USD", "GBP", "KWD"):
            book = Rates(session, ctx, target, needs | {("JPY", day + timedelta(days=5))})
            for currency, on in sorted(needs):
                if currency == "JPY" and on < day + timedelta(days=3):
                    continue
                amount = chance.randrange(-(10**9), 10**9)
                try:
                    expected = fx.convert(session, ctx, amount, currency, target, on)
                except ValidationFailed:
                    with pytest.raises(ValidationFailed):
                        book.convert(amount, currency, on)
                    continue
                assert book.convert(amount, currency, on) == expected, (currency, target, on)


def test_a_missing_rate_names_the_pair_and_the_day(
    engine: Engine, make_tenant: Callable[..., TenantFixture]
) -> None:
    tenant = make_tenant()
    ctx = TenantContext.system(tenant.id)
    with tenant_session(engine, tenant.id) as session:
        book = Rates(session, ctx, "EUR", {("CHF", date(2025, 3, 4))})
        with pytest.raises(ValidationFailed) as caught:
            book.convert(100, "CHF", date(2025, 3, 4))
    assert caught.value.code == "fx_rate_missing"
    assert caught.value.fields[0].field == "currency"
    assert "from CHF to EUR on or before 2025-03-04" in caught.value.fields[0].message


def _report() -> Report:
    params = ReportParams(date(2025, 1, 1), date(2025, 1, 31), None, "customer", "KWD", "UTC", ["customer"])
    columns = [
        Column("customer_name", "Customer"),
        Column("invoices", "Invoices", "int"),
        Column("total", "Total", "money"),
    ]
    rows = [
        {"customer_name": '=HYPERLINK("http://x")', "invoices": 2, "total": "-1.250"},
        {"customer_name": "+1 Plan", "invoices": 1, "total": "10.005"},
    ]
    return Report("revenue", params, columns, rows, {"invoices": 3, "total": "8.755"})


def test_csv_and_xlsx_never_carry_a_formula_and_keep_exact_amounts() -> None:
    report = _report()
    text = export.to_csv(report).decode()
    assert text.split("\r\n")[:3] == [
        "customer_name,invoices,total",
        '"\'=HYPERLINK(""http://x"")",2,-1.250',
        "'+1 Plan,1,10.005",
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(report))).active
    grid = list(sheet.iter_rows(values_only=True))
    assert grid[0] == ("Customer", "Invoices", "Total")
    assert grid[1] == ('\'=HYPERLINK("http://x")', 2, -1.25)
    assert grid[3] == ("Total", 3, 8.755)
    assert sheet["C2"].number_format == "#,##0.000"  # KWD has 3 decimals
    assert sheet["A1"].font.b and sheet["C4"].font.b and not sheet["C2"].font.b
    assert export.filename(report, "csv") == "revenue-2025-01-01-2025-01-31.csv"

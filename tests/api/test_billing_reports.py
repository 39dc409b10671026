"""Revenue report: finalized invoices per period net of credit notes, cash collected, converted at
each day's rate into the reporting currency; every row and the totals add up to the minor unit."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import openpyxl
from sqlalchemy import Engine, update

from db.models.identity import Tenant
from tests.api.conftest import Api, data
from tests.api.invoice_helpers import seller
from tests.api.test_billing_reports_helpers import (
    buyer,
    credit_note,
    fx,
    invoice,
    minor,
    payment,
    refund,
    tax_line,
)
from tests.conftest import TenantFixture

URL = "/api/v1/billing/reports/revenue"
Q1 = {"from": "2025-01-01", "to": "2025-03-31"}


def _books(engine: Engine, tenant_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """Q1 2025: 1200.00 EUR in January, two USD invoices in February at different rates, a credit note
    and a payment in March; a void and a draft invoice that do not count."""
    seller(engine, tenant_id)
    ada = buyer(engine, tenant_id, "Ada")
    bob = buyer(engine, tenant_id, "Bob", currency="USD", country="US")
    fx(engine, tenant_id, "EUR", "USD", "1.10", date(2025, 2, 1))
    fx(engine, tenant_id, "EUR", "USD", "1.25", date(2025, 2, 15))
    jan = invoice(engine, tenant_id, ada, date(2025, 1, 15), [tax_line(100000, 20000)])
    invoice(engine, tenant_id, bob, date(2025, 2, 10), [tax_line(11000, 2200)], currency="USD")
    invoice(engine, tenant_id, bob, date(2025, 2, 20), [tax_line(12500, 2500)], currency="USD")
    invoice(engine, tenant_id, ada, date(2025, 1, 20), [tax_line(777700, 0)], status="void")
    invoice(engine, tenant_id, ada, date(2025, 1, 21), [tax_line(888800, 0)], status="draft")
    credit_note(engine, tenant_id, jan, ada, date(2025, 3, 3), [tax_line(10000, 2000)])
    paid = payment(engine, tenant_id, jan, ada, 60000, datetime(2025, 3, 5, 10, tzinfo=UTC))
    refund(engine, tenant_id, paid, jan, 5000, datetime(2025, 3, 6, 10, tzinfo=UTC))
    return {"ada": ada, "bob": bob, "jan": jan}


def _figures(row: dict[str, Any]) -> tuple[Any, ...]:
    keys = ("invoices", "subtotal", "tax", "total", "credit_notes", "credited", "net_revenue", "collected")
    return tuple(row[k] for k in keys)


def assert_adds_up(report: dict[str, Any], amounts: list[str], places: int = 2) -> None:
    """Each amount of the totals row is the sum of the rows, to the minor unit."""
    for key in amounts:
        assert sum(minor(r[key], places) for r in report["rows"]) == minor(report["totals"][key], places), key


def test_revenue_per_month_converts_each_invoice_at_its_days_rate(
    admin: Api, engine: Engine, tenant: TenantFixture, make_tenant: Any
) -> None:
    _books(engine, tenant.id)
    stranger = make_tenant("Stranger")  # another tenant's invoice never shows
    other = buyer(engine, stranger.id, "Other")
    invoice(engine, stranger.id, other, date(2025, 1, 15), [tax_line(5_000_000, 0)])
    report = data(admin.get(URL, params=Q1))
    assert (report["report"], report["currency"], report["from"], report["to"]) == (
        "revenue",
        "EUR",
        "2025-01-01",
        "2025-03-31",
    )
    assert report["group_by"] == ["month"] and report["time_zone"] == "UTC"
    rows = report["rows"]
    assert [(r["period"], r["start"], r["end"]) for r in rows] == [
        ("2025-01", "2025-01-01", "2025-01-31"),
        ("2025-02", "2025-02-01", "2025-02-28"),
        ("2025-03", "2025-03-01", "2025-03-31"),
    ]
    assert _figures(rows[0]) == (1, "1000.00", "200.00", "1200.00", 0, "0.00", "1000.00", "0.00")
    # 110 + 22 USD at 1.10 and 125 + 25 USD at 1.25: 100 + 20 EUR each.
    assert _figures(rows[1]) == (2, "200.00", "40.00", "240.00", 0, "0.00", "200.00", "0.00")
    assert _figures(rows[2]) == (0, "0.00", "0.00", "0.00", 1, "120.00", "-100.00", "550.00")
    assert (rows[2]["credited_subtotal"], rows[2]["credited_tax"]) == ("100.00", "20.00")
    assert _figures(report["totals"]) == (3, "1200.00", "240.00", "1440.00", 1, "120.00", "1100.00", "550.00")
    assert_adds_up(report, ["subtotal", "tax", "total", "credited", "net_revenue", "collected"])
    for row in rows:
        assert minor(row["subtotal"]) + minor(row["tax"]) == minor(row["total"])
    assert report["columns"][:3] == ["period", "start", "end"]


def test_an_explicit_currency_converts_the_reporting_currency_too(
    admin: Api, engine: Engine, tenant: TenantFixture
) -> None:
    _books(engine, tenant.id)
    # A rate for the EUR invoice of 15 January (the others start on 1 February).
    fx(engine, tenant.id, "EUR", "USD", "1.20", date(2025, 1, 1))
    report = data(admin.get(URL, params=Q1 | {"currency": "usd", "group_by": "quarter"}))
    assert report["currency"] == "USD"
    [q1] = report["rows"]
    assert (q1["period"], q1["start"], q1["end"]) == ("2025-Q1", "2025-01-01", "2025-03-31")
    # 1000 EUR at 1.20, the USD invoices as they are, the March credit note at 1.25.
    assert (q1["subtotal"], q1["tax"]) == ("1435.00", "287.00")
    assert q1["credited"] == "150.00" and q1["collected"] == "687.50"  # 600 - 50 EUR at 1.25


def test_group_by_customer_and_by_period_and_customer(
    admin: Api, engine: Engine, tenant: TenantFixture
) -> None:
    ids = _books(engine, tenant.id)
    report = data(admin.get(URL, params=Q1 | {"group_by": "customer"}))
    assert [(r["customer_name"], r["customer_id"], r["total"]) for r in report["rows"]] == [
        ("Ada", str(ids["ada"]), "1200.00"),
        ("Bob", str(ids["bob"]), "240.00"),
    ]
    assert "period" not in report["rows"][0]
    assert_adds_up(report, ["subtotal", "tax", "total", "credited", "net_revenue", "collected"])
    both = data(admin.get(URL, params=Q1 | {"group_by": "month,customer"}))
    assert [(r["period"], r["customer_name"], r["total"], r["credited"]) for r in both["rows"]] == [
        ("2025-01", "Ada", "1200.00", "0.00"),
        ("2025-02", "Bob", "240.00", "0.00"),
        ("2025-03", "Ada", "0.00", "120.00"),
    ]
    assert both["totals"] == report["totals"]


def test_periods_day_week_and_year_with_empty_ones_and_clipped_edges(
    admin: Api, engine: Engine, tenant: TenantFixture
) -> None:
    _books(engine, tenant.id)
    weeks = data(admin.get(URL, params={"from": "2025-01-15", "to": "2025-02-12", "group_by": "week"}))
    labels = [(r["period"], r["start"], r["end"]) for r in weeks["rows"]]
    assert labels[0] == ("2025-W03", "2025-01-15", "2025-01-19")  # clipped to `from`
    assert labels[-1] == ("2025-W07", "2025-02-10", "2025-02-12")  # clipped to `to`
    assert len(labels) == 5 and weeks["rows"][1]["invoices"] == 0
    days = data(admin.get(URL, params={"from": "2025-02-09", "to": "2025-02-11", "group_by": "day"}))
    assert [(r["period"], r["total"]) for r in days["rows"]] == [
        ("2025-02-09", "0.00"),
        ("2025-02-10", "120.00"),
        ("2025-02-11", "0.00"),
    ]
    years = data(admin.get(URL, params={"from": "2024-06-01", "to": "2025-12-31", "group_by": "year"}))
    assert [(r["period"], r["start"], r["total"]) for r in years["rows"]] == [
        ("2024", "2024-06-01", "0.00"),
        ("2025", "2025-01-01", "1440.00"),
    ]


def test_days_of_payments_are_the_tenants_time_zones(
    admin: Api, engine: Engine, admin_engine: Engine, tenant: TenantFixture
) -> None:
    ids = _books(engine, tenant.id)
    payment(engine, tenant.id, ids["jan"], ids["ada"], 1000, datetime(2025, 3, 31, 23, 30, tzinfo=UTC))
    assert data(admin.get(URL, params=Q1))["totals"]["collected"] == "560.00"
    with admin_engine.begin() as conn:
        conn.execute(
            update(Tenant).where(Tenant.id == tenant.id).values(settings={"timezone": "Europe/Paris"})
        )
    paris = data(admin.get(URL, params=Q1))
    assert paris["time_zone"] == "Europe/Paris"
    assert paris["totals"]["collected"] == "550.00"  # 1 April in Paris


def test_csv_and_xlsx_downloads_match_the_json(admin: Api, engine: Engine, tenant: TenantFixture) -> None:
    _books(engine, tenant.id)
    report = data(admin.get(URL, params=Q1))
    r = admin.get(URL, params=Q1 | {"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == 'attachment; filename="revenue-2025-01-01-2025-03-31.csv"'
    lines = r.text.strip().split("\r\n")
    assert lines[0].split(",") == report["columns"]
    assert len(lines) == 1 + len(report["rows"])
    assert lines[3].split(",") == [str(report["rows"][2][c]) for c in report["columns"]]
    x = admin.get(URL, params=Q1 | {"format": "xlsx"})
    assert x.status_code == 200 and x.headers["content-disposition"].endswith('.xlsx"')
    assert x.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(x.content)).active
    grid = list(sheet.iter_rows(values_only=True))
    assert grid[0][:4] == ("Period", "Start", "End", "Invoices") and sheet["A1"].font.b
    assert len(grid) == 1 + len(report["rows"]) + 1  # header, rows, totals
    for row, got in zip([*report["rows"], report["totals"]], grid[1:], strict=True):
        for index, key in enumerate(report["columns"]):
            if key in ("subtotal", "tax", "total", "credited", "net_revenue", "collected"):
                assert Decimal(str(got[index])).quantize(Decimal("0.01")) == Decimal(row[key]), key
            elif key in ("invoices", "credit_notes"):
                assert got[index] == row[key]
    total = report["columns"].index("total") + 1
    assert sheet.cell(row=2, column=total).number_format == "#,##0.00"
    assert grid[-1][0] == "Total" and sheet.cell(row=sheet.max_row, column=1).font.b


def test_an_invoice_made_through_the_api_counts(admin: Api, engine: Engine, tenant: TenantFixture) -> None:
    from tests.api.invoice_helpers import customer, finalized, tax_rate

    seller(engine, tenant.id)
    tax_rate(engine, tenant.id, "20")
    who = customer(engine, tenant.id)
    made = finalized(admin, who, [{"description": "Day", "unit_amount": "500.00", "quantity": "2"}])
    day = made["issued_on"]
    report = data(admin.get(URL, params={"from": day, "to": day, "group_by": "day"}))
    assert (report["totals"]["subtotal"], report["totals"]["tax"], report["totals"]["total"]) == (
        "1000.00",
        "200.00",
        "1200.00",
    )
    taxes = data(admin.get("/api/v1/billing/reports/tax", params={"from": day, "to": day}))
    assert [
        (t["name"], t["percentage"], t["country"], t["taxable_amount"], t["tax"]) for t in taxes["rows"]
    ] == [("TVA 20%", "20", "FR", "1000.00", "200.00")]

"""Receivables ageing (balances rebuilt as of a day, bucketed by days past due) and tax collected per
rate and country (reverse charge with its base and 0 tax), net of credit notes."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime
from typing import Any

import openpyxl
from sqlalchemy import Engine

from tests.api.conftest import Api, data
from tests.api.invoice_helpers import seller, tax_rate
from tests.api.test_billing_reports import assert_adds_up
from tests.api.test_billing_reports_helpers import buyer, credit_note, fx, invoice, payment, refund, tax_line
from tests.conftest import TenantFixture

AGING = "/api/v1/billing/reports/ar-aging"
TAX = "/api/v1/billing/reports/tax"
BUCKETS = ["current", "days_0_30", "days_31_60", "days_61_90", "days_over_90", "total"]


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _receivables(engine: Engine, t: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    seller(engine, t)
    ada, bob = buyer(engine, t, "Ada"), buyer(engine, t, "Bob")
    fx(engine, t, "EUR", "USD", "1.10", date(2025, 6, 1))

    def owed(who: uuid.UUID, issued: date, due: date, cents: int, **kw: Any) -> uuid.UUID:
        return invoice(engine, t, who, issued, [tax_line(cents, 0)], due_on=due, **kw)

    owed(ada, date(2025, 6, 1), date(2025, 7, 1), 10000)  # current
    a2 = owed(ada, date(2025, 5, 1), date(2025, 6, 15), 20000)  # 15 days late, 50 paid
    payment(engine, t, a2, ada, 5000, at(date(2025, 6, 10)))
    owed(ada, date(2025, 3, 1), date(2025, 5, 1), 30000)  # 60 days late
    p1 = owed(ada, date(2025, 4, 1), date(2025, 5, 1), 99900, status="paid")  # paid before: gone
    payment(engine, t, p1, ada, 99900, at(date(2025, 5, 1)))
    owed(ada, date(2025, 4, 1), date(2025, 5, 1), 88800, status="void", closed_at=at(date(2025, 5, 1)))
    owed(ada, date(2025, 4, 1), date(2025, 5, 1), 7000, status="void", closed_at=at(date(2025, 7, 10)))
    owed(ada, date(2025, 7, 1), date(2025, 7, 31), 77700)  # issued after the day
    owed(ada, date(2025, 6, 1), date(2025, 7, 1), 66600, status="draft")
    r1 = owed(ada, date(2025, 6, 1), date(2025, 7, 1), 8000)  # paid, then 30 refunded: 30 current
    paid = payment(engine, t, r1, ada, 8000, at(date(2025, 6, 5)))
    refund(engine, t, paid, r1, 3000, at(date(2025, 6, 20)))
    owed(ada, date(2025, 6, 10), date(2025, 7, 10), 11000, currency="USD")  # 100 EUR current
    owed(bob, date(2025, 2, 1), date(2025, 4, 1), 40000)  # 90 days late
    b2 = owed(bob, date(2025, 1, 1), date(2025, 1, 31), 50000)  # 150 days late, 100 credited
    credit_note(engine, t, b2, bob, date(2025, 6, 20), [tax_line(10000, 0)])
    owed(bob, date(2025, 6, 30), date(2025, 6, 30), 1000)  # due that very day: 0 days late
    b4 = owed(bob, date(2025, 4, 1), date(2025, 5, 1), 100000, status="paid")  # paid later
    payment(engine, t, b4, bob, 100000, at(date(2025, 7, 15)))
    owed(bob, date(2025, 6, 1), date(2025, 6, 1), 6000, credit_applied=2000)  # 40 left, 29 days late
    return ada, bob


def _buckets(row: dict[str, Any]) -> list[str]:
    return [row[k] for k in BUCKETS]


def test_receivables_aged_as_of_a_past_day(admin: Api, engine: Engine, tenant: TenantFixture) -> None:
    ada, bob = _receivables(engine, tenant.id)
    report = data(admin.get(AGING, params={"to": "2025-06-30", "group_by": "customer"}))
    assert (report["from"], report["to"], report["currency"]) == ("2025-06-30", "2025-06-30", "EUR")
    rows = report["rows"]
    assert [(r["customer_name"], r["customer_id"], r["invoices"]) for r in rows] == [
        ("Ada", str(ada), 6),
        ("Bob", str(bob), 5),
    ]
    assert _buckets(rows[0]) == ["230.00", "150.00", "370.00", "0.00", "0.00", "750.00"]
    assert _buckets(rows[1]) == ["0.00", "50.00", "1000.00", "400.00", "400.00", "1850.00"]
    assert _buckets(report["totals"]) == ["230.00", "200.00", "1370.00", "400.00", "400.00", "2600.00"]
    assert report["totals"]["invoices"] == 11
    assert_adds_up(report, BUCKETS)
    alone = data(admin.get(AGING, params={"to": "2025-06-30"}))
    assert [_buckets(r) for r in alone["rows"]] == [_buckets(report["totals"])]
    assert "customer_id" not in alone["rows"][0] and alone["columns"][0] == "invoices"


def test_a_later_day_sees_later_payments_and_voids(admin: Api, engine: Engine, tenant: TenantFixture) -> None:
    _receivables(engine, tenant.id)
    report = data(admin.get(AGING, params={"to": "2025-07-20"}))
    # Bob's 1000 paid on 15 July and Ada's 70 voided on 10 July are gone; Ada's July invoice is in.
    assert report["totals"]["total"] == "2307.00"
    assert report["totals"]["invoices"] == 10


def test_ageing_as_csv(admin: Api, engine: Engine, tenant: TenantFixture) -> None:
    _receivables(engine, tenant.id)
    r = admin.get(AGING, params={"to": "2025-06-30", "group_by": "customer", "format": "csv"})
    assert r.headers["content-disposition"] == 'attachment; filename="ar-aging-2025-06-30-2025-06-30.csv"'
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(row["customer_name"], row["days_61_90"], row["total"]) for row in rows] == [
        ("Ada", "0.00", "750.00"),
        ("Bob", "400.00", "1850.00"),
    ]


def _taxes(engine: Engine, t: uuid.UUID) -> None:
    seller(engine, t)
    standard = tax_rate(engine, t, "20", name="TVA 20%")
    reduced = tax_rate(engine, t, "5.5", name="TVA 5.5%", category="books")
    fr = buyer(engine, t, "Dupont")
    de = buyer(engine, t, "GmbH", country="DE", tax_ids=[{"type": "eu_vat", "value": "DE123456789"}])
    us = buyer(engine, t, "Inc", currency="USD", country="US")
    fx(engine, t, "EUR", "USD", "1.10", date(2025, 1, 1))
    first = invoice(engine, t, fr, date(2025, 2, 1), [tax_line(100000, 20000, rate_id=standard)])
    lines = [
        tax_line(30000, 6000, rate_id=standard),
        tax_line(10000, 550, name="TVA 5.5%", pct="5.5", rate_id=reduced),
    ]
    invoice(engine, t, fr, date(2025, 2, 2), lines)
    invoice(engine, t, de, date(2025, 2, 3), [tax_line(50000, 0, name="Reverse charge", pct="0", rc=True)])
    invoice(engine, t, us, date(2025, 2, 4), [tax_line(11000, 0, name="No tax", pct="0")], currency="USD")
    invoice(engine, t, fr, date(2025, 2, 5), [tax_line(900000, 180000, rate_id=standard)], status="void")
    credit_note(engine, t, first, fr, date(2025, 3, 1), [tax_line(10000, 2000, rate_id=standard)])
    credit_note(engine, t, first, fr, date(2025, 4, 1), [tax_line(10000, 2000, rate_id=standard)])  # after


def test_tax_per_rate_and_per_country(admin: Api, engine: Engine, tenant: TenantFixture) -> None:
    _taxes(engine, tenant.id)
    q1 = {"from": "2025-01-01", "to": "2025-03-31"}
    report = data(admin.get(TAX, params=q1))
    keys = [
        "name",
        "percentage",
        "country",
        "reverse_charge",
        "taxable_amount",
        "tax",
        "credited_tax",
        "net_tax",
    ]
    assert [[r[k] for k in keys] for r in report["rows"]] == [
        ["No tax", "0", "US", False, "100.00", "0.00", "0.00", "0.00"],
        ["Reverse charge", "0", "DE", True, "500.00", "0.00", "0.00", "0.00"],
        ["TVA 20%", "20", "FR", False, "1300.00", "260.00", "20.00", "240.00"],
        ["TVA 5.5%", "5.5", "FR", False, "100.00", "5.50", "0.00", "5.50"],
    ]
    assert report["rows"][2]["net_taxable"] == "1200.00"
    amounts = ["taxable_amount", "tax", "credited_taxable", "credited_tax", "net_taxable", "net_tax"]
    assert_adds_up(report, amounts)
    assert (report["totals"]["taxable_amount"], report["totals"]["net_tax"]) == ("2000.00", "245.50")
    countries = data(admin.get(TAX, params=q1 | {"group_by": "country"}))
    assert [(r["country"], r["net_taxable"], r["net_tax"]) for r in countries["rows"]] == [
        ("DE", "500.00", "0.00"),
        ("FR", "1300.00", "245.50"),
        ("US", "100.00", "0.00"),
    ]
    assert countries["totals"] == report["totals"]
    x = admin.get(TAX, params=q1 | {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(x.content)).active
    grid = list(sheet.iter_rows(values_only=True))
    assert grid[0][:4] == ("Tax", "Percentage", "Country", "Reverse charge")
    assert grid[4][:6] == ("TVA 5.5%", 5.5, "FR", "false", 100, 5.5)
    assert grid[-1][0] == "Total" and grid[-1][4] == 2000

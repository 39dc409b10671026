"""Billing reports refuse every bad parameter with a 422 naming it, need billing:read, never answer
500 on odd input, and never show another tenant's figures."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine

from tests.api.conftest import Api, data, error_of
from tests.api.invoice_helpers import seller
from tests.api.test_billing_catalog_helpers import fields, user_with
from tests.api.test_billing_reports_helpers import buyer, fx, invoice, tax_line
from tests.conftest import TenantFixture

BASE = "/api/v1/billing/reports"
REPORTS = ["revenue", "ar-aging", "tax"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2025-13-01"}, "from"),
        ({"from": "2025-1-1"}, "from"),
        ({"from": "1700000000"}, "from"),
        ({"from": "2025-01-01T00:00"}, "from"),
        ({"to": "2025-02-30"}, "to"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2025-03-01", "to": "2025-02-28"}, "to"),
        ({"from": "2015-01-01", "to": "2025-01-02"}, "to"),
        ({"from": "0001-01-01", "to": "9999-12-31"}, "to"),
        ({"group_by": "fortnight"}, "group_by"),
        ({"group_by": "month,week"}, "group_by"),
        ({"group_by": "month,month"}, "group_by"),
        ({"group_by": "rate"}, "group_by"),
        ({"group_by": "x" * 41}, "group_by"),
        ({"currency": "ZZZ"}, "currency"),
        ({"currency": "EURO"}, "currency"),
        ({"currency": "XAU"}, "currency"),
        ({"format": "pdf"}, "format"),
    ],
)
def test_revenue_bad_parameters_are_422s_naming_them(admin: Api, params: dict[str, str], field: str) -> None:
    error = error_of(admin.get(f"{BASE}/revenue", params=params), 422, "validation_failed")
    assert fields(error) == [field]


@pytest.mark.parametrize(
    ("report", "params", "field"),
    [
        ("ar-aging", {"from": "2025-01-01"}, "from"),
        ("ar-aging", {"group_by": "month"}, "group_by"),
        ("ar-aging", {"group_by": "none,customer"}, "group_by"),
        ("tax", {"group_by": "customer"}, "group_by"),
        ("tax", {"group_by": "rate,country"}, "group_by"),
        ("mrr", {"group_by": "customer"}, "group_by"),
        ("mrr", {"currency": "ABC"}, "currency"),
    ],
)
def test_each_report_takes_its_own_groupings(
    admin: Api, report: str, params: dict[str, str], field: str
) -> None:
    error = error_of(admin.get(f"{BASE}/{report}", params=params), 422, "validation_failed")
    assert fields(error) == [field]


def test_ten_years_is_the_longest_range_and_extreme_dates_answer(admin: Api) -> None:
    for report in REPORTS:
        extra = {} if report == "ar-aging" else {"from": "2015-01-01"}
        data(admin.get(f"{BASE}/{report}", params=extra | {"to": "2025-01-01"}))
    data(admin.get(f"{BASE}/revenue", params={"from": "2016-02-29", "to": "2026-02-28", "group_by": "day"}))
    data(admin.get(f"{BASE}/revenue", params={"from": "9990-01-01", "to": "9999-12-31", "group_by": "week"}))
    data(
        admin.get(f"{BASE}/revenue", params={"from": "0001-01-01", "to": "0001-12-31", "group_by": "quarter"})
    )
    data(admin.get(f"{BASE}/ar-aging", params={"to": "9999-12-31"}))
    data(admin.get(f"{BASE}/ar-aging", params={"to": "0001-01-01"}))
    r = admin.get(f"{BASE}/tax", params={"from": "9999-01-01", "to": "9999-12-31", "format": "xlsx"})
    assert r.status_code == 200
    days = data(
        admin.get(f"{BASE}/revenue", params={"from": "2015-01-01", "to": "2025-01-01", "group_by": "day"})
    )
    assert len(days["rows"]) == 3654 and days["rows"][-1]["period"] == "2025-01-01"


def test_nul_bytes_and_odd_text_never_make_a_500(admin: Api) -> None:
    for params in ({"from": "2025-01-0\x00"}, {"group_by": "month\x00"}, {"currency": "E\x00R"}):
        r = admin.get(f"{BASE}/revenue", params=params)
        assert r.status_code in (400, 422), r.text
    for value in ("é", "💶", "' OR 1=1", "month;customer"):
        r = admin.get(f"{BASE}/revenue", params={"group_by": value})
        assert r.status_code == 422, r.text


def test_a_missing_rate_is_a_422_naming_the_pair_and_the_day(
    admin: Api, engine: Engine, tenant: TenantFixture
) -> None:
    seller(engine, tenant.id)
    bob = buyer(engine, tenant.id, "Bob", currency="USD", country="US")
    invoice(engine, tenant.id, bob, date(2025, 2, 10), [tax_line(11000, 0)], currency="USD")
    for report in REPORTS:
        params = {"to": "2025-03-31"} | ({} if report == "ar-aging" else {"from": "2025-01-01"})
        error = error_of(admin.get(f"{BASE}/{report}", params=params), 422, "fx_rate_missing")
        assert fields(error) == ["currency"]
        assert "from USD to EUR on or before 2025-02-10" in error["details"]["fields"][0]["message"]
    fx(engine, tenant.id, "EUR", "USD", "1.10", date(2025, 2, 11))  # a day too late
    error_of(
        admin.get(f"{BASE}/revenue", params={"from": "2025-01-01", "to": "2025-03-31"}),
        422,
        "fx_rate_missing",
    )
    fx(engine, tenant.id, "USD", "EUR", "0.5", date(2024, 12, 1))  # an inverse rate, earlier: it serves
    revenue = data(admin.get(f"{BASE}/revenue", params={"from": "2025-01-01", "to": "2025-03-31"}))
    assert revenue["totals"]["subtotal"] == "55.00"


def test_the_reporting_currency_comes_from_the_billing_settings(
    admin: Api, engine: Engine, tenant: TenantFixture
) -> None:
    assert data(admin.get(f"{BASE}/revenue"))["currency"] == "EUR"  # no settings yet
    seller(engine, tenant.id, reporting_currency="JPY")
    who = buyer(engine, tenant.id, "Tanaka", currency="JPY", country="JP")
    invoice(
        engine,
        tenant.id,
        who,
        date(2025, 5, 1),
        [tax_line(12345, 1234, name="JCT", pct="10")],
        currency="JPY",
    )
    report = data(admin.get(f"{BASE}/revenue", params={"from": "2025-01-01", "to": "2025-12-31"}))
    assert report["currency"] == "JPY" and report["totals"]["total"] == "13579"
    r = admin.get(f"{BASE}/revenue", params={"from": "2025-01-01", "to": "2025-12-31", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert sheet.cell(row=2, column=report["columns"].index("total") + 1).number_format == "#,##0"


def test_defaults_are_this_year_to_today(admin: Api) -> None:
    report = data(admin.get(f"{BASE}/revenue"))
    today = date.fromisoformat(report["to"])
    assert abs((today - date.today()).days) <= 1
    assert report["from"] == today.replace(month=1, day=1).isoformat()
    aging = data(admin.get(f"{BASE}/ar-aging"))
    assert aging["from"] == aging["to"] == report["to"]


def test_reports_need_billing_read(
    admin: Api, api: Callable[[str | None], Api], anonymous: Api, tenant: TenantFixture
) -> None:
    nobody = user_with(admin, api, tenant, "billing:write")
    reader = user_with(admin, api, tenant, "billing:read")
    for report in [*REPORTS, "mrr"]:
        error_of(anonymous.get(f"{BASE}/{report}"), 401, "unauthenticated")
        error_of(nobody.get(f"{BASE}/{report}"), 403, "forbidden")
        error_of(nobody.get(f"{BASE}/{report}", params={"format": "csv"}), 403, "forbidden")
    for report in REPORTS:
        data(reader.get(f"{BASE}/{report}"))


def test_another_tenants_invoices_never_appear(
    admin: Api, engine: Engine, tenant: TenantFixture, make_tenant: Any
) -> None:
    other = make_tenant("Other")
    seller(engine, other.id)
    theirs = buyer(engine, other.id, "Theirs")
    invoice(
        engine,
        other.id,
        theirs,
        date(2025, 1, 10),
        [tax_line(99900, 19980, name="VAT X")],
        due_on=date(2025, 1, 11),
    )
    params = {"from": "2025-01-01", "to": "2025-12-31"}
    assert data(admin.get(f"{BASE}/revenue", params=params))["totals"]["total"] == "0.00"
    assert data(admin.get(f"{BASE}/tax", params=params))["rows"] == []
    aging = data(admin.get(f"{BASE}/ar-aging", params={"to": "2025-12-31", "group_by": "customer"}))
    assert aging["rows"] == [] and aging["totals"]["total"] == "0.00"
    theirs_view = data(api_for(admin, other).get(f"{BASE}/revenue", params=params))
    assert theirs_view["totals"]["total"] == "1198.80"


def api_for(admin: Api, tenant: TenantFixture) -> Api:
    return Api(str(admin.http.base_url), tenant.api_key)

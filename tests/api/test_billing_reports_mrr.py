"""MRR report: each subscription's licensed items brought to a month at each month's end, with new,
expansion, contraction and churned MRR, the FX effect, ARR and the churn rate; it all adds up."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from db.models.billing import Price, Product
from db.models.subscriptions import SubscriptionItem
from db.session import tenant_session
from tests.api.conftest import Api, data
from tests.api.invoice_helpers import seller
from tests.api.test_billing_reports import assert_adds_up
from tests.api.test_billing_reports_helpers import buyer, fx, minor
from tests.conftest import TenantFixture
from tests.subscription_rows import subscription_row

URL = "/api/v1/billing/reports/mrr"
RANGE = {"from": "2025-01-01", "to": "2025-04-30"}


def utc(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 9, tzinfo=UTC)


def subscription(
    engine: Engine,
    t: uuid.UUID,
    customer: uuid.UUID,
    interval: str,
    started: datetime,
    *,
    currency: str = "EUR",
    status: str = "active",
    count: int = 1,
    **extra: Any,
) -> uuid.UUID:
    row = subscription_row(
        t,
        customer,
        started,
        started + timedelta(days=1),
        status=status,
        currency=currency,
        interval=interval,
        interval_count=count,
        anchor_at=extra.get("trial_end") or started,
        **extra,
    )
    with tenant_session(engine, t) as s:
        s.add(row)
    return row.id


def item(
    engine: Engine,
    t: uuid.UUID,
    sub: uuid.UUID,
    unit: int,
    quantity: int = 1,
    *,
    currency: str = "EUR",
    interval: str = "month",
    kind: str = "licensed",
    added: datetime | None = None,
    removed: datetime | None = None,
) -> None:
    product = Product(id=uuid.uuid4(), tenant_id=t, name="Plan", tax_category="standard", active=True)
    price = Price(
        id=uuid.uuid4(),
        tenant_id=t,
        product_id=product.id,
        currency=currency,
        unit_amount_minor=unit,
        type="recurring",
        interval=interval,
        interval_count=1,
        usage={"metric": "calls"} if kind == "usage" else None,
        active=True,
    )
    with tenant_session(engine, t) as s:
        s.add(product)
        s.flush()
        s.add(price)
        s.flush()
        values: dict[str, Any] = {"created_at": added or utc(2024, 1, 1), "deleted_at": removed}
        s.add(
            SubscriptionItem(
                tenant_id=t,
                subscription_id=sub,
                price_id=price.id,
                kind=kind,
                metric_code="calls" if kind == "usage" else None,
                quantity=quantity,
                **values,
            )
        )


def _book(engine: Engine, t: uuid.UUID) -> None:
    seller(engine, t)
    names = ["Ada", "Bob", "Cy", "Dee", "Eve", "Fay", "Gus"]
    ada, bob, cy, dee, eve, fay, gus = (buyer(engine, t, n) for n in names)
    fx(engine, t, "EUR", "USD", "1.10", date(2024, 12, 1))
    fx(engine, t, "EUR", "USD", "1.25", date(2025, 3, 1))
    s1 = subscription(engine, t, ada, "month", utc(2024, 12, 1))  # 100, then 150 from 15 February
    item(engine, t, s1, 5000, 2, removed=utc(2025, 2, 15))
    item(engine, t, s1, 5000, 3, added=utc(2025, 2, 15))
    item(engine, t, s1, 99900, kind="usage")  # usage is not recurring revenue
    s2 = subscription(engine, t, bob, "year", utc(2025, 1, 15))  # 1200 a year, then 600 from 10 April
    item(engine, t, s2, 120000, interval="year", removed=utc(2025, 4, 10))
    item(engine, t, s2, 60000, interval="year", added=utc(2025, 4, 10))
    s3 = subscription(engine, t, cy, "week", utc(2025, 2, 10))  # 10 a week: 43.33 a month
    item(engine, t, s3, 1000, interval="week")
    s4 = subscription(
        engine, t, dee, "day", utc(2024, 11, 1), status="canceled", canceled_at=utc(2025, 3, 10)
    )
    item(engine, t, s4, 100, interval="day")  # 1 a day: 30.42 a month
    s5 = subscription(engine, t, eve, "month", utc(2024, 12, 1), currency="USD")  # 110 USD
    item(engine, t, s5, 11000, currency="USD")
    s6 = subscription(engine, t, fay, "month", utc(2025, 1, 1), trial_end=utc(2025, 3, 15))
    item(engine, t, s6, 2000)
    s7 = subscription(engine, t, gus, "month", utc(2024, 12, 1), status="paused", paused_at=utc(2025, 4, 5))
    item(engine, t, s7, 3000)


def _row(r: dict[str, Any]) -> list[Any]:
    keys = ["opening_mrr", "new", "expansion", "contraction", "churned", "fx_effect", "mrr"]
    return [r[k] for k in keys] + [r["subscriptions"], r["churn_rate"]]


def test_mrr_per_month_with_its_movements(
    admin: Api, engine: Engine, tenant: TenantFixture, make_tenant: Any
) -> None:
    _book(engine, tenant.id)
    other = make_tenant("Other")
    theirs = subscription(engine, other.id, buyer(engine, other.id, "Theirs"), "month", utc(2024, 1, 1))
    item(engine, other.id, theirs, 9_999_900)
    report = data(admin.get(URL, params=RANGE))
    rows = report["rows"]
    assert [(r["month"], r["date"]) for r in rows] == [
        ("2025-01", "2025-01-31"),
        ("2025-02", "2025-02-28"),
        ("2025-03", "2025-03-31"),
        ("2025-04", "2025-04-30"),
    ]
    assert _row(rows[0]) == ["260.42", "100.00", "0.00", "0.00", "0.00", "0.00", "360.42", 5, "0.00"]
    assert _row(rows[1]) == ["360.42", "43.33", "50.00", "0.00", "0.00", "0.00", "453.75", 6, "0.00"]
    # 110 USD is 100 EUR at 1.10, 88 EUR at 1.25: the rates alone took 12 EUR.
    assert _row(rows[2]) == ["453.75", "20.00", "0.00", "0.00", "30.42", "-12.00", "431.33", 6, "6.70"]
    assert _row(rows[3]) == ["431.33", "0.00", "0.00", "50.00", "30.00", "0.00", "351.33", 5, "6.96"]
    assert [r["arr"] for r in rows] == ["4325.04", "5445.00", "5175.96", "4215.96"]
    for r in rows:
        moved = minor(r["new"]) + minor(r["expansion"]) - minor(r["contraction"]) - minor(r["churned"])
        assert minor(r["opening_mrr"]) + moved + minor(r["fx_effect"]) == minor(r["mrr"])
    assert_adds_up(report, ["new", "expansion", "contraction", "churned", "fx_effect"])
    totals = report["totals"]
    assert _row(totals) == ["260.42", "163.33", "50.00", "50.00", "60.42", "-12.00", "351.33", 5, "23.20"]
    assert (totals["new_subscriptions"], totals["churned_subscriptions"]) == (3, 2)


def test_mrr_in_another_currency_and_as_csv(admin: Api, engine: Engine, tenant: TenantFixture) -> None:
    _book(engine, tenant.id)
    usd = data(admin.get(URL, params={"from": "2025-04-01", "to": "2025-04-20", "currency": "USD"}))
    [april] = usd["rows"]
    assert april["date"] == "2025-04-20"
    # Ada 150, Bob 50, Cy 43.33, Fay 20 EUR at 1.25, and Eve's 110 USD as it is.
    assert april["mrr"] == "439.16"  # (150 + 50 + 43.33 + 20) x 1.25 = 329.1625, + 110
    assert april["arr"] == "5269.92"
    r = admin.get(URL, params=RANGE | {"format": "csv"})
    assert r.headers["content-disposition"] == 'attachment; filename="mrr-2025-01-01-2025-04-30.csv"'
    lines = r.text.strip().split("\r\n")
    assert lines[0].startswith("month,date,opening_mrr,new,expansion,contraction,churned,fx_effect,mrr,arr")
    assert lines[3].split(",")[:3] == ["2025-03", "2025-03-31", "453.75"]
    assert len(lines) == 5


def test_no_subscriptions_is_zero_not_an_error(admin: Api) -> None:
    report = data(admin.get(URL, params={"from": "2025-01-15", "to": "2025-03-01"}))
    assert [r["month"] for r in report["rows"]] == ["2025-01", "2025-02", "2025-03"]
    assert report["totals"]["mrr"] == "0.00" and report["totals"]["churn_rate"] == "0.00"

"""The shipped `mrr` metric: what subscriptions bill per month now, per currency, interval and status,
the same figure as the billing MRR report for this month; a level read live, so a cancellation shows at
once; only the caller's tenant's subscriptions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, update

from db.models.subscriptions import Subscription
from db.session import tenant_session
from tests.api.conftest import Api, data
from tests.api.test_billing_reports_helpers import buyer
from tests.api.test_billing_reports_mrr import _book, item, subscription, utc
from tests.conftest import TenantFixture

NOW = datetime.now(UTC)
SINCE = {"from": "2024-01-01T00:00:00Z", "to": (NOW + timedelta(hours=1)).isoformat()}


def by(api: Api, dimension: str) -> dict[str, Any]:
    """The MRR per value of ``dimension``, over every subscription started since 2024."""
    series = data(
        api.get("/api/v1/metrics/mrr/series", params=SINCE | {"grain": "month", "group_by": dimension})
    )
    out: dict[str, Decimal] = {}
    for bucket in series["buckets"]:
        for group in bucket["groups"] or []:
            key = group["key"][dimension]
            out[key] = out.get(key, Decimal(0)) + Decimal(group["value"])
    return out


def test_mrr_is_what_billing_subscriptions_bill_per_month_now(
    admin: Api, api: Any, engine: Engine, tenant: TenantFixture, make_tenant: Any
) -> None:
    _book(engine, tenant.id)  # seven subscriptions, one canceled, one paused, one weekly, one yearly…
    other = make_tenant("Other")
    theirs = subscription(engine, other.id, buyer(engine, other.id, "Theirs"), "month", utc(2024, 1, 1))
    item(engine, other.id, theirs, 9_999_900)

    # Ada 150 (her items changed), Bob 600 a year (50), Cy 10 a week (43.33), Fay 20 after her trial;
    # Eve 110 USD; Dee canceled and Gus paused bill nothing; usage items are not recurring revenue.
    assert by(admin, "currency") == {"EUR": Decimal("263.33"), "USD": Decimal("110")}
    assert by(admin, "interval") == {"month": Decimal("280"), "year": Decimal("50"), "week": Decimal("43.33")}
    assert set(by(admin, "status")) == {"active"}
    mrr = data(admin.get("/api/v1/metrics/mrr/value", params=SINCE | {"filter[currency]": "EUR"}))
    assert mrr["value"] == "263.33" and mrr["unit"] == "amount"

    # The billing report of this month agrees: 263.33 EUR + 110 USD at 1.25 = 351.33 EUR.
    month = {"from": NOW.date().replace(day=1).isoformat(), "to": NOW.date().isoformat()}
    [row] = data(admin.get("/api/v1/billing/reports/mrr", params=month))["rows"]
    assert row["mrr"] == "351.33"

    # A level: canceling now shows at once, with no fold.
    with tenant_session(engine, tenant.id) as session:
        session.execute(
            update(Subscription)
            .where(Subscription.interval == "week")
            .values(status="canceled", canceled_at=NOW)
        )
    assert by(admin, "currency") == {"EUR": Decimal("220"), "USD": Decimal("110")}

    # The other tenant sees its own subscription only.
    theirs_now = data(api(other.api_key).get("/api/v1/metrics/mrr/value", params=SINCE))
    assert theirs_now["value"] == "99999"

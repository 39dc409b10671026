"""Closing a billing period of many subscriptions: the usage of each, aggregated, priced and invoiced.

Starts a private stack (embedded PostgreSQL; the Temporal dev server the stack always starts is not
used), a tenant with a seller at 20 % VAT, a `count` metric, a per-unit usage price, N subscriptions
(default 1,000, one customer each) whose previous monthly period has closed and whose grace for late
events has passed, and M usage events (default 1,000,000) in that period, written with one
`INSERT ... SELECT generate_series`. Then it times, against a baseline in the same run on the same rows:

1. the baseline: one SQL `GROUP BY subscription_id` aggregate of the period's events;
2. the aggregation alone through the domain (`billing.metered`, one query per subscription);
3. closing the period through the domain: `process.advance` (what the workflow's activity calls) for
   each subscription, one transaction each as the workflow runs it, or `--batch K` subscriptions per
   transaction: the usage aggregated, priced, a draft invoice, finalized with its number, linked.

It checks that every invoice bills exactly what the GROUP BY counted.

    .venv/bin/python benchmarks/subscriptions.py [-n 1000] [-e 1000000] [--batch 1] [--quick]
"""

from __future__ import annotations

import argparse
import calendar
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# The script's folder is on sys.path.
from billing import make_customers
from results import record
from stack import arguments, make_tenant, private_stack

from db.models import BillingSettings, Price, Product, TaxRate
from db.models.invoices import Invoice
from db.models.subscriptions import Subscription, SubscriptionItem
from db.models.usage import BillableMetric
from db.session import make_engine, tenant_session
from domain.billing.subscriptions import billing, process
from domain.context import TenantContext

METRIC = "api_calls"
UNIT_MINOR = 2  # 0.02 EUR a call
GRACE = timedelta(days=7)


def show(label: str, figure: str, note: str = "") -> None:
    print(f"{label:58s} {figure}" + (f"  ({note})" if note else ""))


def month_before(at: datetime) -> datetime:
    year, month = (at.year, at.month - 1) if at.month > 1 else (at.year - 1, 12)
    return at.replace(year=year, month=month, day=min(at.day, calendar.monthrange(year, month)[1]))


def seed(
    engine: Engine, tenant_id: uuid.UUID, n: int, events: int
) -> tuple[list[uuid.UUID], datetime, datetime]:
    """N subscriptions in their second period (the first closed more than the grace ago) and the
    events of that first period, spread evenly over the subscriptions and the period."""
    now = datetime.now(UTC).replace(microsecond=0)
    p0_end = now - GRACE - timedelta(days=1)
    p0_start = month_before(p0_end)
    p1_end = p0_end + (p0_end - p0_start) + timedelta(days=5)  # still running
    customers = make_customers(engine, tenant_id, n)
    subs = [uuid.uuid4() for _ in range(n)]
    product, price = uuid.uuid4(), uuid.uuid4()
    with tenant_session(engine, tenant_id) as s:
        s.add(BillingSettings(tenant_id=tenant_id, seller_name="Bench", seller_country="FR", dunning={}))
        s.add(TaxRate(tenant_id=tenant_id, name="TVA", percentage=Decimal(20), inclusive=False, country="FR"))
        s.add(BillableMetric(tenant_id=tenant_id, code=METRIC, name="Calls", aggregation="count", filters={}))
        s.add(
            Product(id=product, tenant_id=tenant_id, name="API calls", tax_category="standard", active=True)
        )
        s.flush()
        usage = {"metric": METRIC, "model": "per_unit", "tiers": None, "package_size": None}
        s.add(
            Price(
                id=price,
                tenant_id=tenant_id,
                product_id=product,
                currency="EUR",
                unit_amount_minor=UNIT_MINOR,
                type="recurring",
                interval="month",
                interval_count=1,
                usage=usage,
                active=True,
            )
        )
        s.execute(
            insert(Subscription),
            [
                {
                    "tenant_id": tenant_id,
                    "id": sub,
                    "customer_id": c,
                    "status": "active",
                    "collection": "send_invoice",
                    "currency": "EUR",
                    "interval": "month",
                    "interval_count": 1,
                    "started_at": p0_start,
                    "anchor_at": p0_start,
                    "period_index": 1,
                    "current_period_start": p0_end,
                    "current_period_end": p1_end,
                    "cancel_at_period_end": False,
                    "workflow_id": f"bench:subscription:{sub}",
                    "version": 1,
                }
                for sub, c in zip(subs, customers, strict=True)
            ],
        )
        s.flush()
        s.execute(
            insert(SubscriptionItem),
            [
                {
                    "tenant_id": tenant_id,
                    "subscription_id": sub,
                    "price_id": price,
                    "kind": "usage",
                    "metric_code": METRIC,
                    "quantity": 1,
                    "created_at": p0_start,  # billed from the period's start
                }
                for sub in subs
            ],
        )
        # One statement: event i goes to subscription i mod n, at a time spread over the period.
        s.execute(
            text(
                """
                INSERT INTO usage_events
                    (tenant_id, transaction_id, customer_id, subscription_id, metric_code, occurred_at,
                     properties)
                SELECT :tenant, 'e' || g, s.customer_id, s.id, :metric,
                       :start + (g::float8 / :events) * (:end - :start), '{}'::jsonb
                FROM generate_series(0, :events - 1) AS g
                JOIN (SELECT id, customer_id, row_number() OVER (ORDER BY id) - 1 AS k
                      FROM subscriptions WHERE tenant_id = :tenant) AS s ON s.k = g % :n
                """
            ),
            {
                "tenant": tenant_id,
                "metric": METRIC,
                "start": p0_start,
                "end": p0_end,
                "events": events,
                "n": n,
            },
        )
    with engine.begin() as conn:
        conn.execute(text("ANALYZE usage_events"))
    return subs, p0_start, p0_end


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", "--subscriptions", type=int, default=1000)
    parser.add_argument("-e", "--events", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1, help="subscriptions closed per transaction")
    args = arguments(parser, subscriptions=100, events=50_000)
    with tempfile.TemporaryDirectory() as tmp, private_stack(Path(tmp), worker=False) as stack:
        tenant = make_tenant(stack.settings)
        engine = make_engine(stack.settings.require_database_url(), pool_size=2)
        ctx = replace(TenantContext.system(tenant.id), tenant_domain=tenant.domain)
        started = time.perf_counter()
        subs, start, end = seed(engine, tenant.id, args.subscriptions, args.events)
        print(
            f"{args.subscriptions} subscriptions, {args.events} usage events "
            f"in [{start:%Y-%m-%d}, {end:%Y-%m-%d})"
        )
        show("seeding (one INSERT ... SELECT generate_series)", f"{time.perf_counter() - started:8.1f} s")

        with tenant_session(engine, tenant.id) as s:
            stmt = text(
                "SELECT subscription_id, count(*) FROM usage_events WHERE tenant_id = :t "
                "AND metric_code = :m AND occurred_at >= :s AND occurred_at < :e GROUP BY subscription_id"
            )
            params = {"t": tenant.id, "m": METRIC, "s": start, "e": end}
            s.execute(stmt, params).all()  # warm
            started = time.perf_counter()
            counted = {row[0]: int(row[1]) for row in s.execute(stmt, params)}
            baseline = time.perf_counter() - started
        show("one SQL GROUP BY subscription_id (baseline)", f"{baseline * 1000:8.1f} ms")

        with tenant_session(engine, tenant.id) as s:
            rows = list(s.scalars(select(Subscription).where(Subscription.tenant_id == tenant.id)))
            started = time.perf_counter()
            for sub in rows:
                billing.metered(s, ctx, sub, start, end)
            metered = time.perf_counter() - started
        show(
            "billing.metered() per subscription (aggregation only)",
            f"{metered * 1000:8.1f} ms",
            f"{metered / baseline:.1f}x the baseline",
        )
        group_by = "one SQL GROUP BY"
        record(
            "subscriptions",
            f"billing.metered() for {args.subscriptions:,} subscriptions",
            metered,
            "s",
            baseline=baseline,
            baseline_name=group_by,
            better="lower",
        )

        at = datetime.now(UTC)
        started = time.perf_counter()
        for i in range(0, len(subs), args.batch):
            with tenant_session(engine, tenant.id) as s:
                for sub_id in subs[i : i + args.batch]:
                    process.advance(s, ctx, sub_id, at, GRACE)
        closing = time.perf_counter() - started
        per = "one transaction each" if args.batch == 1 else f"{args.batch} per transaction"
        show(
            f"closing the period: process.advance() ({per})",
            f"{closing:8.2f} s",
            f"{len(subs) / closing:.0f} subscriptions/s, {closing / baseline:.0f}x the baseline",
        )
        record(
            "subscriptions",
            f"closing the period of {args.subscriptions:,} subscriptions ({per})",
            closing,
            "s",
            baseline=baseline,
            baseline_name=group_by,
            better="lower",
        )

        with tenant_session(engine, tenant.id) as s:
            found = s.execute(
                select(Invoice.subscription_id, func.sum(Invoice.subtotal_minor))
                .where(Invoice.tenant_id == tenant.id)
                .group_by(Invoice.subscription_id)
            )
            billed = {sub: total for sub, total in found}
        expected = {sub: count * UNIT_MINOR for sub, count in counted.items()}
        if billed != expected:
            raise RuntimeError("the invoices do not bill what the GROUP BY counted")
        print(f"  {len(billed)} usage invoices, each exactly what the GROUP BY counted")
        engine.dispose()


if __name__ == "__main__":
    main()

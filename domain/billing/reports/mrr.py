"""Monthly recurring revenue from subscriptions, month by month, with its movements.

A subscription counts at the end of a month (the end of ``to`` for the last, partial one, in the
tenant's time zone) when it had started, its trial was over, it was not canceled and not paused by
then. Its MRR is the sum of its licensed items live then (quantity x unit price) brought to a month:
a yearly price / 12, weekly x 52 / 12, daily x 365 / 12, each divided by the interval count; usage
items are not recurring revenue. Each subscription's MRR is rounded half up once, so the movements
of a month (new, expansion, contraction, churned: each subscription's change from the month before)
add up exactly to the change of MRR. Amounts in another currency are converted at the rate of each
month's last day; what the rates alone changed is ``fx_effect``, so that
``mrr = opening_mrr + new + expansion - contraction - churned + fx_effect`` always holds.
Churn rate: churned MRR / opening MRR, in percent. A pause since resumed leaves no trace on the
subscription, so its months count as active; a suspended (unpaid) subscription still counts.

One SQL statement: MRR per subscription at each month end, the change from the month before
(``lag``), summed per month and currency.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    Numeric,
    and_,
    case,
    cast,
    column,
    func,
    literal,
    or_,
    select,
    true,
    values,
)
from sqlalchemy.orm import Session

from db.models.billing import Price
from db.models.subscriptions import Subscription, SubscriptionItem
from domain.billing.reports.common import texts
from domain.billing.reports.periods import buckets
from domain.billing.reports.rates import Rates
from domain.billing.reports.schemas import Column, Report, ReportParams
from domain.context import TenantContext
from domain.queries import mine

MOVES = ["new", "expansion", "contraction", "churned"]
AMOUNTS = ["opening_mrr", *MOVES, "fx_effect", "mrr", "arr"]
COUNTS = ["subscriptions", "new_subscriptions", "churned_subscriptions"]
# A price's amount per month: amount x numerator / (denominator x interval count).
_PER_MONTH = {"month": (1, 1), "year": (1, 12), "week": (52, 12), "day": (365, 12)}


def columns() -> list[Column]:
    cols = [Column("month", "Month"), Column("date", "As of", "date")]
    titles = ["Opening MRR", "New", "Expansion", "Contraction", "Churned", "FX effect", "MRR", "ARR"]
    cols += [Column(k, t, "money") for k, t in zip(AMOUNTS, titles, strict=True)]
    cols += [Column(k, k.replace("_", " ").capitalize(), "int") for k in COUNTS]
    return [*cols, Column("churn_rate", "Churn rate (%)", "decimal")]


def _points(p: ReportParams) -> list[date]:
    """The day before ``from`` (the opening), then each month's last day in the range."""
    ends = [b.end for b in buckets(p.first, p.last, "month")]
    return ([p.first - timedelta(days=1)] if p.first > date.min else [p.first]) + ends


def _statement(ctx: TenantContext, p: ReportParams, points: list[date]) -> Any:
    pts = values(column("idx", Integer), column("day", Date), name="pts").data(list(enumerate(points)))
    # The end of the point's day in the tenant's zone, as an instant.
    cutoff = func.timezone(p.time_zone, cast(pts.c.day + literal(1), DateTime))
    s, item, price = Subscription, SubscriptionItem, Price
    numerator = case(*((s.interval == k, n) for k, (n, _) in _PER_MONTH.items()), else_=0)
    denominator = case(*((s.interval == k, d) for k, (_, d) in _PER_MONTH.items()), else_=1)
    # Divided once per subscription (its items share its interval), then rounded once.
    monthly = (
        func.sum(cast(item.quantity, Numeric) * price.unit_amount_minor)
        * numerator
        / (denominator * func.greatest(s.interval_count, 1))
    )
    per = (
        select(
            pts.c.idx,
            s.id.label("sid"),
            s.currency,
            func.round(monthly).label("mrr"),  # half away from zero: half up, as all are positive
        )
        .select_from(pts)
        .join(s, true())
        .join(item, and_(item.subscription_id == s.id, *mine(ctx, item, deleted=True)))
        .join(price, and_(price.id == item.price_id, *mine(ctx, price, deleted=True)))
        .where(
            *mine(ctx, s),
            item.kind == "licensed",
            price.unit_amount_minor.is_not(None),
            s.started_at < cutoff,
            item.created_at < cutoff,
            or_(item.deleted_at.is_(None), item.deleted_at >= cutoff),
            or_(s.trial_end.is_(None), s.trial_end < cutoff),
            or_(s.canceled_at.is_(None), s.canceled_at >= cutoff),
            or_(s.status != "canceled", s.canceled_at.is_not(None)),
            or_(s.status != "paused", s.paused_at.is_(None), s.paused_at >= cutoff),
        )
        .group_by(pts.c.idx, s.id, s.currency)
        .cte("per")
    )
    subs = select(per.c.sid, per.c.currency).distinct().cte("subs")
    grid = (
        select(pts.c.idx, subs.c.sid, subs.c.currency, func.coalesce(per.c.mrr, 0).label("cur"))
        .select_from(pts)
        .join(subs, true())
        .outerjoin(per, and_(per.c.sid == subs.c.sid, per.c.idx == pts.c.idx))
        .subquery()
    )
    lagged = select(
        grid,
        func.lag(grid.c.cur, 1, 0).over(partition_by=grid.c.sid, order_by=grid.c.idx).label("prev"),
    ).subquery()
    cur, prev = lagged.c.cur, lagged.c.prev

    def total(expr: Any, when: Any) -> Any:
        return func.coalesce(func.sum(case((when, expr), else_=0)), 0)

    return (
        select(
            lagged.c.idx,
            lagged.c.currency,
            func.sum(prev).label("opening_mrr"),
            func.sum(cur).label("mrr"),
            total(cur, and_(prev == 0, cur > 0)).label("new"),
            total(cur - prev, and_(prev > 0, cur > prev)).label("expansion"),
            total(prev - cur, and_(cur > 0, cur < prev)).label("contraction"),
            total(prev, and_(prev > 0, cur == 0)).label("churned"),
            total(1, cur > 0).label("subscriptions"),
            total(1, and_(prev == 0, cur > 0)).label("new_subscriptions"),
            total(1, and_(prev > 0, cur == 0)).label("churned_subscriptions"),
        )
        .where(lagged.c.idx > 0)
        .group_by(lagged.c.idx, lagged.c.currency)
    )


def _rate(churned: int, opening: int) -> str:
    if opening == 0:
        return "0.00"
    return str((Decimal(churned) * 100 / Decimal(opening)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def report(session: Session, ctx: TenantContext, p: ReportParams) -> Report:
    points = _points(p)
    rows = session.execute(_statement(ctx, p, points)).all()
    needs = {(r.currency, points[r.idx]) for r in rows} | {(r.currency, points[r.idx - 1]) for r in rows}
    rates = Rates(session, ctx, p.currency, needs)
    cells: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(AMOUNTS + COUNTS, 0))
    for idx in range(1, len(points)):
        cells[idx]  # every month has its row
    for r in rows:
        cell, day = cells[r.idx], points[r.idx]
        cell["opening_mrr"] += rates.convert(int(r.opening_mrr), r.currency, points[r.idx - 1])
        cell["mrr"] += rates.convert(int(r.mrr), r.currency, day)
        for key in MOVES:
            cell[key] += rates.convert(int(getattr(r, key)), r.currency, day)
        for key in COUNTS:
            cell[key] += int(getattr(r, key))
    out: list[dict[str, Any]] = []
    for idx in sorted(cells):
        cell = cells[idx]
        moved = cell["new"] + cell["expansion"] - cell["contraction"] - cell["churned"]
        cell["fx_effect"] = cell["mrr"] - cell["opening_mrr"] - moved
        cell["arr"] = 12 * cell["mrr"]
        day = points[idx]
        row: dict[str, Any] = {"month": f"{day.year:04d}-{day.month:02d}", "date": day.isoformat()}
        row |= texts({k: cell[k] for k in AMOUNTS}, p.currency)
        row |= {k: cell[k] for k in COUNTS} | {"churn_rate": _rate(cell["churned"], cell["opening_mrr"])}
        out.append({c.key: row[c.key] for c in columns()})
    first, last = cells[min(cells)], cells[max(cells)]
    sums = {k: sum(c[k] for c in cells.values()) for k in [*MOVES, "fx_effect"]}
    totals: dict[str, Any] = texts(
        {"opening_mrr": first["opening_mrr"], **sums, "mrr": last["mrr"], "arr": last["arr"]}, p.currency
    )
    totals |= {
        "subscriptions": last["subscriptions"],
        "new_subscriptions": sum(c["new_subscriptions"] for c in cells.values()),
        "churned_subscriptions": sum(c["churned_subscriptions"] for c in cells.values()),
        "churn_rate": _rate(sums["churned"], first["opening_mrr"]),
    }
    notes = [
        f"MRR at the end of each month ({p.time_zone}), converted at that day's rate; the totals row "
        "sums the movements and gives the MRR, ARR and subscriptions of the last month."
    ]
    return Report("mrr", p, columns(), out, totals, notes)

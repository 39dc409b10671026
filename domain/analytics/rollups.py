"""Folding facts into rollups, incrementally and exactly.

One fold of one metric, in one transaction: the closed 15-minute buckets from the watermark (less
``LOOKBACK`` buckets, for facts recorded late) up to the last closed bucket are computed again from the
raw facts (delete + insert: running it twice changes nothing), together with the older buckets holding a
fact whose row changed since the previous fold began (``updated_at``: a booking marked as a no-show).
A metric folded for the first time, or whose declaration changed (another sha256), starts from its
first fact, at most ``MAX_SPAN`` per fold. A fact whose time itself moves (or whose row is deleted)
after its bucket was folded stays where it was until the metric is folded from scratch
(``reset``).
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, literal, literal_column, select, text
from sqlalchemy.orm import Session

from db.models.analytics import MetricRollup, MetricWatermark
from domain.analytics import facts
from domain.analytics.facts import Span
from domain.analytics.parser import ParsedMetric
from domain.analytics.schemas import BUCKET, LOOKBACK, STATEMENT_TIMEOUT_MS
from domain.context import TenantContext
from domain.queries import mine

MAX_SPAN = timedelta(days=92)
"""Buckets one fold computes at most: a metric's history is caught up over several folds."""
CHANGED_MARGIN = timedelta(minutes=10)
"""Rows changed this long before the previous fold began count as changed: a transaction that was open
then commits later with an earlier ``updated_at`` (one open longer is not seen)."""
MAX_CHANGED = 2_000
"""Older buckets folded again for changed rows at most; past that, the metric is folded from scratch."""


LIMITED = "analytics.limited"
"""``session.info`` key: the transaction whose query limits are set (``answers.limit_statement``)."""

WIDTHS = (900, 3600, 86400)
"""Seconds a rollup bucket lasts at each level: the 15-minute rows are folded from the facts, the hourly
and daily ones summed from the level below; a query reads the coarsest its grain and time zone allow."""


def floor(moment: datetime, width: int = 900) -> datetime:
    """The start of the UTC bucket of ``width`` seconds holding ``moment`` (15 minutes by default)."""
    seconds = int(moment.timestamp())
    return datetime.fromtimestamp(seconds - seconds % width, moment.tzinfo)


def ceil(moment: datetime, width: int = 900) -> datetime:
    start = floor(moment, width)
    return start if start == moment else start + timedelta(seconds=width)


def widened(runs: list[Span], width: int) -> list[Span]:
    """The spans stretched to whole buckets of ``width`` seconds, those that then meet merged."""
    out: list[Span] = []
    for start, end in sorted(runs):
        low, high = floor(start, width), ceil(end, width)
        if out and out[-1][1] >= low:
            out[-1] = (out[-1][0], max(out[-1][1], high))
        else:
            out.append((low, high))
    return out


def spans(buckets: list[datetime]) -> list[Span]:
    """Contiguous runs of 15-minute buckets, as time ranges."""
    runs: list[Span] = []
    for start in sorted(buckets):
        if runs and runs[-1][1] == start:
            runs[-1] = (runs[-1][0], start + BUCKET)
        else:
            runs.append((start, start + BUCKET))
    return runs


def watermark(session: Session, ctx: TenantContext, name: str) -> MetricWatermark | None:
    return session.scalar(
        select(MetricWatermark).where(*mine(ctx, MetricWatermark), MetricWatermark.metric == name)
    )


def folded_to(session: Session, ctx: TenantContext, metric: ParsedMetric) -> datetime | None:
    """Before when the rollups of this declaration answer; None: not folded yet."""
    if metric.facts.live:  # a level is read from the rows, always
        return None
    w = MetricWatermark  # the column alone, not the entity: read once per series and dashboard tile
    found: datetime | None = session.scalar(
        select(w.folded_to).where(
            *mine(ctx, w), w.metric == metric.declaration.name, w.sha256 == metric.sha256
        )
    )
    return found


def _changed(
    session: Session, ctx: TenantContext, metric: ParsedMetric, since: datetime, before: datetime
) -> list[datetime]:
    """Buckets before ``before`` holding a row of the source changed since ``since``."""
    source = metric.facts
    bucket = facts.quarter(source.time)
    stmt = (
        select(bucket)
        .select_from(source.joined)
        .where(*mine(ctx, source.main, deleted=True), source.changed >= since, source.time < before)
        .group_by(bucket)
        .limit(MAX_CHANGED)
    )
    return list(session.scalars(stmt))


def _start(session: Session, ctx: TenantContext, metric: ParsedMetric, closed: datetime) -> datetime:
    source = metric.facts
    first = session.scalar(select(func.min(source.time)).select_from(source.joined).where(*source.scope(ctx)))
    return min(floor(first), closed) if first is not None else closed


def fold(session: Session, ctx: TenantContext, metric: ParsedMetric) -> int:
    """Bring the metric's rollups up to the last closed bucket; returns the 15-minute rows written."""
    name = metric.declaration.name
    if metric.facts.live:  # a level measured now: nothing to fold
        return 0
    session.execute(text(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS * 6}"))
    session.info.pop(LIMITED, None)  # a query after it in this transaction sets its own
    session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"analytics:{ctx.tenant_id}:{name}"))))
    now: datetime = session.scalar(select(func.now()))  # type: ignore[assignment]
    closed = floor(now)
    mark = watermark(session, ctx, name)
    changed: list[datetime] = []
    fresh = mark is None or mark.sha256 != metric.sha256
    if mark is not None and not fresh:
        start = min(mark.folded_to - LOOKBACK * BUCKET, closed)
        changed = _changed(session, ctx, metric, mark.folded_at - CHANGED_MARGIN, start)
        fresh = len(changed) >= MAX_CHANGED  # too much moved: fold it all again
    if fresh:
        session.execute(delete(MetricRollup).where(*mine(ctx, MetricRollup), MetricRollup.metric == name))
        start, changed = _start(session, ctx, metric, closed), []
    end = min(closed, start + MAX_SPAN)
    todo = spans(changed) + ([(start, end)] if start < end else [])
    written = 0
    if todo:
        session.execute(
            delete(MetricRollup).where(
                *mine(ctx, MetricRollup),
                MetricRollup.metric == name,
                MetricRollup.sha256 == metric.sha256,
                MetricRollup.width == WIDTHS[0],
                facts.within(MetricRollup.bucket, todo),
            )
        )
        rows = facts.fold_select(ctx, metric, todo).subquery()
        keyed = select(literal(ctx.tenant_id), literal(name), literal(metric.sha256), *rows.c)
        columns = ["tenant_id", "metric", "sha256", "bucket", "dims", "count", "sum", "min", "max"]
        result = session.execute(insert(MetricRollup).from_select(columns, keyed))
        written = int(result.rowcount or 0)  # type: ignore[attr-defined]
        _sum_up(session, ctx, metric, todo)
    if mark is None:
        mark = MetricWatermark(tenant_id=ctx.tenant_id, metric=name)
        session.add(mark)
    folded = end if fresh else max(end, mark.folded_to)
    mark.sha256, mark.folded_to, mark.folded_at = metric.sha256, folded, now
    session.flush()
    return written


def _sum_up(session: Session, ctx: TenantContext, metric: ParsedMetric, todo: list[Span]) -> None:
    """Sum the hourly and daily rows of the buckets ``todo`` touches again from the level below, whole
    ones: a bucket the watermark cuts holds what is folded of it, and is summed again when the rest is."""
    name, runs = metric.declaration.name, todo
    for finer, width in itertools.pairwise(WIDTHS):
        runs = widened(runs, width)
        ours = [*mine(ctx, MetricRollup), MetricRollup.metric == name, MetricRollup.sha256 == metric.sha256]
        session.execute(
            delete(MetricRollup).where(
                *ours, MetricRollup.width == width, facts.within(MetricRollup.bucket, runs)
            )
        )
        bucket = func.date_bin(
            literal_column(f"interval '{width} seconds'"), MetricRollup.bucket, facts.ORIGIN
        )
        rows = (
            select(
                literal(ctx.tenant_id),
                literal(name),
                literal(metric.sha256),
                literal(width),
                bucket,
                MetricRollup.dims,
                func.sum(MetricRollup.count),
                func.sum(MetricRollup.sum),
                func.min(MetricRollup.min),
                func.max(MetricRollup.max),
            )
            .where(*ours, MetricRollup.width == finer, facts.within(MetricRollup.bucket, runs))
            .group_by(bucket, MetricRollup.dims)
        )
        columns = ["tenant_id", "metric", "sha256", "width", "bucket", "dims", "count", "sum", "min", "max"]
        session.execute(insert(MetricRollup).from_select(columns, rows))


def stale(session: Session, ctx: TenantContext, metrics: list[ParsedMetric]) -> list[ParsedMetric]:
    """The metrics a fold would change: those never folded (or declared anew), and those whose source
    holds a row changed since their last fold began, or a fact in a bucket closed since. The others
    are skipped, which is what keeps a minute's fold of every tenant cheap: two index probes per source
    for a tenant where nothing happened."""
    marks = {m.metric: m for m in session.scalars(select(MetricWatermark).where(*mine(ctx, MetricWatermark)))}
    closed = floor(session.scalar(select(func.now())))  # type: ignore[arg-type]
    by_source: dict[tuple[str, str | None], list[ParsedMetric]] = {}
    for metric in (m for m in metrics if not m.facts.live):
        key = (metric.facts.name, metric.declaration.entity_type)  # one entity type's records each
        by_source.setdefault(key, []).append(metric)
    out: list[ParsedMetric] = []
    for group in by_source.values():
        found = [marks.get(m.declaration.name) for m in group]
        folded = [
            mark for mark, m in zip(found, group, strict=True) if mark is not None and mark.sha256 == m.sha256
        ]
        if len(folded) < len(group) or _moved(session, ctx, group[0], folded, closed):
            out += group
    return out


def _moved(
    session: Session, ctx: TenantContext, metric: ParsedMetric, marks: list[MetricWatermark], closed: datetime
) -> bool:
    source = metric.facts
    since = min(mark.folded_at for mark in marks) - CHANGED_MARGIN
    after = min(mark.folded_to for mark in marks)
    scope = mine(ctx, source.main, deleted=True)
    probe = select(source.key).select_from(source.joined).where(*scope)
    changed = probe.where(source.changed >= since).limit(1)
    newly_closed = probe.where(source.time >= after, source.time < closed).limit(1)
    return session.scalar(changed) is not None or session.scalar(newly_closed) is not None


def reset(session: Session, ctx: TenantContext, name: str) -> None:
    """Forget a metric's rollups: the next fold computes them again from its first fact."""
    session.execute(delete(MetricRollup).where(*mine(ctx, MetricRollup), MetricRollup.metric == name))
    session.execute(
        delete(MetricWatermark).where(*mine(ctx, MetricWatermark), MetricWatermark.metric == name)
    )

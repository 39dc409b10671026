"""The SQL of a metric: its facts in a time range, aggregated per bucket and group, read from the raw
tables or from the rollups. Every statement is scoped to the caller's tenant (``Source.scope``, and
``mine`` on the rollups) and bounded by the caller (``limit``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Numeric,
    Select,
    and_,
    cast,
    false,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import JSONB

from db.models.analytics import MetricRollup
from domain.analytics.parser import ParsedMetric
from domain.analytics.schemas import PERCENTILES, Filter
from domain.context import TenantContext
from domain.queries import mine

Span = tuple[datetime, datetime]
Key = tuple[Any, ...]  # (bucket start or None, group values…)
QUARTER_HOUR: ColumnElement[Any] = literal_column("interval '15 minutes'")
ORIGIN: ColumnElement[Any] = literal_column("timestamptz '2000-01-01 00:00:00+00'")


@dataclass
class Totals:
    """What merges exactly: count, sum, min and max of the measured values."""

    count: int = 0
    sum: Decimal | None = None
    min: Decimal | None = None
    max: Decimal | None = None

    def add(self, count: int, total: Any, low: Any, high: Any) -> None:
        self.count += int(count or 0)
        if total is not None:
            self.sum = total if self.sum is None else self.sum + total
        if low is not None:
            self.min = low if self.min is None else min(self.min, low)
        if high is not None:
            self.max = high if self.max is None else max(self.max, high)


@dataclass(frozen=True)
class Slice:
    """What is asked: the local bucket (``grain`` in ``timezone``; None: the whole range as one), the
    dimensions grouped by, and the values each filtered dimension must take."""

    grain: str | None
    timezone: str
    group_by: tuple[str, ...] = ()
    where: Mapping[str, Sequence[str]] | None = None


def quarter(time: Any) -> ColumnElement[Any]:
    """The 15-minute UTC bucket ``time`` falls in."""
    return func.date_bin(QUARTER_HOUR, time, ORIGIN)


def _span(time: Any, span: Span) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return time >= span[0], time < span[1]


def within(time: Any, spans: Iterable[Span]) -> ColumnElement[bool]:
    return or_(false(), *(and_(*_span(time, span)) for span in spans))


def compare(column: ColumnElement[Any], f: Filter) -> ColumnElement[bool]:
    values = f.operands
    if f.op == "eq":
        return column == values[0]
    if f.op == "in":
        return column.in_(values)
    if f.op == "ne":
        return column.is_distinct_from(values[0])
    return or_(column.is_(None), column.not_in(values))


def _measured(metric: ParsedMetric) -> ColumnElement[Any] | None:
    source, name = metric.facts, metric.declaration.measure.field
    if name is None:
        return None
    return source.fields[name].expr if name in source.fields else source.dimension(name)


def _totals(value: ColumnElement[Any] | None) -> list[ColumnElement[Any]]:
    if value is None:
        figures = [func.count(), *(cast(null(), Numeric) for _ in range(3))]
    else:
        figures = [func.count(value), func.sum(value), func.min(value), func.max(value)]
    return [figure.label(name) for figure, name in zip(figures, ("n", "total", "low", "high"), strict=True)]


def _facts(ctx: TenantContext, metric: ParsedMetric, spans: Iterable[Span]) -> list[ColumnElement[bool]]:
    """The tenant's facts of the metric in ``spans``, its declared filters applied."""
    source = metric.facts
    declared = [compare(source.dimension(f.dimension), f) for f in metric.declaration.filters]
    return [*source.scope(ctx), *declared, within(source.time, spans)]


def fold_select(ctx: TenantContext, metric: ParsedMetric, spans: Iterable[Span]) -> Select[Any]:
    """The rollup rows of ``spans``: per 15-minute bucket and every declared dimension's value."""
    source = metric.facts
    bucket = quarter(source.time)
    dims = func.jsonb_build_array(*(source.dimension(d) for d in metric.declaration.dimensions))
    return (
        select(bucket, dims.cast(JSONB), *_totals(_measured(metric)))
        .select_from(source.joined)
        .where(*_facts(ctx, metric, spans))
        .group_by(bucket, dims)
    )


def _local(grain: str | None, time: Any, timezone: str) -> ColumnElement[Any]:
    return literal(None) if grain is None else func.date_trunc(grain, time, timezone)


def _keys(grain: str | None, bucket: ColumnElement[Any], groups: list[Any]) -> list[Any]:
    """What rows are grouped by: the local bucket (none for the whole range as one) and the groups."""
    return [bucket, *groups] if grain is not None else groups


def live_totals(
    ctx: TenantContext, metric: ParsedMetric, spans: list[Span], asked: Slice, limit: int | None
) -> Select[Any]:
    """Count, sum, min and max per local bucket and group, from the raw facts of ``spans``."""
    source = metric.facts
    bucket = _local(asked.grain, source.time, asked.timezone)
    groups = [source.dimension(d) for d in asked.group_by]
    picked = [source.dimension(d).in_(v) for d, v in (asked.where or {}).items()]
    return (
        select(bucket, *groups, *_totals(_measured(metric)))
        .select_from(source.joined)
        .where(*_facts(ctx, metric, spans), *picked)
        .group_by(*_keys(asked.grain, bucket, groups))
        .limit(limit)
    )


def rollup_totals(
    ctx: TenantContext,
    metric: ParsedMetric,
    pieces: Sequence[tuple[int, Span]],
    asked: Slice,
    limit: int | None,
) -> Select[Any]:
    """The same from the rollups: each piece a span of whole buckets of one width (seconds), read by
    its own range of the primary key (one OR of them would read every row of the metric)."""
    order = metric.declaration.dimensions
    r = MetricRollup
    ours = (*mine(ctx, r), r.metric == metric.declaration.name, r.sha256 == metric.sha256)
    parts = [
        select(r.bucket, r.dims, r.count, r.sum, r.min, r.max).where(
            *ours, r.width == w, *_span(r.bucket, span)
        )
        for w, span in pieces
    ]
    rows = union_all(*parts).subquery("rollups")
    bucket = _local(asked.grain, rows.c.bucket, asked.timezone)
    groups = [rows.c.dims[order.index(d)].astext for d in asked.group_by]
    picked = [rows.c.dims[order.index(d)].astext.in_(v) for d, v in (asked.where or {}).items()]
    return (
        select(
            bucket,
            *groups,
            func.sum(rows.c.count),
            func.sum(rows.c.sum),
            func.min(rows.c.min),
            func.max(rows.c.max),
        )
        .where(*picked)
        .group_by(*_keys(asked.grain, bucket, groups))
        .limit(limit)
    )


def merged_totals(parts: Sequence[Select[Any]], asked: Slice, limit: int) -> Select[Any]:
    """The totals of ``parts`` (each a ``live_totals`` or ``rollup_totals``) merged per local bucket and
    group in one statement; grouped per bucket and group, the bucket's own totals come too, in the rows
    whose first column after the keys (``GROUPING`` of the groups) is not 0."""
    rows = union_all(*parts).subquery("parts") if len(parts) > 1 else parts[0].subquery("parts")
    columns = list(rows.c)
    bucket, groups, (n, total, low, high) = columns[0], columns[1:-4], columns[-4:]
    figures = [func.sum(n), func.sum(total), func.min(low), func.max(high)]
    if asked.grain is None:
        return select(literal(None), *groups, *figures).group_by(*groups).limit(limit)
    if not groups:
        return select(bucket, *figures).group_by(bucket).limit(limit)
    sets = func.grouping_sets(tuple_(bucket, *groups), tuple_(bucket))
    flag = func.grouping(*groups)
    return select(bucket, *groups, flag, *figures).group_by(sets).limit(limit)


def exact_values(
    ctx: TenantContext, metric: ParsedMetric, span: Span, asked: Slice, limit: int
) -> Select[Any]:
    """A percentile or a distinct count per local bucket and group, from the raw facts: these do not
    merge from rollups. An amount's percentile is one of the amounts (``percentile_disc``)."""
    source, agg = metric.facts, metric.declaration.measure.agg
    value = _measured(metric)
    bucket = _local(asked.grain, source.time, asked.timezone)
    groups = [source.dimension(d) for d in asked.group_by]
    picked = [source.dimension(d).in_(v) for d, v in (asked.where or {}).items()]
    figure: ColumnElement[Any]
    if agg == "count_distinct" or value is None:
        figure = func.count(value.distinct() if value is not None else literal(1))
    else:
        exact = metric.unit == "amount"
        percentile = func.percentile_disc if exact else func.percentile_cont
        figure = percentile(PERCENTILES[agg]).within_group(value)
    return (
        select(bucket, *groups, figure)
        .select_from(source.joined)
        .where(*_facts(ctx, metric, [span]), *picked)
        .group_by(*_keys(asked.grain, bucket, groups))
        .limit(limit)
    )

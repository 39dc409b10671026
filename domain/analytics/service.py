"""Metrics: the shipped ones (``definitions/metrics/*.yaml``) and each tenant's published versions; their
series and KPI values (``answers.py``); the fold that keeps their rollups current (``rollups.py``).

Dashboards, reports, subscriptions and alerts are meant to call ``series`` and ``value``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import EntityType
from db.models.analytics import AnalyticsMetric
from domain import cursors
from domain.analytics import answers, rollups
from domain.analytics.facts import Slice, Span
from domain.analytics.params import check_span, check_where, grain_of, group_of, zone_of
from domain.analytics.parser import MetricInvalid, ParsedMetric, parse
from domain.analytics.schemas import (
    MERGEABLE,
    KpiValue,
    MetricOut,
    MetricSummary,
    Previous,
    Series,
    Value,
)
from domain.context import TenantContext
from domain.errors import Conflict, NotFound
from domain.pagination import clamp_limit
from domain.published import publish_version
from domain.queries import live, mine

log = logging.getLogger("keel.analytics")
SHIPPED_DIR = Path(__file__).resolve().parents[2] / "definitions" / "metrics"
READ, WRITE = "analytics:read", "analytics:write"


@functools.cache
def shipped(folder: Path = SHIPPED_DIR) -> dict[str, ParsedMetric]:
    """The metrics shipped with Keel, by name; a broken file is logged and left out."""
    out: dict[str, ParsedMetric] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            parsed = parse(path.read_bytes())
        except MetricInvalid as exc:
            log.error("shipped metric %s is invalid: %s", path.name, exc)
            continue
        out[parsed.declaration.name] = parsed
    return out


@functools.lru_cache(maxsize=512)
def _stored(source: str) -> ParsedMetric:
    """A published version never changes: its parsed form is cached by its source."""
    return parse(source)


def _latest_rows(session: Session, ctx: TenantContext, name: str | None = None) -> list[AnalyticsMetric]:
    """The latest version of each of the tenant's metrics (of ``name`` only, when given)."""
    stmt = live(ctx, AnalyticsMetric)
    if name is not None:
        stmt = stmt.where(AnalyticsMetric.name == name)
    newest = stmt.distinct(AnalyticsMetric.name).order_by(
        AnalyticsMetric.name, AnalyticsMetric.version.desc()
    )
    return list(session.scalars(newest))


def latest(session: Session, ctx: TenantContext) -> dict[str, tuple[ParsedMetric, str]]:
    """Every metric the tenant sees, by name: the shipped ones and the latest version of its own."""
    found = {name: (parsed, "shipped") for name, parsed in shipped().items()}
    for row in _latest_rows(session, ctx):
        found[row.name] = (_stored(row.source), "tenant")
    return found


def resolve(session: Session, ctx: TenantContext, name: str) -> tuple[ParsedMetric, str]:
    """The metric's latest version; another tenant's metric is as unknown as a missing one."""
    if name in shipped():
        return shipped()[name], "shipped"
    rows = _latest_rows(session, ctx, name)
    if not rows:
        raise NotFound("metric", name)
    return _stored(rows[0].source), "tenant"


def summary(parsed: ParsedMetric, origin: str) -> MetricSummary:
    d = parsed.declaration
    return MetricSummary(
        name=d.name,
        version=d.version,
        title=d.title,
        description=d.description,
        origin=origin,
        sha256=parsed.sha256,
    )


def described(parsed: ParsedMetric, origin: str) -> MetricOut:
    return MetricOut(
        **summary(parsed, origin).model_dump(),
        source=parsed.source,
        declaration=parsed.declaration.model_dump(mode="json", exclude_none=True),
        unit=parsed.unit,
    )


def get(session: Session, ctx: TenantContext, name: str) -> MetricOut:
    ctx.require(READ)
    return described(*resolve(session, ctx, name))


def listing(
    session: Session, ctx: TenantContext, *, limit: int | None, cursor: str | None
) -> tuple[list[MetricSummary], str | None]:
    """Shipped and tenant metrics by name, a page at a time."""
    ctx.require(READ)
    size = clamp_limit(limit)
    after = cursors.unseal("analytics_metrics", cursor).decode() if cursor else ""
    every = latest(session, ctx)
    names = sorted(n for n in every if n > after)
    page = [summary(*every[n]) for n in names[:size]]
    more = len(names) > size
    return page, (cursors.seal("analytics_metrics", page[-1].name.encode()) if more else None)


def validate(ctx: TenantContext, source: str | bytes) -> ParsedMetric:
    ctx.require(READ)
    return parse(source)


def entity_schema(session: Session, ctx: TenantContext, name: str) -> dict[str, Any] | None:
    """The current JSON Schema of the tenant's entity type ``name``; None without such a type."""
    stmt = select(EntityType.schema).where(*mine(ctx, EntityType), EntityType.name == name)
    found: dict[str, Any] | None = session.scalar(stmt)
    return found


def publish(session: Session, ctx: TenantContext, source: str | bytes) -> tuple[ParsedMetric, bool]:
    """Publish a version; returns it and whether it is new. The same content again is not an error;
    other content under a published version is a 409, as is a shipped metric's name."""
    ctx.require(WRITE)
    parsed = parse(source, lambda name: entity_schema(session, ctx, name))
    d = parsed.declaration
    if d.name in shipped():
        raise Conflict(f"'{d.name}' is a metric shipped with Keel; choose another name.")
    _, is_new = publish_version(
        session, ctx, AnalyticsMetric, parsed, "metric", d.name, d.version, title=d.title
    )
    return parsed, is_new


def _asked(
    session: Session,
    ctx: TenantContext,
    parsed: ParsedMetric,
    grain: str | None,
    group_by: str | None,
    timezone: str | None,
    where: Mapping[str, Sequence[str]],
) -> Slice:
    return Slice(
        grain=grain,
        timezone=zone_of(session, ctx, timezone),
        group_by=group_of(parsed, group_by),
        where=check_where(parsed, where),
    )


def _figures(
    session: Session,
    ctx: TenantContext,
    parsed: ParsedMetric,
    span: Span,
    asked: Slice,
    from_rollups: bool,
    starts: list[datetime],
) -> tuple[dict[Any, Value], dict[Any, Value]]:
    """The figures per (bucket, group values…), and per bucket: merged from the groups' totals where
    they merge, else computed again without the groups; a computed source's from its own figures."""
    if parsed.facts.compute is not None:
        return parsed.facts.compute(session, ctx, parsed, span, asked, starts)
    if parsed.declaration.measure.agg not in MERGEABLE:
        grouped = answers.values(session, ctx, parsed, span, asked)
        whole = Slice(asked.grain, asked.timezone, (), asked.where)
        return grouped, (answers.values(session, ctx, parsed, span, whole) if asked.group_by else grouped)
    return answers.figures(session, ctx, parsed, span, asked, from_rollups)


def _nothing(parsed: ParsedMetric) -> Value:
    """The figure of a bucket without facts: zero for counts and sums, none for the rest."""
    return answers.figure(parsed, None) if parsed.declaration.measure.agg in ("count", "sum") else None


def series(
    session: Session,
    ctx: TenantContext,
    name: str,
    start: datetime,
    end: datetime,
    *,
    grain: str | None = None,
    group_by: str | None = None,
    timezone: str | None = None,
    where: Mapping[str, Sequence[str]] | None = None,
    from_rollups: bool = True,
) -> Series:
    """The metric per local ``grain`` bucket over [start, end), each bucket with its groups when
    grouped. ``from_rollups=False`` computes everything from the raw facts (what tests compare)."""
    ctx.require(READ)
    parsed, _ = resolve(session, ctx, name)
    chosen = grain_of(parsed, grain)
    asked = _asked(session, ctx, parsed, chosen, group_by, timezone, where or {})
    span = check_span(start, end, chosen)
    answers.limit_statement(session)
    starts = answers.bucket_starts(session, span, chosen, asked.timezone)
    figures, per_bucket = _figures(session, ctx, parsed, span, asked, from_rollups, starts)
    groups = answers.grouped(asked.group_by, figures) if asked.group_by else {}
    zone, empty = asked.timezone, _nothing(parsed)
    # One validation of the whole answer: far cheaper than a model per group (90 days of 20 groups).
    buckets = [
        {
            "start": answers.local(b, zone),
            "value": per_bucket.get((b,), empty),
            "groups": groups.get(b, []) if group_by else None,
        }
        for b in starts
    ]
    d = parsed.declaration
    return Series.model_validate(
        {
            "metric": d.name,
            "version": d.version,
            "grain": chosen,
            "timezone": zone,
            "start": answers.local(start, zone),
            "end": answers.local(end, zone),
            "unit": parsed.unit,
            "buckets": buckets,
        }
    )


def value(
    session: Session,
    ctx: TenantContext,
    name: str,
    start: datetime,
    end: datetime,
    *,
    timezone: str | None = None,
    where: Mapping[str, Sequence[str]] | None = None,
) -> KpiValue:
    """The metric over [start, end), with the previous period of the same length and the change."""
    ctx.require(READ)
    parsed, _ = resolve(session, ctx, name)
    asked = _asked(session, ctx, parsed, None, None, timezone, where or {})
    span = check_span(start, end, None)
    before = answers.previous(span)
    answers.limit_statement(session)
    empty = _nothing(parsed)
    now = _figures(session, ctx, parsed, span, asked, True, [])[1].get((None,), empty)
    then = _figures(session, ctx, parsed, before, asked, True, [])[1].get((None,), empty)
    change, ratio = answers.difference(parsed, now, then)
    d = parsed.declaration
    zone = asked.timezone
    return KpiValue(
        metric=d.name,
        version=d.version,
        start=answers.local(start, zone),
        end=answers.local(end, zone),
        unit=parsed.unit,
        value=now,
        previous=Previous(
            start=answers.local(before[0], zone), end=answers.local(before[1], zone), value=then
        ),
        change=change,
        change_ratio=ratio,
    )


def fold(session: Session, ctx: TenantContext, name: str) -> int:
    """Fold one metric's new facts into its rollups (the ``analytics-rollups`` housekeeping job)."""
    parsed, _ = resolve(session, ctx, name)
    return rollups.fold(session, ctx, parsed)


def names(session: Session, ctx: TenantContext) -> list[str]:
    """Every metric the fold keeps current for the tenant."""
    return sorted(latest(session, ctx))


def stale(session: Session, ctx: TenantContext) -> list[str]:
    """The tenant's metrics that a fold would change now (see ``rollups.stale``)."""
    every = [parsed for parsed, _ in latest(session, ctx).values()]
    return sorted(m.declaration.name for m in rollups.stale(session, ctx, every))

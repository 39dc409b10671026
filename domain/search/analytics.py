"""Search analytics: every search is logged; clicks on its hits are reported by the client."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, cast, distinct, func, select
from sqlalchemy.orm import Session

from db.models.entities import SearchClick, SearchQuery
from domain.context import TenantContext
from domain.errors import NotFound, ValidationFailed
from domain.queries import mine
from domain.search.schemas import Analytics, ClickIn, QueryStat

DEFAULT_WINDOW = timedelta(days=30)
MAX_LIMIT = 100
_SPACES = re.compile(r"\s+")


def normalize(q: str) -> str:
    return _SPACES.sub(" ", q.strip().lower())


def log_query(
    session: Session, ctx: TenantContext, q: str, types: list[str], hits: int, took_ms: int
) -> uuid.UUID:
    """One row per search; no flush (the id is ours), so it costs no round trip until the commit."""
    row = SearchQuery.new(
        ctx,
        id=uuid.uuid4(),
        q=q[:500],
        normalized=normalize(q)[:500],
        types=types,
        hits=hits,
        took_ms=took_ms,
        user_id=ctx.user_id,
    )
    session.add(row)
    return row.id


def record_click(session: Session, ctx: TenantContext, data: ClickIn) -> SearchClick:
    ctx.require("entities:read")
    query = session.scalar(
        select(SearchQuery.id).where(*mine(ctx, SearchQuery, deleted=True), SearchQuery.id == data.query_id)
    )
    if query is None:
        raise NotFound("search query", data.query_id)
    click = SearchClick(tenant_id=ctx.tenant_id, user_id=ctx.user_id, **data.model_dump())
    session.add(click)
    session.flush()
    return click


def report(
    session: Session,
    ctx: TenantContext,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 10,
) -> Analytics:
    """Top queries, zero-result queries and click-through per query in [since, until)."""
    ctx.require("search_analytics:read")
    until = _aware(until) or datetime.now(UTC)
    since = _aware(since) or until - DEFAULT_WINDOW
    if since >= until:
        raise ValidationFailed.one("from", "must be before 'to'")
    if limit < 1:
        raise ValidationFailed.one("limit", "must be at least 1")
    limit = min(limit, MAX_LIMIT)
    window = (
        *mine(ctx, SearchQuery, deleted=True),
        SearchQuery.created_at >= since,
        SearchQuery.created_at < until,
    )
    typed = SearchQuery.normalized != ""  # browsing (no query text) counts, but is no "query"
    clicks = (
        select(SearchClick.query_id, func.count().label("n"))
        .where(*mine(ctx, SearchClick, deleted=True))
        .group_by(SearchClick.query_id)
        .subquery()
    )
    searches = func.count(distinct(SearchQuery.id))
    clicked = func.count(distinct(clicks.c.query_id))
    base = (
        select(
            SearchQuery.normalized,
            searches.label("searches"),
            func.avg(SearchQuery.hits).label("avg_hits"),
            func.coalesce(func.sum(clicks.c.n), 0).label("clicks"),
            clicked.label("clicked"),
        )
        .outerjoin(clicks, clicks.c.query_id == SearchQuery.id)
        .where(*window, typed)
        .group_by(SearchQuery.normalized)
        .order_by(searches.desc(), SearchQuery.normalized)
        .limit(limit)
    )
    top = [_stat(r) for r in session.execute(base)]
    zero = [_stat(r) for r in session.execute(base.where(SearchQuery.hits == 0))]
    totals = session.execute(
        select(
            func.count(distinct(SearchQuery.id)),
            cast(func.count(distinct(clicks.c.query_id)), Integer),
        )
        .outerjoin(clicks, clicks.c.query_id == SearchQuery.id)
        .where(*window)
    ).one()
    total, with_click = int(totals[0]), int(totals[1] or 0)
    return Analytics(
        since=since,
        until=until,
        searches=total,
        click_through=round(with_click / total, 4) if total else 0.0,
        top_queries=top,
        zero_result_queries=zero,
    )


def _aware(value: datetime | None) -> datetime | None:
    """A time given without an offset is taken as UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _stat(row: Sequence[Any]) -> QueryStat:
    normalized, total, avg_hits, clicks, clicked = row
    searches = int(total)
    return QueryStat(
        query=normalized,
        searches=searches,
        avg_hits=round(float(avg_hits or 0), 2),
        clicks=int(clicks),
        clicked_searches=int(clicked),
        click_through=round(int(clicked) / searches, 4) if searches else 0.0,
    )

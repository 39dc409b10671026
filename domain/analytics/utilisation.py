"""Resource utilisation as a metric source: booked time over available time, per local bucket and
group of resources.

Available time is no row of a table: it is what each resource's weekly hours, overrides, closures,
blocks and imported busy times leave open (``scheduling.availability``), so this source is computed
for each answer from the rules and the bookings (two statements for every resource in scope), never
folded into rollups. Booked time is the span of each booking holding the resource (held, confirmed,
completed or no-show), buffers aside, as ``GET /resources/{id}/utilisation`` counts it. A group's
utilisation is its booked seconds over its available seconds (none where nothing was open): the
average of its resources' utilisation weighted by their open time.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, String, cast, literal, not_, select
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.orm import Session

from db.models import Allocation, Booking, Resource
from domain.analytics.schemas import Value
from domain.analytics.sources import Measured, Source
from domain.context import TenantContext
from domain.errors import ValidationFailed
from domain.queries import live, mine
from domain.scheduling.availability.service import compute_open, load_rules
from domain.scheduling.intervals import Interval, clip, merge
from domain.scheduling.utilisation.service import BOOKED_STATUSES

if TYPE_CHECKING:  # the parser imports this module: no cycle at run time
    from domain.analytics.facts import Slice
    from domain.analytics.parser import ParsedMetric

Key = tuple[Any, ...]
NAME = "resource_utilisation"
MAX_RESOURCES = 200  # open time is computed per resource: a larger fleet is asked for by kind or tag


def _group_values(resource: Resource, dimension: str) -> list[str]:
    """The values ``resource`` takes on ``dimension``: one, or one per tag."""
    if dimension == "tag":
        return list(resource.tags or [])
    if dimension == "resource":
        return [str(resource.id)]
    if dimension == "resource_name":
        return [resource.name]
    return [resource.kind]


def _keys(resource: Resource, by: Sequence[str]) -> Iterator[tuple[str, ...]]:
    """Every group ``resource`` belongs to when grouped ``by`` (several for several tags)."""
    keys: list[tuple[str, ...]] = [()]
    for dimension in by:
        keys = [(*key, value) for key in keys for value in _group_values(resource, dimension)]
    return iter(keys)


def _kept(dimension: str, values: list[str], keep: bool) -> ColumnElement[bool]:
    """Resources taking one of ``values`` on ``dimension`` (any of their tags), or (not ``keep``) none."""
    taken = (
        Resource.tags.has_any(array([v.lower() for v in values]))  # tags are kept lower case
        if dimension == "tag"
        else cast(DIMENSIONS[dimension], String).in_(values)
    )
    return taken if keep else not_(taken)


def _resources(session: Session, ctx: TenantContext, metric: ParsedMetric, asked: Slice) -> list[Resource]:
    """The tenant's live resources that the metric's filters and the asked ones keep."""
    stmt = live(ctx, Resource)
    for f in metric.declaration.filters:
        stmt = stmt.where(_kept(f.dimension, list(f.operands), f.op in ("eq", "in")))
    for dimension, wanted in (asked.where or {}).items():
        stmt = stmt.where(_kept(dimension, list(wanted), True))
    found = list(session.scalars(stmt.order_by(Resource.created_at).limit(MAX_RESOURCES + 1)))
    if len(found) > MAX_RESOURCES:
        message = f"utilisation is computed for at most {MAX_RESOURCES} resources: filter by kind or tag"
        raise ValidationFailed.one("filter", message)
    return found


def _booked(
    session: Session, ctx: TenantContext, ids: list[uuid.UUID], span: tuple[datetime, datetime]
) -> dict[uuid.UUID, list[Interval]]:
    """Each resource's booked time in the span, merged: one statement for them all."""
    rows = session.execute(
        select(Allocation.resource_id, Booking.start_at, Booking.end_at)
        .join(Booking, Allocation.booking_id == Booking.id)
        .where(
            *mine(ctx, Allocation, deleted=True),
            *mine(ctx, Booking, deleted=True),
            Allocation.resource_id.in_(ids),
            Allocation.active,
            Booking.status.in_(BOOKED_STATUSES),
            Booking.start_at < span[1],
            Booking.end_at > span[0],
        )
    )
    spans: dict[uuid.UUID, list[Interval]] = defaultdict(list)
    for resource_id, start, end in rows:
        spans[resource_id].append((start.astimezone(UTC), end.astimezone(UTC)))
    return {k: clip(merge(v), *span) for k, v in spans.items()}


def _seconds(intervals: list[Interval], lo: datetime, hi: datetime) -> float:
    return sum((e - s).total_seconds() for s, e in clip(intervals, lo, hi))


def _ratio(booked: float, available: float) -> Value:
    return round(booked / available, 6) if available > 0 else None


def figures(
    session: Session,
    ctx: TenantContext,
    metric: ParsedMetric,
    span: tuple[datetime, datetime],
    asked: Slice,
    starts: Sequence[datetime],
) -> tuple[dict[Key, Value], dict[Key, Value]]:
    """As ``answers.figures``: utilisation per (bucket start, group values…), and per (bucket start,)
    (``(None,)`` over the whole span when no grain is asked)."""
    lo, hi = span[0].astimezone(UTC), span[1].astimezone(UTC)
    resources = _resources(session, ctx, metric, asked)
    rules = load_rules(session, ctx, [r.id for r in resources], lo, hi)
    booked = _booked(session, ctx, [r.id for r in resources], (lo, hi))
    if asked.grain is None:
        buckets: list[tuple[datetime | None, datetime, datetime]] = [(None, lo, hi)]
    else:
        ends = [*starts[1:], hi]
        buckets = [(b, max(b, lo), min(e, hi)) for b, e in zip(starts, ends, strict=True)]
    group: dict[Key, list[float]] = defaultdict(lambda: [0.0, 0.0])
    whole: dict[Key, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for resource in resources:
        open_time = compute_open(resource.timezone, rules.get(resource.id, []), lo, hi)
        held = booked.get(resource.id, [])
        keys = list(_keys(resource, asked.group_by))
        for bucket, start, end in buckets:
            figures_ = (_seconds(open_time, start, end), _seconds(held, start, end))
            for sums in (whole[(bucket,)], *(group[(bucket, *k)] for k in keys)):
                sums[0] += figures_[0]
                sums[1] += figures_[1]
    per_bucket = {key: _ratio(b, a) for key, (a, b) in whole.items()}
    # A group with no open time in a bucket is left out of it, as a group without facts is elsewhere.
    grouped = {key: _ratio(b, a) for key, (a, b) in group.items() if a > 0} if asked.group_by else per_bucket
    return grouped, per_bucket


DIMENSIONS = {
    "resource": Resource.id,
    "resource_name": Resource.name,
    "kind": Resource.kind,
    "tag": Resource.tags,
}
SOURCE = Source(
    NAME,
    "booked time over available time of each resource (its hours, overrides, closures, blocks and "
    "imported busy times), per bucket; computed for each answer (a level: never folded)",
    (Resource,),
    Resource.__table__,
    Resource.created_at,
    (),
    {"utilisation": Measured(literal(0), "number", "booked seconds over available seconds (avg)")},
    DIMENSIONS,
    live=True,
    compute=figures,
)

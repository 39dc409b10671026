"""When resources can be booked: open time from the rules, busy time from allocations, free slots.

Open time is built per local date in the resource's time zone (weekly hours, or that date's
overrides instead), converted to UTC day by day (see ``intervals`` for the DST policy), minus
closures (RRULE occurrences expanded only inside the window) and blocks. Busy time is the spans of
active allocations, buffers already included. All arithmetic is on sorted, merged half-open intervals.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Float, String, and_, cast, func, or_, select
from sqlalchemy.dialects.postgresql import Range, aggregate_order_by
from sqlalchemy.orm import Session

from db.models import Allocation, AvailabilityRule, Resource
from domain.context import TenantContext
from domain.durations import format_duration
from domain.queries import live, mine
from domain.scheduling.errors import FieldError, ValidationFailed
from domain.scheduling.intervals import (
    MIDNIGHT,
    Interval,
    clip,
    covers,
    intersect,
    local_days,
    local_span,
    merge,
    occurrence_dates,
    subtract,
)
from domain.scheduling.resources import service as resource_service

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def load_rules(
    session: Session, ctx: TenantContext, resource_ids: Sequence[uuid.UUID], start: datetime, end: datetime
) -> dict[uuid.UUID, list[AvailabilityRule]]:
    """Every live rule that can matter inside [start, end), for all the resources in one query."""
    first, last = start.date() - timedelta(days=2), end.date() + timedelta(days=2)
    rows = session.scalars(
        live(ctx, AvailabilityRule).where(
            AvailabilityRule.resource_id.in_(list(resource_ids)),
            or_(
                AvailabilityRule.kind.in_(("weekly", "closure")),
                and_(AvailabilityRule.kind == "override", AvailabilityRule.on_date.between(first, last)),
                and_(
                    AvailabilityRule.kind == "block",
                    AvailabilityRule.starts_at < end,
                    AvailabilityRule.ends_at > start,
                ),
            ),
        )
    )
    found: dict[uuid.UUID, list[AvailabilityRule]] = defaultdict(list)
    for rule in rows:
        found[rule.resource_id].append(rule)
    return found


def working_time(
    timezone: str, rules: Iterable[AvailabilityRule], start: datetime, end: datetime
) -> list[Interval]:
    """Weekly hours, or a date's overrides in their place, as UTC intervals; nothing subtracted."""
    tz = ZoneInfo(timezone)
    weekly = [r for r in rules if r.kind == "weekly"]
    overrides: dict[date, list[AvailabilityRule]] = defaultdict(list)
    for r in rules:
        if r.kind == "override" and r.on_date is not None:
            overrides[r.on_date].append(r)
    spans: list[Interval] = []
    for day in local_days(start, end, tz):
        todays = overrides.get(day)
        if todays is None:
            todays = [r for r in weekly if day.weekday() in (r.weekdays or [])]
        for r in todays:
            if r.start_time is not None and r.end_time is not None:  # an override without hours: closed
                spans.append(local_span(day, r.start_time, r.end_time, tz))
    return clip(merge(spans), start, end)


def closed_time(
    timezone: str, rules: Iterable[AvailabilityRule], start: datetime, end: datetime
) -> list[Interval]:
    """Closures (their RRULE expanded in the window only, EXDATEs skipped) and blocks, merged."""
    tz = ZoneInfo(timezone)
    days = local_days(start, end, tz)
    holes: list[Interval] = []
    for r in rules:
        if r.kind == "block" and r.starts_at is not None and r.ends_at is not None:
            holes.append((r.starts_at, r.ends_at))
        elif r.kind == "closure" and r.rrule:
            skipped = set(r.exdates or [])
            for day in occurrence_dates(r.rrule, days[0], days[-1]):
                if day.isoformat() in skipped:
                    continue
                hours = (r.start_time, r.end_time) if r.start_time is not None else (MIDNIGHT, MIDNIGHT)
                holes.append(local_span(day, hours[0], hours[1] or MIDNIGHT, tz))
    return merge(holes)


def compute_open(
    timezone: str, rules: Iterable[AvailabilityRule], start: datetime, end: datetime
) -> list[Interval]:
    """Open time in [start, end) from rules alone (pure: no database)."""
    rules = list(rules)
    return subtract(working_time(timezone, rules, start, end), closed_time(timezone, rules, start, end))


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("aware datetimes only")
    return value.astimezone(UTC)


def open_intervals(
    session: Session, ctx: TenantContext, resource: Resource, start: datetime, end: datetime
) -> list[Interval]:
    """The resource's open time in [start, end), UTC; bookings are not subtracted."""
    start, end = _utc(start), _utc(end)
    rules = load_rules(session, ctx, [resource.id], start, end).get(resource.id, [])
    return compute_open(resource.timezone, rules, start, end)


def busy_intervals(
    session: Session, ctx: TenantContext, resource_ids: Sequence[uuid.UUID], start: datetime, end: datetime
) -> dict[uuid.UUID, list[Interval]]:
    """Spans (buffers included) of the active allocations meeting [start, end), merged, per resource.

    One row per resource with its bounds as arrays of epoch seconds: thousands of rows of ranges of
    timestamps (and a UUID each) cost far more to decode than the query takes. The filter is plain
    ``active``, not ``active IS TRUE``: only that lets PostgreSQL use the exclusion constraint's
    partial gist index (resource_id, span) WHERE active.
    """
    start, end = _utc(start), _utc(end)
    lower = cast(func.extract("epoch", func.lower(Allocation.span)), Float)
    upper = cast(func.extract("epoch", func.upper(Allocation.span)), Float)
    rows = session.execute(
        select(
            cast(Allocation.resource_id, String),
            func.array_agg(aggregate_order_by(lower, lower)),
            func.array_agg(aggregate_order_by(upper, lower)),
        )
        .where(
            *mine(ctx, Allocation, deleted=True),
            Allocation.resource_id.in_(list(resource_ids)),
            Allocation.active,
            Allocation.span.overlaps(Range(start, end, bounds="[)")),
        )
        .group_by(Allocation.resource_id)
    )
    by_text = {str(rid): rid for rid in resource_ids}
    spans: dict[uuid.UUID, list[Interval]] = {rid: [] for rid in resource_ids}
    stamp = datetime.fromtimestamp
    for resource_id, lowers, uppers in rows:
        spans[by_text[resource_id]] = merge(
            (stamp(lo, UTC), stamp(hi, UTC))
            for lo, hi in zip(lowers, uppers, strict=True)
            if lo is not None and hi is not None
        )
    return spans


def clear_of(resource: Resource, opened: list[Interval], busy: list[Interval]) -> list[Interval]:
    """``opened`` minus the busy spans widened by the resource's buffers (see ``bookable_time``)."""
    before = timedelta(seconds=resource.buffer_before_seconds)
    after = timedelta(seconds=resource.buffer_after_seconds)
    return subtract(opened, merge((bs - after, be + before) for bs, be in busy))


def bookable_time(
    resource: Resource,
    rules: Iterable[AvailabilityRule],
    busy: list[Interval],
    start: datetime,
    end: datetime,
) -> list[Interval]:
    """Where a booking of this resource may lie: open, and its buffered span clear of every busy span.

    A booking [s, e) is buffered to [s - before, e + after), which meets a busy span [bs, be) exactly
    when [s, e) meets [bs - after, be + before): so the busy spans are widened and subtracted.
    """
    return clear_of(resource, compute_open(resource.timezone, rules, start, end), busy)


def notice(resource: Resource) -> timedelta:
    return timedelta(seconds=resource.minimum_notice_seconds or 0)


def earliest_start(resources: Iterable[Resource], now: datetime | None = None) -> datetime:
    """The first instant a booking of all these resources may start: now plus the longest notice."""
    now = _utc(now) if now is not None else datetime.now(UTC)
    return now + max((notice(r) for r in resources), default=timedelta(0))


def check_notice(resources: Sequence[Resource], start: datetime, *, now: datetime | None = None) -> None:
    """422 on ``start`` when it lies before now plus a resource's minimum notice (nothing is written)."""
    now = _utc(now) if now is not None else datetime.now(UTC)
    late = [r for r in resources if notice(r) and _utc(start) < now + notice(r)]
    if late:
        r = max(late, key=notice)
        first = (now + notice(r)).isoformat().replace("+00:00", "Z")
        raise ValidationFailed.one(
            "start",
            f"is inside the minimum notice of resource {r.id} ({r.name}, {format_duration(notice(r))}): "
            f"the earliest start is {first}",
        )


def _ceil(at: datetime, granularity: timedelta) -> datetime:
    return EPOCH - ((EPOCH - at) // granularity) * granularity


def grid_starts(
    intervals: list[Interval], duration: timedelta, granularity: timedelta, start: datetime
) -> Iterator[datetime]:
    """Slot starts on one grid: multiples of the granularity from the Unix epoch (UTC) from ``start`` on,
    so 15-minute slots fall on :00, :15, :30, :45 whatever the query's start."""
    first = _ceil(start, granularity)
    for lo, hi in intervals:
        at = max(first, _ceil(lo, granularity))
        while at + duration <= hi:
            yield at
            at += granularity


def free_slots(
    session: Session,
    ctx: TenantContext,
    resource_ids: list[uuid.UUID],
    duration: timedelta,
    start: datetime,
    end: datetime,
    granularity: timedelta,
    *,
    limit: int | None = None,
    now: datetime | None = None,
) -> list[Interval]:
    """Slots [s, s + duration) in [start, end) where EVERY resource is open and free (with buffers),
    none starting before ``now`` (the clock by default) plus the longest minimum notice.

    Two queries whatever the number of resources: one for the rules, one for the allocations.
    """
    start, end = _utc(start), _utc(end)
    now = _utc(now) if now is not None else datetime.now(UTC)
    resources = resource_service.get_many(session, ctx, resource_ids)
    if not resources or duration <= timedelta(0) or granularity <= timedelta(0) or end <= start:
        return []
    start = max(start, earliest_start(resources, now))
    if end - start < duration:
        return []
    rules = load_rules(session, ctx, resource_ids, start, end)
    reach_before = max(timedelta(seconds=r.buffer_before_seconds) for r in resources)
    reach_after = max(timedelta(seconds=r.buffer_after_seconds) for r in resources)
    busy = busy_intervals(session, ctx, resource_ids, start - reach_before, end + reach_after)
    common: list[Interval] | None = None
    for r in resources:
        free = bookable_time(r, rules.get(r.id, []), busy.get(r.id, []), start, end)
        common = free if common is None else intersect(common, free)
        if not common:
            return []
    slots: list[Interval] = []
    for at in grid_starts(common or [], duration, granularity, start):
        slots.append((at, at + duration))
        if limit is not None and len(slots) >= limit:
            break
    return slots


def check_bookable(
    session: Session,
    ctx: TenantContext,
    resources: list[Resource],
    start: datetime,
    end: datetime,
    *,
    now: datetime | None = None,
) -> None:
    """422 on ``start`` inside a resource's minimum notice (``check_notice``), then 422
    ``outside_availability`` naming each resource not open for all of [start, end), and why."""
    start, end = _utc(start), _utc(end)
    check_notice(resources, start, now=now)
    rules = load_rules(session, ctx, [r.id for r in resources], start, end)
    bad: list[FieldError] = []
    reasons: list[dict[str, str]] = []
    for i, r in enumerate(resources):
        mine = rules.get(r.id, [])
        if covers(compute_open(r.timezone, mine, start, end), start, end):
            continue
        working = working_time(r.timezone, mine, start, end)
        why = "closed (a closure or a block)" if covers(working, start, end) else "outside its working hours"
        reason = "closed" if why.startswith("closed") else "outside_working_hours"
        bad.append(FieldError(f"resources.{i}", f"resource {r.id} ({r.name}) is {why} for part of the time"))
        reasons.append({"resource_id": str(r.id), "name": r.name, "reason": reason})
    if bad:
        exc = ValidationFailed(bad, "A resource is not available for that time.", code="outside_availability")
        exc.details["resources"] = reasons
        raise exc

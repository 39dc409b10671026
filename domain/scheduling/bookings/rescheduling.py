"""Rescheduling a booking, or a scope of its series, to new times on the same resources: all or
nothing, with the late-change policy."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models.scheduling import Allocation, Booking, BookingSeries, Resource
from domain.context import TenantContext
from domain.queries import mine
from domain.scheduling.availability import service as availability
from domain.scheduling.bookings.conflicts import (
    allocation_span,
    booking_conflict,
    conflict_error,
    find_conflicts,
    is_exclusion,
    local_date,
    lock_resources,
    occurrences_conflict,
    occurrences_unavailable,
    overlapping,
    unavailable,
)
from domain.scheduling.bookings.schemas import ACTIVE, RescheduleIn
from domain.scheduling.bookings.state import (
    fee_needed,
    fetch_to_change,
    in_scope,
    is_late,
    not_allowed,
    require_changeable,
    span_problems,
    transition,
)
from domain.scheduling.errors import ValidationFailed
from domain.scheduling.intervals import wall_to_utc


def _wall(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz).replace(tzinfo=None)


def _new_times(
    session: Session,
    ctx: TenantContext,
    named: Booking,
    targets: list[Booking],
    start: datetime,
    end: datetime,
) -> tuple[list[tuple[datetime, datetime]], ZoneInfo]:
    """Each target's new span: the named booking's is the one asked; the others move by the same change of
    local wall time in the series' zone (09:00 to 10:00 stays 10:00 across DST) and take the same length."""
    zone = "UTC"
    if named.series_id is not None:
        zone = (
            session.scalar(
                select(BookingSeries.timezone).where(
                    *mine(ctx, BookingSeries, deleted=True), BookingSeries.id == named.series_id
                )
            )
            or "UTC"
        )
    tz = ZoneInfo(zone)
    shift = _wall(start, tz) - _wall(named.start_at, tz)
    spans: list[tuple[datetime, datetime]] = []
    for b in targets:
        if b.id == named.id:
            s = start
        else:
            wall = _wall(b.start_at, tz) + shift
            s = wall_to_utc(wall.date(), wall.time(), tz, is_end=False)
        spans.append((s, s + (end - start)))
    return spans, tz


def check_span(body: RescheduleIn, *, now: datetime) -> tuple[datetime, datetime]:
    """The new span in UTC; every problem at once, each under its own field."""
    bad = span_problems(body.start, body.end, body.duration, now=now)
    if bad:
        raise ValidationFailed(bad, "; ".join(f"{f.field}: {f.message}" for f in bad))
    return body.start.astimezone(UTC), body.end_at.astimezone(UTC)


def _resources_by_booking(
    session: Session, ctx: TenantContext, booking_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[Resource]]:
    rows = session.execute(
        select(Allocation.booking_id, Resource)
        .join(Resource, Resource.id == Allocation.resource_id)
        .where(
            *mine(ctx, Allocation, deleted=True),
            Allocation.booking_id.in_(booking_ids),
            Allocation.active,
        )
        .order_by(Resource.id)
    ).all()
    found: dict[uuid.UUID, list[Resource]] = {bid: [] for bid in booking_ids}
    for bid, resource in rows:
        found[bid].append(resource)
    return found


def reschedule(
    session: Session,
    ctx: TenantContext,
    booking_id: uuid.UUID,
    body: RescheduleIn,
    *,
    now: datetime,
    free_hours: float,
) -> tuple[Booking, list[Booking]]:
    """Move the booking (or, with ``scope``, the occurrences of its series from it on, or all that have not
    started) to the new span, all or nothing; returns the booking named and those moved.

    The moved bookings' allocations are released and taken again at the new times in one savepoint, so the
    exclusion constraint checks the new spans against every other booking and a refusal leaves the old
    ones held. 409 ``booking_started`` / ``booking_not_active`` for a booking that cannot move,
    ``late_reschedule`` within the free-cancellation window without ``accept_fee`` (then marked in
    ``details.late_reschedule``), ``booking_conflict`` when the time is taken; 422 ``outside_availability``.
    """
    ctx.require("bookings:write")
    start, end = check_span(body, now=now)
    booking = fetch_to_change(session, ctx, booking_id)
    if booking.status not in ACTIVE:
        raise not_allowed(booking, "moved")
    if booking.start_at <= now:
        raise conflict_error(
            "booking_started",
            "The booking has started; it cannot be moved.",
            {"start": booking.start_at.isoformat()},
        )
    targets = [b for b in in_scope(session, ctx, booking, body.scope) if b.start_at > now]
    require_changeable(ctx, *targets)
    spans, tz = _new_times(session, ctx, booking, targets, start, end)
    into_past = [i for i, (s, _) in enumerate(spans) if s < now]
    if into_past:
        when = ", ".join(local_date(targets[i].start_at, tz) for i in into_past)
        raise ValidationFailed.one("start", f"would move the occurrences of {when} into the past")
    late = [b for b in targets if is_late(b, now, free_hours)]
    if late and not body.accept_fee:
        raise fee_needed("late_reschedule", "moving", late, free_hours)
    resources_of = _resources_by_booking(session, ctx, [b.id for b in targets])
    resources = resources_of[booking.id]
    if len(targets) == 1:
        availability.check_bookable(session, ctx, resources, start, end, now=now)
    else:
        availability.check_notice(resources, min(s for s, _ in spans), now=now)
        if overlapping(resources, sorted(spans)):
            raise ValidationFailed.one("end", "the occurrences would overlap one another")
        closed = unavailable(session, ctx, resources, spans)
        if closed:
            raise occurrences_unavailable(closed, spans, tz)
    ids = [b.id for b in targets]
    found = find_conflicts(session, ctx, resources, spans, exclude=ids)
    if found and len(targets) == 1:
        raise booking_conflict(session, ctx, resources, start, end, exclude=ids)
    if found:
        raise occurrences_conflict(found, spans, tz)
    _retake(session, ctx, targets, spans, resources_of)
    for b, (s, e) in zip(targets, spans, strict=True):
        values: dict[str, Any] = {"start_at": s, "end_at": e}
        if b.hold_expires_at is not None:
            values["hold_expires_at"] = min(b.hold_expires_at, s)
        if b in late:
            values["details"] = {**(b.details or {}), "late_reschedule": True}
        transition(session, ctx, b, "booking.rescheduled", release=False, dedup=False, **values)
    return booking, targets


def _retake(
    session: Session,
    ctx: TenantContext,
    targets: list[Booking],
    spans: list[tuple[datetime, datetime]],
    resources_of: dict[uuid.UUID, list[Resource]],
) -> None:
    """Release the targets' allocations, then take them at the new spans; a race lost is a 409 and the
    savepoint's rollback leaves the old spans held."""
    ids = [b.id for b in targets]
    new_span = {
        (b.id, r.id): allocation_span(r, s, e)
        for b, (s, e) in zip(targets, spans, strict=True)
        for r in resources_of[b.id]
    }
    lock_resources(session, [r.id for rs in resources_of.values() for r in rs])
    try:
        with session.begin_nested():
            held = list(
                session.scalars(
                    select(Allocation)
                    .where(
                        *mine(ctx, Allocation, deleted=True),
                        Allocation.booking_id.in_(ids),
                        Allocation.active,
                    )
                    .order_by(Allocation.resource_id, Allocation.booking_id)
                )
            )
            for a in held:
                a.active = False
            session.flush()
            for a in held:
                a.span = new_span[(a.booking_id, a.resource_id)]
                a.active = True
            session.flush()
    except IntegrityError as exc:
        if not is_exclusion(exc):
            raise
        raise conflict_error(
            "booking_conflict",
            "Another booking took part of that time meanwhile; nothing was moved. Try again.",
            {"conflicts": [], "alternatives": []},
        ) from None

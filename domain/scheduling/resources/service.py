"""Resources (rooms, equipment, people) and their availability rules: create, read, replace, delete.

Every write is checked field by field before anything is written, and leaves an audit row and an
outbox event in the caller's transaction.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, time
from typing import Any, TypeVar

from dateutil.rrule import DAILY, rrulestr
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import AvailabilityRule, Entity, Resource, User
from domain.audit import service as audit
from domain.context import TenantContext
from domain.events import service as events
from domain.pagination import paginate
from domain.queries import get_or_404, live, mine, touch
from domain.scheduling.errors import FieldError, NotFound, ValidationFailed
from domain.scheduling.intervals import MAX_GAP_DAYS, occurrence_dates, pattern_gap
from domain.scheduling.resources.schemas import (
    DAY_NAMES,
    ResourceIn,
    RuleIn,
    parse_buffer,
    parse_clock,
    parse_notice,
    resource_out,
    rule_out,
)

FIELDS = [
    "name",
    "kind",
    "description",
    "capacity",
    "timezone",
    "tags",
    "buffer_before_seconds",
    "buffer_after_seconds",
    "minimum_notice_seconds",
    "user_id",
    "entity_id",
    "payment",
]
RULE_FIELDS = {
    "weekly": {"weekdays", "start", "end"},
    "override": {"date", "start", "end", "closed"},
    "closure": {"rrule", "dtstart", "exdates", "start", "end"},
    "block": {"starts_at", "ends_at"},
}
MIDNIGHT = time(0, 0)
MIN_YEAR, MAX_YEAR = 1970, 2200  # occurrences are computed from dtstart on: keep that walk short
MAX_CLOSURES = 50  # live closure rules per resource: each query expands every one of them
T = TypeVar("T")
_UTC_UNTIL = re.compile(r"(UNTIL=\d{8}T\d{6})Z", re.IGNORECASE)


def get(session: Session, ctx: TenantContext, resource_id: uuid.UUID) -> Resource:
    """A live resource of the tenant; a missing, deleted or other tenant's one is a 404."""
    ctx.require("resources:read")
    return get_or_404(session, ctx, Resource, resource_id, "resource")


def get_many(session: Session, ctx: TenantContext, resource_ids: list[uuid.UUID]) -> list[Resource]:
    """The resources in the order asked, in one query; the first unknown id is a 404."""
    ctx.require("resources:read")
    rows = session.scalars(live(ctx, Resource).where(Resource.id.in_(resource_ids)))
    by_id = {r.id: r for r in rows}
    for rid in resource_ids:
        if rid not in by_id:
            raise NotFound("resource", rid)
    return [by_id[rid] for rid in resource_ids]


def list_resources(
    session: Session,
    ctx: TenantContext,
    *,
    tags: list[str] | None = None,
    kind: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[Resource], str | None]:
    """Newest first; every tag given must be on the resource."""
    ctx.require("resources:read")
    stmt = live(ctx, Resource)
    if tags:
        stmt = stmt.where(Resource.tags.contains([t.lower() for t in tags]))
    if kind:
        stmt = stmt.where(Resource.kind == kind)
    return paginate(session, stmt, Resource, limit, cursor)


def _check_links(session: Session, ctx: TenantContext, data: ResourceIn) -> None:
    bad: list[FieldError] = []
    if data.user_id is not None and not session.scalar(
        select(User.id).where(*mine(ctx, User, deleted=True), User.id == data.user_id)
    ):
        bad.append(FieldError("user_id", "is not a user of this tenant"))
    if data.entity_id is not None and not session.scalar(
        select(Entity.id).where(*mine(ctx, Entity), Entity.id == data.entity_id)
    ):
        bad.append(FieldError("entity_id", "is not a live record of this tenant"))
    if bad:
        raise ValidationFailed(bad)


def _apply(resource: Resource, data: ResourceIn, payment: dict[str, Any] | None) -> None:
    resource.name = data.name
    resource.kind = data.kind
    resource.description = data.description
    resource.capacity = data.capacity
    resource.timezone = data.timezone
    resource.tags = list(data.tags)
    resource.buffer_before_seconds = parse_buffer(data.buffer_before)
    resource.buffer_after_seconds = parse_buffer(data.buffer_after)
    resource.minimum_notice_seconds = parse_notice(data.minimum_notice)
    resource.user_id = data.user_id
    resource.entity_id = data.entity_id
    resource.payment = payment


def _written(
    session: Session, ctx: TenantContext, action: str, resource: Resource, before: dict[str, Any] | None
) -> None:
    """Audit the FIELDS that changed from ``before`` (None: the resource is new), and emit ``action``."""
    diff = audit.diff(before, audit.snapshot(resource, FIELDS))
    audit.record(session, ctx, action, "resource", resource.id, diff, flush=False)
    events.emit(session, ctx, action, resource_out(resource))


def create(
    session: Session, ctx: TenantContext, data: ResourceIn, *, payment: dict[str, Any] | None = None
) -> Resource:
    """``payment``: the terms a booking of it must pay (checked by the caller), None for none."""
    ctx.require("resources:write")
    _check_links(session, ctx, data)
    resource = Resource(tenant_id=ctx.tenant_id, active=True, created_by=ctx.actor_id)
    _apply(resource, data, payment)
    session.add(resource)
    session.flush()
    _written(session, ctx, "resource.created", resource, None)
    return resource


def replace(
    session: Session,
    ctx: TenantContext,
    resource_id: uuid.UUID,
    data: ResourceIn,
    *,
    payment: dict[str, Any] | None = None,
) -> Resource:
    """Every field as sent: a resource replaced without ``payment`` is booked without payment from now
    on (bookings already held keep their invoice)."""
    ctx.require("resources:write")
    resource = get(session, ctx, resource_id)
    _check_links(session, ctx, data)
    before = audit.snapshot(resource, FIELDS)
    _apply(resource, data, payment)
    touch(session, resource)
    _written(session, ctx, "resource.updated", resource, before)
    return resource


def delete(session: Session, ctx: TenantContext, resource_id: uuid.UUID) -> Resource:
    """Soft delete: gone from lists, availability and new bookings; existing bookings stay."""
    ctx.require("resources:write")
    resource = get(session, ctx, resource_id)
    resource.deleted_at = datetime.now(UTC)
    resource.active = False
    session.flush()
    audit.record(session, ctx, "resource.deleted", "resource", resource.id, {"deleted": True}, flush=False)
    events.emit(session, ctx, "resource.deleted", {"id": str(resource.id), "name": resource.name})
    return resource


# -- availability rules ------------------------------------------------------------------------


def _weekdays(values: list[int | str] | None, bad: list[FieldError]) -> list[int]:
    if not values:
        bad.append(FieldError("weekdays", "name at least one day: 0 (Monday) to 6, or MO to SU"))
        return []
    days: list[int] = []
    for i, value in enumerate(values):
        if isinstance(value, int) and 0 <= value <= 6:
            days.append(value)
        elif isinstance(value, str) and value.upper() in DAY_NAMES:
            days.append(DAY_NAMES.index(value.upper()))
        else:
            bad.append(FieldError(f"weekdays.{i}", "is not a day: 0 (Monday) to 6, or MO to SU"))
    return sorted(set(days))


def _hours(data: RuleIn, bad: list[FieldError], *, required: bool) -> tuple[time | None, time | None]:
    if data.start is None and data.end is None and not required:
        return None, None
    parsed: dict[str, time | None] = {}
    for name in ("start", "end"):
        raw = getattr(data, name)
        if raw is None:
            bad.append(FieldError(name, "is required (HH:MM local time)"))
            parsed[name] = None
            continue
        try:
            parsed[name] = parse_clock(raw)
        except ValueError as exc:
            bad.append(FieldError(name, str(exc)))
            parsed[name] = None
    start, end = parsed["start"], parsed["end"]
    if start is not None and end is not None and end != MIDNIGHT and end <= start:
        bad.append(
            FieldError(
                "end",
                "must be after start; an overnight span is not supported yet: split it at 24:00 "
                "into two rules",
            )
        )
    if data.start is not None and data.start.startswith("24"):
        bad.append(FieldError("start", "24:00 is only an end"))
    return start, end


def _closure_rrule(data: RuleIn, bad: list[FieldError]) -> str | None:
    if not data.rrule:
        bad.append(FieldError("rrule", "is required: RFC 5545 RRULE text such as FREQ=YEARLY;BYMONTH=12"))
    if data.dtstart is None:
        bad.append(FieldError("dtstart", "is required: the first date of the recurrence"))
    if not data.rrule or data.dtstart is None:
        return None
    text = data.rrule.strip()
    text = text[len("RRULE:") :] if text.upper().startswith("RRULE:") else text
    if "\n" in text or "DTSTART" in text.upper():
        bad.append(FieldError("rrule", "is one RRULE line; give the first date as dtstart"))
        return None
    if not MIN_YEAR <= data.dtstart.year <= MAX_YEAR:
        bad.append(FieldError("dtstart", f"must be between {MIN_YEAR} and {MAX_YEAR}"))
        return None
    # Closures recur by local dates: a UTC UNTIL (…T000000Z) is read as that local date and time.
    text = _UTC_UNTIL.sub(r"\1", text)
    stored = f"DTSTART:{data.dtstart:%Y%m%d}\nRRULE:{text}"
    try:
        rule = rrulestr(stored)
    except (ValueError, TypeError, IndexError) as exc:
        bad.append(FieldError("rrule", f"is not a valid RFC 5545 RRULE: {exc}"))
        return None
    if getattr(rule, "_freq", DAILY) > DAILY:
        bad.append(
            FieldError("rrule", "a closure recurs by days: FREQ must be YEARLY, MONTHLY, WEEKLY or DAILY")
        )
        return None
    gap = pattern_gap(stored)  # before anything here expands it
    if gap is None or gap < 0 or gap > MAX_GAP_DAYS:
        named = {None: "could not be expanded", -1: "never occurs"}
        what = named.get(gap, f"leaves {gap} days between two dates")
        bad.append(
            FieldError(
                "rrule",
                f"{what}: a closure's pattern (COUNT and UNTIL aside) must occur at least every ten "
                "years from dtstart (BYMONTH=2;BYMONTHDAY=30 never does)",
            )
        )
        return None
    try:
        occurrence_dates(stored, data.dtstart, data.dtstart.replace(month=12, day=31))
    except (ValueError, TypeError, IndexError) as exc:
        bad.append(FieldError("rrule", f"is not a valid RFC 5545 RRULE: {exc}"))
        return None
    return stored


def _check_rule(data: RuleIn) -> AvailabilityRule:
    """The rule row for the body, or a 422 listing every bad or misplaced field."""
    bad: list[FieldError] = []
    given = {f for f in RuleIn.model_fields if f not in ("kind", "note") and getattr(data, f) is not None}
    bad += [
        FieldError(f, f"is not used by a {data.kind} rule") for f in sorted(given - RULE_FIELDS[data.kind])
    ]
    rule = AvailabilityRule(kind=data.kind, note=data.note, weekdays=[], exdates=[])
    if data.kind == "weekly":
        rule.weekdays = _weekdays(data.weekdays, bad)
        rule.start_time, rule.end_time = _hours(data, bad, required=True)
    elif data.kind == "override":
        if data.date is None:
            bad.append(FieldError("date", "is required"))
        rule.on_date = data.date
        if data.closed:
            if data.start is not None or data.end is not None:
                bad.append(FieldError("closed", "a closed day has no start or end"))
        else:
            rule.start_time, rule.end_time = _hours(data, bad, required=True)
    elif data.kind == "closure":
        rule.rrule = _closure_rrule(data, bad)
        rule.exdates = sorted({d.isoformat() for d in data.exdates or []})
        rule.start_time, rule.end_time = _hours(data, bad, required=False)
    else:
        if data.starts_at is None:
            bad.append(FieldError("starts_at", "is required (RFC 3339 with an offset)"))
        if data.ends_at is None:
            bad.append(FieldError("ends_at", "is required (RFC 3339 with an offset)"))
        if data.starts_at and data.ends_at and data.ends_at <= data.starts_at:
            bad.append(FieldError("ends_at", "must be after starts_at"))
        rule.starts_at, rule.ends_at = data.starts_at, data.ends_at
    if bad:
        raise ValidationFailed(bad)
    return rule


def add_rule(session: Session, ctx: TenantContext, resource_id: uuid.UUID, data: RuleIn) -> AvailabilityRule:
    ctx.require("resources:write")
    resource = get(session, ctx, resource_id)
    if data.kind == "closure" and _closures(session, ctx, resource.id) >= MAX_CLOSURES:
        raise ValidationFailed.one(
            "kind", f"the resource has {MAX_CLOSURES} closures, the most it may have: remove one first"
        )
    rule = _check_rule(data)
    rule.tenant_id = ctx.tenant_id
    rule.resource_id = resource.id
    session.add(rule)
    session.flush()
    out = rule_out(rule)
    audit.record(
        session, ctx, "availability_rule.created", "resource", resource.id, {"rule": out}, flush=False
    )
    events.emit(session, ctx, "resource.availability_changed", {"resource_id": str(resource.id), "rule": out})
    return rule


def _closures(session: Session, ctx: TenantContext, resource_id: uuid.UUID) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(AvailabilityRule)
            .where(
                *mine(ctx, AvailabilityRule),
                AvailabilityRule.resource_id == resource_id,
                AvailabilityRule.kind == "closure",
            )
        )
        or 0
    )


def of_resource(session: Session, ctx: TenantContext, model: type[T], resource_id: uuid.UUID) -> list[T]:
    """A resource's live rows of ``model`` (its rules, its calendar imports), oldest first."""
    resource = get(session, ctx, resource_id)
    columns: Any = model  # each such model has resource_id, created_at and id
    stmt = live(ctx, model).where(columns.resource_id == resource.id)
    return list(session.scalars(stmt.order_by(columns.created_at, columns.id)))


def list_rules(session: Session, ctx: TenantContext, resource_id: uuid.UUID) -> list[AvailabilityRule]:
    return of_resource(session, ctx, AvailabilityRule, resource_id)


def delete_rule(
    session: Session, ctx: TenantContext, resource_id: uuid.UUID, rule_id: uuid.UUID
) -> AvailabilityRule:
    ctx.require("resources:write")
    resource = get(session, ctx, resource_id)
    rule = session.scalar(
        live(ctx, AvailabilityRule).where(
            AvailabilityRule.resource_id == resource.id, AvailabilityRule.id == rule_id
        )
    )
    if rule is None:
        raise NotFound("availability rule", rule_id)
    rule.deleted_at = datetime.now(UTC)
    session.flush()
    out = rule_out(rule)
    audit.record(
        session, ctx, "availability_rule.deleted", "resource", resource.id, {"rule": out}, flush=False
    )
    events.emit(
        session, ctx, "resource.availability_changed", {"resource_id": str(resource.id), "removed": out}
    )
    return rule

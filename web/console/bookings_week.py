"""What the bookings calendar shows of one week: the free slots of a resource (or of a group, the
resources sharing a tag), read through the availability service the REST endpoint uses, and the spans
already taken, day by day in the reader's time zone, Monday first."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_interval, format_time
from sqlalchemy import exists
from sqlalchemy.orm import Session

from db.models.scheduling import Allocation, Booking, Resource
from domain.context import TenantContext
from domain.errors import NotFound
from domain.queries import live, mine
from domain.scheduling.availability import service as availability
from domain.scheduling.availability.schemas import MAX_RESOURCES, MAX_SLOTS
from domain.scheduling.bookings import service as bookings
from domain.scheduling.bookings.schemas import ACTIVE
from domain.scheduling.resources import service as resources
from web.console import views

# The lengths offered, in minutes, each with the step between two starts (a whole divisor of it).
LENGTHS: dict[int, int] = {15: 15, 30: 30, 45: 15, 60: 60, 90: 30, 120: 60}
DEFAULT_LENGTH = 60
LISTED = 200  # resources offered in the picker (the API's largest page)
TAKEN = 1000  # bookings shown in one week: more than a week of 15-minute slots of a few resources
FIRST_YEAR, LAST_YEAR = 1971, 2199  # the weeks one may ask for, with a week either side to link to
_ISO_WEEK = re.compile(r"^(\d{4})-[Ww](\d{1,2})$")


class BadQuery(Exception):
    """A query value the calendar cannot use: ``key`` names the words that say so."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Shown:
    """What the calendar is asked to show: one resource, or a group (a tag), or nothing yet."""

    resource: uuid.UUID | None
    group: str
    week: str
    length: int


def asked(resource: str, group: str, week: str, length: str) -> Shown:
    """The query values checked: a resource id that is no UUID names nothing (``NotFound``); a length
    not offered is a ``BadQuery``. The week is read once the reader's zone is known (``monday``)."""
    try:
        rid = uuid.UUID(resource) if resource else None
    except ValueError:
        raise NotFound("resource", resource) from None
    try:
        minutes = int(length) if length else DEFAULT_LENGTH
    except ValueError:
        raise BadQuery("bookings_bad_length") from None
    if minutes not in LENGTHS:
        raise BadQuery("bookings_bad_length")
    return Shown(rid, group.strip().lower() if rid is None else "", week.strip(), minutes)


def monday(week: str, today: date) -> date:
    """The Monday of ``week`` (2026-W10, or any date of it), or of the week of ``today``."""
    if not week:
        day = today
    else:
        found = _ISO_WEEK.match(week)
        try:
            day = date.fromisocalendar(int(found[1]), int(found[2]), 1) if found else date.fromisoformat(week)
        except ValueError:
            raise BadQuery("bookings_bad_week") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise BadQuery("bookings_bad_week")
    return day - timedelta(days=day.weekday())


def week_name(first: date) -> str:
    year, number, _ = first.isocalendar()
    return f"{year}-W{number:02d}"


@dataclass
class Item:
    """One line of a day: a free slot (the resources free for it) or a span taken by a booking."""

    start: datetime
    end: datetime
    label: str  # the span: "9:00 AM - 10:00 AM"
    at: str  # its start: "9:00 AM"
    free: list[str] = field(default_factory=list)
    taken_by: list[str] = field(default_factory=list)
    mine: bool = False
    subject: str | None = None
    booking_id: str = ""


@dataclass
class Day:
    date: date
    label: str
    full: str
    items: list[Item]
    free: int = 0


def _chosen(session: Session, ctx: TenantContext, shown: Shown, listed: list[Resource]) -> list[Resource]:
    """The resource asked (another organisation's is a 404), or the resources of the group asked."""
    if shown.resource is not None:
        return [resources.get(session, ctx, shown.resource)]
    if not shown.group:
        return []
    found, _ = resources.list_resources(session, ctx, tags=[shown.group], limit=MAX_RESOURCES)
    if not found:
        raise NotFound("group", shown.group)
    return sorted(found, key=lambda r: r.name.lower())


def _taken(
    session: Session, ctx: TenantContext, chosen: list[Resource], start: datetime, end: datetime
) -> list[Any]:
    """The held and confirmed bookings of the chosen resources meeting [start, end), with their
    allocations (as the REST API answers them)."""
    ctx.require("bookings:read")
    ids = [r.id for r in chosen]
    rows = session.scalars(
        live(ctx, Booking)
        .where(
            Booking.status.in_(ACTIVE),
            Booking.start_at < end,
            Booking.end_at > start,
            exists().where(
                *mine(ctx, Allocation, deleted=True),
                Allocation.booking_id == Booking.id,
                Allocation.resource_id.in_(ids),
                Allocation.active,
            ),
        )
        .order_by(Booking.start_at)
        .limit(TAKEN)
    )
    return bookings.views(session, ctx, list(rows))


def _at(moment: datetime, tz: ZoneInfo, lang: str) -> str:
    return format_time(moment.astimezone(tz), "short", locale=lang)


def _span(start: datetime, end: datetime, tz: ZoneInfo, lang: str) -> str:
    first, last = start.astimezone(tz), end.astimezone(tz)
    until = format_time(last, "short", locale=lang)
    if last.date() != first.date():
        until = f"{format_date(last, 'EEE d MMM', locale=lang)} {until}"
    return f"{format_time(first, 'short', locale=lang)} \u2013 {until}"


def dated_span(start: datetime, end: datetime, tz: ZoneInfo, lang: str) -> str:
    """The day in full, then the span: "Monday, 7 December 2026 9:00 AM - 10:00 AM"."""
    return f"{format_date(start.astimezone(tz), 'full', locale=lang)} {_span(start, end, tz, lang)}"


def _free(
    session: Session,
    ctx: TenantContext,
    chosen: list[Resource],
    start: datetime,
    end: datetime,
    length: int,
) -> dict[tuple[datetime, datetime], list[str]]:
    """Each free slot of the week and the resources free for it: every resource's slots as
    ``GET /api/v1/availability?resources=<id>`` answers them, so a group offers a slot when one of its
    resources is free."""
    slots: dict[tuple[datetime, datetime], list[str]] = {}
    duration, step = timedelta(minutes=length), timedelta(minutes=LENGTHS[length])
    for r in chosen:
        for slot in availability.free_slots(
            session, ctx, [r.id], duration, start, end, step, limit=MAX_SLOTS
        ):
            slots.setdefault(slot, []).append(str(r.id))
    return slots


def week_reader(shown: Shown, lang: str) -> Callable[[Session, TenantContext], dict[str, Any]]:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        ctx.require("bookings:read")
        zone = views.zone(session, ctx)
        tz = ZoneInfo(zone)
        first = monday(shown.week, datetime.now(tz).date())
        listed, _ = resources.list_resources(session, ctx, limit=LISTED)
        listed = sorted(listed, key=lambda r: r.name.lower())
        chosen = _chosen(session, ctx, shown, listed)
        start = datetime.combine(first, time(0), tz).astimezone(UTC)
        end = datetime.combine(first + timedelta(days=7), time(0), tz).astimezone(UTC)
        days = [
            Day(
                first + timedelta(days=i),
                format_date(first + timedelta(days=i), "EEE d MMM", locale=lang),
                format_date(first + timedelta(days=i), "full", locale=lang),
                [],
            )
            for i in range(7)
        ]

        def day_of(moment: datetime) -> Day:
            index = (moment.astimezone(tz).date() - first).days
            return days[min(max(index, 0), 6)]

        names = {str(r.id): r.name for r in chosen}
        for (s, e), free in sorted(_free(session, ctx, chosen, start, end, shown.length).items()):
            day_of(s).items.append(Item(s, e, _span(s, e, tz, lang), _at(s, tz, lang), free=free))
            day_of(s).free += 1
        for b in _taken(session, ctx, chosen, start, end) if chosen else []:
            held = [str(a.resource_id) for a in b.allocations if a.active]
            by = [names[rid] for rid in held if rid in names]
            own = b.created_by is not None and b.created_by == ctx.user_id
            item = Item(b.start, b.end, _span(b.start, b.end, tz, lang), _at(b.start, tz, lang), taken_by=by)
            item.mine = own
            item.subject, item.booking_id = (b.subject if own else None), str(b.id)
            day_of(b.start).items.append(item)
        for day in days:
            day.items.sort(key=lambda i: (i.start, bool(i.free)))
        groups = sorted({str(tag) for r in listed for tag in (r.tags or [])})
        return {
            "zone": zone,
            "resources": listed,
            "groups": groups,
            "chosen": chosen,
            "days": days,
            "first": first,
            "week": week_name(first),
            "previous": week_name(first - timedelta(days=7)),
            "next": week_name(first + timedelta(days=7)),
            "week_label": format_interval(first, first + timedelta(days=6), "yMMMMd", locale=lang),
            "can_book": ctx.can("bookings:write"),
            "free_count": sum(d.free for d in days),
        }

    return read


def booked_note(booking_id: str, lang: str, words: dict[str, str]) -> Callable[[Session, TenantContext], str]:
    """The status line after a booking: when and what was booked, if the id names one of the reader's
    bookings; a plain confirmation otherwise."""

    def read(session: Session, ctx: TenantContext) -> str:
        try:
            booking = bookings.get(session, ctx, uuid.UUID(booking_id))
        except (ValueError, NotFound):
            return words["bookings_booked_plain"]
        if booking.created_by != ctx.user_id or booking.status not in ACTIVE:
            return words["bookings_booked_plain"]
        tz = ZoneInfo(views.zone(session, ctx))
        out = bookings.view(session, ctx, booking)
        named = session.scalars(
            live(ctx, Resource).where(Resource.id.in_([a.resource_id for a in out.allocations]))
        )
        moment = dated_span(out.start, out.end, tz, lang)
        what = ", ".join(r.name for r in named) or (out.subject or "")
        return words["bookings_booked"].format(when=moment, what=what)

    return read

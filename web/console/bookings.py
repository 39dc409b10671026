"""The console's bookings: a week calendar of a resource or a group with its free slots, holding and
confirming one, my bookings.

Pages are read here through the scheduling services; every change is the page's script calling the
REST API: ``POST /api/v1/bookings`` (a hold) then ``POST /api/v1/bookings/{id}/confirm``,
``POST /api/v1/bookings/{id}/cancel`` and ``PATCH /api/v1/bookings/{id}`` (a reschedule)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from sqlalchemy import and_, not_
from sqlalchemy.orm import Session
from starlette.responses import Response

from db.models.scheduling import Booking, Resource
from domain.context import TenantContext
from domain.errors import DomainError
from domain.queries import live
from domain.scheduling.bookings import service as bookings
from domain.scheduling.bookings.schemas import ACTIVE
from web.console import auth, i18n, views
from web.console.bookings_week import (
    LENGTHS,
    BadQuery,
    Shown,
    asked,
    booked_note,
    dated_span,
    week_reader,
)
from web.console.bookings_words import WORDS

router = APIRouter(prefix="/app/bookings", include_in_schema=False)
i18n.extend(WORDS)
UPCOMING = 100  # my next bookings shown
PAST = 50  # my past (or cancelled) bookings shown, newest first
CHANGED = ("cancelled", "moved")  # what my bookings' page confirms after its script changed one

Id = Annotated[str, Query(max_length=64)]


def _link(shown: Shown, week: str) -> str:
    """The calendar's address for ``week``, keeping what it shows."""
    query: dict[str, Any] = {"resource": str(shown.resource)} if shown.resource else {}
    if shown.group:
        query["group"] = shown.group
    return "/app/bookings?" + urlencode(query | {"week": week, "length": shown.length})


def _bad_query(request: Request, visitor: auth.Visitor, key: str) -> Response:
    """A query value the calendar cannot use: a 400 page that says which and what to do."""
    words = i18n.words(i18n.language(request))
    shown = views.page(
        request,
        "bookings_error.html",
        400,
        title=words["bookings_bad_query"],
        message=words[key],
        visitor=visitor,
        csrf=visitor.csrf(request),
    )
    return views.kept(visitor, shown)


@router.get("")
async def calendar(
    request: Request,
    resource: Id = "",
    group: Id = "",
    week: Annotated[str, Query(max_length=32)] = "",
    length: Annotated[str, Query(max_length=8)] = "",
    pick: Annotated[str, Query(max_length=80)] = "",
    booked: Id = "",
) -> Response:
    """The week of a resource (``resource=<id>``) or of a group (``group=<tag>``); ``pick`` is the
    picker's choice (``resource:<id>`` or ``group:<tag>``), sent on to its own address."""
    found = await views.signed_in(request)
    if isinstance(found, Response):
        return found
    if pick:
        kind, _, value = pick.partition(":")
        chosen = {"resource" if kind == "resource" else "group": value}
        return views.go("/app/bookings?" + urlencode(chosen | {"week": week, "length": length}))
    lang = i18n.language(request)
    try:
        shown = asked(resource, group, week, length)
        seen = await views.read(request, found, week_reader(shown, lang))
        note = await views.read(request, found, booked_note(booked, lang, i18n.words(lang))) if booked else ""
    except BadQuery as exc:
        return _bad_query(request, found, exc.key)
    except DomainError as exc:
        return views.kept(found, views.error(request, exc, found))
    links = {
        "previous": _link(shown, seen["previous"]),
        "next": _link(shown, seen["next"]),
        "today": _link(shown, ""),
        "here": _link(shown, seen["week"]),
    }
    return views.answer(
        request, found, "bookings.html", seen, shown=shown, links=links, lengths=list(LENGTHS), booked=note
    )


def _mine(session: Session, ctx: TenantContext) -> dict[str, Any]:
    """My bookings: the active ones not yet over (soonest first), then the others (latest first)."""
    ctx.require("bookings:read")
    now = datetime.now(UTC)
    made = live(ctx, Booking).where(Booking.created_by == ctx.user_id)
    ahead = and_(Booking.status.in_(ACTIVE), Booking.end_at > now)
    upcoming = list(session.scalars(made.where(ahead).order_by(Booking.start_at, Booking.id).limit(UPCOMING)))
    past = list(session.scalars(made.where(not_(ahead)).order_by(Booking.start_at.desc()).limit(PAST)))
    shown = bookings.views(session, ctx, upcoming + past)
    ids = {a.resource_id for b in shown for a in b.allocations}
    # A resource deleted since keeps its name here: the booking still names it.
    named = session.scalars(live(ctx, Resource, deleted=True).where(Resource.id.in_(ids)))
    names = {r.id: r.name for r in named}
    return {
        "upcoming": shown[: len(upcoming)],
        "past": shown[len(upcoming) :],
        "names": names,
        "zone": views.zone(session, ctx),
        "can_change": ctx.can("bookings:write"),
    }


def _minutes(booking: Any) -> int:
    return int((booking.end - booking.start).total_seconds() // 60)


def _names(names: dict[Any, str], booking: Any) -> str:
    """The resources a booking holds (or held), by name, each once."""
    ids = dict.fromkeys(a.resource_id for a in booking.allocations)
    return ", ".join(names.get(rid, str(rid)) for rid in ids)


@router.get("/mine")
async def my_bookings(request: Request, changed: Annotated[str, Query(max_length=16)] = "") -> Response:
    """``changed`` (cancelled, moved) is what the page's script did before reading it again."""
    found = await views.signed_in(request)
    if isinstance(found, Response):
        return found
    try:
        seen = await views.read(request, found, _mine)
    except DomainError as exc:
        return views.kept(found, views.error(request, exc, found))
    lang, zone = i18n.language(request), ZoneInfo(seen["zone"])
    words = i18n.words(lang)
    helpers = {
        "minutes": _minutes,
        "wall": partial(_wall, zone),
        "span": lambda b: dated_span(b.start, b.end, zone, lang),
        "resource_names": partial(_names, seen["names"]),
        "changed": words.get(f"bookings_{changed}", "") if changed in CHANGED else "",
    }
    return views.answer(request, found, "bookings_mine.html", seen, **helpers)


def _wall(zone: ZoneInfo, moment: datetime) -> str:
    """``moment`` as a ``datetime-local`` input's value in the reader's zone."""
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M")

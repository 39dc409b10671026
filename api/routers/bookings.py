"""Bookings: hold several resources at once (or none), confirm, cancel with a policy, no-show.

Each change is written in the route's transaction first; then the booking's workflow is started or
signalled. A signal that fails leaves the row right: the workflow's activities re-read the status.
A recurring booking (``recurrence``) is a series: every occurrence is written in one transaction, then
their workflows are started a few at a time; if one cannot start, the whole series is released.
Confirming, cancelling, rescheduling and marking a no-show need the booking's maker (``created_by``)
or ``bookings:manage``: someone else's booking answers 403 and is left as it was.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from temporalio.client import Client
from temporalio.service import RPCError

from api import booking_payments
from api.deps import Ctx, Cursor, Db, EngineDep, LauncherDep, Limit, SettingsDep
from api.envelope import created, models_page, success
from api.invoice_signal import tell_invoice
from api.launch import start_and_answer
from api.process_runtime import CONCURRENCY, RPC_TIMEOUT, Launcher, Start, own_transaction
from api.resource_routes import ResourceRoutes
from db.models import Booking
from domain.billing.invoices import service as invoices
from domain.context import TenantContext
from domain.instants import Instant
from domain.scheduling.bookings import process
from domain.scheduling.bookings import service as bookings
from domain.scheduling.bookings.schemas import (
    BookingIn,
    BookingOut,
    CancelIn,
    RescheduleIn,
    Status,
)
from domain.scheduling.series import service as series
from domain.scheduling.series.schemas import OccurrenceOut, SeriesOut
from workflows.booking import BookingWorkflow

router = APIRouter(prefix="/api/v1/bookings", tags=["bookings"])
OWNER_ONLY = (
    "\n\nOnly whoever made the booking, or a holder of `bookings:manage`, may do this: anyone else "
    'gets 403 `forbidden` (`details.missing: ["bookings:manage"]`) and nothing changes.'
)
routes = ResourceRoutes(router, BookingOut, item="/{booking_id}")


async def _bounded(calls: Iterable[Callable[[], Awaitable[None]]]) -> list[BaseException | None]:
    """Run the calls at most ``CONCURRENCY`` at a time; each one's exception, or None."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(call: Callable[[], Awaitable[None]]) -> BaseException | None:
        async with gate:
            try:
                await call()
            except Exception as exc:
                return exc
            return None

    return await asyncio.gather(*(one(c) for c in calls))


def _now() -> datetime:
    return datetime.now(UTC)


Signal = Callable[[BookingWorkflow], None]  # one of BookingWorkflow's signals: confirm, cancel, rescheduled


async def _signal_client(client: Client, workflow_id: str, signal: Signal) -> None:
    """Best effort: the row is already right, and the workflow re-reads it before acting."""
    with contextlib.suppress(RPCError):
        await client.get_workflow_handle(workflow_id).signal(signal, rpc_timeout=RPC_TIMEOUT)


async def _signal(request: Request, workflow_id: str | None, signal: Signal) -> None:
    client: Client | None = request.app.state.temporal
    if client is not None and workflow_id is not None:
        await _signal_client(client, workflow_id, signal)


async def _signal_all(request: Request, workflow_ids: list[str | None], signal: Signal) -> None:
    await _bounded([lambda wid=wid: _signal(request, wid, signal) for wid in workflow_ids])  # type: ignore[misc]


Change = Callable[[Session], tuple[Booking, list[Booking]]]  # the booking named, and those it changed
# Cancel or reschedule: the booking, or its scope in a series, under the free-cancellation window.
ScopedChange = Callable[..., tuple[Booking, list[Booking]]]


@dataclass(frozen=True)
class BookingChange:
    """A change to the booking in the path: committed in a transaction of its own, then signalled."""

    booking_id: uuid.UUID
    ctx: TenantContext
    engine: Engine
    request: Request
    free_hours: float

    async def commit(self, change: Change, signal: Signal) -> tuple[BookingOut, list[str]]:
        """Commit the change, then signal the workflows of the bookings it changed: the booking named as
        answered, and the ids of those changed."""
        ctx = self.ctx

        def write(session: Session) -> tuple[BookingOut, list[str | None], list[str]]:
            booking, changed = change(session)
            workflows = [b.workflow_id for b in changed]
            return bookings.view(session, ctx, booking), workflows, [str(b.id) for b in changed]

        # Its own transaction: committed before the signals, as a signalled workflow re-reads the booking.
        out, workflows, ids = await own_transaction(self.engine, ctx.tenant_id, write)
        await _signal_all(self.request, workflows, signal)
        return out, ids

    async def scoped(self, change: ScopedChange, body: Any, signal: Signal, listed_as: str) -> dict[str, Any]:
        """The booking as answered, with the ids of the bookings changed in ``meta[listed_as]``."""

        def write(session: Session) -> tuple[Booking, list[Booking]]:
            return change(session, self.ctx, self.booking_id, body, now=_now(), free_hours=self.free_hours)

        out, ids = await self.commit(write, signal)
        return success(out.model_dump(mode="json"), meta={listed_as: ids})


def _booking_change(
    booking_id: uuid.UUID, ctx: Ctx, engine: EngineDep, settings: SettingsDep, request: Request
) -> BookingChange:
    return BookingChange(booking_id, ctx, engine, request, settings.booking_free_cancellation_hours)


Changing = Annotated[BookingChange, Depends(_booking_change)]


def _run(tenant_id: uuid.UUID, booking: BookingOut | OccurrenceOut) -> Start:
    """The booking's process, started once its row is committed."""
    return Start(BookingWorkflow.run, process.run_of(tenant_id, booking), bookings.workflow_id(booking.id))


@routes.create(
    404,
    409,
    503,
    model=BookingOut | SeriesOut,
    summary="Book one or more resources for one span (all are held at once, or none), or a recurring series",
    description="`end` or `duration` (ISO 8601). With `requires_confirmation` (the default) the booking "
    "is `held` until `hold_expires_at` (`hold`, default PT10M, at most P1D) and released unless confirmed; "
    "otherwise it is `confirmed` at once. A resource's buffers widen what it holds. 409 `booking_conflict`: "
    "`details.conflicts` lists what is in the way (`resource_id`, `start`, `end` of the busy span, "
    "`booking_id`) and `details.alternatives` the next 3 free slots of the same length for all the "
    "resources within 14 days. 422 `outside_availability` when a resource is not open then.\n\n"
    "With `recurrence` (an RFC 5545 RRULE line, e.g. `RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10`; FREQ "
    "DAILY/WEEKLY/MONTHLY/YEARLY, no DTSTART or BYHOUR: the first occurrence and the time of day are "
    "`start`'s) the answer is a **series** (`Location: /api/v1/booking-series/{id}`): one booking per "
    "occurrence at `start`'s local wall time in `timezone` (default the first resource's), so 09:00 stays "
    "09:00 across DST, each as long as the first. A rule without COUNT or UNTIL is capped at 366 "
    "occurrences and 2 years (`meta.capped: true`); a COUNT or UNTIL beyond that is a 422. All or nothing "
    "by default: 409 `booking_conflict` with `details.occurrences` (each `date`, `start`, `end`, "
    "`conflicts`), 422 `outside_availability` likewise; with `skip_conflicts: true` those occurrences are "
    "left out and listed in `skipped`. Every occurrence gets its own booking process.\n\n"
    "A resource that requires payment (its `payment`) needs `customer`, a billing customer of the tenant "
    "paying in the resource's currency (else 422 `customer`); such a booking is `held` for the resource's "
    "hold whatever `requires_confirmation` and `hold` say, with a finalized invoice for what it owes "
    "(`payment`: `invoice_id`, `required`, `amount`, `amount_paid`, `currency`, the invoice's `status`). "
    "The payment that makes the invoice paid confirms the booking; unpaid when the hold ends, it expires "
    "and its invoice is voided. Such a booking is never recurring (422 `recurrence`).",
)
async def create_booking(
    body: BookingIn,
    ctx: Ctx,
    launcher: LauncherDep,
    response: Response,
    request: Request,
    settings: SettingsDep,
) -> dict[str, Any]:
    if body.recurrence is not None:
        await own_transaction(
            launcher.engine, ctx.tenant_id, lambda s: booking_payments.check_series(s, ctx, body)
        )
        return await _create_series(body, ctx, launcher, response)

    def record(session: Session) -> tuple[BookingOut, list[Start]]:
        out = bookings.view(session, ctx, booking_payments.create(session, ctx, body, now=_now()))
        return out, [_run(ctx.tenant_id, out)]

    answer = await start_and_answer(
        launcher, ctx, response, "/api/v1/bookings", record, booking_payments.discard
    )
    if answer["data"].get("payment"):  # its invoice's process: reminders and overdue, as any invoice
        invoice_id = uuid.UUID(answer["data"]["payment"]["invoice_id"])
        billing = booking_payments.for_billing(ctx)
        invoice = await own_transaction(
            launcher.engine, ctx.tenant_id, lambda s: invoices.get(s, billing, invoice_id)
        )
        await tell_invoice(request, settings, invoice)
    return answer


async def _create_series(
    body: BookingIn, ctx: TenantContext, launcher: Launcher, response: Response
) -> dict[str, Any]:
    def record(session: Session) -> tuple[SeriesOut, list[Start]]:
        out = series.view(session, ctx, series.create(session, ctx, body, now=_now()).series)
        return out, [_run(ctx.tenant_id, booking) for booking in out.bookings]

    def discard(session: Session, out: SeriesOut) -> None:
        series.discard(session, ctx, out.id)

    async def stop(started: list[str]) -> None:
        """The occurrences that did start re-read their (discarded) rows and end."""
        await _bounded(
            [
                functools.partial(_signal_client, launcher.client, wid, BookingWorkflow.cancel)
                for wid in started
            ]
        )

    out = await launcher.record_then_start(ctx, record, discard, started_undo=stop)
    meta = {"capped": out.capped, "booked": len(out.bookings), "skipped": len(out.skipped)}
    return created(response, f"/api/v1/booking-series/{out.id}", out.model_dump(mode="json"), meta=meta)


@routes.listing(
    summary="Bookings, newest first: resource=, status=, from=/to= (those overlapping [from, to))",
)
def list_bookings(
    ctx: Ctx,
    session: Db,
    resource: uuid.UUID | None = None,
    status: Status | None = None,
    starts_from: Annotated[Instant | None, Query(alias="from")] = None,
    to: Instant | None = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    rows, next_cursor = bookings.list_bookings(
        session,
        ctx,
        resource_id=resource,
        status=status,
        starts_from=starts_from,
        to=to,
        limit=limit,
        cursor=cursor,
    )
    return models_page(bookings.views(session, ctx, rows), limit=limit, next_cursor=next_cursor)


@routes.read()
def get_booking(booking_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    booking = bookings.get(session, ctx, booking_id)
    return success(bookings.view(session, ctx, booking).model_dump(mode="json"))


def _owner_only(description: str = "") -> str:
    """The description of a change only the booking's maker (or ``bookings:manage``) may make; such a
    change answers the booking, or 409 when the booking's state forbids it."""
    return (description + OWNER_ONLY).strip()


@routes.post(
    "/confirm",
    409,
    summary="Confirm a held booking before its hold expires (again is harmless); 409 once expired/cancelled",
    description=_owner_only(
        "A booking of a resource that requires payment is confirmed by the payment of its invoice: "
        "confirming it by hand while unpaid is a 409 `payment_required` (`details`: `invoice_id`, `amount`, "
        "`amount_paid`, `currency`)."
    ),
)
async def confirm_booking(change: Changing) -> dict[str, Any]:
    def confirm(session: Session) -> tuple[Booking, list[Booking]]:
        booking = bookings.confirm(session, change.ctx, change.booking_id, now=_now())
        return booking, [booking]

    out, _ = await change.commit(confirm, BookingWorkflow.confirm)
    return success(out.model_dump(mode="json"))


@routes.post(
    "/cancel",
    409,
    summary="Cancel and free the resources at once; within the free-cancellation window (24 h by default) "
    "before the start a confirmed booking needs accept_fee=true (else 409 late_cancellation)",
    description=_owner_only(
        "For a booking of a series, `scope` is `this` (default), `following` (it and the later "
        "active occurrences) or `all` (every active occurrence; the series is then cancelled). All or "
        "nothing: if one of them is within the window, `accept_fee` is needed for all. `meta.cancelled` "
        "lists the ids of the bookings cancelled by this request. A booking cancelled while its invoice is "
        "unpaid voids that invoice (partly paid, it stays open; a paid one stays paid: refunds are "
        "billing's)."
    ),
)
async def cancel_booking(change: Changing, body: CancelIn | None = None) -> dict[str, Any]:
    cancel = booking_payments.cancel_scope
    return await change.scoped(cancel, body or CancelIn(), BookingWorkflow.cancel, "cancelled")


@routes.patch(
    409,
    summary="Reschedule: move the booking (or, in a series, it and the following occurrences, or all)",
    description=_owner_only(
        "`start` and `end` or `duration`. The new span is checked like a new booking (422 "
        "`outside_availability`; 409 `booking_conflict` with the conflicts and the next free alternatives) "
        "and its resources are released and taken again in one transaction, so a refusal leaves the old span "
        "held. `scope` `following`/`all` shifts the other not-yet-started occurrences by the same change of "
        "local wall time in the series' zone and gives them the same length, all or nothing (409 "
        "`booking_conflict` with `details.occurrences` naming the dates). 409 `booking_started` once the "
        "booking has started, `booking_not_active` when cancelled, expired or done, `late_reschedule` within "
        "the free-cancellation window without `accept_fee` (the booking is then marked "
        "`details.late_reschedule`). `meta.moved` lists the ids of the bookings moved."
    ),
)
async def reschedule_booking(change: Changing, body: RescheduleIn) -> dict[str, Any]:
    return await change.scoped(bookings.reschedule, body, BookingWorkflow.rescheduled, "moved")


@routes.post(
    "/no-show",
    409,
    summary="Mark a confirmed booking whose start has passed as a no-show (it is then not completed)",
    description=_owner_only(),
)
def no_show(booking_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    booking = bookings.mark_no_show(session, ctx, booking_id, now=_now())
    return success(bookings.view(session, ctx, booking).model_dump(mode="json"))

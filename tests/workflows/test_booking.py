"""The booking process on the time-skipping server: an unconfirmed hold expires and frees the slot, a
confirmed booking gets its reminders and is completed after its end, a cancel ends it."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from db.models import Notification, OutboxEvent
from db.models.scheduling import Allocation, AvailabilityRule, Resource
from db.session import tenant_session
from domain.context import TenantContext
from domain.scheduling.bookings import process
from domain.scheduling.bookings import service as bookings
from domain.scheduling.bookings.schemas import BookingIn, CancelIn, RescheduleIn
from tests.workflows.conftest import terminate_all
from workers.main import build_worker
from workflows.booking import BookingWorkflow


@pytest.fixture
async def env(time_skipping_env, engine, queue, settings, started_workflows):
    async with build_worker(time_skipping_env.client, engine, queue, settings=settings):
        yield time_skipping_env
        await terminate_all(started_workflows)


@pytest.fixture
def ctx(tenant):
    """The tenant's administrator, who is notified of the bookings it makes."""
    return TenantContext(
        tenant_id=tenant.id,
        tenant_domain=tenant.domain,
        user_id=tenant.admin_id,
        email=tenant.admin_email,
        permissions=frozenset({"*"}),
    )


@pytest.fixture
def room(engine, tenant):
    with tenant_session(engine, tenant.id) as session:
        resource = Resource(tenant_id=tenant.id, name="Room", kind="room", timezone="UTC", tags=[])
        session.add(resource)
        session.flush()
        session.add(
            AvailabilityRule(
                tenant_id=tenant.id,
                resource_id=resource.id,
                kind="weekly",
                weekdays=list(range(7)),
                start_time=time(0),
                end_time=time(0),
            )
        )
        return resource.id


def create(engine, ctx, room, now: datetime, start: datetime, **extra):
    body = BookingIn(resources=[room], start=start, duration=timedelta(hours=1), subject="Checkup", **extra)
    with tenant_session(engine, ctx.tenant_id) as session:
        booking = bookings.create(session, ctx, body, now=now)
        return bookings.view(session, ctx, booking)


def status_of(engine, ctx, booking_id):
    with tenant_session(engine, ctx.tenant_id) as session:
        return bookings.view(session, ctx, bookings.get(session, ctx, booking_id))


def reminders(engine, ctx):
    with tenant_session(engine, ctx.tenant_id) as session:
        return session.scalars(
            select(Notification.title)
            .where(Notification.tenant_id == ctx.tenant_id, Notification.kind == "booking.reminder")
            .order_by(Notification.created_at)
        ).all()


async def run_process(env, queue, ctx, out):
    """The booking's process, started as the API starts it."""
    return await env.client.start_workflow(
        BookingWorkflow.run,
        process.run_of(ctx.tenant_id, out),
        id=bookings.workflow_id(out.id),
        task_queue=queue,
    )


async def test_an_unconfirmed_hold_expires_and_frees_the_slot(env, engine, ctx, room, queue):
    now = await env.get_current_time()
    start = now + timedelta(days=2)
    out = create(engine, ctx, room, now, start, hold=timedelta(minutes=10))
    handle = await run_process(env, queue, ctx, out)
    assert await handle.result() == "expired"
    expired = status_of(engine, ctx, out.id)
    assert expired.status == "expired" and [a.active for a in expired.allocations] == [False]
    assert reminders(engine, ctx) == []
    with tenant_session(engine, ctx.tenant_id) as session:
        event = session.scalar(select(OutboxEvent).where(OutboxEvent.type == "booking.expired"))
        assert event is not None and event.payload["booking_id"] == str(out.id)
    again = create(engine, ctx, room, start - timedelta(hours=1), start)
    assert again.status == "held"


async def test_a_confirmed_booking_is_reminded_then_completed(env, engine, ctx, room, queue):
    now = await env.get_current_time()
    out = create(engine, ctx, room, now, now + timedelta(days=3), requires_confirmation=False)
    handle = await run_process(env, queue, ctx, out)
    assert await handle.result() == "completed"
    assert status_of(engine, ctx, out.id).status == "completed"
    assert reminders(engine, ctx) == [
        "Reminder: Checkup starts in 24 hours",
        "Reminder: Checkup starts in 1 hour",
    ]
    history = await handle.fetch_history()
    timers = [
        e.timer_started_event_attributes.start_to_fire_timeout.ToTimedelta()
        for e in history.events
        if e.HasField("timer_started_event_attributes")
    ]
    # Until 24 h before the start, then 1 h before it, then the end (each less the activities' seconds).
    expected = [timedelta(hours=48), timedelta(hours=23), timedelta(hours=2)]
    assert len(timers) == 3
    assert all(
        timedelta(0) <= want - got < timedelta(minutes=1) for got, want in zip(timers, expected, strict=True)
    )


async def test_a_confirmation_signal_ends_the_hold_and_past_reminders_are_skipped(
    env, engine, ctx, room, queue
):
    now = await env.get_current_time()
    out = create(engine, ctx, room, now, now + timedelta(minutes=30))
    handle = await run_process(env, queue, ctx, out)
    with tenant_session(engine, ctx.tenant_id) as session:
        bookings.confirm(session, ctx, out.id, now=await env.get_current_time())
    await handle.signal("confirm")
    assert await handle.result() == "completed"
    assert status_of(engine, ctx, out.id).status == "completed"
    assert reminders(engine, ctx) == []


async def test_a_lost_confirmation_signal_still_leaves_the_booking_confirmed(env, engine, ctx, room, queue):
    now = await env.get_current_time()
    out = create(engine, ctx, room, now, now + timedelta(minutes=50))
    with tenant_session(engine, ctx.tenant_id) as session:
        bookings.confirm(session, ctx, out.id, now=now)
    handle = await run_process(env, queue, ctx, out)  # no signal: the hold's timer re-reads the row
    assert await handle.result() == "completed"
    assert status_of(engine, ctx, out.id).status == "completed"


async def test_cancel_ends_the_process(env, engine, ctx, room, queue):
    now = await env.get_current_time()
    out = create(engine, ctx, room, now, now + timedelta(days=3), requires_confirmation=False)
    handle = await run_process(env, queue, ctx, out)
    with tenant_session(engine, ctx.tenant_id) as session:
        bookings.cancel_scope(session, ctx, out.id, CancelIn(reason="moved"), now=now, free_hours=24)
    await handle.signal("cancel")
    assert await handle.result() == "cancelled"
    cancelled = status_of(engine, ctx, out.id)
    assert cancelled.status == "cancelled" and [a.active for a in cancelled.allocations] == [False]
    assert reminders(engine, ctx) == []


async def test_a_no_show_is_not_completed(env, engine, ctx, room, queue):
    now = await env.get_current_time()
    out = create(engine, ctx, room, now, now + timedelta(minutes=5), requires_confirmation=False)
    with tenant_session(engine, ctx.tenant_id) as session:
        bookings.mark_no_show(session, ctx, out.id, now=now + timedelta(minutes=10))
    handle = await run_process(env, queue, ctx, out)
    assert await handle.result() == "no_show"
    with tenant_session(engine, ctx.tenant_id) as session:
        active = session.scalars(select(Allocation.active).where(Allocation.booking_id == out.id)).all()
    assert active == [True]


async def test_a_rescheduled_booking_follows_its_new_times(env, engine, ctx, room, queue):
    now = await env.get_current_time()
    out = create(engine, ctx, room, now, now + timedelta(days=3), requires_confirmation=False)
    handle = await run_process(env, queue, ctx, out)
    new_start = now + timedelta(days=5)
    with tenant_session(engine, ctx.tenant_id) as session:
        bookings.reschedule(
            session,
            ctx,
            out.id,
            RescheduleIn(start=new_start, duration=timedelta(hours=2)),
            now=now,
            free_hours=24,
        )
    await handle.signal("rescheduled")
    assert await handle.result() == "completed"
    # Completed after the new end, and reminded of the new start only.
    assert await env.get_current_time() >= new_start + timedelta(hours=2)
    with tenant_session(engine, ctx.tenant_id) as session:
        starts = session.scalars(
            select(Notification.data["start"].astext).where(
                Notification.tenant_id == ctx.tenant_id, Notification.kind == "booking.reminder"
            )
        ).all()
    assert starts == [new_start.isoformat()] * 2
    assert status_of(engine, ctx, out.id).status == "completed"
    history = await handle.fetch_history()
    activities = [
        e.activity_task_scheduled_event_attributes.activity_type.name
        for e in history.events
        if e.HasField("activity_task_scheduled_event_attributes")
    ]
    assert activities == ["bookings.times", "bookings.remind", "bookings.remind", "bookings.complete"]

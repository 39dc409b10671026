"""Activities of the booking process: each opens a tenant unit of work and calls one domain step."""

from __future__ import annotations

from temporalio import activity

from activities import Deps
from domain.errors import NotFound
from domain.scheduling.bookings import process as booking_process
from domain.scheduling.bookings.schemas import BookingRef, BookingRun, ReminderIn
from workflows import contracts

# A booking that no longer exists is a fact no retry can change.
FINAL = (NotFound,)


class BookingActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @activity.defn(name=contracts.BOOKINGS_EXPIRE)
    def expire(self, ref: BookingRef) -> str:
        with self.deps.unit(ref.tenant_id, final=FINAL) as (session, ctx):
            return booking_process.expire(session, ctx, ref.booking_id)

    @activity.defn(name=contracts.BOOKINGS_REMIND)
    def remind(self, data: ReminderIn) -> str:
        with self.deps.unit(data.tenant_id, final=FINAL) as (session, ctx):
            return booking_process.remind(session, ctx, data.booking_id, data.label)

    @activity.defn(name=contracts.BOOKINGS_COMPLETE)
    def complete(self, ref: BookingRef) -> str:
        with self.deps.unit(ref.tenant_id, final=FINAL) as (session, ctx):
            return booking_process.complete(session, ctx, ref.booking_id)

    @activity.defn(name=contracts.BOOKINGS_TIMES)
    def times(self, ref: BookingRef) -> BookingRun:
        with self.deps.unit(ref.tenant_id, final=FINAL) as (session, ctx):
            return booking_process.times(session, ctx, ref.booking_id)

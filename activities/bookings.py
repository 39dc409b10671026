"""Activities of the booking process: each opens a tenant unit of work and calls one domain step."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities import Deps
from db.session import tenant_session
from domain.context import TenantContext
from domain.errors import NotFound
from domain.scheduling.bookings import process as booking_process
from domain.scheduling.bookings.schemas import BookingRef, BookingRun, ReminderIn
from workflows import contracts


class BookingActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @contextmanager
    def _unit(self, tenant_id: uuid.UUID) -> Iterator[tuple[Session, TenantContext]]:
        """One transaction; a booking that no longer exists is a fact no retry can change."""
        try:
            with tenant_session(self.deps.engine, tenant_id) as session:
                yield session, TenantContext.system(tenant_id, correlation_id=activity.info().workflow_id)
        except NotFound as exc:
            raise ApplicationError(exc.message, type="NotFound", non_retryable=True) from exc

    @activity.defn(name=contracts.BOOKINGS_EXPIRE)
    def expire(self, ref: BookingRef) -> str:
        with self._unit(ref.tenant_id) as (session, ctx):
            return booking_process.expire(session, ctx, ref.booking_id)

    @activity.defn(name=contracts.BOOKINGS_REMIND)
    def remind(self, data: ReminderIn) -> str:
        with self._unit(data.tenant_id) as (session, ctx):
            return booking_process.remind(session, ctx, data.booking_id, data.label)

    @activity.defn(name=contracts.BOOKINGS_COMPLETE)
    def complete(self, ref: BookingRef) -> str:
        with self._unit(ref.tenant_id) as (session, ctx):
            return booking_process.complete(session, ctx, ref.booking_id)

    @activity.defn(name=contracts.BOOKINGS_TIMES)
    def times(self, ref: BookingRef) -> BookingRun:
        with self._unit(ref.tenant_id) as (session, ctx):
            return booking_process.times(session, ctx, ref.booking_id)

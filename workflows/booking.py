"""The booking process: the hold's deadline, reminders before the start, completion after the end.

A held booking waits for the ``confirm`` signal until its hold expires (a durable timer); unconfirmed,
it is expired and its resources freed. A confirmed booking gets a reminder 24 h and 1 h before its
start (those already past are skipped) and is completed after its end. A ``cancel`` signal ends the
process at any time; a ``rescheduled`` signal makes it re-read the booking's times (an activity, so replay
stays deterministic) and wait for the new ones. The API writes each change to PostgreSQL before
signalling, and every activity re-reads the booking, so a lost signal never leaves the row wrong: the
process follows what it reads.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

from workflows import contracts

with workflow.unsafe.imports_passed_through():
    from domain.scheduling.bookings.schemas import BookingRef, BookingRun, ReminderIn

RETRY = RetryPolicy(maximum_interval=timedelta(seconds=30), non_retryable_error_types=["NotFound"])
TIMEOUT = timedelta(seconds=30)
REMINDERS = (("24 hours", timedelta(hours=24)), ("1 hour", timedelta(hours=1)))


@workflow.defn(name=contracts.BOOKING)
class BookingWorkflow:
    def __init__(self) -> None:
        self._status = "held"
        self._confirmed = False
        self._cancelled = False
        self._moved = False

    @workflow.run
    async def run(self, run: BookingRun) -> str:
        self._status = run.status
        ref = BookingRef(tenant_id=run.tenant_id, booking_id=run.booking_id)
        while True:
            outcome = await self._follow(run)
            if outcome is not None:
                return outcome
            # Rescheduled: re-read the times (a signal during the read is seen by the next round) and re-arm.
            self._moved = False
            run = await workflow.execute_activity(
                contracts.BOOKINGS_TIMES,
                ref,
                result_type=BookingRun,
                start_to_close_timeout=TIMEOUT,
                retry_policy=RETRY,
            )
            self._status = run.status
            if run.status not in ("held", "confirmed"):
                return run.status

    async def _follow(self, run: BookingRun) -> str | None:
        """The hold, the reminders and the end for these times: the final status, or None when moved."""
        ref = BookingRef(tenant_id=run.tenant_id, booking_id=run.booking_id)
        if self._status == "held":
            deadline = run.hold_expires_at or run.start
            if await self._wait_until(lambda: self._confirmed or self._cancelled or self._moved, deadline):
                if self._cancelled:
                    return self._set("cancelled")
                if self._moved and not self._confirmed:
                    return None
                self._status = "confirmed"
            else:
                # Confirmed through the API while its signal was lost: the row says so, and we go on.
                if await self._step(contracts.BOOKINGS_EXPIRE, ref) != "confirmed":
                    return self._status
        for label, before in REMINDERS:
            at = run.start - before
            if at <= workflow.now():
                continue
            if await self._wait_until(lambda: self._cancelled or self._moved, at):
                return self._set("cancelled") if self._cancelled else None
            reminder = ReminderIn(tenant_id=run.tenant_id, booking_id=run.booking_id, label=label)
            if await self._step(contracts.BOOKINGS_REMIND, reminder) != "confirmed":
                return self._status
        if await self._wait_until(lambda: self._cancelled or self._moved, run.end):
            return self._set("cancelled") if self._cancelled else None
        return await self._step(contracts.BOOKINGS_COMPLETE, ref)

    async def _step(self, name: str, arg: object) -> str:
        self._status = await workflow.execute_activity(
            name, arg, result_type=str, start_to_close_timeout=TIMEOUT, retry_policy=RETRY
        )
        return self._status

    def _set(self, status: str) -> str:
        self._status = status
        return status

    @staticmethod
    async def _wait_until(condition: Callable[[], bool], moment: datetime) -> bool:
        """Whether ``condition`` came true before ``moment`` (a durable timer)."""
        delay = moment - workflow.now()
        if delay <= timedelta(0):
            return condition()
        try:
            await workflow.wait_condition(condition, timeout=delay)
        except TimeoutError:
            return condition()
        return True

    @workflow.signal(name=contracts.CONFIRM)
    def confirm(self) -> None:
        self._confirmed = True

    @workflow.signal(name=contracts.CANCEL)
    def cancel(self) -> None:
        self._cancelled = True

    @workflow.signal(name=contracts.RESCHEDULED)
    def rescheduled(self) -> None:
        """The booking's times changed in the database: re-read them and re-arm the timers."""
        self._moved = True

    @workflow.query(name=contracts.STATE)
    def state(self) -> str:
        return self._status

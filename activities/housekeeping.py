"""The housekeeping sweep: a job over every tenant, one short transaction per batch."""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from datetime import UTC, datetime

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities import Deps
from activities.analytics import fold_tenant
from activities.bookings import BookingActivities
from activities.predictions import train_tenant
from db.session import make_engine, system_session
from domain.housekeeping import service as housekeeping
from domain.housekeeping.schemas import BATCH, Retention, SweepIn, Swept
from domain.scheduling.bookings.schemas import BookingRef
from workflows import contracts

log = logging.getLogger("keel.housekeeping")


def _heartbeat(*details: object) -> None:
    """Called after each committed batch: a worker told to stop hands the rest of the sweep on (the
    activity is retried elsewhere and repeats only what is still to do) rather than holding its shutdown
    for a sweep over every tenant."""
    if not activity.in_activity():
        return
    activity.heartbeat(*details)
    if activity.is_worker_shutdown():
        raise ApplicationError("The worker is stopping; the sweep goes on in another attempt.")


class HousekeepingActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        settings = deps.settings
        self.retention = Retention(
            outbox_days=settings.outbox_retention_days,
            dev_outbox_days=settings.dev_outbox_retention_days,
            session_days=settings.session_retention_days,
        )

    def tenants(self) -> list[uuid.UUID]:
        """Every tenant, read as the owner (the application role sees none outside a tenant)."""
        url = self.deps.settings.database_admin_url
        if not url:
            log.warning("housekeeping needs KEEL_DATABASE_ADMIN_URL to list the tenants; nothing swept")
            return []
        engine = make_engine(url, pool_size=1)
        try:
            with system_session(engine) as session:
                return housekeeping.tenant_ids(session)
        finally:
            engine.dispose()

    def _purge(self, tenant_id: uuid.UUID, purge: housekeeping.Purge, now: datetime) -> int:
        total = 0
        while True:
            with self.deps.unit(tenant_id) as (session, ctx):
                deleted = purge(session, ctx, now, self.retention)
            total += deleted
            _heartbeat(str(tenant_id), total)
            if deleted < BATCH:
                return total

    def _expire_holds(self, tenant_id: uuid.UUID, now: datetime) -> int:
        """Expire orphaned holds as their process would have (the unpaid invoice voided too)."""
        with self.deps.unit(tenant_id) as (session, ctx):
            held = housekeeping.orphaned_holds(session, ctx, now)
        bookings = BookingActivities(self.deps)
        expired = 0
        for booking_id in held:
            try:
                status = bookings.expire(BookingRef(tenant_id=tenant_id, booking_id=booking_id))
            except ApplicationError:  # gone meanwhile: nothing to free
                continue
            expired += status == "expired"
            _heartbeat(str(tenant_id), expired)
        return expired

    @activity.defn(name=contracts.HOUSEKEEPING_SWEEP)
    def sweep(self, data: SweepIn) -> Swept:
        now = datetime.now(UTC)
        tenants = self.tenants()
        counts: Counter[str] = Counter()
        for tenant_id in tenants:
            _heartbeat(str(tenant_id))
            if data.job == "analytics-rollups":
                counts["analytics_rollups"] += fold_tenant(self.deps, tenant_id, _heartbeat)
                continue
            if data.job == "analytics-models":
                counts["analytics_models"] += train_tenant(self.deps, tenant_id, _heartbeat)
                continue
            if data.job == "booking-holds":
                counts["bookings"] += self._expire_holds(tenant_id, now)
                continue
            for table, purge in housekeeping.PURGES[data.job].items():
                counts[table] += self._purge(tenant_id, purge, now)
        swept = Swept(job=data.job, tenants=len(tenants), counts=dict(counts))
        log.info("housekeeping swept", extra={"job": data.job, "tenants": len(tenants), **counts})
        return swept

"""Housekeeping: each job deletes what has outlived its use, in every tenant, and nothing else."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities import Deps
from activities.housekeeping import HousekeepingActivities
from api.idempotency import TTL
from db.models import (
    AuthSession,
    DevOutboxMessage,
    IdempotencyRecord,
    OutboxEvent,
    PasswordReset,
    WebhookDelivery,
)
from db.session import tenant_session
from domain.context import TenantContext
from domain.events import service as events
from domain.housekeeping import service as housekeeping
from domain.housekeeping.schemas import IDEMPOTENCY_TTL, Retention, SweepIn
from domain.identity import sessions
from domain.webhooks import dispatch
from domain.webhooks import service as webhooks
from domain.webhooks.schemas import WebhookCreate
from keel import crypto
from tests.workflows import test_booking

NOW = datetime.now(UTC)
RETENTION = Retention(outbox_days=30, dev_outbox_days=7, session_days=30)
OLD = NOW - timedelta(days=40)


def ago(**delta: float) -> datetime:
    """Before the moment of the call, not of the import: the suite runs for many minutes."""
    return datetime.now(UTC) - timedelta(**delta)


def seed(engine, settings, tenant) -> dict[str, set[str]]:
    """Rows of each kind, old and recent; answers the names of those a sweep must keep, per table."""
    t = tenant.id
    system = TenantContext.system(t, tenant.domain)
    with tenant_session(engine, t) as s:
        s.add_all(
            [
                IdempotencyRecord(tenant_id=t, key="old", request_hash="h", created_at=ago(hours=25)),
                IdempotencyRecord(tenant_id=t, key="recent", request_hash="h", created_at=ago(hours=23)),
                DevOutboxMessage(tenant_id=t, channel="email", to="old@x.test", created_at=ago(days=8)),
                DevOutboxMessage(tenant_id=t, channel="email", to="recent@x.test", created_at=ago(days=6)),
            ]
        )
        for name, expires in (("old", ago(days=2)), ("just-expired", ago(hours=1)), ("valid", ago(hours=-1))):
            s.add(PasswordReset(tenant_id=t, user_id=tenant.admin_id, token_hash=name, expires_at=expires))
        for name, expires, revoked in (
            ("revoked-long-ago", ago(days=-20), ago(days=31)),
            ("expired-long-ago", ago(days=31), None),
            ("revoked-lately", ago(days=-20), ago(days=1)),
            ("active", ago(days=-20), None),
        ):
            # Started as at sign-in, then aged: named by its refresh hash, used long ago, maybe revoked.
            started = sessions.start(
                s, system, tenant.admin_id, ttl_seconds=3600, mfa=False, ip=None, user_agent=None
            )
            row = s.get_one(AuthSession, started.session_id)
            row.refresh_hash, row.expires_at, row.last_used_at, row.revoked_at = name, expires, OLD, revoked
        # Each event by name: when it was published, and its delivery's status and last change.
        aged = {
            "old": (OLD, None),
            "old-settled-delivery": (OLD, ("succeeded", OLD)),
            "old-pending-delivery": (OLD, ("pending", OLD)),
            "old-replayed-lately": (OLD, ("failed", ago(days=1))),
            "recent": (ago(days=1), None),
            "unpublished": (None, None),
        }
        deliveries = {name: delivery for name, (_, delivery) in aged.items() if delivery}
        # Emitted and handed out to a subscription as by the dispatcher, then aged. The subscription
        # is disabled at once: its old events must not be delivered to an address that does not answer.
        hook, _ = webhooks.create_webhook(
            s,
            system,
            WebhookCreate(url="http://127.0.0.1:9/", events=list(deliveries)),
            allow_private="127.0.0.0/8",
            box=crypto.box(settings),
        )
        for name in aged:
            events.emit(s, system, name, {})
        dispatch.drain(s, system, 100)
        hook.active = False
        for event in s.scalars(select(OutboxEvent).where(OutboxEvent.type.in_(aged))):
            event.published_at, event.created_at = aged[event.type][0], OLD
        for delivery in s.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id)):
            delivery.status, delivery.updated_at = deliveries[delivery.event_type]
    return {
        "idempotency_records": {"recent"},
        "dev_outbox": {"recent@x.test"},
        "password_resets": {"just-expired", "valid"},
        "auth_sessions": {"revoked-lately", "active"},
        "outbox_events": {"old-pending-delivery", "old-replayed-lately", "recent", "unpublished"},
    }


def remaining(engine, tenant) -> dict[str, set[str]]:
    with tenant_session(engine, tenant.id) as s:
        return {
            "idempotency_records": set(s.scalars(select(IdempotencyRecord.key))),
            "dev_outbox": set(s.scalars(select(DevOutboxMessage.to))),
            "password_resets": set(s.scalars(select(PasswordReset.token_hash))),
            "auth_sessions": set(s.scalars(select(AuthSession.refresh_hash))),
            "outbox_events": set(s.scalars(select(OutboxEvent.type))),
        }


def test_the_idempotency_window_is_the_replay_window_of_the_api():
    assert IDEMPOTENCY_TTL == TTL


def test_each_purge_deletes_only_its_tenants_rows_past_retention(engine, settings, make_tenant):
    mine, theirs = make_tenant(), make_tenant()
    kept = seed(engine, settings, mine)
    seed(engine, settings, theirs)
    everything = remaining(engine, theirs)
    system = TenantContext.system(mine.id, mine.domain)
    for purges in housekeeping.PURGES.values():
        for purge in purges.values():
            with tenant_session(engine, mine.id) as s:
                purge(s, system, NOW, RETENTION)
    assert remaining(engine, mine) == kept
    assert remaining(engine, theirs) == everything  # another tenant's rows are out of reach
    with tenant_session(engine, mine.id) as s:  # the settled delivery went with its event
        assert set(s.scalars(select(WebhookDelivery.event_type))) == {
            "old-pending-delivery",
            "old-replayed-lately",
        }


@pytest.mark.parametrize("job", ["idempotency-keys", "outbox-retention", "expired-tokens"])
def test_a_sweep_covers_every_tenant(engine, settings, make_tenant, job):
    first, second = make_tenant(), make_tenant()
    kept = seed(engine, settings, first)
    seed(engine, settings, second)
    before = remaining(engine, first)
    swept = HousekeepingActivities(Deps(engine=engine, settings=settings)).sweep(SweepIn(job=job))
    assert swept.tenants >= 2
    tables = set(housekeeping.PURGES[job])
    for tenant in (first, second):
        after = remaining(engine, tenant)
        for table, names in after.items():
            assert names == (kept[table] if table in tables else before[table]), (job, table)
    assert all(swept.counts[table] >= 2 * (len(before[table]) - len(kept[table])) for table in tables)


def test_a_sweep_without_the_owners_connection_deletes_nothing(engine, settings, tenant):
    kept = remaining(engine, tenant)
    seed(engine, settings, tenant)
    blind = settings.model_copy(update={"database_admin_url": None})
    swept = HousekeepingActivities(Deps(engine=engine, settings=blind)).sweep(SweepIn(job="idempotency-keys"))
    assert swept.tenants == 0 and swept.counts == {}
    assert remaining(engine, tenant)["idempotency_records"] == {"old", "recent"} | kept["idempotency_records"]


def test_a_worker_told_to_stop_hands_the_sweep_on_instead_of_finishing_it(engine, settings, tenant):
    seed(engine, settings, tenant)
    before = remaining(engine, tenant)["idempotency_records"]
    env = ActivityEnvironment()
    env.worker_shutdown()
    sweep = HousekeepingActivities(Deps(engine=engine, settings=settings)).sweep
    with pytest.raises(ApplicationError, match="worker is stopping") as stopped:
        env.run(sweep, SweepIn(job="idempotency-keys"))
    assert not stopped.value.non_retryable  # retried by another worker
    assert remaining(engine, tenant)["idempotency_records"] == before  # nothing swept past the stop


# -- booking holds ------------------------------------------------------------------------------------
room = test_booking.room  # a resource open all day, booked by the tenant's administrator (ctx)
ctx = test_booking.ctx


def book(engine, ctx, room: uuid.UUID, made: datetime, start_in_hours: int, **extra) -> uuid.UUID:
    start = (NOW + timedelta(hours=start_in_hours)).replace(minute=0, second=0, microsecond=0)
    return test_booking.create(engine, ctx, room, made, start, **extra).id


def test_only_holds_no_process_expired_are_swept(engine, settings, tenant, ctx, room):
    # Held an hour ago for ten minutes: its process would have expired it 50 minutes ago.
    orphaned = book(engine, ctx, room, ago(hours=1), 24)
    # Its hold ended five minutes ago: its process may be about to expire it, so it is left alone.
    lately = book(engine, ctx, room, ago(minutes=15), 26)
    running = book(engine, ctx, room, ago(), 28)
    confirmed = book(engine, ctx, room, ago(hours=1), 30, requires_confirmation=False)
    swept = HousekeepingActivities(Deps(engine=engine, settings=settings)).sweep(SweepIn(job="booking-holds"))
    assert swept.counts["bookings"] >= 1
    status = {
        b: test_booking.status_of(engine, ctx, b).status for b in (orphaned, lately, running, confirmed)
    }
    assert status == {orphaned: "expired", lately: "held", running: "held", confirmed: "confirmed"}
    # Expired, its resource is free again: the same slot can be booked.
    book(engine, ctx, room, NOW, 24)

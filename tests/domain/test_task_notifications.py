"""Task notifications carry what the task templates read, looked up from the task and its process."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from db.models import Delivery, Notification, NotificationPreference, Process, Task
from db.session import tenant_session
from domain.context import TenantContext
from domain.deliveries import service as deliveries
from domain.deliveries.task_data import format_instant

DUE = datetime(2026, 7, 1, 16, 30, tzinfo=UTC)


def seed(session, tenant, step_key: str) -> tuple[Process, Task]:
    process = Process(
        tenant_id=tenant.id,
        definition="purchase-order",
        business_key=f"PO-{uuid.uuid4().hex[:6]}",
        workflow_id=f"wf-{uuid.uuid4()}",
        input={},
    )
    session.add(process)
    session.flush()
    task = Task(
        tenant_id=tenant.id,
        process_id=process.id,
        step=0,
        step_key=step_key,
        title="Approve the order",
        assignee=f"user:{tenant.admin_email}",
        status="open",
        due_at=DUE,
        data={},
    )
    session.add(task)
    session.flush()
    session.add(
        NotificationPreference(
            tenant_id=tenant.id, user_id=tenant.admin_id, timezone="America/New_York", locale="en-US"
        )
    )
    session.flush()
    return process, task


@pytest.mark.parametrize(
    ("kind", "step_key", "given"),
    [
        ("task.assigned", "0", lambda p, t: {"task_id": str(t.id), "process_id": str(p.id)}),
        ("task.escalated", "0", lambda p, t: {"task_id": str(t.id), "process_id": str(p.id)}),
        # A definition's reminder names the process and the step; in a loop the key is step#i.j.
        ("task.reminder", "review#1.0", lambda p, t: {"process_id": str(p.id), "step": "review"}),
    ],
)
def test_task_notifications_name_the_process_and_the_due_date(engine, tenant, kind, step_key, given):
    ctx = TenantContext.system(tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as session:
        process, task = seed(session, tenant, step_key)
        (delivery,) = deliveries.notify_assignees(
            session, ctx, [task.assignee], kind=kind, title="Something to do", data=given(process, task)
        )
        row = session.scalar(select(Delivery).where(Delivery.id == delivery.id))
        assert row is not None
        assert row.data["process"] == "purchase-order" and row.data["task_title"] == "Approve the order"
        assert row.data["due_at"] == DUE.isoformat()
        note = session.scalar(select(Notification).where(Notification.user_id == tenant.admin_id))
        assert note is not None
        due = format_instant(DUE.isoformat(), "en-US", "America/New_York")
        assert due == "Jul 1, 2026, 12:30 PM EDT"
        assert note.body == f"purchase-order (due {due})" and note.title.endswith("Approve the order")


def test_a_notification_of_another_kind_is_left_as_given(engine, tenant):
    ctx = TenantContext.system(tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as session:
        (delivery,) = deliveries.notify_assignees(
            session,
            ctx,
            [f"user:{tenant.admin_email}"],
            kind="process.notification",
            title="Order shipped",
            data={"due_at": "2026-07-01T16:30:00+00:00", "process_id": str(uuid.uuid4())},
        )
        assert "process" not in delivery.data
        note = session.scalar(select(Notification).where(Notification.user_id == tenant.admin_id))
        assert note is not None and note.title == "Order shipped"


@pytest.mark.parametrize(
    ("value", "locale", "zone", "expected"),
    [
        ("2026-01-15T09:05:00Z", "fr", "Europe/Paris", "15 janv. 2026, 10:05 CET"),
        ("2026-01-15T09:05:00Z", None, None, "Jan 15, 2026, 9:05 AM UTC"),
        ("2026-01-15T09:05:00Z", "xx-Nope", "Not/AZone", "Jan 15, 2026, 9:05 AM UTC"),
        ("next tuesday", "en", "UTC", "next tuesday"),  # not an instant: left as written
    ],
)
def test_instants_are_worded_for_the_reader_and_bad_settings_fall_back(value, locale, zone, expected):
    assert format_instant(value, locale, zone) == expected


def test_past_the_inline_budget_the_in_app_message_is_left_to_the_delivery_workflow(
    engine, tenant, monkeypatch
):
    ctx = TenantContext.system(tenant.id, tenant.domain)
    monkeypatch.setattr(deliveries, "INLINE_IN_APP_SECONDS", 0.0)  # as if rendering had been slow
    with tenant_session(engine, tenant.id) as session:
        (delivery,) = deliveries.notify_assignees(
            session, ctx, [f"user:{tenant.admin_email}"], kind="process.notification", title="Later"
        )
        assert session.scalar(select(Notification).where(Notification.user_id == tenant.admin_id)) is None
        statuses = {m.channel: m.status for m in deliveries.messages_of(session, ctx, delivery)}
        assert statuses == {"in_app": "queued", "email": "queued"}  # the workflow sends both

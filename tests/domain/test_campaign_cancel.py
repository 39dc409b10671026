"""A cancelled campaign cancels every message not sent yet, its own and those handed to a workflow."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from db.models import Campaign, Delivery, DeliveryMessage
from db.session import tenant_session
from domain.campaigns import service as campaigns
from domain.context import TenantContext


def test_finishing_a_cancelled_campaign_cancels_what_was_not_sent(engine, tenant):
    ctx = TenantContext.system(tenant.id, tenant.domain)
    cases = {
        # name: (delivery status, handed to its own workflow, {channel: message status})
        "queued": ("queued", False, {"email": "queued", "sms": "queued"}),
        "half-sent": ("sending", False, {"email": "sent", "sms": "queued"}),
        "waiting": ("sending", True, {"email": "queued"}),  # quiet hours, in its own workflow
        "in-flight": ("sending", True, {"email": "sending"}),  # its workflow is sending it now
        "done": ("delivered", False, {"email": "delivered"}),
    }
    with tenant_session(engine, tenant.id) as session:
        campaign = Campaign(
            tenant_id=tenant.id,
            template="campaign",
            audience={"recipients": []},
            channels=["email", "sms"],
            rate_per_minute=60,
            status="cancelling",
            total=len(cases),
        )
        session.add(campaign)
        session.flush()
        ids = {}
        for name, (status, handed, channels) in cases.items():
            delivery_id = uuid.uuid4()
            session.add(
                Delivery(
                    id=delivery_id,
                    tenant_id=tenant.id,
                    recipient={"email": f"{name}@example.com"},
                    template="campaign",
                    channels=list(channels),
                    category="marketing",
                    status=status,
                    campaign_id=campaign.id,
                    workflow_id=f"notification-{delivery_id}" if handed else None,
                )
            )
            session.flush()
            session.add_all(
                DeliveryMessage(
                    tenant_id=tenant.id, delivery_id=delivery_id, channel=c, status=s, attempts=[]
                )
                for c, s in channels.items()
            )
            ids[name] = delivery_id
        session.flush()
        assert campaigns.finish(session, ctx, campaign.id, cancelled=False) == "cancelled"

    with tenant_session(engine, tenant.id) as session:
        statuses = {row.id: row.status for row in session.execute(select(Delivery.id, Delivery.status))}
        messages = {
            (d, c): s
            for d, c, s in session.execute(
                select(DeliveryMessage.delivery_id, DeliveryMessage.channel, DeliveryMessage.status)
            )
        }
        stored = session.get(Campaign, campaign.id)
        assert stored is not None
        progress = campaigns.progress(session, ctx, stored)
    assert {name: statuses[i] for name, i in ids.items()} == {
        "queued": "cancelled",
        "half-sent": "sent",
        "waiting": "cancelled",
        "in-flight": "sending",
        "done": "delivered",
    }
    assert messages[(ids["queued"], "email")] == messages[(ids["queued"], "sms")] == "cancelled"
    assert messages[(ids["half-sent"], "email")] == "sent"
    assert messages[(ids["half-sent"], "sms")] == "cancelled"
    assert messages[(ids["waiting"], "email")] == "cancelled"
    assert messages[(ids["in-flight"], "email")] == "sending"  # its own workflow records the outcome
    assert (progress.sent, progress.cancelled, progress.pending) == (2, 2, 1)

"""A campaign batch composes within a budget and heartbeats as it goes, however slow the template."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from db.models import Delivery, DeliveryMessage
from db.session import tenant_session
from domain.context import TenantContext
from domain.deliveries import sending
from domain.notifications import templates
from domain.notifications.schemas import TemplateCreate

SLOW = "{% for a in items %}{% for b in items %}{% endfor %}{% endfor %}Hello"


def test_a_slow_template_leaves_the_rest_of_the_batch_for_the_next(engine, tenant):
    ctx = TenantContext.system(tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as session:
        templates.create(
            session,
            TenantContext(tenant_id=tenant.id, tenant_domain=tenant.domain, permissions=frozenset({"*"})),
            TemplateCreate(key="slow", channels={"email": {"en": {"subject": "Hi", "text": SLOW}}}),
        )
        ids = []
        for i in range(20):
            delivery = Delivery(
                tenant_id=tenant.id,
                recipient={"email": f"r{i}@example.com"},
                template="slow",
                data={"items": list(range(1500))},
                channels=["email"],
                category="marketing",
                status="queued",
                campaign_id=None,
            )
            session.add(delivery)
            session.flush()
            session.add(
                DeliveryMessage(
                    tenant_id=tenant.id,
                    delivery_id=delivery.id,
                    channel="email",
                    status="queued",
                    attempts=[],
                )
            )
            ids.append(delivery.id)
        session.flush()
        beats: list[float] = []
        started = time.monotonic()
        composed = sending.compose_due(
            session,
            ctx,
            sending.load(session, ctx, ids),
            now=datetime.now(UTC),
            critical=frozenset(),
            each=lambda: beats.append(time.monotonic()),
            budget_seconds=0.3,
        )
        took = time.monotonic() - started
        assert 1 <= len(composed) < len(ids) and len(beats) == len(composed)
        assert all(len(messages) == 1 and messages[0].text == "Hello" for _, messages, _ in composed)
        # It stops at the first delivery past the budget (the count above says so); the clock only
        # guards against composing all twenty, which takes far longer, even on a busy machine.
        assert took < 30
        # What was not composed stays to be sent by the next batch.
        done = {delivery_id for delivery_id, _, _ in composed}
        left = sending.load(session, ctx, [i for i in ids if i not in done])
        assert {m.status for rows in left.messages.values() for m in rows} == {"queued"}

"""The local outbox: "sends" by storing the message in PostgreSQL, viewable at GET /api/v1/dev/outbox."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert

from adapters.messaging import OutgoingMessage, SendResult
from db.models import DevOutboxMessage
from db.session import tenant_session


class OutboxSender:
    provider = "outbox"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def send(self, message: OutgoingMessage) -> SendResult:
        """Idempotent on ``message_id``: a retried send stores nothing new and answers the same."""
        with tenant_session(self._engine, message.tenant_id) as session:
            stored = session.scalar(
                insert(DevOutboxMessage)
                .values(
                    id=uuid.uuid4(),
                    tenant_id=message.tenant_id,
                    channel=message.channel,
                    to=message.to,
                    subject=message.subject,
                    text=message.text,
                    html=message.html,
                    data=message.recorded,
                    message_id=message.message_id,
                )
                .on_conflict_do_nothing(index_elements=[DevOutboxMessage.message_id])
                .returning(DevOutboxMessage.id)
            )
            if stored is None:
                stored = session.scalar(
                    select(DevOutboxMessage.id).where(
                        DevOutboxMessage.tenant_id == message.tenant_id,
                        DevOutboxMessage.message_id == message.message_id,
                    )
                )
        return SendResult("outbox", str(stored), "delivered")

    def send_many(self, messages: list[OutgoingMessage]) -> list[SendResult]:
        """One transaction per tenant for a whole batch (campaigns); idempotent like ``send``."""
        results: dict[uuid.UUID, SendResult] = {}
        by_tenant: dict[uuid.UUID, list[OutgoingMessage]] = {}
        for message in messages:
            by_tenant.setdefault(message.tenant_id, []).append(message)
        for tenant_id, batch in by_tenant.items():
            with tenant_session(self._engine, tenant_id) as session:
                session.execute(
                    insert(DevOutboxMessage).on_conflict_do_nothing(
                        index_elements=[DevOutboxMessage.message_id]
                    ),
                    [
                        {
                            "id": uuid.uuid4(),
                            "tenant_id": tenant_id,
                            "channel": m.channel,
                            "to": m.to,
                            "subject": m.subject,
                            "text": m.text,
                            "html": m.html,
                            "data": m.recorded,
                            "message_id": m.message_id,
                        }
                        for m in batch
                    ],
                )
                stored = session.execute(
                    select(DevOutboxMessage.message_id, DevOutboxMessage.id).where(
                        DevOutboxMessage.tenant_id == tenant_id,
                        DevOutboxMessage.message_id.in_([m.message_id for m in batch]),
                    )
                ).tuples()
                for message_id, row_id in stored:
                    if message_id is not None:
                        results[message_id] = SendResult("outbox", str(row_id), "delivered")
        return [results[m.message_id] for m in messages]

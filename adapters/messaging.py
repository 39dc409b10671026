"""The contract every message channel adapter fulfils (email, SMS, push).

Adapters are synchronous (they run in activity threads), never retry themselves (Temporal does),
and classify each failure: :class:`PermanentFailure` when retrying cannot help (an invalid address,
a 4xx other than 429), :class:`TransientFailure` otherwise (a timeout, a 5xx, a 429).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

Channel = Literal["email", "sms", "push"]


@dataclass(frozen=True)
class Attachment:
    """A file an email carries: the name it shows, its media type, its bytes."""

    name: str
    content_type: str
    content: bytes

    def facts(self) -> dict[str, Any]:
        """What a record of the message keeps of it: no bytes, their size and sha256."""
        digest = hashlib.sha256(self.content).hexdigest()
        return {
            "name": self.name,
            "content_type": self.content_type,
            "size": len(self.content),
            "sha256": digest,
        }


@dataclass(frozen=True)
class OutgoingMessage:
    tenant_id: uuid.UUID
    # Keel's id for this message on this channel (``delivery_messages.id``): the idempotency key
    # towards providers that support one, and echoed back in provider callbacks.
    message_id: uuid.UUID
    channel: Channel
    to: str  # an email address, an E.164 phone number or a push endpoint URL
    subject: str = ""  # email subject, push title
    text: str = ""  # email plain text, SMS body, push body
    html: str = ""  # email HTML
    data: dict[str, Any] = field(default_factory=dict)  # push payload extras
    attachments: tuple[Attachment, ...] = ()  # email only

    @property
    def recorded(self) -> dict[str, Any]:
        """``data`` as a record of the message keeps it: with what it attached (no bytes)."""
        if not self.attachments:
            return self.data
        return self.data | {"attachments": [a.facts() for a in self.attachments]}


@dataclass(frozen=True)
class SendResult:
    provider: str  # "sendgrid", "smtp", "twilio", "http", "outbox"
    provider_message_id: str | None
    # "sent" when the provider accepted it; "delivered" when the adapter knows it arrived
    # (the local outbox, an SMTP server that accepted it, a push endpoint that answered 2xx).
    status: Literal["sent", "delivered"] = "sent"


class DeliveryFailure(Exception):
    """Base of adapter failures; the message is safe to store and show (no secrets)."""


class PermanentFailure(DeliveryFailure):
    """Retrying cannot help: the address is invalid or the provider refused the message for good."""


class TransientFailure(DeliveryFailure):
    """Worth retrying with backoff: a timeout, a connection error, a 5xx or a 429."""


class Sender(Protocol):
    provider: str

    def send(self, message: OutgoingMessage) -> SendResult: ...


@runtime_checkable
class BatchSender(Protocol):
    """An adapter that can take many messages in one round trip (the local outbox).

    All or nothing: it raises like ``send`` when the batch cannot be taken, and the caller then
    sends the messages one by one.
    """

    provider: str

    def send(self, message: OutgoingMessage) -> SendResult: ...

    def send_many(self, messages: list[OutgoingMessage]) -> list[SendResult]: ...

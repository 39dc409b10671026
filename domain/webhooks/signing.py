"""Standard Webhooks (standardwebhooks.com): secrets, signing and the receiver's verification.

The signature is ``v1,`` + base64(HMAC-SHA256(key, f"{webhook-id}.{webhook-timestamp}.{body}"))
where the key is the base64-decoded part of the secret after ``whsec_``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
import uuid
from collections.abc import Mapping, Sequence

from domain.webhooks.errors import SignatureInvalid

PREFIX = "whsec_"
TOLERANCE_SECONDS = 5 * 60


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def message_id(delivery_id: uuid.UUID) -> str:
    """The ``webhook-id`` of a delivery: the same on every retry and replay, so receivers dedupe."""
    return f"msg_{delivery_id.hex}"


def _key(secret: str) -> bytes:
    try:
        return base64.b64decode(secret.removeprefix(PREFIX), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("a webhook secret is 'whsec_' followed by base64") from exc


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str | Sequence[str], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The Standard Webhooks headers; with several secrets (a rotation's overlap) one signature
    each, space-separated, so receivers holding either secret verify the message."""
    secrets_ = [secret] if isinstance(secret, str) else list(secret)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(sign(s, msg_id, timestamp, body) for s in secrets_),
        "content-type": "application/json",
    }


def verify(
    secret: str,
    received: Mapping[str, str],
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> None:
    """What a receiver runs: raises :class:`SignatureInvalid` unless one ``v1`` signature matches.

    Header names are case-insensitive; ``webhook-signature`` may hold several space-separated
    signatures (during a secret rotation); a timestamp further than ``tolerance`` seconds from now,
    in either direction, is refused, so a captured delivery cannot be replayed later.
    """
    lower = {k.lower(): v for k, v in received.items()}
    msg_id, stamp, signatures = (
        lower.get(h) for h in ("webhook-id", "webhook-timestamp", "webhook-signature")
    )
    if not msg_id or not stamp or not signatures:
        raise SignatureInvalid("missing webhook-id, webhook-timestamp or webhook-signature header")
    try:
        timestamp = int(stamp)
    except ValueError as exc:
        raise SignatureInvalid("webhook-timestamp is not a number of seconds") from exc
    current = time.time() if now is None else now
    if timestamp < current - tolerance:
        raise SignatureInvalid("the message timestamp is too old")
    if timestamp > current + tolerance:
        raise SignatureInvalid("the message timestamp is too far in the future")
    expected = sign(secret, msg_id, timestamp, body).encode()
    for candidate in signatures.split(" "):
        version, _, _value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(candidate.encode(), expected):
            return
    raise SignatureInvalid("no matching signature")

"""Quote links: ``/quotes/{token}``, where the token is the customer's only credential.

The token carries the tenant, the quote and its expiry (the end of ``valid_until``, UTC), with an
HMAC keyed from ``KEEL_JWT_SECRET`` through a key of its own, so it can never pass for a signing link
or any other value signed with that secret. Anything else (forged, altered, another key) reads as None.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import struct
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

from domain import urlsafe

_MAC_BYTES = 20
_BODY = struct.Struct(">16s16sq")  # tenant, quote, expiry (seconds since the epoch)
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{80}")  # (40 + 20 bytes) in unpadded base64url


@dataclass(frozen=True)
class QuoteClaims:
    tenant_id: uuid.UUID
    quote_id: uuid.UUID
    expires_at: datetime


def expiry_of(valid_until: date) -> datetime:
    """The end of the last valid day: the next day's 00:00 UTC."""
    return datetime.combine(valid_until, time(), tzinfo=UTC) + timedelta(days=1)


def _mac(secret: str, body: bytes) -> bytes:
    key = hashlib.sha256(b"keel quote link\x00" + secret.encode()).digest()
    return hmac.new(key, body, hashlib.sha256).digest()[:_MAC_BYTES]


def sign_token(secret: str, tenant_id: uuid.UUID, quote_id: uuid.UUID, valid_until: date) -> str:
    body = _BODY.pack(tenant_id.bytes, quote_id.bytes, int(expiry_of(valid_until).timestamp()))
    return urlsafe.signed(body, partial(_mac, secret))


def read_token(secret: str, token: str) -> QuoteClaims | None:
    if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
        return None
    body = urlsafe.verified(token, _BODY.size, partial(_mac, secret))
    if body is None:
        return None
    tenant, quote, expiry = _BODY.unpack(body)
    return QuoteClaims(uuid.UUID(bytes=tenant), uuid.UUID(bytes=quote), datetime.fromtimestamp(expiry, UTC))

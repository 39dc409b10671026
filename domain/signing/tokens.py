"""Signing links: ``/sign/{token}``, where the token is the signer's only credential.

A token carries the tenant, the request, the signer and the request's expiry, and an HMAC over them
keyed from ``KEEL_JWT_SECRET`` through a key of its own (a token can never pass for any other value
signed with that secret). It is checked without a database read; the database then decides whether
the signer may still act (used, voided and expired links are a 410).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import struct
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from domain import urlsafe

_MAC_BYTES = 20
_BODY = struct.Struct(">16s16s16sq")  # tenant, request, signer, expiry (seconds since the epoch)
# Exactly the unpadded base64url spelling ``sign_token`` gives (body + MAC = 76 bytes).
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{102}")


@dataclass(frozen=True)
class LinkClaims:
    tenant_id: uuid.UUID
    request_id: uuid.UUID
    signer_id: uuid.UUID
    expires_at: datetime


def _key(secret: str) -> bytes:
    return hashlib.sha256(b"keel signing link\x00" + secret.encode()).digest()


def _mac(secret: str, body: bytes) -> bytes:
    return hmac.new(_key(secret), body, hashlib.sha256).digest()[:_MAC_BYTES]


def sign_token(
    secret: str, tenant_id: uuid.UUID, request_id: uuid.UUID, signer_id: uuid.UUID, expires_at: datetime
) -> str:
    body = _BODY.pack(tenant_id.bytes, request_id.bytes, signer_id.bytes, int(expires_at.timestamp()))
    return urlsafe.signed(body, partial(_mac, secret))


def read_token(secret: str, token: str) -> LinkClaims | None:
    """What a genuine token says, or None for anything this key did not sign."""
    if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
        return None
    body = urlsafe.verified(token, _BODY.size, partial(_mac, secret))
    if body is None:
        return None
    tenant, request, signer, expiry = _BODY.unpack(body)
    return LinkClaims(
        tenant_id=uuid.UUID(bytes=tenant),
        request_id=uuid.UUID(bytes=request),
        signer_id=uuid.UUID(bytes=signer),
        expires_at=datetime.fromtimestamp(expiry, UTC),
    )


def otp_hash(secret: str, signer_id: uuid.UUID, code: str) -> str:
    """A one-time code as stored: an HMAC bound to its signer, so a leaked table reveals no code."""
    key = hashlib.sha256(b"keel signing code\x00" + secret.encode()).digest()
    return hmac.new(key, signer_id.bytes + code.encode(), hashlib.sha256).hexdigest()

"""Opaque page cursors: versioned and signed, so a list refuses at once what it did not issue.

A cursor is ``base64url(version ‖ payload ‖ HMAC-SHA256(key, kind ‖ version ‖ payload)[:16])``.
The ``kind`` names the list that issued it, so one list's cursor is refused by another; the key
comes from the JWT secret (``configure``, at API start), so every API process accepts the cursors
of the others and a cursor a client altered or invented is a 422 on ``cursor`` before any query,
instead of a database error, a Temporal round trip, or a silently different page.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from domain import urlsafe
from domain.errors import ValidationFailed

VERSION = b"\x01"
_MAC_BYTES = 16
MAX_LENGTH = 2048  # longer than any cursor issued (a Temporal page token is at most a few hundred bytes)
_key = secrets.token_bytes(32)  # until configured: cursors stay valid within this process only


def configure(secret: str) -> None:
    global _key
    _key = hmac.new(secret.encode(), b"keel page cursor", hashlib.sha256).digest()


def _mac(kind: str, body: bytes) -> bytes:
    return hmac.new(_key, kind.encode() + b"\x00" + body, hashlib.sha256).digest()[:_MAC_BYTES]


def seal(kind: str, payload: bytes) -> str:
    body = VERSION + payload
    return urlsafe.encode(body + _mac(kind, body))


def unseal(kind: str, cursor: str) -> bytes:
    """The payload of a cursor this list issued; anything else is a ``ValidationFailed`` on ``cursor``."""
    refused = ValidationFailed.one("cursor", "is not a cursor this list returned; start again without cursor")
    if not cursor or len(cursor) > MAX_LENGTH or not cursor.isascii():
        raise refused
    raw = urlsafe.decode(cursor)
    if raw is None:
        raise refused
    body, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
    if len(raw) <= _MAC_BYTES or body[:1] != VERSION or not hmac.compare_digest(mac, _mac(kind, body)):
        raise refused
    return body[1:]

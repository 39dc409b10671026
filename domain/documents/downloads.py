"""Download links that work without a bearer: an HMAC-signed token bound to a tenant, a document,
one version and an expiry, answered by ``GET /api/v1/document-downloads/{token}``.

The token is ``base64url(payload).base64url(HMAC-SHA256(key, payload))`` with the key derived from
``KEEL_JWT_SECRET``; a token altered in any byte is refused (403) before anything is read, and an
expired one is a 410. It grants that one version's bytes and nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from domain import urlsafe
from domain.errors import Gone, PermissionDenied

PATH = "/api/v1/document-downloads/"
DEFAULT_SECONDS = 900
MAX_SECONDS = 7 * 24 * 3600
MAX_TOKEN_CHARS = 512


@dataclass(frozen=True)
class Grant:
    tenant_id: uuid.UUID
    document_id: uuid.UUID
    version: int
    expires_at: datetime


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"keel document download", hashlib.sha256).digest()


def sign(secret: str, grant: Grant) -> str:
    payload = json.dumps(
        [str(grant.tenant_id), str(grant.document_id), grant.version, int(grant.expires_at.timestamp())],
        separators=(",", ":"),
    ).encode()
    mac = hmac.new(_key(secret), payload, hashlib.sha256).digest()
    return f"{urlsafe.encode(payload)}.{urlsafe.encode(mac)}"


def issue(
    secret: str, tenant_id: uuid.UUID, document_id: uuid.UUID, version: int, seconds: int
) -> tuple[str, datetime]:
    expires_at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=seconds)
    return sign(secret, Grant(tenant_id, document_id, version, expires_at)), expires_at


def verify(secret: str, token: str, *, now: datetime | None = None) -> Grant:
    """The grant a token carries: 403 when it was not signed here, 410 when it has expired."""
    forged = PermissionDenied("This download link is not valid.")
    if not token or len(token) > MAX_TOKEN_CHARS or not token.isascii() or token.count(".") != 1:
        raise forged
    encoded, given = token.split(".")
    payload, mac = urlsafe.decode(encoded), urlsafe.decode(given)
    if payload is None or mac is None:
        raise forged
    if not hmac.compare_digest(mac, hmac.new(_key(secret), payload, hashlib.sha256).digest()):
        raise forged
    try:
        tenant, document, version, expires = json.loads(payload)
        grant = Grant(
            uuid.UUID(tenant), uuid.UUID(document), int(version), datetime.fromtimestamp(expires, UTC)
        )
    except (ValueError, TypeError) as exc:
        raise forged from exc
    if grant.expires_at <= (now or datetime.now(UTC)):
        raise Gone("This download link has expired; ask for a new one.")
    return grant

"""``Idempotency-Key`` on POST: the same key and body replay the first response; another body is a 422.

A reservation row is inserted before the route runs, so two concurrent requests with one key
cannot both act: the second sees the reservation and answers 409.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects.postgresql import insert

from db.models import IdempotencyRecord
from db.session import tenant_session
from keel.crypto import SecretBox

TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255
SEALED = "keel_sealed"  # the one member of a stored body that is encrypted


@dataclass(frozen=True)
class Stored:
    status_code: int
    body: Any
    headers: dict[str, str]


@dataclass(frozen=True)
class Outcome:
    kind: str  # reserved | replay | mismatch | in_progress
    stored: Stored | None = None


def request_hash(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), b"\0", path.encode(), b"\0", body):
        digest.update(part)
    return digest.hexdigest()


def reserve(
    engine: Engine, tenant_id: uuid.UUID, key: str, fingerprint: str, box: SecretBox | None = None
) -> Outcome:
    with tenant_session(engine, tenant_id) as session:
        # Expired keys are forgotten: the key may be used afresh.
        session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.tenant_id == tenant_id,  # tenant: middleware, before any TenantContext
                IdempotencyRecord.key == key,
                IdempotencyRecord.created_at < datetime.now(UTC) - TTL,
            )
        )
        inserted = session.execute(
            insert(IdempotencyRecord)
            .values(tenant_id=tenant_id, key=key, request_hash=fingerprint)
            .on_conflict_do_nothing()
            .returning(IdempotencyRecord.key)
        ).scalar()
        if inserted:
            return Outcome("reserved")
        row = session.scalar(
            select(IdempotencyRecord).where(
                IdempotencyRecord.tenant_id == tenant_id,  # tenant: middleware, before any TenantContext
                IdempotencyRecord.key == key,
            )
        )
    if row is None:  # removed between our insert and select: treat as busy, the client retries
        return Outcome("in_progress")
    if row.request_hash != fingerprint:
        return Outcome("mismatch")
    if row.status_code is None:
        return Outcome("in_progress")
    body = _opened(row.response_body, box)
    return Outcome("replay", Stored(row.status_code, body, row.response_headers or {}))


def complete(
    engine: Engine, tenant_id: uuid.UUID, key: str, stored: Stored, box: SecretBox | None = None
) -> None:
    """Keep the first response. With a box it is stored encrypted: a creating POST's answer may
    carry a secret shown once (a webhook's signing secret, an API key)."""
    with tenant_session(engine, tenant_id) as session:
        row = session.get(IdempotencyRecord, (tenant_id, key))
        if row is not None:
            row.status_code = stored.status_code
            row.response_body = {SEALED: box.seal(json.dumps(stored.body))} if box else stored.body
            row.response_headers = stored.headers


def _opened(body: Any, box: SecretBox | None) -> Any:
    if box is not None and isinstance(body, dict) and set(body) == {SEALED}:
        return json.loads(box.open(body[SEALED]))
    return body  # stored before bodies were sealed


def release(engine: Engine, tenant_id: uuid.UUID, key: str) -> None:
    with tenant_session(engine, tenant_id) as session:
        session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.tenant_id == tenant_id,  # tenant: middleware, before any TenantContext
                IdempotencyRecord.key == key,
            )
        )


def parse_body(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return {"raw": raw.decode("utf-8", "replace")}

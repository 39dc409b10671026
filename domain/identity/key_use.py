"""When and from where an API key was last used, written at most once a minute per key.

Writing on every request would turn each read into a row update (a lock and a WAL record on the
key's row). Each process remembers when it last wrote a key's use and writes again only a minute
later (``due``); the UPDATE itself is conditional on the stored time being a minute old, so several
processes together still write a key at most about once a minute.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.orm import Session

from domain.identity.once import AtMostEvery

EVERY_SECONDS = 60.0
_recent = AtMostEvery(EVERY_SECONDS)

_TOUCH = text("""
    UPDATE api_keys SET last_used_at = now(), last_used_ip = :ip
    WHERE id = :id AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => :every))
""")


def due(key_id: uuid.UUID) -> bool:
    """Whether this process should record a use of the key now (and, if so, claims it)."""
    return _recent.due(key_id)


def record(session: Session, key_id: uuid.UUID, ip: str | None) -> None:
    """Write the use (the caller's own short transaction, in the key's tenant)."""
    session.execute(_TOUCH, {"id": key_id, "ip": (ip or "")[:64] or None, "every": EVERY_SECONDS})

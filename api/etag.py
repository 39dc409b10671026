"""Strong ETags for single objects that change; the If-Match check lives with the domain."""

from __future__ import annotations

import hashlib
from datetime import datetime

from domain.preconditions import check_if_match

__all__ = ["check_if_match", "etag"]


def etag(ident: object, updated_at: datetime) -> str:
    return '"' + hashlib.sha256(f"{ident}:{updated_at.isoformat()}".encode()).hexdigest()[:32] + '"'

"""The audit chain's canonical form of a row, and the keyed hash that stands in for an email address.

The canonical form is sorted-key JSON of the row's fields with times in UTC ISO 8601, and holds no
address in clear: every email address anywhere in the row (string values and keys of ``changes``,
``entity_id``, the user agent, the correlation id) is replaced by ``HMAC-SHA256(key, lower(address))``
in hex. Erasing a person rewrites the stored address as that same hex, so the canonical form, and
therefore the chain, is unchanged by an erasure.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from keel.crypto import keys_of
from keel.settings import Settings

# What counts as an address. keel_audit_erase (migration 0024) matches an address exactly where this
# pattern finds it: keep the two in step.
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
GENESIS = "0" * 64  # the hash the first row of a chain follows
# The row's fields the chain covers, in the order the sealer and verify select them.
FIELDS = (
    "id",
    "tenant_id",
    "created_at",
    "actor_id",
    "actor_type",
    "action",
    "entity_type",
    "entity_id",
    "changes",
    "ip_address",
    "user_agent",
    "correlation_id",
)


def pseudonym_key(settings: Settings) -> bytes:
    """Derived from the first ``KEEL_SECRETS_KEYS`` key. Sealed hashes depend on it: rotating that
    key changes the pseudonyms of addresses written afterwards, never those already sealed."""
    return hmac.new(keys_of(settings)[0].encode(), b"keel audit pseudonyms v1", hashlib.sha256).digest()


def pseudonym(key: bytes, address: str) -> str:
    return hmac.new(key, address.strip().lower().encode(), hashlib.sha256).hexdigest()


def is_email(value: str) -> bool:
    return EMAIL.fullmatch(value) is not None


def _masked(key: bytes, value: Any) -> Any:
    if isinstance(value, str):
        return EMAIL.sub(lambda m: pseudonym(key, m.group(0)), value)
    if isinstance(value, Mapping):
        return {_masked(key, str(k)): _masked(key, v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(key, v) for v in value]
    return value


def plain_value(value: Any) -> Any:
    """A column's value as JSON: times in UTC ISO 8601, UUIDs and INET addresses as text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if value is None or isinstance(value, str | int | float | bool | dict | list):
        return value
    return str(value)  # UUIDs, INET addresses


def canonical(key: bytes, row: Mapping[Any, Any]) -> bytes:
    """The bytes a seal hashes for one audit row (``row`` holds at least ``FIELDS``)."""
    fields = {name: _masked(key, plain_value(row[name])) for name in FIELDS}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def link(prev_hash: str, key: bytes, row: Mapping[Any, Any]) -> str:
    """``SHA-256(prev_hash || canonical(row))`` in hex."""
    return hashlib.sha256(prev_hash.encode() + canonical(key, row)).hexdigest()

"""Event type patterns, the same for subscriptions and for filtering the event list."""

from __future__ import annotations

import re

# An event type, a ``prefix.*`` pattern, or ``*`` (everything). Matched whole (``fullmatch``), so a
# trailing newline is not accepted the way ``$`` would accept it.
PATTERN = re.compile(r"\*|[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*(\.\*)?")
MAX_LENGTH = 128
PATTERN_HELP = "must be an event type (task.completed), a prefix pattern (task.*) or *"
# An event type itself: what subscriptions can match. A correlation key is any printable text without
# a double quote, which Temporal's SQLite visibility store cannot hold in a query.
EVENT_TYPE = re.compile(r"[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*")
CORRELATION_KEY = re.compile(r'[^"\x00-\x1f\x7f]{1,255}')


def valid(pattern: str) -> bool:
    return len(pattern) <= MAX_LENGTH and PATTERN.fullmatch(pattern) is not None


def is_event_type(name: str) -> bool:
    return len(name) <= MAX_LENGTH and EVENT_TYPE.fullmatch(name) is not None


def is_correlation_key(key: str) -> bool:
    return CORRELATION_KEY.fullmatch(key) is not None


def matches(patterns: list[str], event_type: str) -> bool:
    """Exact type, ``prefix.*`` (any type under the prefix) or ``*``."""
    for pattern in patterns:
        if pattern == "*" or pattern == event_type:
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False

"""The housekeeping jobs, how often each runs, and what one run reports."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel

Job = Literal[
    "idempotency-keys",
    "outbox-retention",
    "booking-holds",
    "expired-tokens",
    "analytics-rollups",
    "analytics-models",
]

# Every schedule's interval: often enough that nothing piles up, rarely enough to cost nothing.
INTERVALS: dict[Job, timedelta] = {
    "idempotency-keys": timedelta(hours=1),
    "outbox-retention": timedelta(hours=6),
    "booking-holds": timedelta(minutes=15),
    "expired-tokens": timedelta(hours=6),
    # Folds new facts into the rollups: a metric's figure is never more than a minute old.
    "analytics-rollups": timedelta(minutes=1),
    # Trains each tenant's prediction models again on its newest history.
    "analytics-models": timedelta(hours=6),
}
# How long a stored response answers replays of its Idempotency-Key (api/idempotency.py's TTL): a
# record older than that is never read again.
IDEMPOTENCY_TTL = timedelta(hours=24)
# A booking process expires its hold at hold_expires_at; one still held this long after it has no
# process left to do so (the API stopped between committing the booking and starting its process).
ORPHANED_HOLD_AFTER = timedelta(minutes=15)
# A password reset token past its expiry is refused anyway; kept a day so "expired" is what a late
# click hears, rather than "unknown".
RESET_TOKEN_KEPT = timedelta(days=1)
# Rows deleted per statement: short transactions, whatever piled up.
BATCH = 1000


class Retention(BaseModel):
    """The retention settings (days), from ``KEEL_*_RETENTION_DAYS``."""

    outbox_days: int
    dev_outbox_days: int
    session_days: int


class SweepIn(BaseModel):
    job: Job


class Swept(BaseModel):
    """One run of a job: the tenants looked at and the rows deleted (or holds expired) per table."""

    job: Job
    tenants: int
    counts: dict[str, int]

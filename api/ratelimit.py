"""Failed-login throttling per client and account, in process: what an app uses before its start-up
has connected the shared counters, or with rate limits off (``api.rate_limits.SharedFailures``
then counts in every process alike)."""

from __future__ import annotations

import threading
import time
from collections import deque

from domain.errors import RateLimited


class FailureLimiter:
    def __init__(self, per_minute: int, window: float = 60.0) -> None:
        self.per_minute = per_minute
        self.window = window
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def check(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            hits = self._recent(key, now)
            if len(hits) >= self.per_minute:
                retry = max(1, int(hits[0] + self.window - now) + 1)
                raise RateLimited("Too many failed sign-in attempts; try again later.", retry)

    def fail(self, key: str) -> None:
        with self._lock:
            self._recent(key, time.monotonic()).append(time.monotonic())
            if len(self._hits) > 100_000:  # bound memory under a credential-stuffing attack
                self._hits.clear()

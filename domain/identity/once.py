"""At most once per interval per key, in this process: for writes that must not follow every request
(a key's last use) or that an attacker could otherwise repeat at will (audited refusals)."""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable


class AtMostEvery:
    def __init__(self, seconds: float, *, max_keys: int = 100_000) -> None:
        self.seconds = seconds
        self.max_keys = max_keys  # bounds memory; forgetting only allows one early repeat per key
        self._last: dict[Hashable, float] = {}
        self._lock = threading.Lock()

    def due(self, key: Hashable) -> bool:
        """Whether ``key`` may act now; if so, it is counted as having acted."""
        now = time.monotonic()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < self.seconds:
                return False
            if len(self._last) >= self.max_keys:
                self._last.clear()
            self._last[key] = now
            return True

    def clear(self) -> None:
        with self._lock:
            self._last.clear()

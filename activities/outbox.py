"""Activities for outbox (filled in by its feature)."""

from __future__ import annotations

from activities import Deps


class OutboxActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

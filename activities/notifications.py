"""Activities for notifications (filled in by its feature)."""

from __future__ import annotations

from activities import Deps


class NotificationActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

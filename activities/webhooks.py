"""Activities for webhooks (filled in by its feature)."""

from __future__ import annotations

from activities import Deps


class WebhookActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

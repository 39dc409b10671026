"""Placeholder for the notifications workflow (filled in by its feature)."""

from __future__ import annotations

from temporalio import workflow


@workflow.defn(name="notifications")
class NotificationWorkflow:
    @workflow.run
    async def run(self, data: str) -> None:
        return None

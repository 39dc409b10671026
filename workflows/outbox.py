"""Placeholder for the outbox workflow (filled in by its feature)."""

from __future__ import annotations

from temporalio import workflow


@workflow.defn(name="outbox")
class OutboxDispatcherWorkflow:
    @workflow.run
    async def run(self, data: str) -> None:
        return None

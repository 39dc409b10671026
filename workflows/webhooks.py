"""Placeholder for the webhooks workflow (filled in by its feature)."""

from __future__ import annotations

from temporalio import workflow


@workflow.defn(name="webhooks")
class WebhookDeliveryWorkflow:
    @workflow.run
    async def run(self, data: str) -> None:
        return None

"""Placeholder for the campaigns workflow (filled in by its feature)."""

from __future__ import annotations

from temporalio import workflow


@workflow.defn(name="campaigns")
class CampaignWorkflow:
    @workflow.run
    async def run(self, data: str) -> None:
        return None

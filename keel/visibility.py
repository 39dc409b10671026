"""Temporal visibility lookups shared by the API and the activities."""

from __future__ import annotations

import uuid

from temporalio.client import Client, WorkflowExecution

from keel.search_attributes import AWAITING, TENANT


async def waiting_for(
    client: Client, tenant_id: uuid.UUID, key: str, limit: int = 1000
) -> list[WorkflowExecution]:
    """Running processes of a tenant whose ``wait`` step expects this event key."""
    if '"' in key:
        # Temporal's SQLite visibility store cannot hold a double quote in a query (the server answers
        # "unterminated string" after the client's retries); no wait can be matched on such a key.
        return []
    query = (
        f"{TENANT.name} = '{tenant_id}' AND {AWAITING.name} = '{escape(key)}' AND ExecutionStatus = 'Running'"
    )
    return [execution async for execution in client.list_workflows(query, limit=limit)]


def escape(value: str) -> str:
    """A value inside single quotes of a visibility query."""
    return value.replace("\\", "\\\\").replace("'", "\\'")

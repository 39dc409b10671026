"""What both signing routers share: telling a request's workflow that it changed, and the PDF answer."""

from __future__ import annotations

import contextlib
from typing import Any

from fastapi import Request
from temporalio.service import RPCError

from api.deps import get_temporal
from api.process_runtime import RPC_TIMEOUT
from domain.errors import Unavailable
from workflows.signing import SigningWorkflow

PDF_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        "description": "PDF",
    }
}


async def tell_workflow(request: Request, workflow_id: str) -> None:
    """Best effort, after the commit: the request's rows are already right, and the workflow
    re-reads them at its next timer if this signal is lost."""
    with contextlib.suppress(RPCError, Unavailable):
        client = await get_temporal(request)
        await client.get_workflow_handle(workflow_id).signal(
            SigningWorkflow.signer_acted, rpc_timeout=RPC_TIMEOUT
        )

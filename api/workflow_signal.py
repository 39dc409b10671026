"""Telling a long-running workflow that its rows changed: signal-with-start after the commit."""

from __future__ import annotations

import logging

from fastapi import Request
from temporalio.service import RPCError

from api.deps import get_temporal
from api.process_runtime import RPC_TIMEOUT, Start
from domain.errors import Unavailable


async def signal_with_start(
    request: Request, task_queue: str, start: Start, signal: str, log: logging.Logger
) -> bool:
    """Signal ``start``'s workflow with ``signal``, starting it when it is not running; False when
    Temporal did not answer (the change is committed; the next change tells the workflow again)."""
    try:
        client = await get_temporal(request)
        await client.start_workflow(
            start.workflow,
            start.argument,
            id=start.workflow_id,
            task_queue=task_queue,
            start_signal=signal,
            rpc_timeout=RPC_TIMEOUT,
        )
    except (RPCError, Unavailable) as exc:
        log.warning("workflow not told", extra={"workflow_id": start.workflow_id, "error": str(exc)})
        return False
    return True

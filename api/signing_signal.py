"""What both signing routers share: telling a request's workflow that it changed, and the PDF and page
image answers (the documents and invoices routers answer their previews with them too)."""

from __future__ import annotations

import contextlib
from typing import Any

from fastapi import Path, Query, Request, Response
from temporalio.service import RPCError

from api.deps import get_temporal
from api.process_runtime import RPC_TIMEOUT
from domain.documents.rendering import MIN_SCALE, page_png
from domain.errors import Unavailable
from workflows.signing import SigningWorkflow

PDF_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        "description": "PDF",
    }
}
PNG_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}, "description": "PNG"}
}
PAGE_SCALE = Query(ge=MIN_SCALE, le=2.0, description="pixels per PDF point: 1 is 72 dpi, 2 is 144 dpi")
PAGE_NUMBER = Path(ge=1, le=10_000, description="the page, from 1")


def page_answer(pdf: bytes, number: int, scale: float) -> Response:
    """Page ``number`` of ``pdf`` as a PNG (a preview); a page past the end is a 422 naming it."""
    png = page_png(pdf, number, scale=scale)
    return Response(content=png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})


async def tell_workflow(request: Request, workflow_id: str) -> None:
    """Best effort, after the commit: the request's rows are already right, and the workflow
    re-reads them at its next timer if this signal is lost."""
    with contextlib.suppress(RPCError, Unavailable):
        client = await get_temporal(request)
        await client.get_workflow_handle(workflow_id).signal(
            SigningWorkflow.signer_acted, rpc_timeout=RPC_TIMEOUT
        )

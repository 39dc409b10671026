"""Server-Sent Events that follow something as it changes: read it every few seconds, send what
changed, keep the connection alive in between, close after the stream's lifetime or when the client
went away (it reconnects by itself)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import StreamingResponse

Once = Annotated[bool, Query(description="send what there is now, then close")]

Tick = Callable[[], Awaitable[tuple[list[tuple[str, Any]], bool]]]
"""One look: the events to send now, ``(event name, JSON data)`` each (none when nothing changed), and
whether to look again (not when what is followed is gone)."""


def event(name: str, data: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


async def _events(request: Request, tick: Tick, every: float, lifetime: float) -> AsyncIterator[str]:
    ends = time.monotonic() + lifetime
    while True:
        found, again = await tick()
        for name, data in found:
            yield event(name, data)
        if not again or time.monotonic() + every > ends:
            return
        yield ": keep-alive\n\n"
        await asyncio.sleep(every)
        if await request.is_disconnected():
            return


def follow(request: Request, tick: Tick, every: float, once: bool) -> StreamingResponse:
    """The event stream of ``tick`` every ``every`` seconds for the server's lifetime of a stream
    (``KEEL_DASHBOARD_STREAM_SECONDS``), or one look with ``once``."""
    lifetime = 0.0 if once else float(request.app.state.settings.dashboard_stream_seconds)
    return StreamingResponse(
        _events(request, tick, every, lifetime),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )

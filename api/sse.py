"""Server-Sent Events that follow something as it changes: read it every few seconds, send what
changed, keep the connection alive in between, close after the stream's lifetime or when the client
went away (it reconnects by itself)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractContextManager
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import StreamingResponse

Once = Annotated[bool, Query(description="send what there is now, then close")]

Tick = Callable[[], Awaitable[tuple[list[tuple[str, Any]], bool]]]
"""One look: the events to send now, ``(event name, JSON data)`` each (none when nothing changed), and
whether to look again (not when what is followed is gone)."""


def event(name: str, data: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


Watch = Callable[[], AbstractContextManager[asyncio.Event]]
"""What wakes a stream before its next look is due (``long_poll.Wakes.watching``): an event set when
what it follows may have changed."""


async def _events(
    request: Request, tick: Tick, every: float, lifetime: float, watch: Watch | None
) -> AsyncIterator[str]:
    ends = time.monotonic() + lifetime
    with watch() if watch is not None else contextlib.nullcontext(None) as changed:
        while True:
            if changed is not None:
                changed.clear()  # before the look: a change during it means look again
            found, again = await tick()
            for name, data in found:
                yield event(name, data)
            if not again or time.monotonic() + every > ends:
                return
            yield ": keep-alive\n\n"
            await _pause(changed, every)
            if await request.is_disconnected():
                return


async def _pause(changed: asyncio.Event | None, seconds: float) -> None:
    """``seconds``, or less when ``changed`` is set meanwhile."""
    if changed is None:
        await asyncio.sleep(seconds)
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(changed.wait(), seconds)


def follow(
    request: Request, tick: Tick, every: float, once: bool, *, watch: Watch | None = None
) -> StreamingResponse:
    """The event stream of ``tick`` every ``every`` seconds (and whenever ``watch`` says so) for the
    server's lifetime of a stream (``KEEL_DASHBOARD_STREAM_SECONDS``), or one look with ``once``."""
    lifetime = 0.0 if once else float(request.app.state.settings.dashboard_stream_seconds)
    return StreamingResponse(
        _events(request, tick, every, lifetime, watch),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )

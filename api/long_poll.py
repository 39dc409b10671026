"""Long polls woken by PostgreSQL: a request that found nothing yet waits for its tenant's next
notice (``NOTIFY`` from a trigger, heard by this process's listener) and looks again, instead of the
client asking every few milliseconds. It holds no database connection while it waits."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
LOOK_AGAIN = 5.0  # seconds: a look even without a notice, should one have been missed


class Wakes:
    """Who waits on which tenant; ``notify`` is called from the listener's thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._waiting: dict[str, set[asyncio.Event]] = {}

    def notify(self, tenant: str) -> None:
        self._loop.call_soon_threadsafe(self._wake, tenant)

    def notify_all(self) -> None:
        self._loop.call_soon_threadsafe(self._wake, None)

    def _wake(self, tenant: str | None) -> None:
        groups = self._waiting.values() if tenant is None else [self._waiting.get(tenant, set())]
        for group in groups:
            for changed in group:
                changed.set()

    @contextlib.contextmanager
    def watching(self, tenant: uuid.UUID) -> Iterator[asyncio.Event]:
        changed, key = asyncio.Event(), str(tenant)
        self._waiting.setdefault(key, set()).add(changed)
        try:
            yield changed
        finally:
            group = self._waiting[key]
            group.discard(changed)
            if not group:
                del self._waiting[key]


async def until_found(
    wakes: Wakes, tenant: uuid.UUID, seconds: float, look: Callable[[], Awaitable[list[T]]]
) -> list[T]:
    """``look`` now, then again after each notice for the tenant, until it finds something or
    ``seconds`` pass; what the last look found."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    with wakes.watching(tenant) as changed:
        while True:
            changed.clear()  # before the look: a notice arriving during it means look again
            found = await look()
            remaining = deadline - loop.time()
            if found or remaining <= 0:
                return found
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(remaining, LOOK_AGAIN))

"""How a workflow calls its activities: by their registered names (``workflows/contracts.py``), each
workflow with its own timeout and retry policy, set once rather than at every call."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy

T = TypeVar("T")


@dataclass(frozen=True)
class Calls:
    """``await calls(name, arg, result_type)``: the activity ``name`` run to completion under ``timeout``
    (start to close) and ``retry``, beating at least every ``heartbeat`` when set (an activity that
    reports its progress); a call may set its own ``timeout`` and ``heartbeat``."""

    timeout: timedelta
    retry: RetryPolicy
    heartbeat: timedelta | None = None

    async def __call__(
        self,
        name: str,
        arg: object,
        result_type: type[T],
        *,
        timeout: timedelta | None = None,
        heartbeat: timedelta | None = None,
    ) -> T:
        result: T = await workflow.execute_activity(
            name,
            arg,
            result_type=result_type,
            start_to_close_timeout=timeout or self.timeout,
            heartbeat_timeout=heartbeat or self.heartbeat,
            retry_policy=self.retry,
        )
        return result

    async def each(self, name: str, args: Iterable[object], result_type: type[T]) -> list[T]:
        """The activity ``name`` once per argument, side by side; their results in the same order."""
        return list(await asyncio.gather(*(self(name, a, result_type) for a in args)))

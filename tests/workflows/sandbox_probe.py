"""A workflow that tries what a workflow must never do, and says which attempts the sandbox refused
(in a module of its own: the sandbox imports a workflow's module by name)."""

from __future__ import annotations

import datetime
import os
import random
import time
from collections.abc import Callable
from typing import Any

from temporalio import workflow

ATTEMPTS: dict[str, Callable[[], Any]] = {
    "datetime.now": lambda: datetime.datetime.now(),
    "time.time": lambda: time.time(),
    "random.random": lambda: random.random(),
    "open": lambda: open(os.devnull).close(),
    "os.getpid": lambda: os.getpid(),
}


@workflow.defn(name="sandbox-probe")
class SandboxProbe:
    @workflow.run
    async def run(self) -> dict[str, str]:
        refused: dict[str, str] = {}
        for name, attempt in ATTEMPTS.items():
            try:
                attempt()
            except Exception as exc:  # the sandbox's refusal is what the probe reports
                refused[name] = type(exc).__name__
        return refused

"""``keel worker`` with one more workflow and activity that only tests reach: an activity that runs for
as long as it is asked, heartbeating, and records each attempt's start and end in a directory."""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio import activity, workflow
from temporalio.common import RetryPolicy

SLOW_WORKFLOW = "tests.slow"
SLOW_ACTIVITY = "tests.slow_activity"


@activity.defn(name=SLOW_ACTIVITY)
async def slow_activity(folder: str, seconds: float) -> int:
    attempt = activity.info().attempt
    Path(folder, f"started-{attempt}").touch()
    for _ in range(int(seconds * 10)):
        activity.heartbeat()
        await asyncio.sleep(0.1)
    Path(folder, f"finished-{attempt}").touch()
    return attempt


@workflow.defn(name=SLOW_WORKFLOW)
class SlowWorkflow:
    @workflow.run
    async def run(self, folder: str, seconds: float) -> int:
        return await workflow.execute_activity(
            SLOW_ACTIVITY,
            args=[folder, seconds],
            result_type=int,
            start_to_close_timeout=timedelta(minutes=1),
            heartbeat_timeout=timedelta(seconds=2),
            retry_policy=RetryPolicy(initial_interval=timedelta(milliseconds=200)),
        )


def main() -> int:
    import activities
    import workers.main
    from cli.main import main as keel

    everything = activities.all_activities

    def with_slow_activity(*args: Any, **kwargs: Any) -> list[Any]:
        return [*everything(*args, **kwargs), slow_activity]

    activities.all_activities = with_slow_activity
    workers.main.all_activities = with_slow_activity
    workers.main.ALL_WORKFLOWS.append(SlowWorkflow)
    return keel(["worker"])


if __name__ == "__main__":
    sys.exit(main())

"""The floor side's worker for ``process_throughput.py``: Keel's own activities (the same database
writes) with the hand-written one-step approval of ``handwritten.py`` instead of the interpreter, in a
process of its own as ``keel worker`` is, on the task queue given as the first argument. Settings
come from the environment, as ``keel worker``'s do; it runs until it is terminated."""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from temporalio.worker import Worker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handwritten import HandOneStep

from activities import Deps, all_activities
from db.session import make_engine
from keel.settings import Settings
from keel.temporal import connect
from workers.main import workflow_runner


async def main(task_queue: str) -> None:
    settings = Settings()
    client = await connect(settings)
    engine = make_engine(settings.require_database_url(), pool_size=settings.database_pool_size)
    deps = Deps(engine=engine, settings=settings, client=client, loop=asyncio.get_running_loop())
    async with Worker(
        client,
        task_queue=task_queue,
        workflows=[HandOneStep],
        workflow_runner=workflow_runner(),
        activities=all_activities(deps),
        activity_executor=ThreadPoolExecutor(max_workers=20),
        max_concurrent_activities=20,
    ):
        await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))

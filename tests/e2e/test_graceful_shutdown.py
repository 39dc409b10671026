"""SIGTERM to ``keel api``: it stops accepting, lets the in-flight request finish within
``KEEL_SHUTDOWN_GRACE_SECONDS`` and exits; a request longer than the grace is cut off at the grace.
SIGTERM to ``keel worker``: the running activity finishes within the grace and its result counts; one
longer than the grace is retried by another worker. Nothing is lost either way."""

from __future__ import annotations

import asyncio
import concurrent.futures
import signal
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest

from keel.temporal import connect, free_port
from tests.e2e.processes import keel_env, spawn, stop, wait_serving
from tests.e2e.slow_worker import SlowWorkflow

pytestmark = pytest.mark.slow

# `keel api` as the command line runs it, with one slow route only this test can reach.
API_WITH_A_SLOW_ROUTE = """
import asyncio, sys
import api.app
from cli.main import main

create_app = api.app.create_app

def with_slow_route(*args, **kwargs):
    app = create_app(*args, **kwargs)

    @app.get("/slow-for-tests")
    async def slow(seconds: float) -> dict:
        await asyncio.sleep(seconds)
        return {"slept": seconds}

    return app

api.app.create_app = with_slow_route
sys.exit(main(["api"]))
"""


def run_api(settings, dev_server: str, home: Path, grace: int) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = free_port()
    log = home / f"api-{port}.log"
    env = keel_env(
        settings, dev_server, home, KEEL_API_PORT=str(port), KEEL_SHUTDOWN_GRACE_SECONDS=str(grace)
    )
    proc = spawn(env, code=API_WITH_A_SLOW_ROUTE, log=log)
    return proc, wait_serving(proc, port, log), log


def slow_request(base: str, api_key: str, seconds: float) -> httpx.Response:
    return httpx.get(
        f"{base}/slow-for-tests",
        params={"seconds": seconds},
        headers={"Authorization": f"Bearer {api_key}"},
        timeout=40,
    )


def test_sigterm_lets_the_request_in_flight_finish_then_exits(settings, dev_server, tenant, tmp_path):
    proc, base, log = run_api(settings, dev_server, tmp_path, grace=30)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        answer = pool.submit(slow_request, base, tenant.api_key, 3)
        time.sleep(1)  # the request is being served
        sent = time.monotonic()
        rc = stop(proc, timeout=30)
        exited = time.monotonic() - sent
        response = answer.result(5)
    assert response.status_code == 200, log.read_text()
    assert response.json() == {"slept": 3.0}
    # uvicorn re-raises the signal once it has shut down, so the process ends "by SIGTERM", on its own.
    assert rc in (0, -signal.SIGTERM), log.read_text()
    assert 1.5 < exited < 10  # waited for the request, not for the whole grace
    with pytest.raises(httpx.TransportError):  # nothing accepts connections any more
        httpx.get(f"{base}/healthz", timeout=2)


def test_a_request_longer_than_the_grace_is_cut_off_at_the_grace(settings, dev_server, tenant, tmp_path):
    proc, base, log = run_api(settings, dev_server, tmp_path, grace=1)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        answer = pool.submit(slow_request, base, tenant.api_key, 30)
        time.sleep(1)
        sent = time.monotonic()
        stop(proc, timeout=20)
        exited = time.monotonic() - sent
        try:
            status = answer.result(10).status_code
        except httpx.TransportError:
            status = None
    assert exited < 8, log.read_text()
    assert status != 200  # uvicorn cancelled it at the grace: a 500, or the connection closed


# -- the worker ---------------------------------------------------------------------------------------
WORKER_WITH_A_SLOW_ACTIVITY = "import sys; from tests.e2e.slow_worker import main; sys.exit(main())"


async def wait_for(path: Path, proc: subprocess.Popen[bytes], log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, f"no {path.name} within {timeout} s"
        await asyncio.sleep(0.1)


@pytest.mark.parametrize(
    ("grace", "seconds", "attempt"), [(30, 3, 1), (1, 8, 2)], ids=["finishes", "retried"]
)
async def test_sigterm_drains_the_worker_and_loses_nothing(
    settings, dev_server, tmp_path, grace: int, seconds: float, attempt: int
):
    queue = f"drain-{uuid.uuid4().hex[:8]}"
    env = keel_env(
        settings, dev_server, tmp_path, KEEL_TEMPORAL_TASK_QUEUE=queue, KEEL_SHUTDOWN_GRACE_SECONDS=str(grace)
    )
    client = await connect(settings.model_copy(update={"temporal_address": dev_server}))
    first = spawn(env, code=WORKER_WITH_A_SLOW_ACTIVITY, log=tmp_path / "first.log")
    handle = await client.start_workflow(
        SlowWorkflow.run, args=[str(tmp_path), seconds], id=f"slow-{queue}", task_queue=queue
    )
    await wait_for(tmp_path / "started-1", first, tmp_path / "first.log")
    sent = time.monotonic()
    rc = await asyncio.to_thread(stop, first, signal.SIGTERM, 40)
    exited = time.monotonic() - sent
    assert rc == 0, (tmp_path / "first.log").read_text()[-3000:]
    if attempt == 1:  # within the grace: the worker waited for it
        assert (tmp_path / "finished-1").exists() and exited >= seconds - 1.5
    else:  # beyond it: cut off at the grace, not waited for
        assert not (tmp_path / "finished-1").exists() and exited < seconds
    second = spawn(env, code=WORKER_WITH_A_SLOW_ACTIVITY, log=tmp_path / "second.log")
    try:
        # The workflow completes on the other worker with the attempt that finished: a result the
        # stopped worker reported is not run again, one it could not finish is.
        assert await asyncio.wait_for(handle.result(), timeout=180) == attempt
    finally:
        await asyncio.to_thread(stop, second, signal.SIGTERM, 40)
    assert sorted(p.name for p in tmp_path.glob("finished-*")) == [f"finished-{attempt}"]

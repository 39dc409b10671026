"""SIGTERM to ``keel api``: it stops accepting, lets the in-flight request finish within
``KEEL_SHUTDOWN_GRACE_SECONDS`` and exits; a request longer than the grace is cut off at the grace."""

from __future__ import annotations

import concurrent.futures
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from keel.temporal import free_port
from tests.e2e.processes import keel_env, spawn, stop, wait_serving

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

"""Starting ``keel api`` and ``keel worker`` as real processes against the test session's services."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from keel.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 180.0  # importing the API costs seconds of CPU per process; a busy machine multiplies it


def keel_env(settings: Settings, temporal: str, home: Path, **extra: str) -> dict[str, str]:
    """The environment of a Keel process sharing the session's PostgreSQL and Temporal."""
    assert settings.database_url and settings.database_admin_url and settings.jwt_secret
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("KEEL_")}
    env.update(
        {
            "KEEL_HOME": str(home),
            "KEEL_ENVIRONMENT": "test",
            "KEEL_LOG_FORMAT": "text",
            "KEEL_LOG_LEVEL": "WARNING",
            "KEEL_DATABASE_URL": settings.database_url,
            "KEEL_DATABASE_ADMIN_URL": settings.database_admin_url,
            "KEEL_DATABASE_APP_ROLE": settings.database_app_role,
            "KEEL_DATABASE_POOL_SIZE": "4",
            "KEEL_TEMPORAL_ADDRESS": temporal,
            "KEEL_TEMPORAL_TASK_QUEUE": settings.temporal_task_queue,
            "KEEL_JWT_SECRET": settings.jwt_secret.get_secret_value(),
            "KEEL_RATE_LIMIT_TIERS": settings.rate_limit_tiers,
            "KEEL_RATE_LIMIT_TENANT_TIERS": settings.rate_limit_tenant_tiers,
            "KEEL_RATE_LIMIT_SIGN_IN_PER_IP": settings.rate_limit_sign_in_per_ip,
            "KEEL_RATE_LIMIT_PUBLIC_PER_IP": settings.rate_limit_public_per_ip,
        }
    )
    env.update(extra)
    return env


def spawn(env: dict[str, str], *args: str, code: str | None = None, log: Path) -> subprocess.Popen[bytes]:
    """``keel <args>``, or ``python -c <code>`` (a test's own start-up around the same entry point);
    its errors go to ``log`` (a pipe nobody reads could fill up and stall it)."""
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "cli.main", *args]
    with log.open("ab") as errors:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors)


def wait_serving(proc: subprocess.Popen[bytes], port: int, log: Path, timeout: float = START_TIMEOUT) -> str:
    """The base URL once ``/healthz`` answers; fails with the process's errors if it ended instead."""
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            errors = log.read_text(errors="replace")
            raise AssertionError(f"the process ended ({proc.returncode}) before serving:\n{errors[-3000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return base
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"nothing served on {base} within {timeout} s")


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 30) -> int:
    """Signal the process and wait for it; killed if it outlives the timeout."""
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
        raise

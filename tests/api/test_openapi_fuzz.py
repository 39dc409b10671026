"""Schemathesis over the live ``/openapi.json``: no generated request reaches a server error, and
every status an operation answers is one its OpenAPI documents.

The run is the one a user would make with the ``st`` command line: examples, boundary values
(coverage) and random inputs (fuzzing), valid and invalid, with an admin's API key of a tenant of its
own. Its seed is fixed so that a failure reproduces; the output names each failure with a curl line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from pydantic import SecretStr

from api.app import create_app
from keel.temporal import free_port
from tests.api.conftest import Live
from tests.conftest import TenantFixture
from tests.peers import SendGridSigner

CHECKS = "not_a_server_error,status_code_conformance"


@pytest.fixture(scope="module")
def fuzzed_api(live: Live) -> Iterator[str]:
    """An API process of its own on the live stack, with the provider callbacks configured, so that
    their signature checks (401/403) are fuzzed rather than the 503 of an unconfigured provider."""
    settings = live.settings.model_copy(
        update={
            "api_port": free_port(),
            "sendgrid_webhook_public_key": SendGridSigner.generate().public_key,
            "twilio_auth_token": SecretStr("fuzz-twilio-token"),
        }
    )
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=settings.api_port, log_config=None)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the API did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{settings.api_port}"
    server.should_exit = True
    thread.join(timeout=10)


def _st() -> str:
    found = Path(sys.executable).parent / "st"
    return str(found) if found.exists() else shutil.which("st") or "st"


def test_no_input_reaches_a_server_error_and_every_status_is_documented(
    fuzzed_api: str, tenant: TenantFixture, tmp_path: Path
) -> None:
    command = [
        _st(),
        "run",
        f"{fuzzed_api}/openapi.json",
        "--header",
        f"Authorization: Bearer {tenant.api_key}",
        "--checks",
        CHECKS,
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        os.environ.get("KEEL_FUZZ_EXAMPLES", "20"),
        "--seed",
        os.environ.get("KEEL_FUZZ_SEED", "20261203"),
        "--workers",
        "2",
        "--request-timeout",
        "30",
        "--generation-database",
        "none",
        "--no-color",
        "--warnings",
        "off",
    ]
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-4000:]

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
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from api.app import create_app
from tests.api.conftest import Live, served
from tests.conftest import TenantFixture
from tests.peers import SendGridSigner

pytestmark = pytest.mark.slow

CHECKS = "not_a_server_error,status_code_conformance"


@pytest.fixture(scope="module")
def fuzzed_api(live: Live) -> Iterator[str]:
    """An API process of its own on the live stack, with the provider callbacks configured, so that
    their signature checks (401/403) are fuzzed rather than the 503 of an unconfigured provider, and
    event streams that close after their first events (a fuzzer's request waits for the end)."""
    settings = live.settings.model_copy(
        update={
            "sendgrid_webhook_public_key": SendGridSigner.generate().public_key,
            "twilio_auth_token": SecretStr("fuzz-twilio-token"),
            "dashboard_stream_seconds": 1,  # an event stream answers its first events, then closes
        }
    )
    with served(create_app(settings)) as url:
        yield url


def _st() -> str:
    found = Path(sys.executable).parent / "st"
    return str(found) if found.exists() else shutil.which("st") or "st"


def st_command(api_url: str, api_key: str, default_seed: str, workdir: Path) -> list[str]:
    """The ``st run`` a user would make over the document: examples, coverage and fuzzing, with the
    examples count and seed from KEEL_FUZZ_EXAMPLES and KEEL_FUZZ_SEED (a failure reproduces).

    The document is fetched here, without ``st``'s fixed ten-second load timeout: building it takes
    longer than that on a busy two-core machine running the suite in parallel."""
    spec = workdir / "openapi.json"
    with urllib.request.urlopen(f"{api_url}/openapi.json", timeout=300) as answer:
        spec.write_bytes(answer.read())
    return [
        _st(),
        "run",
        str(spec),
        "--url",
        api_url,
        "--header",
        f"Authorization: Bearer {api_key}",
        "--checks",
        CHECKS,
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        os.environ.get("KEEL_FUZZ_EXAMPLES", "20"),
        "--seed",
        os.environ.get("KEEL_FUZZ_SEED", default_seed),
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--generation-database",
        "none",
        "--no-color",
        "--warnings",
        "off",
    ]


# Two ``st`` processes, each over half of the operations, use both cores. (One process with two
# worker threads can fail inside CPython 3.11's ``ast.parse``, which Hypothesis calls from each thread:
# "AST constructor recursion depth mismatch".)
HALVES = (("--include-path-regex", "^/api/v1/[a-e]"), ("--exclude-path-regex", "^/api/v1/[a-e]"))


def test_no_input_reaches_a_server_error_and_every_status_is_documented(
    fuzzed_api: str, tenant: TenantFixture, tmp_path: Path
) -> None:
    command = st_command(fuzzed_api, tenant.api_key, "20261203", tmp_path)
    runs = [
        subprocess.Popen(
            [*command, option, pattern],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for option, pattern in HALVES
    ]
    outputs = [run.communicate(timeout=1200)[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output[-20000:]

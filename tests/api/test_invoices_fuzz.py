"""Schemathesis over the invoice, payment and dunning operations only: no generated request reaches
a server error, and every status they answer is documented (the whole-API run covers them too, this
one is quick enough to run while working on them)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.api.conftest import Live
from tests.api.test_openapi_fuzz import st_command
from tests.conftest import TenantFixture

PATHS = "^/api/v1/(invoices|payments|billing/dunning)"


def test_invoice_operations_never_answer_a_server_error(
    live: Live, tenant: TenantFixture, tmp_path: Path
) -> None:
    command = [
        *st_command(live.url, tenant.api_key, "20261204", tmp_path),
        "--include-path-regex",
        PATHS,
    ]
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=900, check=False)
    assert run.returncode == 0, (run.stdout + run.stderr)[-20000:]

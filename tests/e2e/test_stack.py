"""``keel up`` end to end: the embedded stack starts, serves, stops cleanly and restarts on its data."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psutil
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BANNER_END = "Press Ctrl-C to stop."
START_TIMEOUT = 120
STOP_TIMEOUT = 30


def _free_ports() -> dict[str, int]:
    """Four free ports; Typesense's also has a free port below it (its peering port)."""
    held: list[socket.socket] = []

    def grab(port: int = 0) -> int | None:
        sock = socket.socket()
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            sock.close()
            return None
        held.append(sock)  # kept bound until all are chosen, so no two are the same
        return int(sock.getsockname()[1])

    try:
        ports = {
            name: grab() or 0
            for name in (
                "KEEL_API_PORT",
                "KEEL_TEMPORAL_PORT",
                "KEEL_TEMPORAL_UI_PORT",
                "KEEL_STRIPE_LOCAL_PORT",
            )
        }
        while "KEEL_TYPESENSE_PORT" not in ports:
            port = grab() or 0
            if port > 1024 and grab(port - 1):
                ports["KEEL_TYPESENSE_PORT"] = port
        return ports
    finally:
        for sock in held:
            sock.close()


def _base_env() -> dict[str, str]:
    """This environment without any KEEL_ variable: every service is embedded."""
    return {k: v for k, v in os.environ.items() if not k.upper().startswith("KEEL_")}


def _alive(procs: list[psutil.Process]) -> list[str]:
    alive = []
    for proc in procs:
        try:
            if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                alive.append(f"{proc.pid} {' '.join(proc.cmdline())[:120]}")
        except psutil.NoSuchProcess:
            pass
    return alive


def _processes_of(home: Path) -> list[psutil.Process]:
    """Every process whose command line names ``home`` (postgres, temporal, typesense), with children."""
    found: dict[int, psutil.Process] = {}
    for proc in psutil.process_iter(["cmdline"]):
        if f"{home}/" in " ".join(proc.info["cmdline"] or []):
            found[proc.pid] = proc
            for child in proc.children(recursive=True):
                found[child.pid] = child
    return list(found.values())


class KeelUp:
    """``keel up`` as a subprocess: its stdout is read as it comes, its stderr goes to a file."""

    def __init__(self, env: dict[str, str], stderr_path: Path) -> None:
        self.stderr_path = stderr_path
        self._stderr = stderr_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "up"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
        )
        self.lines: list[str] = []
        self._banner_done = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            if BANNER_END in line:
                self._banner_done.set()

    def stderr(self) -> str:
        self._stderr.flush()
        return self.stderr_path.read_text(errors="replace")

    def banner(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while not self._banner_done.wait(0.5):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"no banner from keel up (exit code {self.proc.poll()}):\n{self.stderr()[-4000:]}"
                )
        return "\n".join(self.lines)

    def processes(self) -> list[psutil.Process]:
        return psutil.Process(self.proc.pid).children(recursive=True)

    def interrupt(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"keel up did not stop within {STOP_TIMEOUT} s:\n{self.stderr()[-4000:]}")

    def close(self, home: Path) -> None:
        """After a failure: stop it, and anything it left behind, whatever state it is in."""
        leftovers = self.processes() if self.proc.poll() is None else []
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for proc in leftovers + _processes_of(home):
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
        self._stderr.close()


@pytest.fixture
def home() -> Iterator[Path]:
    # Short: PostgreSQL's unix socket lives in <home>/postgres and socket paths are ~100 chars at most.
    path = Path(tempfile.mkdtemp(prefix="keel-e2e-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def start(home: Path, tmp_path: Path) -> Iterator[Callable[[], tuple[KeelUp, dict[str, int]]]]:
    ports = _free_ports()
    env = {
        **_base_env(),
        "KEEL_HOME": str(home),
        "KEEL_LOG_FORMAT": "text",
        **{k: str(v) for k, v in ports.items()},
    }
    started: list[KeelUp] = []

    def start_stack() -> tuple[KeelUp, dict[str, int]]:
        stack = KeelUp(env, tmp_path / f"keel-up-{len(started) + 1}.log")
        started.append(stack)
        return stack, ports

    yield start_stack
    for stack in started:
        stack.close(home)


def _field(banner: str, label: str) -> str:
    match = re.search(rf"{label}\s+(\S+)", banner)
    assert match, f"{label!r} missing from the banner:\n{banner}"
    return match.group(1)


def _emails(http: httpx.Client, api_key: str) -> list[str]:
    response = http.get("/api/v1/users", headers={"Authorization": f"Bearer {api_key}"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "success"
    assert isinstance(body["data"], list)
    return sorted(user["email"] for user in body["data"])


def _tenant_create(home: Path) -> dict[str, str]:
    """A second terminal: only KEEL_HOME tells it where the running stack is."""
    command = ["tenant", "create", "Acme", "--domain", "acme.test", "--admin-email", "boss@acme.test"]
    result = subprocess.run(
        [sys.executable, "-m", "cli.main", *command, "--password", "long-enough-pw-1"],
        cwd=ROOT,
        env={**_base_env(), "KEEL_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    created: dict[str, str] = json.loads(result.stdout.strip().splitlines()[-1])
    return created


def _stop_and_check_nothing_survives(stack: KeelUp, home: Path) -> None:
    procs = stack.processes() + _processes_of(home)
    names = " ".join(_alive(procs))
    for expected in ("temporal", "typesense-server", "postgres", "cli.main worker", "cli.main api"):
        assert expected in names, f"{expected} is not running: {names}"
    assert stack.interrupt() == 0, stack.stderr()[-4000:]
    time.sleep(0.5)  # the postmaster's own children go just after it
    assert _alive(procs) == []
    assert _alive(_processes_of(home)) == []


def test_keel_up_serves_stops_cleanly_and_restarts_on_its_data(
    home: Path, start: Callable[[], tuple[KeelUp, dict[str, int]]]
) -> None:
    started_at = time.monotonic()
    stack, ports = start()
    banner = stack.banner()
    first_start = time.monotonic() - started_at
    api = f"http://127.0.0.1:{ports['KEEL_API_PORT']}"
    assert _field(banner, "API docs") == f"{api}/docs"
    assert _field(banner, "Console") == f"{api}/app"
    assert _field(banner, "Temporal UI") == f"http://127.0.0.1:{ports['KEEL_TEMPORAL_UI_PORT']}"
    demo_key = _field(banner, "Demo API key")
    assert demo_key.startswith("keel_")
    for secret_file in ("runtime.json", "demo.json"):
        assert (home / secret_file).stat().st_mode & 0o777 == 0o600

    with httpx.Client(base_url=api, timeout=10) as http:
        assert http.get("/readyz").status_code == 200
        assert _emails(http, demo_key) == ["admin@demo.keel.test"]
        acme = _tenant_create(home)
        assert acme["tenant_id"]
        assert _emails(http, acme["api_key"]) == ["boss@acme.test"]
        # The whole notification flow works with no account anywhere: the email lands in the outbox.
        auth = {"Authorization": f"Bearer {demo_key}"}
        sent = http.post(
            "/api/v1/notifications",
            headers=auth,
            json={
                "recipient": {"email": "ada@example.com"},
                "template": "notification",
                "data": {"title": "Hi"},
            },
        )
        assert sent.status_code == 202, sent.text
        deadline = time.monotonic() + 20
        while not http.get("/api/v1/dev/outbox", headers=auth, params={"to": "ada@example.com"}).json()[
            "data"
        ]:
            assert time.monotonic() < deadline, "the email never reached the local outbox"
            time.sleep(0.2)

    _stop_and_check_nothing_survives(stack, home)
    runtime = json.loads((home / "runtime.json").read_text())
    logs = stack.stderr()
    for secret in (runtime["jwt_secret"], runtime["typesense_api_key"]):
        assert secret not in logs

    started_at = time.monotonic()
    again, _ = start()
    banner = again.banner()
    restart = time.monotonic() - started_at
    assert _field(banner, "Demo API key") == demo_key
    with httpx.Client(base_url=api, timeout=10) as http:
        assert http.get("/readyz").status_code == 200
        assert _emails(http, acme["api_key"]) == ["boss@acme.test"]
    assert json.loads((home / "runtime.json").read_text())["jwt_secret"] == runtime["jwt_secret"]
    _stop_and_check_nothing_survives(again, home)
    print(f"first start {first_start:.1f} s, restart {restart:.1f} s")

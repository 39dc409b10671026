"""The child processes of ``keel up``: started in their own session, watched, and stopped with
their process groups; also the embedded PostgreSQL's postmaster, which runs detached."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO

import psutil

log = logging.getLogger("cli.stack")

LOCK_FILE = "up.lock"
CHILDREN_FILE = "children.json"  # pids of the running children, for the next start after a crash
STOP_TIMEOUT = 10.0  # seconds a child gets between SIGTERM and SIGKILL
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
            stop_postgres(self.pgdata)
            self.pgdata = None


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


def stop_postgres(pgdata: Path) -> None:
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


def stop_leftovers(home: Path) -> None:
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


def raise_if_exited(watch: Sequence[Child]) -> None:
    for child in watch:
        if child.exited():
            raise StackError(f"{child.describe_exit()} while the stack was starting")


def wait_for(what: str, ready: Callable[[], bool], *, timeout: float, watch: Sequence[Child]) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        raise_if_exited(watch)
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


@contextmanager
def only_supervisor_of(home: Path) -> Iterator[None]:
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
def stop_signals_raise_keyboard_interrupt() -> Iterator[None]:
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

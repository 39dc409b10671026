"""The Jinja sandbox tenant templates render in, bounded in time and in memory.

Jinja's own sandbox stops attribute escapes and caps ``range``; it does not stop a template from
allocating a gigabyte (``'x'|center(10**9)``, ``s|replace('', s)``) or from looping for hours
(nested loops, recursive macros). Here every operator, filter and method that can amplify its input
is checked *before* it allocates, every concatenation is bounded, and a render runs under a deadline
enforced by a watchdog thread, so one tenant's template cannot hold a worker.
"""

from __future__ import annotations

import ctypes
import functools
import heapq
import itertools
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import jinja2
import jinja2.utils
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

MAX_OUTPUT = 1_000_000  # characters one value or one field may hold
MAX_RENDER_SECONDS = 1.0  # one channel of one message
MAX_WIDTH = 1_000  # a padding, indent or printf width
MAX_BITS = 100_000  # an integer a template computes
# str methods that pad, repeat or format: their filters (checked below) do the same job safely.
_BLOCKED_STR_METHODS = frozenset(
    {"center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map", "replace", "join"}
)
_PRINTF_NUMBER = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d*)(?:\.(\*|\d*))?")


class SafeUndefined(jinja2.Undefined):
    """An Undefined that fails when an unsafe attribute is touched: the sandbox reports one as an
    Undefined that would otherwise print nothing. Subclasses choose how missing data behaves."""

    __slots__ = ()

    def __init__(
        self,
        hint: str | None = None,
        obj: Any = jinja2.utils.missing,
        name: str | None = None,
        exc: type[jinja2.TemplateRuntimeError] = jinja2.UndefinedError,
    ) -> None:
        if exc is SecurityError:
            raise SecurityError(hint or f"access to {name!r} is unsafe")
        self._met()
        super().__init__(hint, obj, name, exc)

    def _met(self) -> None:
        """Called for each undefined value a render meets."""


class RenderTimeout(BaseException):
    """Raised into a render that passed its deadline (a BaseException, so no ``except Exception`` in
    a filter swallows it)."""


def _too_big(what: str) -> SecurityError:
    return SecurityError(f"{what} would exceed {MAX_OUTPUT} characters")


def _size(value: Any) -> int:
    if isinstance(value, str | list | tuple | dict | set | frozenset):
        return len(value)
    return 0


def _check_printf(fmt: str) -> None:
    for width, precision in _PRINTF_NUMBER.findall(fmt):
        for number in (width, precision):
            if number == "*":
                raise SecurityError("a * width in a format is not allowed")
            if number and int(number) > MAX_WIDTH:
                raise SecurityError(f"format widths above {MAX_WIDTH} are not allowed")


# --- Operators --------------------------------------------------------------------------------


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be huge, before computing it."""
    if operator == "**" and isinstance(right, int) and not isinstance(right, bool):
        if abs(right) > 100:
            raise SecurityError("exponents above 100 are not allowed")
        if isinstance(left, int) and abs(left).bit_length() * abs(right) > MAX_BITS:
            raise SecurityError("the power would be too large")
    elif operator == "*":
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple) and isinstance(n, int) and len(seq) * n > MAX_OUTPUT:
                raise _too_big("the repeated value")
        both_ints = isinstance(left, int) and isinstance(right, int)
        if both_ints and abs(left).bit_length() + abs(right).bit_length() > MAX_BITS:
            raise SecurityError("the product would be too large")
    elif operator == "+" and _size(left) + _size(right) > MAX_OUTPUT:
        raise _too_big("the sum")
    elif operator == "%" and isinstance(left, str):
        _check_printf(left)
        args = right if isinstance(right, tuple) else (right,)
        if len(left) + sum(len(str(a)) if isinstance(a, str) else 0 for a in args) > MAX_OUTPUT:
            raise _too_big("the formatted text")


def checked_concat(value: str) -> str:
    if len(value) > MAX_OUTPUT:
        raise _too_big("the joined text")
    return value


# --- Filters ----------------------------------------------------------------------------------


def _guard(original: Callable[..., Any], check: Callable[..., None]) -> Callable[..., Any]:
    """``original`` with ``check`` called first on the same arguments (pass_* markers kept)."""

    @functools.wraps(original)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        check(*args, **kwargs)
        return original(*args, **kwargs)

    return guarded


def _center(value: Any, width: int = 80) -> None:
    if isinstance(width, int) and width > MAX_OUTPUT:
        raise _too_big("the centred text")


def _indent(s: Any, width: int | str = 4, *_: Any, **__: Any) -> None:
    text = str(s)
    pad = width if isinstance(width, int) else len(str(width))
    if len(text) + (text.count("\n") + 1) * pad > MAX_OUTPUT:
        raise _too_big("the indented text")


def _wordwrap(_env: Any, s: Any, width: int = 79, *args: Any, **kwargs: Any) -> None:
    wrap = kwargs.get("wrapstring") or (args[1] if len(args) > 1 else None) or "\n"
    text = str(s)
    if len(text) + (len(text) // max(int(width), 1) + 1) * len(str(wrap)) > MAX_OUTPUT:
        raise _too_big("the wrapped text")


def _replace(_ctx: Any, s: Any, old: Any, new: Any, count: int | None = None) -> None:
    text, old, new = str(s), str(old), str(new)
    found = len(text) + 1 if old == "" else text.count(old)
    if count is not None and count >= 0:
        found = min(found, count)
    if len(text) + found * max(len(new) - len(old), 0) > MAX_OUTPUT:
        raise _too_big("the replaced text")


def _format(value: Any, *args: Any, **kwargs: Any) -> None:
    _check_printf(str(value))
    given = [*args, *kwargs.values()]
    if len(str(value)) + sum(len(a) for a in given if isinstance(a, str)) > MAX_OUTPUT:
        raise _too_big("the formatted text")


def _batch(value: Any, linecount: int, fill_with: Any = None) -> None:
    if int(linecount) > MAX_OUTPUT:
        raise SecurityError(f"batches above {MAX_OUTPUT} items are not allowed")


def _slice(value: Any, slices: int, fill_with: Any = None) -> None:
    if int(slices) > 100_000:
        raise SecurityError("more than 100000 slices are not allowed")


def _tojson(_ctx: Any, value: Any, indent: int | None = None) -> None:
    if indent is not None and int(indent) > 16:
        raise SecurityError("a JSON indent above 16 is not allowed")


def _urlize(_ctx: Any, value: Any, *args: Any, **kwargs: Any) -> None:
    for extra in (*args[2:4], kwargs.get("target"), kwargs.get("rel")):
        if isinstance(extra, str) and len(extra) > MAX_WIDTH:
            raise SecurityError(f"link attributes above {MAX_WIDTH} characters are not allowed")


def _join(original: Callable[..., Any]) -> Callable[..., Any]:
    """Materialise the items (a bounded range or the data), then check the joined length."""

    @functools.wraps(original)
    def join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        items = list(_bounded(value))
        if attribute is None and sum(len(str(i)) for i in items) + len(str(d)) * len(items) > MAX_OUTPUT:
            raise _too_big("the joined text")
        return checked_concat(original(eval_ctx, items, d, attribute))

    return join


def _sum(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def total(env: Any, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
        items = list(_bounded(iterable))
        numbers = isinstance(start, int | float) and all(isinstance(i, int | float) for i in items)
        if not numbers and _size(start) + sum(_size(i) for i in items) > MAX_OUTPUT:
            raise _too_big("the sum")
        return original(env, items, attribute, start)

    return total


def _bounded(iterable: Any) -> Iterator[Any]:
    for count, item in enumerate(iterable):
        if count >= MAX_OUTPUT:
            raise _too_big("the list")
        yield item


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> None:
    if int(n) > 100 or int(max) > 1_000:
        raise SecurityError("lipsum is limited to 100 paragraphs of 1000 words")


_CHECKS: dict[str, Callable[..., None]] = {
    "center": _center,
    "indent": _indent,
    "wordwrap": _wordwrap,
    "replace": _replace,
    "format": _format,
    "batch": _batch,
    "slice": _slice,
    "tojson": _tojson,
    "urlize": _urlize,
}


# --- The environment --------------------------------------------------------------------------


class _CodeGenerator(CodeGenerator):
    """Every ``~`` concatenation is checked for size (the sandbox has no hook for it)."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class Sandbox(ImmutableSandboxedEnvironment):
    """No writes to data, no private attributes, and no huge strings or numbers."""

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["lipsum"] = _guard(
            jinja2.utils.generate_lorem_ipsum, _lipsum
        )  # lipsum(10**9) writes a novel
        for name, check in _CHECKS.items():
            self.filters[name] = _guard(self.filters[name], check)
        self.filters["join"] = _join(self.filters["join"])
        self.filters["sum"] = _sum(self.filters["sum"])

    @staticmethod
    def checked_concat(value: str) -> str:
        return checked_concat(value)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and attr in _BLOCKED_STR_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        return None  # str.format is refused by is_safe_attribute: widths would be unbounded


# --- The deadline and the memory ceiling -------------------------------------------------------


class RenderTooLarge(RenderTimeout):
    """Raised into a render while the process grew by more than MAX_RENDER_MEMORY since it began
    (values each under the size limits can still pile up, e.g. a list of a million long strings)."""


MAX_RENDER_MEMORY = 256 * 1024 * 1024  # bytes the process may grow by during one render
_POLL_SECONDS = 0.02
_REPEAT_SECONDS = 0.05  # how soon a repeating deadline raises again after one was swallowed
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _rss() -> int | None:
    """The process's resident memory (Linux), or None where it cannot be read cheaply."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return None


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    """Raise ``exc`` in another thread at its next bytecode (None clears one still pending)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else ctypes.c_void_p(0)
    )


@dataclass
class _Armed:
    token: int
    thread: int
    rss: int | None  # the process's RSS when armed
    repeat: bool  # raise again until the block ends (for code that swallows one exception)
    fired: bool = False
    # Set by the guarded thread as the block ends, before anything that an exception could cut
    # short: a repeating deadline must never outlive its block if disarm() is interrupted.
    done: bool = False


class _Watchdog:
    """One daemon thread that interrupts renders past their deadline or their memory ceiling."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._active: dict[int, _Armed] = {}  # token -> the block it guards
        self._heap: list[tuple[float, int]] = []  # (deadline, token)
        self._tokens = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, seconds: float, repeat: bool = False) -> _Armed:
        rss = _rss()
        with self._cond:
            token = next(self._tokens)
            entry = self._active[token] = _Armed(token, threading.get_ident(), rss, repeat)
            heapq.heappush(self._heap, (time.monotonic() + seconds, token))
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="template-deadline", daemon=True)
                self._thread.start()
            self._cond.notify()
            return entry

    def disarm(self, armed: _Armed) -> None:
        with self._cond:
            entry = self._active.pop(armed.token, None)
            if entry is None or entry.fired:
                # It fired: if the exception has not been raised yet, it must not be raised later.
                _raise_in(threading.get_ident(), None)

    def _fire(self, token: int, exc: type[BaseException], again_at: float | None = None) -> None:
        entry = self._active.get(token)
        if entry is None:
            return
        if entry.done:  # the block has ended: its disarm() may never come
            del self._active[token]
            return
        _raise_in(entry.thread, exc)
        if not entry.repeat:
            del self._active[token]
            return
        entry.fired = True
        if again_at is not None:
            heapq.heappush(self._heap, (again_at, token))

    def _loop(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                while self._heap and (self._heap[0][0] <= now or self._heap[0][1] not in self._active):
                    self._fire(heapq.heappop(self._heap)[1], RenderTimeout, now + _REPEAT_SECONDS)
                rss = _rss() if self._active else None
                if rss is not None:
                    for token, entry in list(self._active.items()):
                        if entry.rss is not None and rss - entry.rss > MAX_RENDER_MEMORY:
                            self._fire(token, RenderTooLarge)
                wait = self._heap[0][0] - now if self._heap else None
                self._cond.wait(min(wait, _POLL_SECONDS) if wait is not None else None)


_WATCHDOG = _Watchdog()
_DEPTH = threading.local()


def _after_fork() -> None:
    """A forked child has no watchdog thread: start afresh so its renders are bounded too."""
    global _WATCHDOG, _DEPTH
    _WATCHDOG, _DEPTH = _Watchdog(), threading.local()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


@contextmanager
def deadline(seconds: float = MAX_RENDER_SECONDS, *, repeat: bool = False) -> Iterator[None]:
    """Raise ``RenderTimeout`` in this block once ``seconds`` have passed, or ``RenderTooLarge`` once
    the process has grown by ``MAX_RENDER_MEMORY`` (the outermost block counts).

    With ``repeat`` the exception is raised again every few milliseconds until the block ends: for
    third-party code that catches ``BaseException`` somewhere inside (WeasyPrint's SVG drawing does).
    """
    if getattr(_DEPTH, "n", 0):
        yield
        return
    _DEPTH.n = 1
    armed = _WATCHDOG.arm(seconds, repeat)
    try:
        yield
    finally:
        armed.done = True
        try:
            _WATCHDOG.disarm(armed)
        finally:
            _DEPTH.n = 0


def template_line(exc: BaseException) -> int | None:
    """The template line a render failed on, from the frame jinja2 adds to the traceback for it."""
    tb, lineno = exc.__traceback__, None
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno

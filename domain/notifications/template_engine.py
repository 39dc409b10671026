"""One template field compiled and run in the Jinja sandbox, within its limits (``sandbox.py``),
with the cache of compiled templates."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from contextvars import ContextVar
from typing import Any

import jinja2
from jinja2.sandbox import SecurityError

from domain.notifications.errors import TemplateRenderError
from domain.sandbox import (
    MAX_OUTPUT,
    MAX_RENDER_MEMORY,
    MAX_RENDER_SECONDS,
    RenderTimeout,
    RenderTooLarge,
    SafeUndefined,
    Sandbox,
    deadline,
)

CHANNEL_FIELDS: dict[str, tuple[str, ...]] = {
    "email": ("subject", "html", "text"),
    "sms": ("text",),
    "push": ("title", "body"),
    "in_app": ("title", "body"),
}


# Set while a template is checked at save time without sample data: undefined values then chain
# (``x.y()``) instead of failing, so only the template itself is judged, not the missing data.
LENIENT: ContextVar[bool] = ContextVar("keel_template_lenient", default=False)
# While checking: how many undefined values the trial render met. A failure after none is a failure
# of the template itself (``{{ 1 // 0 }}``, ``range(10**7)``), whatever data a send brings.
MET_UNDEFINED: ContextVar[list[int] | None] = ContextVar("keel_template_met_undefined", default=None)


class _Undefined(SafeUndefined):
    """jinja2's default Undefined (renders as ""), counted while a template is checked."""

    __slots__ = ()

    def _met(self) -> None:
        met = MET_UNDEFINED.get()
        if met is not None:
            met[0] += 1

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
        if LENIENT.get():
            return self
        return super()._fail_with_undefined_error(*args, **kwargs)


# The base class binds its operators to its own failing method: rebind them to the lenient one.
for _op in [
    "__add__",
    "__radd__",
    "__sub__",
    "__rsub__",
    "__mul__",
    "__rmul__",
    "__truediv__",
    "__rtruediv__",
    "__floordiv__",
    "__rfloordiv__",
    "__mod__",
    "__rmod__",
    "__pos__",
    "__neg__",
    "__call__",
    "__getitem__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__pow__",
    "__rpow__",
]:
    setattr(_Undefined, _op, _Undefined._fail_with_undefined_error)


_HTML = Sandbox(autoescape=True, undefined=_Undefined, keep_trailing_newline=True)
_TEXT = Sandbox(autoescape=False, undefined=_Undefined, keep_trailing_newline=True)


def environment(channel: str, field: str) -> Sandbox:
    return _HTML if (channel, field) == ("email", "html") else _TEXT


def compile_field(channel: str, field: str, source: str, path: str) -> jinja2.Template:
    try:
        return environment(channel, field).from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateRenderError(path, f"line {exc.lineno}: {exc.message}") from exc
    except (RecursionError, SyntaxError, MemoryError) as exc:  # Python's own limits on the compiled code
        raise TemplateRenderError(path, "is nested too deeply to compile") from exc


def run_field(template: jinja2.Template, data: Mapping[str, Any], path: str) -> str:
    """Render, bounding the output; any runtime failure names the field and the reason."""
    out: list[str] = []
    size = 0
    try:
        with deadline():
            for chunk in template.generate(data):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise TemplateRenderError(path, f"renders to more than {MAX_OUTPUT} characters")
                out.append(chunk)
    except TemplateRenderError:
        raise
    except RenderTooLarge as exc:
        raise TemplateRenderError(path, f"needs more than {MAX_RENDER_MEMORY >> 20} MB to render") from exc
    except RenderTimeout as exc:
        raise TemplateRenderError(path, f"takes longer than {MAX_RENDER_SECONDS:g} s to render") from exc
    except Exception as exc:
        raise TemplateRenderError(path, f"{_template_line(exc)}{failure_reason(exc)}") from exc
    return "".join(out)


def _template_line(exc: Exception) -> str:
    """``line N: `` from the frame jinja2 adds to a traceback for the template line that failed."""
    tb, lineno = exc.__traceback__, None
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return f"line {lineno}: " if lineno else ""


class Lru:
    """A small thread-safe LRU map (the API renders in a thread pool)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


# (tenant, key, version, channel, locale, field) -> (source, compiled). The source is kept to
# recompile if a version number was ever reused (a rolled-back save), which costs one comparison.
COMPILED = Lru(8192)


def failure_reason(exc: BaseException) -> str:
    if isinstance(exc, SecurityError):
        return f"not allowed in a template: {exc}"
    return f"{type(exc).__name__}: {exc}"

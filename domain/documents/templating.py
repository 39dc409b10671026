"""A document template's Jinja2 HTML rendered in the tenant sandbox (``domain/sandbox.py``), with
filters that word money, numbers and dates for the document's locale.

Filters (the locale is the document's): ``{{ total | money("EUR") }}`` (or ``{{ total | money }}``
for Keel's money object ``{"value": "12.30", "currency": "EUR"}``), ``{{ qty | number(2) }}``,
``{{ issued | date }}`` / ``date("long")`` for an ISO day, ``{{ sent_at | datetime("Europe/Berlin") }}``
for an ISO instant. A value that is missing is an error when printed or looped over; ``{% if x %}``,
``x is defined`` and ``x | default(...)`` test for it.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from jinja2.sandbox import SecurityError

from domain.errors import ValidationFailed
from domain.locales import format_amount, format_day, format_instant, format_number
from domain.sandbox import (
    MAX_RENDER_MEMORY,
    RenderTimeout,
    RenderTooLarge,
    SafeUndefined,
    Sandbox,
    deadline,
    template_line,
)

MAX_SOURCE_CHARS = 1_000_000  # a template's content or css, as stored
MAX_HTML_CHARS = 5_000_000  # the HTML a render produces (data: images included)
MAX_RENDER_SECONDS = 2.0  # the Jinja part of one document

_MB = MAX_RENDER_MEMORY >> 20
_LOCALE: ContextVar[str] = ContextVar("keel_document_locale", default="en")


class FilterError(ValueError):
    """A filter given a value it cannot word: its message is shown as it is."""


class _Undefined(SafeUndefined, jinja2.StrictUndefined):
    """Missing data fails when used, except in a test (``{% if x %}`` is false)."""

    __slots__ = ()

    def __bool__(self) -> bool:  # type: ignore[override]  # StrictUndefined's raises
        return False


def _localised(word: Callable[..., str]) -> Callable[..., str]:
    """A filter that words its value for the locale being rendered; bad values are FilterErrors."""

    @functools.wraps(word)
    def jinja_filter(value: Any, *args: Any) -> str:
        if isinstance(value, jinja2.Undefined):
            str(value)  # raises UndefinedError naming the missing value
        try:
            return word(value, _LOCALE.get(), *args)
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise FilterError(f"{word.__name__}: {exc}") from exc

    return jinja_filter


def money(value: Any, locale: str, currency: str | None = None) -> str:
    return format_amount(value, currency, locale)


def number(value: Any, locale: str, decimals: int | None = None) -> str:
    return format_number(value, locale, decimals)


def date(value: Any, locale: str, style: str = "medium") -> str:
    return format_day(value, locale, style)


def datetime(value: Any, locale: str, timezone: str | None = None) -> str:
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("expects an ISO instant such as 2026-03-01T09:30:00Z")
    if timezone is not None:  # the shared wording falls back to UTC; a document names its zone on purpose
        try:
            zoneinfo.ZoneInfo(str(timezone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{str(timezone)[:40]!r} is not a time zone such as Europe/Berlin") from exc
    return format_instant(value, locale, timezone)


def _environment() -> Sandbox:
    env = Sandbox(autoescape=True, undefined=_Undefined, keep_trailing_newline=True)
    for word in (money, number, date, datetime):
        env.filters[word.__name__] = _localised(word)
    return env


_ENV = _environment()


def check_locale(locale: str) -> str:
    """``de-DE`` or ``de_DE`` when Babel knows it (as given); otherwise a ValidationFailed on ``locale``."""
    if not isinstance(locale, str) or not 0 < len(locale) <= 35:
        raise ValidationFailed.one("locale", "must be a language tag such as en, de-DE or pt-BR")
    try:
        Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise ValidationFailed.one("locale", f"{locale!r} is not a locale Keel knows") from exc
    return locale


@functools.lru_cache(maxsize=64)
def _compile(source: str) -> jinja2.Template:
    return _ENV.from_string(source)


def compile_content(content: str) -> jinja2.Template:
    """The compiled template, or a ValidationFailed on ``content`` with the line of a syntax error."""
    if len(content) > MAX_SOURCE_CHARS:
        raise ValidationFailed.one("content", f"has more than {MAX_SOURCE_CHARS} characters")
    try:
        with deadline(MAX_RENDER_SECONDS):
            return _compile(content)
    except jinja2.TemplateSyntaxError as exc:
        raise ValidationFailed.one("content", f"line {exc.lineno}: {exc.message}") from exc
    except (RecursionError, SyntaxError, MemoryError) as exc:  # Python's own limits on the compiled code
        raise ValidationFailed.one("content", "is nested too deeply to compile") from exc
    except RenderTimeout as exc:
        raise ValidationFailed.one("content", "takes too long to compile") from exc


def render_html(
    content: str,
    data: Mapping[str, Any],
    locale: str = "en",
    *,
    max_chars: int = MAX_HTML_CHARS,
    seconds: float = MAX_RENDER_SECONDS,
) -> str:
    """The template rendered with ``data``, bounded in size, time and memory.

    Failures are ValidationFailed on ``data`` (a value the template reads is missing) or on
    ``content`` (anything else), with the template line where jinja2 knows it.
    """
    template = compile_content(content)
    if not isinstance(data, Mapping) or not all(isinstance(key, str) for key in data):
        raise ValidationFailed.one("data", "must be an object")
    token = _LOCALE.set(check_locale(locale))
    out: list[str] = []
    size = 0
    try:
        with deadline(seconds):
            for chunk in template.generate(dict(data)):
                size += len(chunk)
                if size > max_chars:
                    raise ValidationFailed.one("content", f"renders to more than {max_chars} characters")
                out.append(chunk)
    except ValidationFailed:
        raise
    except RenderTooLarge as exc:
        raise ValidationFailed.one("content", f"needs more than {_MB} MB to render") from exc
    except RenderTimeout as exc:
        raise ValidationFailed.one("content", f"takes longer than {seconds:g} s to render") from exc
    except Exception as exc:
        raise _failure(exc) from exc
    finally:
        _LOCALE.reset(token)
    return "".join(out)


def _failure(exc: Exception) -> ValidationFailed:
    line = template_line(exc)
    at = f"line {line}: " if line else ""
    if isinstance(exc, jinja2.UndefinedError):
        return ValidationFailed.one("data", f"{at}{exc.message}")
    if isinstance(exc, SecurityError):
        return ValidationFailed.one("content", f"{at}not allowed in a template: {exc}")
    if isinstance(exc, FilterError):
        return ValidationFailed.one("content", f"{at}{exc}")
    return ValidationFailed.one("content", f"{at}{type(exc).__name__}: {exc}")

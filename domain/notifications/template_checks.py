"""Checking a template when it is saved: every field compiles and test-renders in the sandbox, so
sending does not fail on a typo."""

from __future__ import annotations

import operator
import time
from collections.abc import Callable
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SecurityError

from domain.errors import FieldError, ValidationFailed
from domain.notifications.errors import TemplateRenderError
from domain.notifications.schemas import CHANNELS, TemplateIn, normalise_locale
from domain.notifications.template_engine import (
    CHANNEL_FIELDS,
    LENIENT,
    MET_UNDEFINED,
    compile_field,
    environment,
    failure_reason,
    run_field,
)
from domain.sandbox import RenderTimeout, check_binop

MAX_LOCALES = 100
MAX_CHECK_SECONDS = 5.0  # all the trial renders of one save together


def check(body: TemplateIn) -> dict[str, dict[str, dict[str, str]]]:
    """Every problem of a template at once, as field errors; returns channels with canonical locales."""
    errors: list[FieldError] = []
    channels: dict[str, dict[str, dict[str, str]]] = {}
    for channel, locales in body.channels.items():
        if channel not in CHANNEL_FIELDS:
            errors.append(FieldError(f"channels.{channel}", f"unknown channel; use {', '.join(CHANNELS)}"))
            continue
        if not locales:
            errors.append(FieldError(f"channels.{channel}", "needs content for at least one locale"))
        if len(locales) > MAX_LOCALES:
            errors.append(FieldError(f"channels.{channel}", f"at most {MAX_LOCALES} locales"))
            continue
        channels[channel] = {}
        for locale, fields in locales.items():
            errors += _check_locale(channel, locale, fields, channels[channel])
        if channels[channel] and body.default_locale not in channels[channel]:
            errors.append(
                FieldError(
                    "default_locale",
                    f"{body.default_locale} has no {channel} content; add channels.{channel}."
                    f"{body.default_locale}",
                )
            )
    if not errors:
        errors = _check_rendering(channels, body.sample_data)
    if errors:
        raise ValidationFailed(
            errors, "The template is not valid: " + "; ".join(f"{e.field}: {e.message}" for e in errors[:3])
        )
    return channels


def _check_locale(
    channel: str, locale: str, fields: dict[str, str], into: dict[str, dict[str, str]]
) -> list[FieldError]:
    at = f"channels.{channel}.{locale}"
    try:
        canonical = normalise_locale(locale)
    except ValueError as exc:
        return [FieldError(at, str(exc))]
    if canonical in into:
        return [FieldError(at, f"{canonical} is given twice")]
    allowed = CHANNEL_FIELDS[channel]
    errors = [
        FieldError(f"{at}.{name}", f"unknown field for {channel}; use {', '.join(allowed)}")
        for name in fields
        if name not in allowed
    ]
    present = {name for name, source in fields.items() if source.strip()}
    if channel == "email":
        if "subject" not in present:
            errors.append(FieldError(f"{at}.subject", "an email needs a subject"))
        if not present & {"html", "text"}:
            errors.append(FieldError(f"{at}.text", "an email needs html or text (or both)"))
    elif (required := "text" if channel == "sms" else "title") not in present:
        errors.append(FieldError(f"{at}.{required}", f"{channel} needs {required}"))
    into[canonical] = {name: source for name, source in fields.items() if name in allowed}
    return errors


def _check_rendering(
    channels: dict[str, dict[str, dict[str, str]]], sample: dict[str, Any] | None
) -> list[FieldError]:
    """Compile every field and render it in the sandbox, with the sample data or with none.

    Without sample data a failure that depends on the data (a TypeError on a missing number) is
    let through; a syntax error, a sandbox violation, a constant that cannot be computed
    (``{{ 1 // 0 }}``) or a failure met before any data was read never is.
    """
    errors: list[FieldError] = []
    started = time.monotonic()
    token = LENIENT.set(sample is None)
    try:
        for channel, locales in channels.items():
            for locale, fields in locales.items():
                for name, source in fields.items():
                    path = f"channels.{channel}.{locale}.{name}"
                    if time.monotonic() - started > MAX_CHECK_SECONDS:
                        return [*errors, FieldError(path, "the template takes too long to check")]
                    errors += _check_field(channel, name, source, path, sample)
    finally:
        LENIENT.reset(token)
    return errors


def _check_field(
    channel: str, name: str, source: str, path: str, sample: dict[str, Any] | None
) -> list[FieldError]:
    template = None
    try:
        template = compile_field(channel, name, source, path)
        _constant_errors(channel, name, source, path)
    except TemplateRenderError as exc:
        return [FieldError(path, exc.reason)]
    met = [0]
    token = MET_UNDEFINED.set(met)
    try:
        run_field(template, sample or {}, path)
    except TemplateRenderError as exc:
        if sample is None and met[0] and _depends_on_data(exc.__cause__):
            return []
        return [FieldError(path, exc.reason)]
    finally:
        MET_UNDEFINED.reset(token)
    return []


def _constant_errors(channel: str, name: str, source: str, path: str) -> None:
    """Fold every constant expression as the compiler would; one that raises can never render."""
    tree = environment(channel, name).parse(source)
    for node in tree.find_all(nodes.Expr):
        try:
            if isinstance(node, nodes.BinExpr) and node.operator in _FOLDED_BY_US:
                left, right = node.left.as_const(), node.right.as_const()
                check_binop(node.operator, left, right)
                _FOLDED_BY_US[node.operator](left, right)
            else:
                node.as_const()
        except nodes.Impossible as exc:
            cause = exc.__cause__
            if cause is not None and not isinstance(cause, nodes.Impossible):
                raise TemplateRenderError(path, f"line {node.lineno}: {failure_reason(cause)}") from cause
        except Exception as exc:  # any failure to compute a constant is the template's
            raise TemplateRenderError(path, f"line {node.lineno}: {failure_reason(exc)}") from exc


# The sandbox does not let Jinja fold the operators it checks: fold them here, checked first.
_FOLDED_BY_US: dict[str, Callable[[Any, Any], Any]] = {
    "*": operator.mul,
    "**": operator.pow,
    "+": operator.add,
    "%": operator.mod,
}


def _depends_on_data(cause: BaseException | None) -> bool:
    """A failure that real data may avoid: a missing value used as a number, a type mismatch."""
    if cause is None or isinstance(cause, SecurityError | RenderTimeout):
        return False
    return isinstance(cause, jinja2.UndefinedError) or not isinstance(cause, jinja2.TemplateError)

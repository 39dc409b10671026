"""Notification templates: versioned, per channel and locale, rendered in a Jinja sandbox.

A saved version never changes (a PUT writes the next one), so rows and compiled templates are cached
by (tenant, key, version) in the process; finding the latest version costs one indexed query.
A template is checked when saved (compiles, test-renders in the sandbox), so sending does not fail
on a typo.
"""

from __future__ import annotations

import dataclasses
import operator
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SecurityError
from sqlalchemy import and_, case, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from adapters import cache
from db.models import NotificationTemplate
from domain.audit import service as audit
from domain.context import TenantContext
from domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from domain.notifications import variables
from domain.notifications.defaults import BUILTINS
from domain.notifications.errors import TemplateMissingChannel, TemplateRenderError
from domain.notifications.sandbox import (
    MAX_OUTPUT,
    MAX_RENDER_MEMORY,
    MAX_RENDER_SECONDS,
    RenderTimeout,
    RenderTooLarge,
    Sandbox,
    check_binop,
    deadline,
)
from domain.notifications.schemas import CHANNELS, TemplateCreate, TemplateIn, normalise_locale
from domain.pagination import clamp_limit

CHANNEL_FIELDS: dict[str, tuple[str, ...]] = {
    "email": ("subject", "html", "text"),
    "sms": ("text",),
    "push": ("title", "body"),
    "in_app": ("title", "body"),
}
MAX_LOCALES = 100
MAX_CHECK_SECONDS = 5.0  # all the trial renders of one save together

# --- The sandbox -------------------------------------------------------------------------------

# Set while a template is checked at save time without sample data: undefined values then chain
# (``x.y()``) instead of failing, so only the template itself is judged, not the missing data.
_LENIENT: ContextVar[bool] = ContextVar("keel_template_lenient", default=False)
# While checking: how many undefined values the trial render met. A failure after none is a failure
# of the template itself (``{{ 1 // 0 }}``, ``range(10**7)``), whatever data a send brings.
_MET_UNDEFINED: ContextVar[list[int] | None] = ContextVar("keel_template_met_undefined", default=None)


class _Undefined(jinja2.Undefined):
    """jinja2's default Undefined (renders as ""), except that touching an unsafe attribute fails."""

    __slots__ = ()

    def __init__(
        self,
        hint: str | None = None,
        obj: Any = jinja2.runtime.missing,
        name: str | None = None,
        exc: type[jinja2.TemplateRuntimeError] = jinja2.UndefinedError,
    ) -> None:
        if exc is SecurityError:  # the sandbox's "unsafe attribute": default Undefined would print ""
            raise SecurityError(hint or f"access to {name!r} is unsafe")
        met = _MET_UNDEFINED.get()
        if met is not None:
            met[0] += 1
        super().__init__(hint, obj, name, exc)

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
        if _LENIENT.get():
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


def _env(channel: str, field: str) -> Sandbox:
    return _HTML if (channel, field) == ("email", "html") else _TEXT


def _compile(channel: str, field: str, source: str, path: str) -> jinja2.Template:
    try:
        return _env(channel, field).from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateRenderError(path, f"line {exc.lineno}: {exc.message}") from exc
    except (RecursionError, SyntaxError, MemoryError) as exc:  # Python's own limits on the compiled code
        raise TemplateRenderError(path, "is nested too deeply to compile") from exc


def _run(template: jinja2.Template, data: Mapping[str, Any], path: str) -> str:
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
        raise TemplateRenderError(path, f"{_template_line(exc)}{_reason(exc)}") from exc
    return "".join(out)


def _template_line(exc: Exception) -> str:
    """``line N: `` from the frame jinja2 adds to a traceback for the template line that failed."""
    tb, lineno = exc.__traceback__, None
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return f"line {lineno}: " if lineno else ""


class _Lru:
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
_COMPILED = _Lru(8192)
# (tenant, key) -> the latest TemplateView seen. A given version is cached by adapters.cache.
_LATEST = _Lru(4096)
CACHE_KIND = "notification_template"


def clear_caches() -> None:
    _COMPILED.clear()
    _LATEST.clear()
    cache.invalidate_kind(CACHE_KIND)


# --- Reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateView:
    """One version of a template, saved by the tenant or built in (version 0). Do not mutate."""

    key: str
    version: int
    category: str
    description: str | None
    default_locale: str
    channels: Mapping[str, Mapping[str, Mapping[str, str]]]
    builtin: bool
    id: uuid.UUID | None = None
    created_at: datetime | None = None
    created_by: uuid.UUID | None = None


@dataclass(frozen=True)
class Rendered:
    key: str
    version: int  # 0 for a built-in template
    locale: str  # the locale actually used
    fields: dict[str, str]  # every field of the channel; "" for one the template leaves out


def _view(row: Any) -> TemplateView:
    """From an ORM row or a result row with the same column names."""
    return TemplateView(
        key=row.key,
        version=row.version,
        category=row.category,
        description=row.description,
        default_locale=row.default_locale,
        channels=row.channels,
        builtin=False,
        id=row.id,
        created_at=row.created_at,
        created_by=row.created_by,
    )


def builtin(key: str) -> TemplateView | None:
    spec = BUILTINS.get(key)
    if spec is None:
        return None
    return TemplateView(
        key=key,
        version=0,
        category=spec["category"],
        description=spec["description"],
        default_locale=spec["default_locale"],
        channels=spec["channels"],
        builtin=True,
    )


def _active(ctx: TenantContext, key: str) -> Any:
    return and_(
        NotificationTemplate.tenant_id == ctx.tenant_id,
        NotificationTemplate.key == key,
        NotificationTemplate.deleted_at.is_(None),
    )


def _latest(session: Session, ctx: TenantContext, key: str) -> TemplateView | None:
    """The tenant's latest version in one indexed query; its content is fetched only when the cached
    version is not the latest (or vanished, e.g. a rolled-back save)."""
    cached: TemplateView | None = _LATEST.get((ctx.tenant_id, key))
    known = cached.id if cached is not None else None
    t = NotificationTemplate
    row = session.execute(
        select(
            t.id,
            t.key,
            t.version,
            t.category,
            t.description,
            t.default_locale,
            t.created_at,
            t.created_by,
            case((t.id == known, None), else_=t.channels).label("channels"),
        )
        .where(_active(ctx, key))
        .order_by(t.version.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    if cached is not None and row.id == cached.id:
        return cached
    view = _view(row)
    _LATEST.put((ctx.tenant_id, key), view)
    return view


def _version(session: Session, ctx: TenantContext, key: str, version: int) -> TemplateView | None:
    if version == 0:
        return builtin(key)

    def load() -> TemplateView | None:
        row = session.scalars(
            select(NotificationTemplate).where(_active(ctx, key), NotificationTemplate.version == version)
        ).first()
        return None if row is None else _view(row)

    return cache.get_or_load(
        CACHE_KIND, f"{ctx.tenant_id}:{key}:{version}", load, encode=_encode, decode=_decode
    )


def _encode(view: TemplateView) -> dict[str, Any]:
    data = dataclasses.asdict(view)
    return data | {k: None if data[k] is None else str(data[k]) for k in ("id", "created_at", "created_by")}


def _decode(data: dict[str, Any]) -> TemplateView:
    ids = {k: None if data[k] is None else uuid.UUID(data[k]) for k in ("id", "created_by")}
    created = None if data["created_at"] is None else datetime.fromisoformat(data["created_at"])
    return TemplateView(**data | ids | {"created_at": created})


def resolve(session: Session, ctx: TenantContext, key: str, version: int | None = None) -> TemplateView:
    """The tenant's latest version of ``key`` (or ``version``), else the built-in of that key."""
    if version is None:
        view = _latest(session, ctx, key) or builtin(key)
    else:
        view = _version(session, ctx, key, version)
    if view is None:
        raise NotFound("notification template", key if version is None else f"{key} version {version}")
    return view


def channels_of(session: Session, ctx: TenantContext, key: str) -> frozenset[str]:
    return frozenset(c for c, locales in resolve(session, ctx, key).channels.items() if locales)


def category_of(session: Session, ctx: TenantContext, key: str) -> str:
    return resolve(session, ctx, key).category


def get(session: Session, ctx: TenantContext, key: str, version: int | None = None) -> TemplateView:
    """``resolve`` for a caller who must hold the read permission (the API)."""
    ctx.require("notification_templates:read")
    return resolve(session, ctx, key, version)


def preview(
    session: Session,
    ctx: TenantContext,
    key: str,
    channel: str,
    locale: str | None,
    data: dict[str, Any],
    version: int | None = None,
) -> Rendered:
    ctx.require("notification_templates:read")
    return render(session, ctx, key, channel, locale, data, version)


# --- Rendering ---------------------------------------------------------------------------------


def pick_locale(available: Mapping[str, Any], wanted: str | None, default: str) -> str:
    """``pt-BR`` -> ``pt`` -> the template's default locale -> any (the first in order)."""
    by_lower = {loc.lower(): loc for loc in available}
    tried: list[str] = []
    if wanted:
        parts = wanted.replace("_", "-").lower().split("-")
        tried = ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]
    for candidate in (*tried, default.lower()):
        if candidate in by_lower:
            return by_lower[candidate]
    return sorted(available)[0]


def render_view(
    view: TemplateView,
    channel: str,
    locale: str | None,
    data: Mapping[str, Any],
    *,
    tenant_id: uuid.UUID | None = None,
) -> Rendered:
    locales = view.channels.get(channel) if channel in CHANNEL_FIELDS else None
    if not locales:
        raise TemplateMissingChannel(view.key, channel, {c for c, v in view.channels.items() if v})
    used = pick_locale(locales, locale, view.default_locale)
    content = locales[used]
    fields: dict[str, str] = {}
    for name in CHANNEL_FIELDS[channel]:
        source = content.get(name) or ""
        if not source:
            fields[name] = ""
            continue
        cache_key = (None if view.builtin else tenant_id, view.key, view.version, channel, used, name)
        hit = _COMPILED.get(cache_key)
        if hit is not None and hit[0] == source:
            template = hit[1]
        else:
            template = _compile(channel, name, source, f"channels.{channel}.{used}.{name}")
            _COMPILED.put(cache_key, (source, template))
        fields[name] = _run(template, data, f"channels.{channel}.{used}.{name}")
    return Rendered(view.key, view.version, used, fields)


def render(
    session: Session,
    ctx: TenantContext,
    key: str,
    channel: str,
    locale: str | None,
    data: dict[str, Any],
    version: int | None = None,
) -> Rendered:
    """Render one channel of a template. Undefined variables render as ""; a runtime error raises
    ``TemplateRenderError``; a channel the template lacks raises ``TemplateMissingChannel``."""
    view = resolve(session, ctx, key, version)
    return render_view(view, channel, locale, data, tenant_id=ctx.tenant_id)


# --- Checking and saving -----------------------------------------------------------------------


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
    token = _LENIENT.set(sample is None)
    try:
        for channel, locales in channels.items():
            for locale, fields in locales.items():
                for name, source in fields.items():
                    path = f"channels.{channel}.{locale}.{name}"
                    if time.monotonic() - started > MAX_CHECK_SECONDS:
                        return [*errors, FieldError(path, "the template takes too long to check")]
                    errors += _check_field(channel, name, source, path, sample)
    finally:
        _LENIENT.reset(token)
    return errors


def _check_field(
    channel: str, name: str, source: str, path: str, sample: dict[str, Any] | None
) -> list[FieldError]:
    template = None
    try:
        template = _compile(channel, name, source, path)
        _constant_errors(channel, name, source, path)
    except TemplateRenderError as exc:
        return [FieldError(path, exc.reason)]
    met = [0]
    token = _MET_UNDEFINED.set(met)
    try:
        _run(template, sample or {}, path)
    except TemplateRenderError as exc:
        if sample is None and met[0] and _depends_on_data(exc.__cause__):
            return []
        return [FieldError(path, exc.reason)]
    finally:
        _MET_UNDEFINED.reset(token)
    return []


def _constant_errors(channel: str, name: str, source: str, path: str) -> None:
    """Fold every constant expression as the compiler would; one that raises can never render."""
    tree = _env(channel, name).parse(source)
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
                raise TemplateRenderError(path, f"line {node.lineno}: {_reason(cause)}") from cause
        except Exception as exc:  # any failure to compute a constant is the template's
            raise TemplateRenderError(path, f"line {node.lineno}: {_reason(exc)}") from exc


# The sandbox does not let Jinja fold the operators it checks: fold them here, checked first.
_FOLDED_BY_US: dict[str, Callable[[Any, Any], Any]] = {
    "*": operator.mul,
    "**": operator.pow,
    "+": operator.add,
    "%": operator.mod,
}


def _reason(exc: BaseException) -> str:
    if isinstance(exc, SecurityError):
        return f"not allowed in a template: {exc}"
    return f"{type(exc).__name__}: {exc}"


def _depends_on_data(cause: BaseException | None) -> bool:
    """A failure that real data may avoid: a missing value used as a number, a type mismatch."""
    if cause is None or isinstance(cause, SecurityError | RenderTimeout):
        return False
    return isinstance(cause, jinja2.UndefinedError) or not isinstance(cause, jinja2.TemplateError)


# --- Variables ---------------------------------------------------------------------------------


def variables_of(view: TemplateView, channels: Iterable[str] | None = None) -> tuple[list[str], list[str]]:
    """(the variables ``view`` reads, those it requires) over ``channels`` (default: all), sorted."""
    read: set[str] = set()
    required: set[str] = set()
    for channel, locales in view.channels.items():
        if channels is not None and channel not in channels:
            continue
        for locale in locales.values():
            for name, source in locale.items():
                if not source:
                    continue
                try:
                    found, needed = variables.of_source(_env(channel, name), source)
                except (jinja2.TemplateSyntaxError, RecursionError):  # saved before a check existed
                    continue
                read |= found
                required |= needed
    return sorted(read), sorted(required)


def require_variables(
    view: TemplateView, channels: Iterable[str], data: Mapping[str, Any], *, field: str = "data"
) -> None:
    """A 422 naming each variable the channels' content needs and ``data`` lacks (or holds null)."""
    _, required = variables_of(view, list(channels))
    missing = [name for name in required if data.get(name) is None]
    if missing:
        raise ValidationFailed(
            [FieldError(f"{field}.{name}", f"template {view.key!r} needs this variable") for name in missing],
            f"Template {view.key!r} needs {', '.join(missing)} in {field}.",
        )


def create(session: Session, ctx: TenantContext, body: TemplateCreate) -> TemplateView:
    """Version 1 of a tenant template (it then wins over a built-in of the same key)."""
    ctx.require("notification_templates:write")
    if session.scalar(select(NotificationTemplate.id).where(_active(ctx, body.key)).limit(1)):
        raise Conflict(
            f"Template {body.key!r} exists; PUT /api/v1/notification-templates/{body.key} changes it.",
            {"key": body.key},
        )
    return _insert(session, ctx, body.key, 1, body, "notification_template.created")


def update(
    session: Session, ctx: TenantContext, key: str, body: TemplateIn, current: TemplateView | None = None
) -> TemplateView:
    """The next version of ``key`` (version 1 when only the built-in exists). ``current`` is the
    version the caller saw (checked against ``If-Match`` by the API); omitted, it is looked up."""
    ctx.require("notification_templates:write")
    if body.key is not None and body.key != key:
        raise ValidationFailed.one("key", f"does not match the path ({key})")
    current = current or _latest(session, ctx, key) or builtin(key)
    if current is None:
        raise NotFound("notification template", key)
    return _insert(session, ctx, key, current.version + 1, body, "notification_template.updated")


def _insert(
    session: Session, ctx: TenantContext, key: str, version: int, body: TemplateIn, action: str
) -> TemplateView:
    channels = check(body)
    row = NotificationTemplate(
        tenant_id=ctx.tenant_id,
        key=key,
        version=version,
        category=body.category,
        description=body.description,
        default_locale=body.default_locale,
        channels=channels,
        created_by=ctx.user_id,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:  # another save of the same key won the race for this version
        raise Conflict(f"Template {key!r} changed at the same time; read it again and retry.") from exc
    # A number reused after a rolled-back save must not serve the content of the one rolled back.
    cache.invalidate(CACHE_KIND, f"{ctx.tenant_id}:{key}:{version}", session=session)
    audit.record(
        session,
        ctx,
        action,
        "notification_template",
        key,
        {"version": [version - 1 or None, version], "category": [None, body.category]},
    )
    return _view(row)


def versions(
    session: Session, ctx: TenantContext, key: str, *, limit: int | None, before: int | None
) -> tuple[list[TemplateView], int | None]:
    """The versions of ``key``, newest first (a built-in last, as version 0), and the next ``before``."""
    ctx.require("notification_templates:read")
    size = clamp_limit(limit)
    stmt = select(NotificationTemplate).where(_active(ctx, key))
    if before is not None:
        stmt = stmt.where(NotificationTemplate.version < before)
    stmt = stmt.order_by(NotificationTemplate.version.desc()).limit(size + 1)
    found = [_view(r) for r in session.scalars(stmt)]
    base = builtin(key)
    if base is not None and (before is None or before > 0):
        found.append(base)
    if not found and before is None:
        raise NotFound("notification template", key)
    page = found[:size]
    return page, page[-1].version if len(found) > size else None


def latest_all(
    session: Session, ctx: TenantContext, *, limit: int | None, after: str | None
) -> tuple[list[TemplateView], str | None]:
    """The latest version of each key, tenant ones and built-ins not overridden, by key."""
    ctx.require("notification_templates:read")
    size = clamp_limit(limit)
    stmt = (
        select(NotificationTemplate)
        .where(NotificationTemplate.tenant_id == ctx.tenant_id, NotificationTemplate.deleted_at.is_(None))
        .distinct(NotificationTemplate.key)
        .order_by(NotificationTemplate.key, NotificationTemplate.version.desc())
        .limit(size + 1)
    )
    if after is not None:
        stmt = stmt.where(NotificationTemplate.key > after)
    own = {r.key: _view(r) for r in session.scalars(stmt)}
    # Built-ins past the last tenant key fetched may belong to a later page: stop at it when full.
    horizon = max(own) if len(own) > size else None
    for key in BUILTINS:
        if key not in own and (after is None or key > after) and (horizon is None or key < horizon):
            view = builtin(key)
            assert view is not None
            own[key] = view
    ordered = [own[k] for k in sorted(own)]
    page, rest = ordered[:size], ordered[size:]
    return page, page[-1].key if rest else None

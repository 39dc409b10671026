"""Notification templates: versioned, per channel and locale, rendered in a Jinja sandbox.

A saved version never changes (a PUT writes the next one), so rows and compiled templates are cached
by (tenant, key, version) in the process; finding the latest version costs one indexed query.
A template is checked when saved (compiles, test-renders in the sandbox), so sending does not fail
on a typo.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

import jinja2
from sqlalchemy import and_, case, select
from sqlalchemy.orm import Session

from adapters import cache
from db.models import NotificationTemplate
from domain.audit import service as audit
from domain.context import TenantContext
from domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from domain.notifications import variables
from domain.notifications.defaults import BUILTINS
from domain.notifications.errors import TemplateMissingChannel
from domain.notifications.schemas import TemplateCreate, TemplateIn
from domain.notifications.template_checks import check
from domain.notifications.template_engine import (
    CHANNEL_FIELDS,
    COMPILED,
    Lru,
    compile_field,
    environment,
    run_field,
)
from domain.outputs import from_row
from domain.pagination import clamp_limit
from domain.queries import live, mine
from domain.unique import add_unique

# --- Caches ------------------------------------------------------------------------------------
# (tenant, key) -> the latest TemplateView seen. A given version is cached by adapters.cache.
_LATEST = Lru(4096)
CACHE_KIND = "notification_template"
P = ParamSpec("P")
R = TypeVar("R")


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

    def channels_with_content(self) -> frozenset[str]:
        """The channels with content in at least one locale."""
        return frozenset(c for c, locales in self.channels.items() if locales)


@dataclass(frozen=True)
class Rendered:
    key: str
    version: int  # 0 for a built-in template
    locale: str  # the locale actually used
    fields: dict[str, str]  # every field of the channel; "" for one the template leaves out


def _view(row: Any) -> TemplateView:
    """From an ORM row or a result row with the same column names."""
    return from_row(TemplateView, row, builtin=False)


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
    return and_(*mine(ctx, NotificationTemplate), NotificationTemplate.key == key)


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


def to_send(session: Session, ctx: TenantContext, key: str) -> TemplateView:
    """``resolve`` for a send: a template that is not there is the request's fault (422), not a 404."""
    try:
        return resolve(session, ctx, key)
    except NotFound as exc:
        raise ValidationFailed.one("template", f"no notification template {key!r}") from exc


def channels_of(session: Session, ctx: TenantContext, key: str) -> frozenset[str]:
    return resolve(session, ctx, key).channels_with_content()


def category_of(session: Session, ctx: TenantContext, key: str) -> str:
    return resolve(session, ctx, key).category


def _for_readers(
    read: Callable[Concatenate[Session, TenantContext, P], R],
) -> Callable[Concatenate[Session, TenantContext, P], R]:
    """``read`` for a caller who must hold the read permission (the API)."""

    def checked(session: Session, ctx: TenantContext, /, *args: P.args, **kwargs: P.kwargs) -> R:
        ctx.require("notification_templates:read")
        return read(session, ctx, *args, **kwargs)

    return checked


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
        hit = COMPILED.get(cache_key)
        if hit is not None and hit[0] == source:
            template = hit[1]
        else:
            template = compile_field(channel, name, source, f"channels.{channel}.{used}.{name}")
            COMPILED.put(cache_key, (source, template))
        fields[name] = run_field(template, data, f"channels.{channel}.{used}.{name}")
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


get = _for_readers(resolve)
preview = _for_readers(render)


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
                    found, needed = variables.of_source(environment(channel, name), source)
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


# --- Saving ------------------------------------------------------------------------------------


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
    row = NotificationTemplate.new(
        ctx,
        key=key,
        version=version,
        **body.model_dump(include={"category", "description", "default_locale"}),
        channels=channels,
        created_by=ctx.user_id,
    )
    # Another save of the same key may have taken this version number first.
    add_unique(
        session,
        row,
        lambda _: Conflict(f"Template {key!r} changed at the same time; read it again and retry."),
    )
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
        live(ctx, NotificationTemplate)
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

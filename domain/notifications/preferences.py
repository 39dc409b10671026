"""A user's notification preferences, and the pure decision whether (and when) a message goes out."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from adapters.safe_http import Resolver, resolve
from db.models import NotificationPreference
from domain.audit import service as audit
from domain.context import TenantContext
from domain.errors import FieldError, PermissionDenied, ValidationFailed
from domain.notifications.schemas import PreferencesIn, PreferencesOut, QuietHours
from domain.queries import live
from domain.webhooks import destinations

FIELDS = ["phone", "timezone", "locale", "quiet_hours", "opt_out", "push_endpoints"]
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class SendDecision:
    send: bool
    reason: str | None  # why not sent, or why sent despite a preference
    wait_until: datetime | None  # UTC; set when quiet hours defer a non-urgent message


def for_user(session: Session, ctx: TenantContext, user_id: uuid.UUID) -> NotificationPreference | None:
    return session.scalar(live(ctx, NotificationPreference).where(NotificationPreference.user_id == user_id))


def _me(ctx: TenantContext) -> uuid.UUID:
    if ctx.user_id is None:
        raise PermissionDenied(
            "Notification preferences belong to a user; this credential acts for no user. "
            "Use a user's access token or an API key created by that user."
        )
    return ctx.user_id


def out(prefs: NotificationPreference | None, critical: frozenset[str]) -> PreferencesOut:
    """The preferences as the API shows them; the defaults when none were saved."""
    return PreferencesOut(
        phone=prefs.phone if prefs else None,
        timezone=prefs.timezone if prefs else "UTC",
        locale=prefs.locale if prefs else "en",
        quiet_hours=QuietHours(**prefs.quiet_hours) if prefs and prefs.quiet_hours else None,
        opt_out=dict(prefs.opt_out) if prefs else {},
        push_endpoints=list(prefs.push_endpoints) if prefs else [],
        critical_categories=sorted(critical),
    )


def mine(session: Session, ctx: TenantContext, critical: frozenset[str]) -> PreferencesOut:
    return out(for_user(session, ctx, _me(ctx)), critical)


def replace_mine(
    session: Session,
    ctx: TenantContext,
    body: PreferencesIn,
    *,
    critical: frozenset[str],
    production: bool,
    allow_private: str = "",
    resolver: Resolver = resolve,
) -> PreferencesOut:
    """Replace the caller's preferences. Critical categories cannot be opted out of; plain http push
    endpoints are allowed only on this machine, and never in production. Push endpoints pass the
    webhooks' SSRF guard when saved (private, loopback, link-local... refused unless ``allow_private``
    names them), and again when a message is sent (``adapters.safe_http``)."""
    user_id = _me(ctx)
    errors = [
        FieldError(f"opt_out.{category}", f"{category} messages are critical and cannot be opted out of")
        for category in body.opt_out
        if category in critical
    ]
    for i, endpoint in enumerate(body.push_endpoints):
        url = urlsplit(endpoint)
        field = f"push_endpoints.{i}"
        if url.scheme == "http" and (production or url.hostname not in LOCAL_HOSTS):
            where = "" if production else " (http only for localhost while developing)"
            errors.append(FieldError(field, f"must be an https URL{where}"))
            continue
        try:
            destinations.check(endpoint, allow_private, resolver, field=field, https_only=production)
        except ValidationFailed as exc:
            errors.extend(exc.fields)
    if errors:
        raise ValidationFailed(errors, "The preferences are not valid: " + errors[0].message)
    prefs = for_user(session, ctx, user_id)
    before = audit.snapshot(prefs, FIELDS) if prefs else None
    values: dict[str, Any] = {
        "phone": body.phone,
        "timezone": body.timezone,
        "locale": body.locale,
        "quiet_hours": body.quiet_hours.model_dump() if body.quiet_hours else None,
        "opt_out": body.opt_out,
        "push_endpoints": body.push_endpoints,
    }
    if prefs is None:
        prefs = NotificationPreference(tenant_id=ctx.tenant_id, user_id=user_id, **values)
        session.add(prefs)
    else:
        for name, value in values.items():
            setattr(prefs, name, value)
    session.flush()
    changes = audit.diff(before, audit.snapshot(prefs, FIELDS))
    if changes:
        audit.record(
            session, ctx, "notification_preferences.updated", "notification_preferences", user_id, changes
        )
    return out(prefs, critical)


# --- The decision ------------------------------------------------------------------------------


def decide(
    prefs: NotificationPreference | None,
    *,
    category: str,
    channel: str,
    priority: str,
    now: datetime,
    critical: frozenset[str],
) -> SendDecision:
    """Send now, send at ``wait_until`` (quiet hours), or not at all (opted out). Pure, no I/O."""
    if prefs is None:
        return SendDecision(True, None, None)
    opted_out = channel in (prefs.opt_out or {}).get(category, ())
    if category in critical:
        return SendDecision(
            True, f"critical category {category}: sent despite the opt-out" if opted_out else None, None
        )
    if opted_out:
        return SendDecision(False, f"opted out of {category} by {channel}", None)
    if priority == "high" or channel == "in_app" or not prefs.quiet_hours:
        return SendDecision(True, None, None)
    zone = _zone(prefs.timezone)
    end = quiet_until(prefs.quiet_hours, zone, now)
    if end is None:
        return SendDecision(True, None, None)
    hours = prefs.quiet_hours
    return SendDecision(True, f"quiet hours {hours['start']}-{hours['end']} {zone.key}", end)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def quiet_until(hours: dict[str, Any], zone: ZoneInfo, now: datetime) -> datetime | None:
    """When ``now`` falls in the quiet hours, the UTC instant they end; otherwise None.

    The hours are wall-clock times in ``zone``; they may wrap midnight; start == end means none.
    """
    start, end = time.fromisoformat(hours["start"]), time.fromisoformat(hours["end"])
    if start == end:
        return None
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    local = now.astimezone(zone)
    t = local.time().replace(tzinfo=None)
    if start < end:
        inside, end_day = start <= t < end, local.date()
    else:  # wraps midnight: 22:00-07:00
        inside = t >= start or t < end
        end_day = local.date() + timedelta(days=1) if t >= start else local.date()
    if not inside:
        return None
    # A wall time that happens twice (autumn) ends at its first occurrence still ahead; one that does
    # not exist (spring) is read with the offset before the jump (02:30 -> 03:30 after it).
    for fold in (0, 1):
        instant = datetime.combine(end_day, end, tzinfo=zone).replace(fold=fold).astimezone(UTC)
        if instant > now:
            return instant
    return None

"""Operating a subscription: change it (PATCH), re-enable it, rotate its secret with an overlap."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from adapters.safe_http import Resolver, resolve
from db.models import Webhook
from domain.audit import service as audit
from domain.context import TenantContext
from domain.durations import parse_duration
from domain.webhooks import destinations, signing
from domain.webhooks.errors import ValidationFailed
from domain.webhooks.schemas import MAX_OVERLAP_SECONDS, RotateIn, WebhookPatch
from domain.webhooks.service import FIELDS, check_patterns, check_schedule, get_webhook
from keel.crypto import SecretBox


def update_webhook(
    session: Session,
    ctx: TenantContext,
    webhook_id: uuid.UUID,
    data: WebhookPatch,
    *,
    allow_private: str,
    resolver: Resolver = resolve,
) -> Webhook:
    """Apply the fields given; a new URL passes the SSRF guard again. Everything is checked before
    anything changes."""
    ctx.require("webhooks:write")
    hook = get_webhook(session, ctx, webhook_id)
    given = data.model_fields_set
    for name in ("url", "events", "active"):
        if name in given and getattr(data, name) is None:
            raise ValidationFailed.one(name, "may not be null")
    changes: dict[str, object] = {}
    if "url" in given and data.url is not None:
        changes["url"] = destinations.check(data.url, allow_private, resolver)
    if "events" in given and data.events is not None:
        changes["events"] = check_patterns(data.events)
    if "description" in given:
        changes["description"] = data.description
    if "retry_schedule" in given:
        schedule = data.retry_schedule
        changes["retry_schedule"] = check_schedule(schedule) if schedule is not None else None
    before = audit.snapshot(hook, FIELDS)
    for name, value in changes.items():
        setattr(hook, name, value)
    if "active" in given and data.active is not None and data.active != hook.active:
        hook.active = data.active
        if data.active:  # re-enabled, e.g. after a 410: deliveries start again from the next event
            hook.disabled_reason, hook.disabled_at = None, None
        else:
            hook.disabled_reason, hook.disabled_at = "disabled through the API", datetime.now(UTC)
    session.flush()
    diff = audit.diff(before, audit.snapshot(hook, FIELDS))
    if diff:
        audit.record(session, ctx, "webhook.updated", "webhook", hook.id, diff)
    return hook


def rotate_secret(
    session: Session, ctx: TenantContext, webhook_id: uuid.UUID, data: RotateIn, *, box: SecretBox
) -> tuple[Webhook, str]:
    """A new secret signs from now on; the current one also signs for ``overlap`` (both signatures
    in ``webhook-signature``), so the receiver can switch without dropping a delivery."""
    ctx.require("webhooks:write")
    try:
        none = data.overlap.strip().upper() in ("PT0S", "P0D")
        overlap = timedelta(0) if none else parse_duration(data.overlap)
    except ValueError as exc:
        raise ValidationFailed.one("overlap", str(exc)) from None
    if overlap.total_seconds() > MAX_OVERLAP_SECONDS:
        raise ValidationFailed.one("overlap", "may be at most P7D")
    hook = get_webhook(session, ctx, webhook_id)
    secret = signing.new_secret()
    now = datetime.now(UTC)
    if overlap:
        hook.previous_secret, hook.previous_secret_expires_at = hook.secret, now + overlap
    else:
        hook.previous_secret, hook.previous_secret_expires_at = None, None
    hook.secret = box.seal(secret)
    session.flush()
    expires = hook.previous_secret_expires_at
    audit.record(
        session,
        ctx,
        "webhook.secret_rotated",
        "webhook",
        hook.id,
        {"previous_secret_expires_at": [None, expires.isoformat() if expires else None]},
    )
    return hook, secret

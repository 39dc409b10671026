"""Provider callbacks: SendGrid's signed event webhook and Twilio's status callback.

No bearer credential here: each request proves where it comes from by the provider's signature,
and names its tenant and message in what Keel gave the provider when sending (custom args, the
status callback's query).
"""

from __future__ import annotations

import binascii
import json
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.types import DecoratedCallable
from pydantic import BaseModel, Field
from sendgrid.helpers.eventwebhook import EventWebhook
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from twilio.request_validator import RequestValidator

from api.deps import EngineDep, SettingsDep
from api.envelope import Envelope, errors, success
from db.session import tenant_session
from domain.context import TenantContext
from domain.errors import BadRequest, NotFound, Unauthenticated, Unavailable
from domain.notifications import tracking

router = APIRouter(prefix="/api/v1", tags=["providers"])
CALLBACK_ERRORS = errors(400, 503)

SENDGRID_SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature"
SENDGRID_TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp"
TWILIO_SIGNATURE = "X-Twilio-Signature"
MAX_SKEW_SECONDS = 300  # an older (or later) signed timestamp is a replay, or a badly wrong clock


class CallbackOutcome(BaseModel):
    applied: int = Field(0, description="events that changed or confirmed a message's status")
    duplicates: int = Field(0, description="events already applied before (providers retry)")
    ignored: int = Field(0, description="events for unknown tenants or messages, or of untracked kinds")


class _Event(BaseModel):
    """One callback, provider-neutral, ready for tracking.apply_provider_event."""

    event_id: str
    message_id: uuid.UUID | None
    provider_message_id: str | None
    status: str
    reason: str | None
    occurred_at: datetime
    payload: dict[str, Any]


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _apply(
    engine: Engine, provider: str, batch: list[tuple[uuid.UUID, _Event]], ignored: int
) -> CallbackOutcome:
    """One transaction per tenant; an event for a message the tenant lacks is ignored.

    Not the request's unit of work (``Db``): that needs an authenticated tenant, and a provider's
    callback has none; the tenants are those its events name, one batch may name several."""
    outcome = CallbackOutcome(ignored=ignored)
    by_tenant: dict[uuid.UUID, list[_Event]] = {}
    for tenant_id, event in batch:
        by_tenant.setdefault(tenant_id, []).append(event)
    for tenant_id, tenant_events in by_tenant.items():
        ctx = TenantContext.system(tenant_id)
        with tenant_session(engine, tenant_id) as session:
            for e in tenant_events:
                try:
                    fresh = tracking.apply_provider_event(session, ctx, provider=provider, **e.model_dump())
                except NotFound:
                    outcome.ignored += 1
                    continue
                if fresh:
                    outcome.applied += 1
                else:
                    outcome.duplicates += 1
    return outcome


# -- SendGrid -----------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _sendgrid_verifier(public_key: str) -> EventWebhook:
    return EventWebhook(public_key)


def verify_sendgrid(public_key: str | None, headers: Mapping[str, str], raw: bytes, now: float) -> None:
    """SendGrid signs timestamp + body with ECDSA P-256 / SHA-256 (base64 DER)."""
    if not public_key:
        raise Unavailable(
            "SendGrid event verification is not configured: set KEEL_SENDGRID_WEBHOOK_PUBLIC_KEY."
        )
    try:
        verifier = _sendgrid_verifier(public_key)
    except ValueError as exc:
        raise Unavailable("KEEL_SENDGRID_WEBHOOK_PUBLIC_KEY is not a valid public key.") from exc
    signature, stamp = headers.get(SENDGRID_SIGNATURE), headers.get(SENDGRID_TIMESTAMP)
    if not signature or not stamp:
        raise Unauthenticated(f"Send the {SENDGRID_SIGNATURE} and {SENDGRID_TIMESTAMP} headers.")
    if not stamp.isdigit() or abs(now - int(stamp)) > MAX_SKEW_SECONDS:
        raise Unauthenticated("The signature timestamp is not within 5 minutes of now.")
    try:
        valid = verifier.verify_signature(raw.decode("utf-8"), signature, stamp)
    except (ValueError, binascii.Error):  # not base64, not DER, not UTF-8
        valid = False
    if not valid:
        raise Unauthenticated("The SendGrid signature does not match the request.")


def _when(timestamp: Any) -> datetime:
    """The event's time, or now when it is missing or not a time (signed, but still not trusted)."""
    if isinstance(timestamp, int | float) and not isinstance(timestamp, bool):
        try:
            return datetime.fromtimestamp(timestamp, UTC)
        except (OverflowError, OSError, ValueError):
            pass
    return datetime.now(UTC)


def _sendgrid_event(raw: Any) -> tuple[uuid.UUID, _Event] | None:
    if not isinstance(raw, dict):
        return None
    tenant_id, event_id, mapped = (
        _uuid(raw.get("keel_tenant")),
        raw.get("sg_event_id"),
        tracking.sendgrid_status(raw),
    )
    if tenant_id is None or not isinstance(event_id, str) or not event_id or mapped is None:
        return None
    sg_message_id = raw.get("sg_message_id")
    # sg_message_id is the send's X-Message-Id followed by ".filter…" routing details.
    provider_message_id = sg_message_id.split(".")[0] if isinstance(sg_message_id, str) else None
    return tenant_id, _Event(
        event_id=event_id[:255],
        message_id=_uuid(raw.get("keel_message")),
        provider_message_id=provider_message_id,
        status=mapped[0],
        reason=mapped[1],
        occurred_at=_when(raw.get("timestamp")),
        payload=raw,
    )


def _callback(path: str, summary: str) -> Callable[[DecoratedCallable], DecoratedCallable]:
    """A provider's signed callback: 400 when it is not what the provider sends, 503 unconfigured."""
    return router.post(
        path, response_model=Envelope[CallbackOutcome], responses=CALLBACK_ERRORS, summary=summary
    )


@_callback(
    "/providers/sendgrid/events",
    "SendGrid's signed event webhook: delivery, open, bounce, drop and spam events",
)
async def sendgrid_events(request: Request, settings: SettingsDep, engine: EngineDep) -> dict[str, Any]:
    raw = await request.body()
    verify_sendgrid(settings.sendgrid_webhook_public_key, request.headers, raw, time.time())
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise BadRequest("The request body is not valid JSON.") from exc
    if not isinstance(body, list):
        raise BadRequest("SendGrid posts a JSON array of events.")
    batch = [e for e in map(_sendgrid_event, body) if e is not None]
    outcome = await run_in_threadpool(_apply, engine, "sendgrid", batch, len(body) - len(batch))
    return success(outcome.model_dump())


# -- Twilio -------------------------------------------------------------------------------------
@_callback("/providers/twilio/status", "Twilio's SMS status callback (form encoded, X-Twilio-Signature)")
async def twilio_status(request: Request, settings: SettingsDep, engine: EngineDep) -> dict[str, Any]:
    token = settings.twilio_auth_token.get_secret_value() if settings.twilio_auth_token else ""
    if not token:
        raise Unavailable("Twilio callback verification is not configured: set KEEL_TWILIO_AUTH_TOKEN.")
    signature = request.headers.get(TWILIO_SIGNATURE)
    if not signature:
        raise Unauthenticated(f"Send the {TWILIO_SIGNATURE} header.")
    form = await request.form()
    # Twilio signs the URL it called: the public one Keel gave it, query string included.
    query = request.url.query
    url = settings.api_url.rstrip("/") + request.url.path + (f"?{query}" if query else "")
    if not RequestValidator(token).validate(url, form, signature):
        raise Unauthenticated("The Twilio signature does not match the request.")
    params = {k: v for k, v in form.items() if isinstance(v, str)}
    tenant_id = _uuid(request.query_params.get("tenant"))
    sid, status = params.get("MessageSid") or params.get("SmsSid"), params.get("MessageStatus")
    mapped = tracking.twilio_status(params)
    if tenant_id is None or not sid or not status or mapped is None:
        return success(CallbackOutcome(ignored=1).model_dump())
    event = _Event(
        event_id=f"{sid}:{status}"[:255],
        message_id=_uuid(request.query_params.get("message")),
        provider_message_id=sid,
        status=mapped[0],
        reason=mapped[1],
        occurred_at=datetime.now(UTC),
        payload=params,
    )
    outcome = await run_in_threadpool(_apply, engine, "twilio", [(tenant_id, event)], 0)
    return success(outcome.model_dump())

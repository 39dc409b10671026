"""The sender per channel, chosen by settings (``KEEL_EMAIL_ADAPTER``, ``KEEL_SMS_ADAPTER``, …)."""

from __future__ import annotations

import threading
from typing import Literal

from sqlalchemy import Engine

from adapters.messaging import PermanentFailure, Sender
from keel.settings import Settings

_lock = threading.Lock()
# (channel, id(settings), id(engine)) -> (settings, engine, sender). Keeping the objects pins their
# ids, so a new Settings instance can never reuse an old id and get a stale sender.
_cache: dict[tuple[str, int, int], tuple[Settings, Engine, Sender]] = {}


def _build(channel: str, settings: Settings, engine: Engine) -> Sender:
    from adapters.outbox import OutboxSender

    adapter = {
        "email": settings.email_adapter,
        "sms": settings.sms_adapter,
        "push": settings.push_adapter,
    }.get(channel)
    if adapter is None:
        raise PermanentFailure(f"No sender for the channel {channel!r}.")
    if adapter == "outbox":
        return OutboxSender(engine)
    if (channel, adapter) == ("email", "sendgrid"):
        from adapters.email import SendGridSender

        return SendGridSender(settings)
    if (channel, adapter) == ("email", "smtp"):
        from adapters.email import SmtpSender

        return SmtpSender(settings)
    if (channel, adapter) == ("sms", "twilio"):
        from adapters.sms import TwilioSender

        return TwilioSender(settings)
    if (channel, adapter) == ("push", "http"):
        from adapters.push import HttpPushSender

        return HttpPushSender(
            allow_private=settings.webhook_allow_private, timeout=settings.webhook_timeout_seconds
        )
    setting = f"KEEL_{channel.upper()}_ADAPTER"
    raise PermanentFailure(f"{setting}={adapter!r} is not an adapter for {channel}.")


def sender_for(channel: Literal["email", "sms", "push"], settings: Settings, engine: Engine) -> Sender:
    """The configured sender, built once per settings and engine (SDK clients keep connection pools).

    A provider missing its configuration raises :class:`PermanentFailure` naming the KEEL_ setting.
    """
    key = (channel, id(settings), id(engine))
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached[2]
        sender = _build(channel, settings, engine)
        if len(_cache) >= 64:  # settings are built once per process; only tests make many
            _cache.clear()
        _cache[key] = (settings, engine, sender)
        return sender

"""SMS through Twilio's Messages API with the official SDK."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from adapters.messaging import OutgoingMessage, PermanentFailure, SendResult, TransientFailure
from keel.settings import Settings

TWILIO_API = "https://api.twilio.com"
TIMEOUT_SECONDS = 15.0
STATUS_CALLBACK_PATH = "/api/v1/providers/twilio/status"


class _RebasedHttpClient(TwilioHttpClient):
    """Sends what the SDK addresses to api.twilio.com to another base URL (a local peer in tests)."""

    def __init__(self, base: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base = base.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if url.startswith(TWILIO_API):
            url = self.base + url[len(TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)


def status_callback_url(settings: Settings, message: OutgoingMessage) -> str:
    """The URL Twilio reports status changes to; the query names the tenant and message."""
    query = urlencode({"tenant": str(message.tenant_id), "message": str(message.message_id)})
    return f"{settings.api_url.rstrip('/')}{STATUS_CALLBACK_PATH}?{query}"


class TwilioSender:
    provider = "twilio"

    def __init__(self, settings: Settings) -> None:
        missing = [
            name
            for name, value in (
                ("KEEL_TWILIO_ACCOUNT_SID", settings.twilio_account_sid),
                (
                    "KEEL_TWILIO_AUTH_TOKEN",
                    settings.twilio_auth_token and settings.twilio_auth_token.get_secret_value(),
                ),
                ("KEEL_TWILIO_FROM_NUMBER", settings.twilio_from_number),
            )
            if not value
        ]
        if missing:
            raise PermanentFailure(f"The Twilio SMS adapter needs {', '.join(missing)}.")
        assert settings.twilio_auth_token is not None and settings.twilio_from_number is not None
        http: TwilioHttpClient = (
            _RebasedHttpClient(settings.twilio_api_base, timeout=TIMEOUT_SECONDS)
            if settings.twilio_api_base
            else TwilioHttpClient(timeout=TIMEOUT_SECONDS)
        )
        self._client = Client(
            settings.twilio_account_sid, settings.twilio_auth_token.get_secret_value(), http_client=http
        )
        self._from = settings.twilio_from_number
        self._settings = settings

    def send(self, message: OutgoingMessage) -> SendResult:
        try:
            sent = self._client.messages.create(
                to=message.to,
                from_=self._from,
                body=message.text,
                status_callback=status_callback_url(self._settings, message),
            )
        except TwilioRestException as exc:
            reason = f"Twilio answered {exc.status}" + (f" (error {exc.code})" if exc.code else "")
            reason += f": {exc.msg}" if exc.msg else ""
            if exc.status in (408, 429) or exc.status >= 500:
                raise TransientFailure(reason) from exc
            raise PermanentFailure(reason) from exc
        except (requests.RequestException, OSError) as exc:
            raise TransientFailure(f"Twilio is unreachable: {type(exc).__name__}") from exc
        except TwilioException as exc:  # e.g. an answer that is not JSON
            raise TransientFailure(f"Twilio answered unexpectedly: {exc}") from exc
        return SendResult("twilio", sent.sid, "sent")


# The SDK logs each request at INFO, phone numbers and message text included.
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)

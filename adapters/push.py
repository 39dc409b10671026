"""Push over HTTP: the user's app registered an endpoint URL; Keel POSTs the message to it as JSON."""

from __future__ import annotations

import json

from adapters import safe_http
from adapters.messaging import OutgoingMessage, PermanentFailure, SendResult, TransientFailure


class HttpPushSender:
    """Implements :class:`adapters.messaging.Sender` for the ``push`` channel."""

    provider = "http"

    def __init__(self, *, allow_private: str = "", timeout: float = 10.0) -> None:
        self.allow = safe_http.AllowList.parse(allow_private)
        self.timeout = timeout

    def send(self, message: OutgoingMessage) -> SendResult:
        body = json.dumps(
            {
                "title": message.subject,
                "body": message.text,
                "data": message.data,
                "id": str(message.message_id),
            }
        ).encode()
        try:
            reply = safe_http.post(
                message.to,
                content=body,
                headers={"content-type": "application/json"},
                timeout=self.timeout,
                allow=self.allow,
            )
        except safe_http.Refused as exc:
            raise PermanentFailure(f"push endpoint refused: {exc}") from exc
        except safe_http.RequestFailed as exc:
            raise TransientFailure(f"push endpoint unreachable: {exc}") from exc
        status = reply.status_code
        if 200 <= status < 300:
            return SendResult("http", None, "delivered")
        if status in (404, 410):
            raise PermanentFailure("endpoint gone")
        if status == 429 or status >= 500:
            raise TransientFailure(f"push endpoint answered {status}")
        raise PermanentFailure(f"push endpoint answered {status}")

"""Pure ASGI middleware: correlation ids, the body size limit, and Idempotency-Key replays."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import idempotency
from api.envelope import error
from domain.errors import DomainError
from keel.logs import correlation_id

_CID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
IDEMPOTENCY_EXEMPT = {"/api/v1/auth/token"}


async def _send_json(send: Send, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
    raw = json.dumps(body).encode()
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]
    head += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": raw})


def _replay_receive(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


class RequestContextMiddleware:
    """Gives every request a correlation id and refuses bodies over the limit with a 413."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, import_max_bytes: int | None = None) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        # File imports (``…/import``) may be larger than any JSON body.
        self.import_max_bytes = import_max_bytes or max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        given = headers.get("x-correlation-id", "")
        cid = given if _CID.match(given) else uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["correlation_id"] = cid
        token = correlation_id.set(cid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-Correlation-ID"] = cid
            await send(message)

        try:
            if scope["method"] in _BODY_METHODS:
                is_import = scope["path"].endswith("/import")
                limit = self.import_max_bytes if is_import else self.max_body_bytes
                body = await self._read_body(headers, receive, limit)
                if body is None:
                    await _send_json(
                        send_with_id,
                        413,
                        error("payload_too_large", f"The body exceeds {limit} bytes.", {"limit": limit}),
                    )
                    return
                state["body"] = body
                receive = _replay_receive(body)
            await self.app(scope, receive, send_with_id)
        finally:
            correlation_id.reset(token)

    async def _read_body(self, headers: Headers, receive: Receive, limit: int) -> bytes | None:
        declared = headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


class IdempotencyMiddleware:
    """Replays the first response for a repeated ``Idempotency-Key`` on POST (per tenant)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = Headers(scope=scope).get("idempotency-key") if scope["type"] == "http" else None
        if key is None or scope["method"] != "POST" or scope["path"] in IDEMPOTENCY_EXEMPT:
            await self.app(scope, receive, send)
            return
        if not key or len(key) > idempotency.MAX_KEY_LENGTH or not key.isprintable():
            await _send_json(
                send,
                422,
                error(
                    "validation_failed",
                    "Idempotency-Key must be 1-255 printable characters.",
                    {"fields": [{"field": "Idempotency-Key", "message": "1-255 printable characters"}]},
                ),
            )
            return
        from api.deps import resolve_context

        request = Request(scope, receive)
        try:
            ctx = await run_in_threadpool(resolve_context, request)
        except DomainError:
            await self.app(scope, receive, send)  # the route answers 401 in the usual way
            return
        engine = request.app.state.engine
        body: bytes = scope.get("state", {}).get("body", b"")
        fingerprint = idempotency.request_hash("POST", scope["path"], body)
        outcome = await run_in_threadpool(idempotency.reserve, engine, ctx.tenant_id, key, fingerprint)
        if outcome.kind == "mismatch":
            await _send_json(
                send,
                422,
                error(
                    "idempotency_key_reused",
                    "This Idempotency-Key was used with a different request.",
                    {
                        "fields": [
                            {"field": "Idempotency-Key", "message": "already used with a different body"}
                        ]
                    },
                ),
            )
            return
        if outcome.kind == "in_progress":
            await _send_json(
                send, 409, error("conflict", "A request with this Idempotency-Key is in progress.")
            )
            return
        if outcome.kind == "replay" and outcome.stored is not None:
            stored = outcome.stored
            await _send_json(
                send, stored.status_code, stored.body, stored.headers | {"Idempotent-Replayed": "true"}
            )
            return
        await self._run_and_store(scope, receive, send, engine, ctx.tenant_id, key)

    async def _run_and_store(
        self, scope: Scope, receive: Receive, send: Send, engine: Any, tenant_id: uuid.UUID, key: str
    ) -> None:
        messages: list[Message] = []

        async def capture(message: Message) -> None:
            messages.append(message)

        try:
            await self.app(scope, receive, capture)
        except BaseException:
            await run_in_threadpool(idempotency.release, engine, tenant_id, key)
            raise
        start = next(m for m in messages if m["type"] == "http.response.start")
        status = int(start["status"])
        if status >= 500:
            await run_in_threadpool(idempotency.release, engine, tenant_id, key)
        else:
            raw = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
            kept = {k: v for k, v in Headers(raw=start["headers"]).items() if k in ("location", "etag")}
            stored = idempotency.Stored(status, idempotency.parse_body(raw), kept)
            await run_in_threadpool(idempotency.complete, engine, tenant_id, key, stored)
        for message in messages:
            await send(message)

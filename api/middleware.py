"""Pure ASGI middleware: correlation ids, security headers, the checks every request passes before a
route reads it (credential, path and query text, body size and sanity), and Idempotency-Key replays."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import body_guard, idempotency, public
from api.envelope import error
from api.rate_limits import RateLimitedWith, RateLimiter
from domain.errors import DomainError
from keel import crypto
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


async def _send_refusal(send: Send, refusal: body_guard.Refusal) -> None:
    if refusal.malformed:
        reason = {"reason": f"{refusal.field} {refusal.message}"}
        await _send_json(send, 400, error("bad_request", "The request body is not valid JSON.", reason))
        return
    fields = [{"field": refusal.field, "message": refusal.message}]
    await _send_json(send, 422, error("validation_failed", "The request is not valid.", {"fields": fields}))


_NO_STORE = frozenset({"/api/v1/auth/token"})


def security_headers(headers: MutableHeaders, path: str) -> None:
    """Every response: no MIME sniffing, no referrer leak, never framed. The CSP of the API's own
    responses allows nothing at all. A route's own CSP is kept: the HTML pages, /docs and /redoc
    among them, send the console's (``web.pages.CSP``)."""
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
    if path in _NO_STORE:
        # Token answers, errors included, must not be cached (RFC 6749 §5.1), even a refusal sent
        # here before the route runs.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"


def _slash_twin(scope: Scope, public_routes: frozenset[tuple[str, str]]) -> bytes | None:
    """The trailing-slash redirect, in place of the router's: its ``Location`` is built from the
    ``Host`` header, which any client sets (``Host: evil.example`` became an absolute redirect to
    evil.example). Ours is relative, the path and query only, so the browser stays on the origin it
    asked; a leading ``//`` is collapsed so it can never read as another host."""
    path: str = scope["path"]
    if path == "/":
        return None
    twin = path[:-1] if path.endswith("/") else path + "/"
    if public.match({**scope, "path": twin}, public_routes) is None:
        return None
    raw: bytes = scope.get("raw_path") or path.encode()
    location = raw[:-1] if raw.endswith(b"/") else raw + b"/"
    location = b"/" + location.lstrip(b"/")
    query: bytes = scope.get("query_string", b"")
    return location + (b"?" + query if query else b"")


def _replay_receive(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


UPLOAD_PREFIX = "/api/v1/document"  # documents, their versions, document assets


class RequestContextMiddleware:
    """Correlation id, security headers, then, before any route parses input: the credential
    (401), the rate limits (429, ``api.rate_limits``), NUL or non-UTF-8 in the path or query (422),
    the body size (413) and the body's sanity (422, see ``api.body_guard``)."""

    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        import_max_bytes: int | None = None,
        upload_max_bytes: int | None = None,
        json_max_depth: int = 48,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        # File imports (``…/import``) and document uploads (multipart, ``/api/v1/document…``) may be
        # larger than any JSON body; the route then holds the file to its own exact limit.
        self.import_max_bytes = import_max_bytes or max_body_bytes
        self.upload_max_bytes = max(upload_max_bytes or 0, max_body_bytes)
        self.json_max_depth = json_max_depth

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

        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                out = MutableHeaders(scope=message)
                out["X-Correlation-ID"] = cid
                security_headers(out, scope["path"])
                out.update(state.get("rate_limit") or {})
            await send(message)

        try:
            if await self._refused_before_body(scope, receive, send_with_id):
                return
            if scope["method"] in _BODY_METHODS:
                limit = self._limit(scope["path"], headers.get("content-type"))
                body = await self._read_body(headers, receive, limit)
                if body is None:
                    await _send_json(
                        send_with_id,
                        413,
                        error("payload_too_large", f"The body exceeds {limit} bytes.", {"limit": limit}),
                    )
                    return
                refusal = await self._body_refusal(headers.get("content-type"), body)
                if refusal is not None:
                    await _send_refusal(send_with_id, refusal)
                    return
                state["body"] = body
                receive = _replay_receive(body)
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            if started:
                raise
            # Answered here rather than by Starlette's outermost handler, which re-raises to the
            # server: uvicorn then closes the connection, so one 500 cost the client its keep-alive.
            from api.errors import unexpected

            await (await unexpected(Request(scope), exc))(scope, receive, send_with_id)
        finally:
            correlation_id.reset(token)

    def _limit(self, path: str, content_type: str | None) -> int:
        if path.endswith("/import"):
            return self.import_max_bytes
        multipart = (content_type or "").lower().startswith("multipart/form-data")
        if multipart and path.startswith(UPLOAD_PREFIX):
            return self.upload_max_bytes
        return self.max_body_bytes

    async def _refused_before_body(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Authenticate (unless the route is public), then refuse a path or query nobody can store."""
        app = scope.get("app")
        public_routes = getattr(getattr(app, "state", None), "public_routes", public.PUBLIC_ROUTES)
        route = public.match(scope, public_routes)
        if route is None and (location := _slash_twin(scope, public_routes)) is not None:
            await send({"type": "http.response.start", "status": 307, "headers": [(b"location", location)]})
            await send({"type": "http.response.body", "body": b""})
            return True
        limiter: RateLimiter | None = getattr(getattr(app, "state", None), "rate_limiter", None)
        request = Request(scope, receive)
        try:
            if route is not None and not route.public:
                from api.deps import current_context

                ctx = await current_context(request)
                verdict = limiter.for_principal(ctx) if limiter else None
            else:
                address = scope["client"][0] if scope.get("client") else None
                verdict = limiter.for_address(scope["path"], address) if limiter else None
        except DomainError as exc:
            from api.errors import domain_error

            response = await domain_error(request, exc)
            if isinstance(exc, RateLimitedWith):
                response.headers.update(exc.verdict.headers())
            await response(scope, receive, send)
            return True
        if verdict is not None:
            scope["state"]["rate_limit"] = verdict.headers()
        refusal = body_guard.check_path(scope.get("raw_path") or scope["path"].encode())
        if refusal is not None and route is not None:
            named = [k for k, v in route.path_params.items() if isinstance(v, str) and "\x00" in v]
            refusal = body_guard.Refusal(named[0], refusal.message) if named else refusal
        refusal = refusal or body_guard.check_urlencoded(scope.get("query_string", b""), "query")
        if refusal is None:
            return False
        await _send_refusal(send, refusal)
        return True

    async def _body_refusal(self, content_type: str | None, body: bytes) -> body_guard.Refusal | None:
        if not body:
            return None
        kind = (content_type or "").split(";", 1)[0].strip().lower()
        # Without a content type FastAPI parses JSON, but a raw-body route may be sent anything.
        looks_json = content_type is not None or body.lstrip()[:1] in (b"{", b"[")
        if body_guard.is_json(content_type) and looks_json:
            if len(body) > 65536:  # a large body is scanned off the event loop
                return await run_in_threadpool(body_guard.check_json, body, self.json_max_depth)
            return body_guard.check_json(body, self.json_max_depth)
        if kind == "application/x-www-form-urlencoded":
            return body_guard.check_urlencoded(body, "body")
        if kind == "multipart/form-data" and content_type is not None:
            return await run_in_threadpool(body_guard.check_multipart, body, content_type)
        return None

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
        # The caller is in the fingerprint: another caller's same key is refused, never replayed to it.
        fingerprint = idempotency.request_hash(
            "POST", f"{ctx.actor_type}:{ctx.actor_id}:{scope['path']}", body
        )
        box = crypto.box(request.app.state.settings)  # stored responses may hold secrets shown once
        outcome = await run_in_threadpool(idempotency.reserve, engine, ctx.tenant_id, key, fingerprint, box)
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
        await self._run_and_store(scope, receive, send, engine, ctx.tenant_id, key, box)

    async def _run_and_store(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        engine: Any,
        tenant_id: uuid.UUID,
        key: str,
        box: crypto.SecretBox,
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
            await run_in_threadpool(idempotency.complete, engine, tenant_id, key, stored, box)
        for message in messages:
            await send(message)

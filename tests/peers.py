"""Local protocol peers for provider SDKs: small threaded HTTP servers that answer like the real APIs.

``SendGridPeer`` imitates the v3 mail send endpoint and ``TwilioPeer`` the 2010-04-01 Messages
resource. Each checks the credential and the payload the way the provider does, answers with the
provider's status codes and error bodies, and records every request so a test can inspect it.
``answer_next`` scripts the next answers (429, 500, …) to exercise failure handling.

Also here: signing helpers that produce callbacks exactly as SendGrid and Twilio sign them.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from twilio.request_validator import RequestValidator

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}


@dataclass
class Answer:
    status: int
    body: Any = None  # JSON-serialisable, or None for an empty body
    headers: dict[str, str] = field(default_factory=dict)


class Peer:
    """A threaded HTTP/1.1 server on 127.0.0.1 and a free port. Use as a context manager."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self._scripted: deque[Answer] = deque()
        self._lock = threading.Lock()
        peer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the SDKs' connection pools expect

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                received = Received(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
                with peer._lock:
                    peer.requests.append(received)
                    scripted = peer._scripted.popleft() if peer._scripted else None
                answer = scripted or peer.handle(received)
                raw = b"" if answer.body is None else json.dumps(answer.body).encode()
                self.send_response(answer.status)
                if answer.body is not None:
                    self.send_header("Content-Type", "application/json")
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def answer_next(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        """Answer the next request with this, whatever it is (then back to normal behaviour)."""
        with self._lock:
            self._scripted.append(Answer(status, body, headers or {}))

    def handle(self, request: Received) -> Answer:
        raise NotImplementedError

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- SendGrid v3 mail send ---------------------------------------------------------------------
def sendgrid_error(message: str, field: str | None = None, help: str | None = None) -> dict[str, Any]:
    return {"errors": [{"message": message, "field": field, "help": help}]}


class SendGridPeer(Peer):
    """POST /v3/mail/send: 202 with an X-Message-Id, or SendGrid's 400/401/413/415 error bodies."""

    MAX_BYTES = 30 * 1024 * 1024

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.sent: list[dict[str, Any]] = []  # accepted mail send bodies
        super().__init__()

    def handle(self, request: Received) -> Answer:
        if (request.method, request.path) != ("POST", "/v3/mail/send"):
            return Answer(404, sendgrid_error("Not Found"))
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return Answer(
                401, sendgrid_error("The provided authorization grant is invalid, expired, or revoked")
            )
        if len(request.body) > self.MAX_BYTES:
            return Answer(
                413, sendgrid_error("The JSON payload you have included in your request is too large.")
            )
        if not request.headers.get("content-type", "").startswith("application/json"):
            return Answer(415, sendgrid_error("Content-Type should be application/json.", "content-type"))
        try:
            body = request.json()
        except ValueError:
            return Answer(400, sendgrid_error("Bad Request"))
        problems = self.problems(body)
        if problems:
            return Answer(400, {"errors": [{"message": m, "field": f, "help": None} for f, m in problems]})
        self.sent.append(body)
        return Answer(202, None, {"X-Message-Id": secrets.token_urlsafe(16)[:22]})

    @staticmethod
    def problems(body: Any) -> list[tuple[str, str]]:
        """(field, message) for each rule of the v3 mail send schema the body breaks."""
        out: list[tuple[str, str]] = []
        if not isinstance(body, dict):
            return [("", "Bad Request")]
        people = body.get("personalizations")
        if not isinstance(people, list) or not people:
            out.append(
                (
                    "personalizations",
                    "The personalizations field is required and must have at least one personalization.",
                )
            )
            people = []
        for i, person in enumerate(people):
            to = person.get("to") if isinstance(person, dict) else None
            if not isinstance(to, list) or not to:
                out.append(
                    (
                        f"personalizations.{i}.to",
                        "The to array is required for all personalization objects, and must have at least one email object with a valid email address.",
                    )
                )
                continue
            for j, who in enumerate(to):
                if not (isinstance(who, dict) and EMAIL.match(str(who.get("email", "")))):
                    out.append((f"personalizations.{i}.to.{j}.email", "Does not contain a valid address."))
        sender = body.get("from")
        if not (isinstance(sender, dict) and EMAIL.match(str(sender.get("email", "")))):
            out.append(("from.email", "The from email does not contain a valid address."))
        has_subject = bool(body.get("subject")) or (
            bool(people) and all(isinstance(p, dict) and p.get("subject") for p in people)
        )
        if not has_subject and not body.get("template_id"):
            out.append(
                (
                    "subject",
                    "The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.",
                )
            )
        content = body.get("content")
        if not body.get("template_id"):
            if not isinstance(content, list) or not content:
                out.append(
                    (
                        "content",
                        "Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.",
                    )
                )
            else:
                types = [c.get("type") if isinstance(c, dict) else None for c in content]
                for k, block in enumerate(content):
                    if not (
                        isinstance(block, dict) and isinstance(block.get("value"), str) and block["value"]
                    ):
                        out.append(
                            (
                                f"content.{k}.value",
                                "The content value must be a string at least one character in length.",
                            )
                        )
                if "text/plain" in types and types[0] != "text/plain":
                    out.append(
                        (
                            "content",
                            "If present, text/plain content must be first, followed by text/html, followed by any other content.",
                        )
                    )
        custom = body.get("custom_args", {})
        if not isinstance(custom, dict) or not all(isinstance(v, str) for v in custom.values()):
            out.append(("custom_args", "Custom args values must be strings."))
        categories = body.get("categories", [])
        if (
            not isinstance(categories, list)
            or len(categories) > 10
            or not all(isinstance(c, str) and 0 < len(c) <= 255 for c in categories)
        ):
            out.append(("categories", "Categories must be at most 10 strings of 1 to 255 characters."))
        for k, attached in enumerate(body.get("attachments", [])):
            out += [(f"attachments.{k}.{f}", m) for f, m in SendGridPeer.attachment_problems(attached)]
        return out

    @staticmethod
    def attachment_problems(attached: Any) -> list[tuple[str, str]]:
        """An attachment needs base64 ``content`` and a ``filename``; ``disposition`` is inline or attachment."""
        if not isinstance(attached, dict):
            return [("", "Each attachment must be an object.")]
        out: list[tuple[str, str]] = []
        try:
            base64.b64decode(str(attached.get("content", "")), validate=True)
        except ValueError:
            out.append(("content", "The attachment content must be base64 encoded."))
        if not attached.get("content"):
            out.append(("content", "The attachment content is required."))
        if not attached.get("filename"):
            out.append(("filename", "The attachment filename is required."))
        if attached.get("disposition", "attachment") not in ("inline", "attachment"):
            out.append(("disposition", "The disposition must be inline or attachment."))
        return out


# -- Twilio Messages -----------------------------------------------------------------------------
def twilio_error(status: int, code: int, message: str) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


class TwilioPeer(Peer):
    """POST /2010-04-01/Accounts/{sid}/Messages.json: 201 with a message resource, or Twilio's errors."""

    def __init__(self, account_sid: str, auth_token: str, unsubscribed: frozenset[str] = frozenset()) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.unsubscribed = unsubscribed  # numbers that replied STOP: error 21610
        self.sent: list[dict[str, Any]] = []  # created message resources
        super().__init__()

    def handle(self, request: Received) -> Answer:
        match = re.fullmatch(r"/2010-04-01/Accounts/([^/]+)/Messages\.json", request.path)
        if request.method != "POST" or not match:
            return Answer(
                404, twilio_error(404, 20404, f"The requested resource {request.path} was not found")
            )
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return Answer(401, twilio_error(401, 20003, "Authenticate"))
        if match.group(1) != self.account_sid:
            return Answer(
                404, twilio_error(404, 20404, f"The requested resource {request.path} was not found")
            )
        form = request.form()
        to, sender, body = form.get("To", ""), form.get("From", ""), form.get("Body", "")
        if not to:
            return Answer(400, twilio_error(400, 21604, "A 'To' phone number is required."))
        if not sender and not form.get("MessagingServiceSid"):
            return Answer(400, twilio_error(400, 21603, "A 'From' phone number is required."))
        if not body and not form.get("MediaUrl"):
            return Answer(400, twilio_error(400, 21602, "Message body is required."))
        if not E164.match(to):
            return Answer(400, twilio_error(400, 21211, f"Invalid 'To' Phone Number: {to}"))
        if to in self.unsubscribed:
            return Answer(400, twilio_error(400, 21610, "Attempt to send to unsubscribed recipient"))
        if len(body) > 1600:
            return Answer(
                400,
                twilio_error(400, 21617, "The concatenated message body exceeds the 1600 character limit."),
            )
        callback = form.get("StatusCallback")
        if callback is not None and not re.match(r"^https?://", callback):
            return Answer(
                400, twilio_error(400, 21609, f"The StatusCallback URL {callback} is not a valid URL.")
            )
        sid = "SM" + secrets.token_hex(16)
        now = formatdate(usegmt=True)
        resource = {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": body,
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": sender,
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "num_media": "0",
            "num_segments": str(max(1, -(-len(body) // 153))),
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "subresource_uris": {
                "media": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}/Media.json"
            },
            "to": to,
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
        }
        self.sent.append(resource | {"status_callback": callback})
        return Answer(201, resource)


# -- signing callbacks the way the providers do ---------------------------------------------------
@dataclass(frozen=True)
class SendGridSigner:
    """A P-256 key pair; ``public_key`` is what SendGrid's settings page shows (base64 DER)."""

    private: ec.EllipticCurvePrivateKey

    @classmethod
    def generate(cls) -> SendGridSigner:
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @property
    def public_key(self) -> str:
        der = self.private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return base64.b64encode(der).decode()

    def headers(self, body: bytes, timestamp: int | None = None) -> dict[str, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = self.private.sign(stamp.encode() + body, ec.ECDSA(hashes.SHA256()))
        return {
            "Content-Type": "application/json",
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": stamp,
        }


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """X-Twilio-Signature: HMAC-SHA1 of the URL followed by each sorted param name and value."""
    return str(RequestValidator(auth_token).compute_signature(url, params))

"""A signing request with one signer, made through the API, and the link its signer was emailed."""

from __future__ import annotations

import json
import re
import time
from typing import Any

from weasyprint import HTML

from tests.api.conftest import Api, data

LINK = re.compile(r"/sign/([A-Za-z0-9._~-]+)")
CODE = re.compile(r"\b(\d{6})\b")

AGREEMENT = """
<style>@page { size: A4; margin: 2cm } body { font-family: 'DejaVu Sans'; font-size: 11pt }</style>
<h1>Service agreement</h1>
<p>Between Acme Ltd and the client named below. The supplier provides the services described in the
schedule; the client pays each invoice within thirty days.</p>
<p>Either party may end this agreement with one month's notice in writing.</p>
<p style="margin-top: 3cm">Client company: ______________________________</p>
<p style="margin-top: 8cm">Signature: __________________________ &nbsp; Date: ________________</p>
"""


def agreement_pdf() -> bytes:
    return HTML(string=AGREEMENT).write_pdf()


def upload(admin: Api, pdf: bytes, name: str = "agreement.pdf") -> str:
    meta = {"name": name, "document_type": "contract"}
    response = admin.post(
        "/api/v1/documents",
        files={"file": (name, pdf, "application/pdf")},
        data={"meta": json.dumps(meta)},
    )
    return str(data(response, 201)["id"])


def request_signature(
    admin: Api,
    document_id: str,
    *,
    email: str,
    name: str = "Ana Lima",
    title: str = "Service agreement",
    message: str | None = "Please sign the agreement we discussed.",
    auth: str = "email",
    phone: str | None = None,
    fields: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    signer: dict[str, Any] = {"name": name, "email": email, "order": 1, "role": "signer", "auth": auth}
    if phone:
        signer["phone"] = phone
    body: dict[str, Any] = {
        "document_id": document_id,
        "title": title,
        "signers": [signer],
        "fields": fields if fields is not None else default_fields(email),
        "expires_in": "P14D",
    }
    if message is not None:
        body["message"] = message
    created: dict[str, Any] = data(admin.post("/api/v1/signing-requests", json=body), 201)
    return created


def default_fields(signer: str) -> list[dict[str, Any]]:
    """A signature, a date and a text box, each placed just after its label in the PDF."""
    return [
        {"signer": signer, "type": "signature", "anchor": "Signature:", "width": 140, "height": 36},
        {"signer": signer, "type": "date", "anchor": "Date:"},
        {"signer": signer, "type": "text", "anchor": "Client company:", "width": 170, "label": "Company"},
    ]


def signing_token(admin: Api, email: str, timeout: float = 30) -> str:
    """The token of the newest signing link emailed to ``email`` (the dev outbox)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in data(admin.get("/api/v1/dev/outbox", params={"to": email, "channel": "email"})):
            found = LINK.search(message["text"]) or LINK.search(message["html"])
            if found:
                return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no signing link was emailed to {email}")


def sms_code(admin: Api, phone: str, timeout: float = 30) -> str:
    """The newest one-time code texted to ``phone`` (the dev outbox)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in data(admin.get("/api/v1/dev/outbox", params={"to": phone, "channel": "sms"})):
            found = CODE.search(message["text"] or "") or CODE.search(message["subject"] or "")
            if found:
                return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no code was texted to {phone}")


def field_values(view: dict[str, Any]) -> dict[str, str]:
    """A value for each text field of the view (dates are the day of signing)."""
    return {f["id"]: "Acme Ltd" for f in view["fields"] if f["type"] == "text"}


def sign_typed(anonymous: Api, token: str, name: str = "Ana Lima", otp: str | None = None) -> Any:
    view = data(anonymous.get(f"/api/v1/public/signing/{token}"))
    body = {"signature": {"type": "typed", "value": name}, "fields": field_values(view), "consent": True}
    if otp is not None:
        body["otp"] = otp
    return anonymous.post(f"/api/v1/public/signing/{token}/sign", json=body)

"""Shared set-up for signing tests: a PDF document stored for a tenant, signing requests made
through the API, the links and codes the dev outbox received, and signatures."""

from __future__ import annotations

import base64
import io
import re
import time
import uuid
from typing import Any

from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from weasyprint import HTML

from adapters.storage import object_store
from db.models import DevOutboxMessage
from db.models.signing import SigningRequest
from db.session import tenant_session
from domain.context import TenantContext
from domain.documents import service as documents
from domain.documents.schemas import DocumentLimits
from keel.settings import Settings
from tests.api.conftest import Api, data

LINK = re.compile(r"/sign/([A-Za-z0-9_-]+)")
CODE = re.compile(r"is (\d{6})")
CONTRACT = """
<style>@page { size: A4; margin: 2cm } body { font-family: 'DejaVu Sans'; font-size: 11pt }</style>
<h1>Supply contract</h1>
<p>The supplier delivers; the buyer pays within thirty days.</p>
<p style="margin-top: 14cm">Signature: ____________________</p>
"""


def contract_pdf() -> bytes:
    return HTML(string=CONTRACT).write_pdf()


def store_document(
    engine: Engine,
    settings: Settings,
    tenant_id: uuid.UUID,
    content: bytes | None = None,
    name: str = "contract.pdf",
) -> uuid.UUID:
    ctx = TenantContext.system(tenant_id)
    with tenant_session(engine, tenant_id) as session:
        doc = documents.create_document(
            session,
            ctx,
            object_store(settings),
            name=name,
            document_type="contract",
            content=contract_pdf() if content is None else content,
            source="upload",
            limits=DocumentLimits.of(settings),
        )
        return doc.id


def signer(name: str, email: str, order: int = 1, **extra: Any) -> dict[str, Any]:
    return {"name": name, "email": email, "order": order, "role": "signer", "auth": "email", **extra}


def request_body(document_id: uuid.UUID, signers: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "document_id": str(document_id),
        "title": "Supply contract",
        "message": "Please sign by Friday.",
        "signers": signers,
        "expires_in": "P14D",
        "reminders": {"every": "P2D"},
        **extra,
    }


def create(admin: Api, body: dict[str, Any]) -> dict[str, Any]:
    created: dict[str, Any] = data(admin.post("/api/v1/signing-requests", json=body), 201)
    return created


def outbox(admin: Api, to: str, channel: str = "email") -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = data(
        admin.get("/api/v1/dev/outbox", params={"to": to, "channel": channel})
    )
    return messages


def wait_for(
    admin: Api, to: str, pattern: str, count: int = 1, timeout: float = 30, channel: str = "email"
) -> list[dict[str, Any]]:
    """The messages to ``to`` whose subject (or SMS text) contains ``pattern``, once there are ``count``."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in outbox(admin, to, channel) if pattern in (m["subject"] or m["text"])]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def token_of(admin: Api, email: str) -> str:
    invites = wait_for(admin, email, "Please")
    assert invites, f"no invitation reached {email}"
    found = LINK.search(invites[0]["text"])
    assert found is not None
    return found.group(1)


def wait_status(admin: Api, request_id: str, status: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        out: dict[str, Any] = data(admin.get(f"/api/v1/signing-requests/{request_id}"))
        if out["status"] == status or time.monotonic() > deadline:
            assert out["status"] == status, out
            return out
        time.sleep(0.2)


def typed(name: str = "Ana Lima", **fields: str) -> dict[str, Any]:
    return {"signature": {"type": "typed", "value": name}, "fields": fields, "consent": True}


def drawn_png(width: int = 300, height: int = 100) -> str:
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    for x in range(20, width - 20):
        image.putpixel((x, min(height - 1, max(0, height // 2 + (x % 17) - 8))), (20, 40, 120, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def drawn(**fields: str) -> dict[str, Any]:
    return {"signature": {"type": "drawn", "value": drawn_png()}, "fields": fields, "consent": True}


def request_count(engine: Engine, tenant_id: uuid.UUID) -> int:
    with tenant_session(engine, tenant_id) as session:
        return int(session.scalar(select(func.count()).select_from(SigningRequest)) or 0)


def outbox_count(engine: Engine, tenant_id: uuid.UUID) -> int:
    with tenant_session(engine, tenant_id) as session:
        return int(session.scalar(select(func.count()).select_from(DevOutboxMessage)) or 0)


def delivery_count(engine: Engine, tenant_id: uuid.UUID) -> int:
    from db.models import Delivery

    with tenant_session(engine, tenant_id) as session:
        return int(session.scalar(select(func.count()).select_from(Delivery)) or 0)

"""The certificate chain that seals this tenant's completed documents, for readers to trust."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from api.deps import Ctx, SettingsDep
from api.envelope import errors
from domain.signing.keys import chain_pem

router = APIRouter(prefix="/api/v1", tags=["signing"])

PEM = "application/x-pem-file"
PEM_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {PEM: {"schema": {"type": "string"}}},
        "description": "The sealing certificate, then its issuers, as PEM",
    }
}


@router.get(
    "/signing/certificate",
    response_class=Response,
    responses=PEM_RESPONSE | errors(),
    summary="The certificate chain (PEM) that seals this tenant's completed documents: "
    "give it to a PDF reader or validator as the trust root",
)
def signing_certificate(ctx: Ctx, settings: SettingsDep) -> Response:
    body = chain_pem(settings, ctx.tenant_id, tenant_domain=ctx.tenant_domain or None)
    headers = {
        "Content-Disposition": 'attachment; filename="keel-signing-chain.pem"',
        "Cache-Control": "private, max-age=300",
    }
    return Response(content=body, media_type=PEM, headers=headers)

"""Request dependencies: the engine, the Temporal client and the authenticated tenant context."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine, text
from temporalio.client import Client

from db.session import system_session
from domain.context import TenantContext
from domain.definitions.service import Catalog
from domain.errors import Unauthenticated, Unavailable
from domain.identity import secrets
from domain.identity import service as identity
from keel.settings import Settings


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def get_temporal(request: Request) -> Client:
    """The shared client; connects on first need, so the API serves while Temporal is still starting."""
    client: Client | None = request.app.state.temporal or await request.app.state.connect_temporal()
    if client is None:
        raise Unavailable("Temporal is not reachable; processes cannot be started or read right now.")
    return client


def get_catalog(request: Request) -> Catalog:
    catalog: Catalog = request.app.state.catalog
    return catalog


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthenticated("Send 'Authorization: Bearer <access token or API key>'.")
    return credential.strip()


def resolve_context(request: Request) -> TenantContext:
    """Authenticate the credential and load the principal: the tenant comes from it, never the payload."""
    cached: TenantContext | None = getattr(request.state, "ctx", None)
    if cached is not None:
        return cached
    credential = _bearer(request)
    engine = get_engine(request)
    settings = get_settings(request)
    key_id = None
    with system_session(engine) as session:
        if credential.startswith(secrets.API_KEY_PREFIX):
            tenant_id, user_id, key_id = identity.authenticate_api_key(session, credential)
        else:
            tenant_id, user_id = secrets.decode_token(settings.require_jwt_secret(), credential)
        session.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
        principal = identity.load_principal(session, tenant_id, user_id)
    ctx = TenantContext(
        tenant_id=tenant_id,
        tenant_domain=principal.tenant_domain,
        user_id=user_id,
        email=principal.email,
        roles=principal.roles,
        permissions=principal.permissions,
        actor_type="api_key" if key_id else "user",
        api_key_id=key_id,
        ip=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
        correlation_id=getattr(request.state, "correlation_id", None),
    )
    request.state.ctx = ctx
    return ctx


Ctx = Annotated[TenantContext, Depends(resolve_context)]
EngineDep = Annotated[Engine, Depends(get_engine)]
TemporalDep = Annotated[Client, Depends(get_temporal)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]

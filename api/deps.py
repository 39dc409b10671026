"""Request dependencies (the engine, the Temporal client, the authenticated tenant context) and the
query and header parameters every router shares."""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from temporalio.client import Client

from adapters import cache
from adapters.search import SearchIndex, SearchUnavailable
from adapters.storage import ObjectStore, object_store
from api import cookies
from api.process_runtime import Launcher
from db.session import open_tenant_session, system_session, tenant_session
from domain.context import TenantContext
from domain.definitions.service import Catalog
from domain.documents.schemas import DocumentLimits
from domain.errors import PermissionDenied, Unauthenticated, Unavailable, ValidationFailed
from domain.identity import key_use, secrets, sessions
from domain.identity import service as identity
from domain.identity.errors import MfaEnrolmentRequired
from keel import crypto
from keel.settings import Settings

log = logging.getLogger("keel.api")


# Plain lookups are ``async`` so FastAPI calls them on the event loop, not through a worker thread.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def get_temporal(request: Request) -> Client:
    """The shared client; connects on first need, so the API serves while Temporal is still starting."""
    client: Client | None = request.app.state.temporal or await request.app.state.connect_temporal()
    if client is None:
        raise Unavailable("Temporal is not reachable; processes cannot be started or read right now.")
    return client


async def get_catalog(request: Request) -> Catalog:
    catalog: Catalog = request.app.state.catalog
    return catalog


async def form_file(request: Request, what: str) -> tuple[FormData, UploadFile]:
    """A multipart body and its ``file`` field; 422 on ``file`` when there is none."""
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ValidationFailed.one("file", f"upload {what} as the multipart field 'file'")
    return form, upload


# What a user the policy asks to enrol a second factor may still reach with a password-only token.
# What a person whose organisation asks for a second factor may reach before they set one up: the
# enrolment routes, signing out, and the console's own security page and sign-out.
ENROLMENT_PATHS = ("/api/v1/me/mfa", "/api/v1/auth/logout", "/app/security", "/app/sign-out")


def _bearer(request: Request) -> str:
    """The request's credential: its bearer token, else the console's access cookie (with the CSRF
    token on anything but a read, see ``api/cookies.py``)."""
    header = request.headers.get("authorization", "")
    console = request.cookies.get(cookies.ACCESS)
    if not header and console:
        if request.method not in cookies.SAFE_METHODS:
            secret = request.app.state.settings.require_jwt_secret()
            if not cookies.csrf_matches(secret, console, request.headers.get(cookies.CSRF_HEADER)):
                raise PermissionDenied(cookies.CSRF_REFUSED)
        return console
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthenticated("Send 'Authorization: Bearer <access token or API key>'.")
    return credential.strip()


def _load_identity(engine: Engine, credential: str, settings: Settings) -> dict[str, Any]:
    """Who the credential designates: one transaction with the credential and principal lookups."""
    grant = None
    with system_session(engine) as session:
        claims = None
        if credential.startswith(secrets.API_KEY_PREFIX):
            grant = identity.authenticate_api_key(session, credential)
            tenant_id, user_id = grant.tenant_id, grant.user_id
        else:
            claims = secrets.decode_claims(settings.require_jwt_secret(), credential)
            tenant_id, user_id = claims.tenant_id, claims.user_id
        session.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
        principal = identity.load_principal(session, tenant_id, user_id)
        if claims and claims.session_id and not sessions.active(session, tenant_id, claims.session_id):
            raise Unauthenticated("The session has ended (signed out or revoked): sign in again.")
    permissions = principal.permissions
    if grant is not None:
        permissions = identity.key_permissions(permissions, grant.permissions)
    key_id = grant.key_id if grant else None
    return {
        "key_expires_at": grant.expires_at.isoformat() if grant and grant.expires_at else None,
        "session_id": str(claims.session_id) if claims and claims.session_id else None,
        "enrol_mfa": bool(claims and claims.enrol_mfa),
        "tenant_id": str(tenant_id),
        "user_id": str(user_id),
        "key_id": str(key_id) if key_id else None,
        "domain": principal.tenant_domain,
        "email": principal.email,
        "roles": sorted(principal.roles),
        "permissions": sorted(permissions),
    }


def _identity(engine: Engine, credential: str, settings: Settings) -> dict[str, Any]:
    """Cache-aside by a hash of the credential (``principal`` TTL, 30 s by default), so a request
    costs no extra transaction. A JWT is still decoded each time: its expiry is checked on every use.
    Identity writes that narrow access must ``cache.invalidate_kind("principal")``.
    """
    if not credential.startswith(secrets.API_KEY_PREFIX):
        secrets.decode_token(settings.require_jwt_secret(), credential)
    key = _credential_key(credential)
    found = cache.get_or_load("principal", key, lambda: _load_identity(engine, credential, settings))
    assert found is not None
    return found


def resolve_context(request: Request) -> TenantContext:
    """Authenticate the credential and load the principal: the tenant comes from it, never the payload."""
    cached: TenantContext | None = getattr(request.state, "ctx", None)
    if cached is not None:
        return cached
    credential = _bearer(request)
    state = request.app.state
    ctx = _context(request, _identity(state.engine, credential, state.settings))
    if ctx.api_key_id is not None and key_use.due(ctx.api_key_id):
        _record_key_use(state.engine, ctx)
    return ctx


def context_for(request: Request, credential: str) -> TenantContext:
    """As ``resolve_context``, for a credential the caller read itself (the console's cookie)."""
    state = request.app.state
    return _context(request, _identity(state.engine, credential, state.settings))


def _record_key_use(engine: Engine, ctx: TenantContext) -> None:
    """Last used time and IP of the request's key, in a short transaction of its own (at most once
    a minute per key: ``key_use.due``); a failure is logged, never the request's."""
    assert ctx.api_key_id is not None
    try:
        with tenant_session(engine, ctx.tenant_id) as session:
            key_use.record(session, ctx.api_key_id, ctx.ip)
    except SQLAlchemyError as exc:
        log.warning("could not record an API key's use", extra={"error": type(exc).__name__})


class _NotCached(Exception):
    pass


def _not_cached() -> dict[str, Any]:
    raise _NotCached


async def current_context(request: Request) -> TenantContext:
    """``resolve_context`` without a thread hop when the principal is cached (the common case)."""
    cached: TenantContext | None = getattr(request.state, "ctx", None)
    if cached is not None:
        return cached
    credential = _bearer(request)
    if not credential.startswith(secrets.API_KEY_PREFIX):
        secrets.decode_token(request.app.state.settings.require_jwt_secret(), credential)
    try:
        found = cache.get_or_load("principal", _credential_key(credential), _not_cached)
    except _NotCached:
        return await run_in_threadpool(resolve_context, request)
    assert found is not None
    ctx = _context(request, found)
    if ctx.api_key_id is not None and key_use.due(ctx.api_key_id):
        await run_in_threadpool(_record_key_use, request.app.state.engine, ctx)
    return ctx


def _credential_key(credential: str) -> str:
    return hashlib.sha256(credential.encode()).hexdigest()


def _context(request: Request, found: dict[str, Any]) -> TenantContext:
    expires = found.get("key_expires_at")
    if expires and datetime.fromisoformat(expires) <= datetime.now(UTC):  # cached before it expired
        raise Unauthenticated(identity.KEY_EXPIRED)
    ctx = TenantContext(
        tenant_id=uuid.UUID(found["tenant_id"]),
        tenant_domain=found["domain"],
        user_id=uuid.UUID(found["user_id"]),
        email=found["email"],
        roles=frozenset(found["roles"]),
        permissions=frozenset(found["permissions"]),
        actor_type="api_key" if found["key_id"] else "user",
        api_key_id=uuid.UUID(found["key_id"]) if found["key_id"] else None,
        ip=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
        correlation_id=getattr(request.state, "correlation_id", None),
        session_id=uuid.UUID(found["session_id"]) if found.get("session_id") else None,
    )
    if found.get("enrol_mfa") and not request.url.path.startswith(ENROLMENT_PATHS):
        raise MfaEnrolmentRequired(
            "Your organisation asks for a second factor: enrol one (POST /api/v1/me/mfa/totp) first."
        )
    request.state.ctx = ctx
    return ctx


Ctx = Annotated[TenantContext, Depends(current_context)]


async def request_unit(request: Request, ctx: Ctx) -> AsyncIterator[Session]:
    """The request's unit of work: one tenant transaction, committed when the handler returns and
    before the response is sent (``scope="function"``), rolled back when it raises. A route that
    must commit before it calls Temporal (record, start, or undo) opens its own and says why."""
    session = open_tenant_session(request.app.state.engine, ctx.tenant_id)
    try:
        yield session
    except BaseException:
        if session.in_transaction():
            await run_in_threadpool(session.rollback)
        raise
    else:
        if session.in_transaction():
            await run_in_threadpool(session.commit)
    finally:
        session.close()  # no I/O left: the transaction is over either way


async def get_launcher(request: Request) -> Launcher:
    """Record-then-start for the route (Temporal is connected on first need, as in ``get_temporal``)."""
    state = request.app.state
    return Launcher(state.engine, await get_temporal(request), state.settings.temporal_task_queue)


@dataclass(frozen=True)
class DocumentFiles:
    """Where document bytes are stored and the limits (bytes, pages) they are read and written under."""

    store: ObjectStore
    limits: DocumentLimits


def get_document_files(settings: Annotated[Settings, Depends(get_settings)]) -> DocumentFiles:
    # Sync, so FastAPI runs it in a worker thread: the first S3 store built connects.
    return DocumentFiles(object_store(settings), DocumentLimits.of(settings))


async def get_box(settings: Annotated[Settings, Depends(get_settings)]) -> crypto.SecretBox:
    """What seals the secrets a route stores or reads (TOTP seeds, webhook and calendar secrets)."""
    return crypto.box(settings)


Db = Annotated[Session, Depends(request_unit, scope="function")]
EngineDep = Annotated[Engine, Depends(get_engine)]
TemporalDep = Annotated[Client, Depends(get_temporal)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]
LauncherDep = Annotated[Launcher, Depends(get_launcher)]
FilesDep = Annotated[DocumentFiles, Depends(get_document_files)]
Box = Annotated[crypto.SecretBox, Depends(get_box)]

# Shared parameters: one definition each, so every list pages and every update preconditions alike.
Limit = Annotated[int | None, Query(ge=1, description="page size, default 50, at most 200")]
Cursor = Annotated[str | None, Query(max_length=512, description="meta.next_cursor of the previous page")]
IfMatch = Annotated[str | None, Header(description="the ETag you read; 412 if the object changed since")]


_index_lock = threading.Lock()


def get_index(request: Request) -> SearchIndex:
    """One Typesense client per app (its connection pool is shared by the request threads)."""
    state = request.app.state
    index: SearchIndex | None = getattr(state, "search_index", None)
    if index is None:
        with _index_lock:
            index = getattr(state, "search_index", None)
            if index is None:
                try:
                    index = SearchIndex.from_settings(state.settings)
                except SearchUnavailable as exc:
                    raise Unavailable(str(exc)) from exc
                state.search_index = index
    return index


IndexDep = Annotated[SearchIndex, Depends(get_index)]

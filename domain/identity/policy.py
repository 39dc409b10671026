"""The tenant's security policy (in its settings): whether every user needs a second factor.

Turning it on does not lock anyone out: a user without a factor still signs in, and may then reach
only the enrolment routes until they have one (``mfa_enrollment_required`` elsewhere).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Tenant
from domain.audit import service as audit
from domain.context import TenantContext
from domain.errors import PermissionDenied
from domain.identity.revocation import forget_principals
from domain.identity.schemas import SecurityPolicy


def _admin(ctx: TenantContext) -> None:
    if not ctx.is_admin:
        raise PermissionDenied("Only an administrator (holding '*') reads or sets the security policy.")


def _out(tenant: Tenant) -> dict[str, Any]:
    return {"mfa_required": (tenant.settings or {}).get("mfa_required") is True}


def _tenant(session: Session, ctx: TenantContext, *, lock: bool = False) -> Tenant:
    stmt = select(Tenant).where(Tenant.id == ctx.tenant_id)  # tenant: the caller's own tenant row
    found = session.scalar(stmt.with_for_update() if lock else stmt)
    assert found is not None  # the caller's own tenant
    return found


def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
    _admin(ctx)
    return _out(_tenant(session, ctx))


def replace(session: Session, ctx: TenantContext, body: SecurityPolicy) -> dict[str, Any]:
    _admin(ctx)
    tenant = _tenant(session, ctx, lock=True)
    before = _out(tenant)
    tenant.settings = {**(tenant.settings or {}), "mfa_required": body.mfa_required}
    session.flush()
    forget_principals(session)
    audit.record(
        session, ctx, "tenant.security_updated", "tenant", tenant.id, audit.diff(before, _out(tenant))
    )
    return _out(tenant)

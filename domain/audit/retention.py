"""How long a tenant keeps its audit entries (``tenants.settings["audit_retention_days"]``), and the
pruning that applies it. Unset: kept for good.

Pruning deletes, through ``keel_audit_prune`` (the application role may not delete audit rows), the
oldest links of the chain whose rows are all past retention, and records where the kept chain starts,
so verify still succeeds from the first kept seal.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Tenant
from domain.audit import chain
from domain.audit import service as audit
from domain.context import TenantContext
from domain.errors import PermissionDenied

KEY = "audit_retention_days"
MIN_DAYS, MAX_DAYS = 30, 3650


def _tenant(session: Session, ctx: TenantContext, *, lock: bool = False) -> Tenant:
    stmt = select(Tenant).where(Tenant.id == ctx.tenant_id)  # tenant: the caller's own tenant row
    found = session.scalar(stmt.with_for_update() if lock else stmt)
    assert found is not None  # the caller's own tenant
    return found


def days(session: Session, ctx: TenantContext) -> int | None:
    value = (_tenant(session, ctx).settings or {}).get(KEY)
    return value if isinstance(value, int) else None


def read(session: Session, ctx: TenantContext) -> dict[str, int | None]:
    ctx.require("audit:read")
    return {"days": days(session, ctx)}


def replace(session: Session, ctx: TenantContext, new_days: int) -> dict[str, int | None]:
    """Admins only; ``new_days`` is validated by the request model (``MIN_DAYS``..``MAX_DAYS``)."""
    if not ctx.is_admin:
        raise PermissionDenied("Only an administrator (holding '*') sets the audit retention.")
    tenant = _tenant(session, ctx, lock=True)
    before = (tenant.settings or {}).get(KEY)
    tenant.settings = {**(tenant.settings or {}), KEY: new_days}
    audit.record(session, ctx, "audit.retention_updated", "tenant", tenant.id, {"days": [before, new_days]})
    return {"days": new_days}


def prune(session: Session, ctx: TenantContext) -> int:
    """Delete the sealed entries past the tenant's retention; how many went."""
    keep = days(session, ctx)
    if keep is None:
        return 0
    cutoff = func.now() - timedelta(days=keep)
    deleted = int(session.scalar(select(func.keel_audit_prune(cutoff))) or 0)
    if deleted:
        audit.record(
            session, ctx, "audit.pruned", "tenant", ctx.tenant_id, {"deleted": deleted, "days": keep}
        )
    return deleted


def maintain(session: Session, ctx: TenantContext, key: bytes, *, full: bool = False) -> int:
    """The periodic step, also run before verify (``full``) and export: seal what has settled, then
    prune. How many rows were sealed."""
    sealed = chain.seal(session, ctx.tenant_id, key, full=full)
    prune(session, ctx)
    return sealed

"""A caller may confer only what it holds itself.

Whoever creates a user with roles, or a role with permissions, could otherwise mint access it does
not have (a ``users:write`` holder creating an admin). Every permission conferred must be one the
caller holds; ``*`` (the ``admin`` role) only by a caller that holds ``*``.
"""

from __future__ import annotations

from collections.abc import Iterable

from db.models import Role
from domain.context import TenantContext
from domain.errors import PermissionDenied
from domain.identity.permissions import ALL


def lacking(ctx: TenantContext, permissions: Iterable[str]) -> list[str]:
    """The permissions among ``permissions`` the caller does not hold, sorted."""
    if ctx.is_admin:
        return []
    return sorted({p for p in permissions if p == ALL or p not in ctx.permissions})


def require_permissions_grantable(ctx: TenantContext, permissions: Iterable[str]) -> None:
    missing = lacking(ctx, permissions)
    if missing:
        raise PermissionDenied(
            f"You may grant only permissions you hold; you lack: {', '.join(missing)}.",
            {"missing": missing},
        )


def require_roles_grantable(ctx: TenantContext, roles: Iterable[Role]) -> None:
    """Each role's permissions must all be held by the caller."""
    refused = {r.name: lacking(ctx, r.permissions) for r in roles}
    refused = {name: missing for name, missing in refused.items() if missing}
    if refused:
        missing = sorted({p for ps in refused.values() for p in ps})
        raise PermissionDenied(
            f"You may assign only roles whose permissions you hold; {', '.join(sorted(refused))} "
            f"need{'s' if len(refused) == 1 else ''}: {', '.join(missing)}.",
            {"missing": missing, "roles": sorted(refused)},
        )

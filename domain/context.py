"""Who is acting, for which tenant, from where. Built by the API from the credential."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from domain.identity.errors import MissingPermission


@dataclass(frozen=True)
class TenantContext:
    tenant_id: uuid.UUID
    tenant_domain: str
    user_id: uuid.UUID | None = None
    email: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    permissions: frozenset[str] = field(default_factory=frozenset)
    actor_type: str = "user"  # user | api_key | system
    api_key_id: uuid.UUID | None = None
    ip: str | None = None
    user_agent: str | None = None
    correlation_id: str | None = None
    session_id: uuid.UUID | None = None  # the sign-in session an access token came from

    @classmethod
    def system(
        cls, tenant_id: uuid.UUID, tenant_domain: str = "", correlation_id: str | None = None
    ) -> TenantContext:
        """The platform itself acting (workflows, timers) inside one tenant."""
        return cls(
            tenant_id=tenant_id,
            tenant_domain=tenant_domain,
            actor_type="system",
            permissions=frozenset({"*"}),
            correlation_id=correlation_id,
        )

    @property
    def actor_id(self) -> uuid.UUID | None:
        """Who the audit trail and history name: the API key itself, or the signed-in user."""
        return self.user_id if self.actor_type != "api_key" else (self.api_key_id or self.user_id)

    @property
    def is_admin(self) -> bool:
        return "*" in self.permissions

    def can(self, permission: str) -> bool:
        return "*" in self.permissions or permission in self.permissions

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise MissingPermission(permission)

    def assignee_keys(self) -> list[str]:
        """The task-assignee strings that designate this actor: its user and each of its roles."""
        keys = [f"role:{r}" for r in sorted(self.roles)]
        if self.email:
            keys.insert(0, f"user:{self.email.lower()}")
        return keys

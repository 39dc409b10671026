"""Identity errors: all are shared error types with identity-specific messages."""

import uuid

from domain.errors import Conflict, NotFound, PermissionDenied, RateLimited, Unauthenticated, ValidationFailed

__all__ = [
    "Conflict",
    "MfaEnrolmentRequired",
    "MfaRequired",
    "MissingPermission",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "Unauthenticated",
    "ValidationFailed",
    "WrongPassword",
]


class MfaRequired(PermissionDenied):
    """The password was right; the second step (``grant_type=mfa_otp``) needs the ``mfa_token``."""

    code = "mfa_required"


class MfaEnrolmentRequired(PermissionDenied):
    """The tenant's policy (or a role) wants a second factor this user has not set up yet."""

    code = "mfa_enrollment_required"


class MissingPermission(PermissionDenied):
    """The caller's roles lack one permission (``TenantContext.require``); the API audits it."""

    def __init__(self, permission: str) -> None:
        super().__init__(f"This action needs the '{permission}' permission.")
        self.permission = permission


class WrongPassword(Unauthenticated):
    """A known user of a known tenant gave a wrong password: the same 401 as any sign-in failure,
    naming whom, so that the failure can be audited in that tenant."""

    def __init__(self, message: str, tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
        super().__init__(message)
        self.tenant_id = tenant_id
        self.user_id = user_id

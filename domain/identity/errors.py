"""Identity errors: all are shared error types with identity-specific messages."""

from domain.errors import Conflict, NotFound, PermissionDenied, RateLimited, Unauthenticated, ValidationFailed

__all__ = [
    "Conflict",
    "MfaEnrolmentRequired",
    "MfaRequired",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "Unauthenticated",
    "ValidationFailed",
]


class MfaRequired(PermissionDenied):
    """The password was right; the second step (``grant_type=mfa_otp``) needs the ``mfa_token``."""

    code = "mfa_required"


class MfaEnrolmentRequired(PermissionDenied):
    """The tenant's policy (or a role) wants a second factor this user has not set up yet."""

    code = "mfa_enrollment_required"

"""Identity errors: all are shared error types with identity-specific messages."""

from domain.errors import Conflict, NotFound, PermissionDenied, RateLimited, Unauthenticated, ValidationFailed

__all__ = ["Conflict", "NotFound", "PermissionDenied", "RateLimited", "Unauthenticated", "ValidationFailed"]

"""The errors entity services raise; the API maps each to its status code."""

from domain.errors import Conflict, FieldError, NotFound, PreconditionFailed, ValidationFailed

__all__ = ["Conflict", "FieldError", "NotFound", "PreconditionFailed", "ValidationFailed", "conflict"]


def conflict(code: str, message: str, details: dict[str, object] | None = None) -> Conflict:
    """A 409 with a specific error code (``unique_violation``, ``duplicate_candidates``…)."""
    exc = Conflict(message, dict(details or {}))
    exc.code = code
    return exc

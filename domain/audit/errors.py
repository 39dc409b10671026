"""The audit trail raises only the shared errors (``domain.errors``)."""

from domain.errors import NotFound, PermissionDenied

__all__ = ["NotFound", "PermissionDenied"]

"""Notifications raise only the shared errors (``domain.errors``)."""

from domain.errors import ValidationFailed

__all__ = ["ValidationFailed"]

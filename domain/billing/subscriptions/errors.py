"""Subscription errors: the shared domain errors."""

from __future__ import annotations

from domain.errors import Conflict, FieldError, NotFound, ValidationFailed

__all__ = ["Conflict", "FieldError", "NotFound", "ValidationFailed"]

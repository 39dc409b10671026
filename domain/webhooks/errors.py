"""Webhook errors: the shared domain errors, plus what a receiver's signature check raises."""

from __future__ import annotations

from domain.errors import Conflict, NotFound, ValidationFailed


class SignatureInvalid(Exception):
    """A delivery's Standard Webhooks headers do not verify (missing, tampered, too old or new)."""


__all__ = ["Conflict", "NotFound", "SignatureInvalid", "ValidationFailed"]

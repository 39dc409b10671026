"""Typed domain errors. The API maps each to one status code and a stable error code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError as PydanticValidationError


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotFound(DomainError):
    code = "not_found"

    def __init__(self, entity: str, ident: object | None = None) -> None:
        what = f"{entity} {ident}" if ident is not None else entity
        super().__init__(f"{what} not found")


class Conflict(DomainError):
    code = "conflict"


class PermissionDenied(DomainError):
    code = "forbidden"


class Unauthenticated(DomainError):
    code = "unauthenticated"


class BadRequest(DomainError):
    code = "bad_request"


class UnsupportedMediaType(DomainError):
    code = "unsupported_media_type"


class PayloadTooLarge(DomainError):
    """A body or stream larger than its limit; nothing of it was kept."""

    code = "payload_too_large"

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message, {"limit_bytes": limit})
        self.limit = limit


class Gone(DomainError):
    """A link or token that was valid once and is not any more (used, expired, voided)."""

    code = "gone"


class Locked(DomainError):
    """The resource is locked after too many failed attempts."""

    code = "locked"


class PreconditionFailed(DomainError):
    code = "precondition_failed"


class Unavailable(DomainError):
    code = "service_unavailable"


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, {"retry_after": retry_after})
        self.retry_after = retry_after


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class ValidationFailed(DomainError):
    """Bad input, field by field. ``field`` is a dotted path or a JSON pointer."""

    code = "validation_failed"

    def __init__(
        self, fields: list[FieldError], message: str = "The request is not valid.", code: str | None = None
    ) -> None:
        super().__init__(message, {"fields": [{"field": f.field, "message": f.message} for f in fields]})
        self.fields = fields
        if code:
            self.code = code

    @classmethod
    def one(cls, field_name: str, message: str, code: str | None = None) -> ValidationFailed:
        return cls([FieldError(field_name, message)], f"{field_name}: {message}", code)

    @classmethod
    def from_pydantic(cls, exc: PydanticValidationError, prefix: str = "") -> ValidationFailed:
        """Each pydantic error as a field error, its path dotted and prefixed (``input.chain.0.due``)."""
        fields = []
        for err in exc.errors():
            path = ".".join(str(p) for p in (prefix, *err["loc"]) if p != "")
            fields.append(FieldError(path or "body", err["msg"].removeprefix("Value error, ")))
        return cls(fields)

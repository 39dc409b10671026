"""Typed domain errors. The API maps each to one status code and a stable error code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError as PydanticValidationError


class DomainError(Exception):
    """The base of every domain error; a subclass names its stable error code in its header."""

    code = "error"

    def __init_subclass__(cls, code: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code = code

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotFound(DomainError, code="not_found"):
    def __init__(self, entity: str, ident: object | None = None) -> None:
        what = f"{entity} {ident}" if ident is not None else entity
        super().__init__(f"{what} not found")


class Conflict(DomainError, code="conflict"):
    """The request clashes with the current state of the resource."""


class PermissionDenied(DomainError, code="forbidden"):
    """The caller is known but may not do this."""


class Unauthenticated(DomainError, code="unauthenticated"):
    """No credential, or one that does not check out."""


class BadRequest(DomainError, code="bad_request"):
    """A body that cannot be read at all (not JSON, not the expected structure)."""


class UnsupportedMediaType(DomainError, code="unsupported_media_type"):
    """A body in a content type the route does not take."""


class PayloadTooLarge(DomainError, code="payload_too_large"):
    """A body or stream larger than its limit; nothing of it was kept."""

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message, {"limit_bytes": limit})
        self.limit = limit


class Gone(DomainError, code="gone"):
    """A link or token that was valid once and is not any more (used, expired, voided)."""


class Locked(DomainError, code="locked"):
    """The resource is locked after too many failed attempts."""


class PreconditionFailed(DomainError, code="precondition_failed"):
    """The caller's version of the resource (``If-Match``) is not the current one."""


class Unavailable(DomainError, code="service_unavailable"):
    """A service Keel depends on is not configured or does not answer."""


class RateLimited(DomainError, code="rate_limited"):
    """Too many attempts; ``retry_after`` says in how many seconds to try again."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, {"retry_after": retry_after})
        self.retry_after = retry_after


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class ValidationFailed(DomainError, code="validation_failed"):
    """Bad input, field by field. ``field`` is a dotted path or a JSON pointer."""

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

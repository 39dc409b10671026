"""Document errors: each a domain error the API maps to its status."""

from __future__ import annotations

from domain.errors import Conflict, NotFound, PayloadTooLarge, ValidationFailed

__all__ = ["DocumentNotReady", "NotFound", "PayloadTooLarge", "TooManyAssets", "ValidationFailed"]


class DocumentNotReady(Conflict):
    """The document is still being generated (or failed with no content): nothing to read or replace yet."""

    def __init__(self, status: str) -> None:
        message = (
            "The document is still being generated; it has no content yet."
            if status == "generating"
            else "The document could not be generated (see failure_reason); it has no content."
        )
        super().__init__(message, {"document_status": status})


class TooManyAssets(Conflict):
    def __init__(self, limit: int) -> None:
        super().__init__(f"The tenant already has {limit} assets; delete one first.", {"limit": limit})

"""Document errors: each a domain error the API maps to its status."""

from __future__ import annotations

from domain.errors import Conflict, NotFound, PayloadTooLarge, ValidationFailed

__all__ = ["DocumentNotReady", "NotFound", "PayloadTooLarge", "TooManyAssets", "ValidationFailed"]


class DocumentNotReady(Conflict):
    """The document is still being generated (or failed with no content): nothing to read or replace yet."""

    def __init__(self, status: str) -> None:
        super().__init__(f"The document is {status}; it has no content yet.", {"document_status": status})


class TooManyAssets(Conflict):
    def __init__(self, limit: int) -> None:
        super().__init__(f"The tenant already has {limit} assets; delete one first.", {"limit": limit})

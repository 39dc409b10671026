"""Notification errors. The template ones are ``ValidationFailed`` (422 in the API) so a preview shows
them; a delivery catches them to fail one channel."""

from __future__ import annotations

from domain.errors import FieldError, ValidationFailed

__all__ = ["TemplateMissingChannel", "TemplateRenderError", "ValidationFailed"]


class TemplateMissingChannel(ValidationFailed):
    """The template has no content for a channel: the caller marks that channel failed, not the delivery."""

    def __init__(self, key: str, channel: str, available: frozenset[str] | set[str] = frozenset()) -> None:
        have = ", ".join(sorted(available)) or "none"
        super().__init__(
            [FieldError("channel", f"template {key!r} has no {channel} content (it has: {have})")],
            f"Template {key!r} has no content for channel {channel!r} (it has: {have}).",
        )
        self.key, self.channel = key, channel


class TemplateRenderError(ValidationFailed):
    """A field failed while rendering (sandbox violation, type error, oversize output)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__([FieldError(field, reason)], f"{field}: {reason}")
        self.field, self.reason = field, reason

"""Signing's errors: the shared domain errors with the wording a signer or sender needs."""

from __future__ import annotations

from domain.errors import Conflict, Gone, Locked, NotFound


class LinkNotFound(NotFound):
    """A forged, malformed or foreign signing link: nothing more is said about it."""

    def __init__(self) -> None:
        super().__init__("signing link")


class LinkGone(Gone):
    def __init__(self, why: str) -> None:
        super().__init__(f"This signing link can no longer be used: {why}.", {"reason": why})


class SignerLocked(Locked):
    def __init__(self) -> None:
        super().__init__("Too many wrong codes: this signer is locked. Ask the sender for a new request.")


class ActingElsewhere(Conflict):
    """Another request is signing or declining for the same signer right now."""

    def __init__(self) -> None:
        super().__init__("Another sign or decline of this signer is under way; nothing was changed.")


class NotCompleted(Conflict):
    def __init__(self, status: str) -> None:
        super().__init__(f"The signing request is {status}: the signed document exists once it is completed.")


class RequestClosed(Conflict):
    def __init__(self, status: str) -> None:
        super().__init__(f"The signing request is already {status}.", {"status": status})

"""Unpadded base64url for the signed tokens and cursors Keel hands out, read in one spelling only.

Base64 decoding skips padding, ignores the unused low bits of the last character and, unless told
otherwise, stray characters: several strings would then decode to the bytes of one token. ``decode``
answers the bytes only for the exact text ``encode`` gives for them, so a token altered in any
character is refused, never read as the original.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Callable


def encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(text: str) -> bytes | None:
    """The bytes ``text`` encodes, or None when it is not the one spelling :func:`encode` gives."""
    if not isinstance(text, str) or not text.isascii():
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return raw if encode(raw) == text else None


def signed(body: bytes, mac: Callable[[bytes], bytes]) -> str:
    """``body`` followed by its MAC, encoded: a link's token."""
    return encode(body + mac(body))


def verified(token: str, size: int, mac: Callable[[bytes], bytes]) -> bytes | None:
    """The ``size``-byte body of a token :func:`signed` gave with this MAC, or None for anything else."""
    raw = decode(token)
    if raw is None or len(raw) <= size:
        return None
    body = raw[:size]
    return body if hmac.compare_digest(raw[size:], mac(body)) else None

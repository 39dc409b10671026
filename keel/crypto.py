"""Secrets at rest: values Keel must read back (webhook signing secrets) are stored encrypted.

``KEEL_SECRETS_KEYS`` holds one or more Fernet keys, comma separated. The first encrypts; every key
decrypts, so a key is rotated by putting a new one first, running ``keel secrets rotate`` (which
re-encrypts every stored secret under the first key), then removing the old one.

Without the setting, production refuses to seal or open a secret (``SecretsKeyMissing``);
development and tests use ``DEVELOPMENT_KEY``, which is public (it is in this file) and therefore
protects nothing. ``keel up`` generates a key and
keeps it in ``.keel/runtime.json`` like the JWT secret.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

if TYPE_CHECKING:
    from keel.settings import Settings

# Public on purpose: only for development and tests, never accepted in production.
DEVELOPMENT_KEY = "a2VlbC1kZXZlbG9wbWVudC1vbmx5LWtleS0wMDAwMDA="
TOKEN_PREFIX = "gAAAAA"  # every Fernet token starts so (version byte 0x80 + timestamp)


class SecretsKeyMissing(RuntimeError):
    """Production without ``KEEL_SECRETS_KEYS``."""


class SecretBox:
    """Encrypt with the first key, decrypt with any (``MultiFernet``)."""

    def __init__(self, keys: tuple[str, ...]) -> None:
        if not keys:
            raise ValueError("at least one key is needed")
        try:
            self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])
        except ValueError as exc:
            raise ValueError(
                "KEEL_SECRETS_KEYS holds an invalid key: each is 32 url-safe base64-encoded bytes "
                "(generate one with `keel secrets new-key`)"
            ) from exc

    def seal(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def open(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("a stored secret does not decrypt with any key in KEEL_SECRETS_KEYS") from exc

    def reseal(self, token: str) -> str:
        """The same secret under the first key (a no-op for tokens already under it, bar the time)."""
        return self._fernet.rotate(token.encode()).decode()


@lru_cache(maxsize=8)
def _box(keys: tuple[str, ...]) -> SecretBox:
    return SecretBox(keys)


def keys_of(settings: Settings) -> tuple[str, ...]:
    keys = tuple(settings.secrets_key_list)
    if settings.environment == "production" and DEVELOPMENT_KEY in keys:
        raise SecretsKeyMissing(
            "KEEL_SECRETS_KEYS holds the public development key; use `keel secrets new-key`."
        )
    if keys:
        # Outside production the development key still decrypts (never encrypts), so secrets sealed
        # before a key was configured stay readable until `keel secrets rotate` re-seals them.
        return keys if settings.environment == "production" else (*keys, DEVELOPMENT_KEY)
    if settings.environment == "production":
        raise SecretsKeyMissing(
            "KEEL_SECRETS_KEYS must be set in production (one or more Fernet keys, comma separated; "
            "generate one with `keel secrets new-key`)."
        )
    return (DEVELOPMENT_KEY,)


def box(settings: Settings) -> SecretBox:
    """The box for these settings (built once per key list)."""
    return _box(keys_of(settings))


def new_key() -> str:
    return Fernet.generate_key().decode()

"""Password hashing (argon2id), API key minting and hashing, and JWT access tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.errors import Unauthenticated

_hasher = PasswordHasher()
API_KEY_PREFIX = "keel_"
_JWT_ALG = "HS256"
_JWT_AUDIENCE = "keel-api"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A fixed hash to verify against when the user does not exist, so timing does not reveal it.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def burn_password_check(password: str) -> None:
    verify_password(_DUMMY_HASH, password)


@dataclass(frozen=True)
class MintedKey:
    plaintext: str
    prefix: str
    key_hash: str


def mint_api_key() -> MintedKey:
    """``keel_<prefix>_<secret>``: the prefix finds the row, the whole key is stored as SHA-256.

    API keys carry 256 bits of randomness, so a fast hash is safe and keeps each request cheap.
    """
    prefix = secrets.token_hex(6)
    plaintext = f"{API_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    return MintedKey(plaintext, prefix, hash_api_key(plaintext))


def hash_api_key(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def api_key_prefix(plaintext: str) -> str:
    body = plaintext[len(API_KEY_PREFIX) :]
    prefix, sep, _ = body.partition("_")
    if not plaintext.startswith(API_KEY_PREFIX) or not sep or not prefix:
        raise Unauthenticated("The API key is malformed.")
    return prefix


def api_key_matches(plaintext: str, key_hash: str) -> bool:
    return hmac.compare_digest(hash_api_key(plaintext), key_hash)


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_in: int


@dataclass(frozen=True)
class Claims:
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    session_id: uuid.UUID | None  # tokens from a sign-in session (revoking it stops them)
    enrol_mfa: bool = False  # the tenant's policy wants a second factor this user has not set up


def issue_token(
    secret: str,
    *,
    user_id: uuid.UUID,
    tenant_id: uuid.UUID,
    ttl_seconds: int,
    session_id: uuid.UUID | None = None,
    enrol_mfa: bool = False,
    audience: str = _JWT_AUDIENCE,
) -> AccessToken:
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": str(user_id),
        "tid": str(tenant_id),
        "aud": audience,
        "iat": now,
        "exp": now + timedelta(seconds=ttl_seconds),
        "jti": secrets.token_hex(8),
    }
    if session_id is not None:
        claims["sid"] = str(session_id)
    if enrol_mfa:
        claims["mfa_enrol"] = True
    return AccessToken(jwt.encode(claims, secret, algorithm=_JWT_ALG), ttl_seconds)


def decode_claims(secret: str, token: str, *, audience: str = _JWT_AUDIENCE) -> Claims:
    """The token's claims, or Unauthenticated with the reason."""
    try:
        claims = jwt.decode(token, secret, algorithms=[_JWT_ALG], audience=audience)
        sid = claims.get("sid")
        return Claims(
            uuid.UUID(claims["tid"]),
            uuid.UUID(claims["sub"]),
            uuid.UUID(sid) if sid else None,
            claims.get("mfa_enrol") is True,
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated("The access token has expired.") from exc
    except (jwt.InvalidTokenError, KeyError, ValueError, TypeError) as exc:
        raise Unauthenticated("The access token is not valid.") from exc


def decode_token(secret: str, token: str) -> tuple[uuid.UUID, uuid.UUID]:
    """Returns (tenant_id, user_id) or raises Unauthenticated with the reason."""
    claims = decode_claims(secret, token)
    return claims.tenant_id, claims.user_id


def digest(plaintext: str) -> str:
    """SHA-256 of a high-entropy token (refresh tokens, recovery codes): fast is safe at 256 bits."""
    return hashlib.sha256(plaintext.encode()).hexdigest()

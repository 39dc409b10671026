"""The console's sign-in cookies, and the CSRF token every change they authenticate must carry.

The console keeps the access and refresh tokens that ``POST /api/v1/auth/token`` answers in HttpOnly,
Secure, SameSite=Lax cookies, so the same REST API answers its pages' calls: a request with no
``Authorization`` header is authenticated by the access cookie. A cookie travels with requests that
other sites make the browser send, so a request that changes something (any method but GET, HEAD and
OPTIONS) must also carry the session's CSRF token (``X-CSRF-Token``, or a form's ``csrf_token``),
which only a page of the console can read.
"""

from __future__ import annotations

import hashlib
import hmac

from domain.identity import secrets

ACCESS = "keel_access"
REFRESH = "keel_refresh"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_REFUSED = "This change needs the console's CSRF token (X-CSRF-Token): reload the page and try again."


def csrf_token(secret: str, access_token: str) -> str:
    """The token of the access token's sign-in session: the same for every access token a refresh
    gives that session, different for any other session. Raises Unauthenticated for a bad token."""
    claims = secrets.decode_claims(secret, access_token)
    bound = str(claims.session_id or claims.user_id)
    return hmac.new(secret.encode(), f"console-csrf|{bound}".encode(), hashlib.sha256).hexdigest()


def csrf_matches(secret: str, access_token: str, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(csrf_token(secret, access_token), sent or "")

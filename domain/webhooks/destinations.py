"""Where a webhook may point: an http(s) URL without credentials whose host resolves to an address
Keel may reach. Private, loopback, link-local and other non-public addresses are refused unless the
allow-list (``settings.webhook_allow_private``: comma-separated CIDRs or host names) names them.

The same check runs again at connect time (``adapters.safe_http``), against a fresh resolution.
"""

from __future__ import annotations

from functools import lru_cache

from adapters import safe_http
from adapters.safe_http import AllowList, Resolver
from domain.errors import ValidationFailed

MAX_URL = 2048


@lru_cache(maxsize=16)
def allow_list(spec: str) -> AllowList:
    return AllowList.parse(spec)


def check(
    url: str,
    allow_private: str,
    resolver: Resolver = safe_http.resolve,
    *,
    field: str = "url",
    https_only: bool = False,
) -> str:
    """The URL (stripped) when Keel may deliver to it; :class:`ValidationFailed` on ``field`` otherwise.

    The same guard serves webhooks and push endpoints (``https_only`` for those that require TLS).
    """
    url = url.strip()
    if len(url) > MAX_URL:
        raise ValidationFailed.one(field, f"may have at most {MAX_URL} characters")
    try:
        target = safe_http.split_url(url)
        if https_only and target.scheme != "https":
            raise safe_http.Refused("must be an https URL")
        if "#" in url:
            raise safe_http.Refused("a fragment (#…) is never sent; remove it")
        safe_http.vet_host(target.host, target.port, allow_list(allow_private), resolver)
    except safe_http.Refused as exc:
        raise ValidationFailed.one(field, str(exc)) from exc
    return url

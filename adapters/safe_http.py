"""Outgoing HTTP to addresses users chose (webhooks, push endpoints, calendar feeds), guarded against SSRF.

The host is resolved once, every address is checked (private, loopback, link-local, multicast,
reserved and unspecified ranges are refused unless an allow-list names them), and the request is
sent to the vetted IP itself with the original ``Host`` header (and TLS SNI), so a DNS answer that
changes between the check and the connection (DNS rebinding) cannot redirect it. Redirects are
never followed.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[IPAddress]]
USER_AGENT = "Keel-Webhooks/1"
MAX_BODY = 4096  # of a response: enough for an error message, never the whole body


class Refused(Exception):
    """The destination is not allowed; the message says which address and why (safe to show)."""


class RequestFailed(Exception):
    """No HTTP answer: a connection error or a timeout (``timeout`` tells which)."""

    def __init__(self, message: str, *, timeout: bool = False) -> None:
        super().__init__(message)
        self.timeout = timeout


@dataclass(frozen=True)
class AllowList:
    """Networks (CIDR) and host names whose private addresses may be reached anyway."""

    networks: tuple[IPNetwork, ...] = ()
    hosts: frozenset[str] = frozenset()
    setting: str = "KEEL_WEBHOOK_ALLOW_PRIVATE"  # where the list is configured, named in refusals

    @classmethod
    def parse(cls, spec: str, setting: str = "KEEL_WEBHOOK_ALLOW_PRIVATE") -> AllowList:
        """``"127.0.0.0/8, ::1, receiver.internal"``; a bad CIDR is a configuration error."""
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for item in (part.strip() for part in spec.split(",")):
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                if "/" in item:
                    raise ValueError(f"'{item}' in {setting} is not a valid network") from None
                hosts.add(item.lower().rstrip("."))
        return cls(tuple(networks), frozenset(hosts), setting)

    def allows(self, host: str, address: IPAddress) -> bool:
        if host.lower().rstrip(".") in self.hosts:
            return True
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address.version == net.version and address in net for net in self.networks)


def blocked_reason(address: IPAddress) -> str | None:
    """Why this address must not be reached from Keel (None for a public unicast address)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return blocked_reason(address.ipv4_mapped)
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("private", address.is_private),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
    )
    for name, hit in checks:
        if hit:
            return f"a {name} address"
    if not address.is_global:
        return "not a public address"
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host name resolves to (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(f"the host '{host}' does not resolve") from exc
    out: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in out:
            out.append(address)
    if not out:
        raise Refused(f"the host '{host}' does not resolve")
    return out


def vet_host(host: str, port: int, allow: AllowList, resolver: Resolver = resolve) -> list[IPAddress]:
    """The addresses of ``host`` that may be reached, or :class:`Refused` naming why none may.

    Addresses that are refused are skipped; a name with a public and a private address is reached
    only at the public one, because the connection is made to a vetted address.
    """
    try:
        addresses: list[IPAddress] = [ipaddress.ip_address(host)]  # an IP literal needs no lookup
    except ValueError:
        addresses = resolver(host, port)
    usable = [a for a in addresses if blocked_reason(a) is None or allow.allows(host, a)]
    if not usable:
        first = addresses[0]
        raise Refused(
            f"'{host}' resolves to {first}, {blocked_reason(first)}, which may not be reached "
            f"unless the allow-list ({allow.setting}) names it"
        )
    return usable


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    url: str  # the original URL


def split_url(url: str) -> Target:
    """Scheme, host and port of an http(s) URL; :class:`Refused` for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused(f"not a valid URL: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise Refused("only http and https URLs are allowed")
    if parts.username is not None or parts.password is not None:
        raise Refused("credentials in the URL are not allowed")
    if not parts.hostname:
        raise Refused("the URL has no host")
    return Target(parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), url)


MAX_HEADERS = 50  # of a response kept in a Reply (each value cut at 1 KB)


@dataclass(frozen=True)
class Reply:
    status_code: int
    body: bytes  # at most MAX_BODY bytes for a POST, ``max_bytes`` for a GET
    headers: Mapping[str, str] = field(default_factory=dict)


_shared: httpx.Client | None = None
_lock = threading.Lock()


def _plain_client() -> httpx.Client:
    """One pooled client for plain HTTP (keyed by the vetted IP and port, so pooling is safe)."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = httpx.Client(follow_redirects=False, trust_env=False)
        return _shared


def _pin(url: str, allow: AllowList, resolver: Resolver) -> tuple[Target, str, str, dict[str, str]]:
    """The target, the URL rewritten to a vetted IP, the ``Host`` header and the TLS SNI extension."""
    target = split_url(url)
    address = vet_host(target.host, target.port, allow, resolver)[0]
    parts = urlsplit(url)
    literal = f"[{address}]" if address.version == 6 else str(address)
    pinned = urlunsplit((parts.scheme, f"{literal}:{target.port}", parts.path or "/", parts.query, ""))
    default_port = target.port == (443 if target.scheme == "https" else 80)
    host_header = target.host if default_port else f"{target.host}:{target.port}"
    if ":" in target.host and not target.host.startswith("["):  # an IPv6 literal host
        host_header = f"[{target.host}]" if default_port else f"[{target.host}]:{target.port}"
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    return target, pinned, host_header, extensions


def _send(
    method: str,
    url: str,
    *,
    content: bytes | None,
    headers: Mapping[str, str],
    timeout: float,
    allow: AllowList,
    resolver: Resolver,
    max_bytes: int,
    oversize_fails: bool,
) -> Reply:
    target, pinned, host_header, extensions = _pin(url, allow, resolver)
    send_headers = {"user-agent": USER_AGENT, **headers, "host": host_header}
    # TLS connections are not pooled: a pooled connection is bound to the first SNI name it verified.
    client = _plain_client() if target.scheme == "http" else httpx.Client(follow_redirects=False)
    try:
        request = client.build_request(
            method, pinned, content=content, headers=send_headers, timeout=timeout, extensions=extensions
        )
        response = client.send(request, stream=True)
        try:
            body = b""
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    if oversize_fails:
                        raise RequestFailed(f"the response is larger than {max_bytes} bytes")
                    break
            kept = {k: v[:1024] for k, v in list(response.headers.items())[:MAX_HEADERS]}
            return Reply(response.status_code, body[:max_bytes], kept)
        finally:
            response.close()
    except httpx.TimeoutException as exc:
        raise RequestFailed(f"timed out after {timeout:g} s", timeout=True) from exc
    except httpx.HTTPError as exc:
        raise RequestFailed(f"{type(exc).__name__}: {exc}"[:300]) from exc
    finally:
        if target.scheme != "http":
            client.close()


def post(
    url: str,
    *,
    content: bytes,
    headers: Mapping[str, str],
    timeout: float,
    allow: AllowList,
    resolver: Resolver = resolve,
) -> Reply:
    """POST ``content`` to ``url`` at a vetted address. Raises :class:`Refused` or :class:`RequestFailed`."""
    return _send(
        "POST",
        url,
        content=content,
        headers=headers,
        timeout=timeout,
        allow=allow,
        resolver=resolver,
        max_bytes=MAX_BODY,
        oversize_fails=False,
    )


def get(
    url: str,
    *,
    headers: Mapping[str, str],
    timeout: float,
    allow: AllowList,
    max_bytes: int,
    resolver: Resolver = resolve,
) -> Reply:
    """GET ``url`` at a vetted address, the whole body up to ``max_bytes`` (a larger one is a
    :class:`RequestFailed`, read no further). Raises :class:`Refused` or :class:`RequestFailed`."""
    return _send(
        "GET",
        url,
        content=None,
        headers=headers,
        timeout=timeout,
        allow=allow,
        resolver=resolver,
        max_bytes=max_bytes,
        oversize_fails=True,
    )

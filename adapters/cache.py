"""Cache-aside for read-mostly data (entity types, notification templates, definitions).

``get_or_load(kind, key, loader)`` returns the cached value or calls ``loader`` and keeps what it
returns for the kind's TTL (``KEEL_CACHE_TTLS``; a TTL of 0 turns the kind off). ``None`` is never
cached, so a lookup that found nothing sees a record created just after.

Every key MUST start with the tenant id (``f"{tenant_id}:{name}"``): the cache is shared by all
tenants of the process (memory) or of the deployment (Redis) and does no scoping of its own.

Writers call ``invalidate(kind, key, session=session)``: the entry is dropped at once and again when
the session's transaction ends, so neither a reader that cached the old row before the commit nor a
read of the uncommitted row inside the writing transaction (then rolled back) outlives it.

Backends (``KEEL_CACHE_BACKEND``): ``memory`` (per process, bounded LRU; values are stored as they
are, so treat them as immutable) or ``redis`` (shared; values travel as JSON through ``encode`` and
``decode``). Redis is an optimisation, never a point of failure: when it cannot be reached the loader
answers, the outage is logged once, and Redis is tried again after a short pause. An invalidation
Redis missed during an outage lasts at most the kind's TTL.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from keel.settings import Settings

log = logging.getLogger("keel.cache")

T = TypeVar("T")
Clock = Callable[[], float]

_MISSING: Any = object()
DEFAULT_TTL = 60  # seconds, for a kind KEEL_CACHE_TTLS does not name (unless it sets ``default``)
_RETRY_AFTER = 5.0  # seconds without Redis after a failure, so an outage does not slow every call
_STALE = "keel_cache_stale"  # session.info: (kind, key) pairs to drop again when the transaction ends


def parse_ttls(text: str) -> dict[str, int]:
    """``"entity_type=60,notification_template=300"`` -> seconds per kind; ``default`` sets the rest."""
    ttls: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        kind, sep, value = part.partition("=")
        if not sep or not kind.strip() or not value.strip().isdigit():
            raise ValueError(f"KEEL_CACHE_TTLS: {part!r} is not kind=seconds (e.g. entity_type=60)")
        ttls[kind.strip()] = int(value)
    return ttls


class _Backend(Protocol):
    serialises: bool  # values pass through encode/decode and JSON

    def get(self, kind: str, key: str) -> Any: ...  # _MISSING when absent
    def set(self, kind: str, key: str, value: Any, ttl: int) -> None: ...
    def delete(self, kind: str, key: str) -> None: ...
    def delete_kind(self, kind: str) -> None: ...


class MemoryBackend:
    """Thread-safe LRU over all kinds, each entry with its own expiry."""

    serialises = False

    def __init__(self, max_items: int, clock: Clock = time.monotonic) -> None:
        self.max_items = max_items
        self.clock = clock
        self._items: OrderedDict[tuple[str, str], tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, kind: str, key: str) -> Any:
        with self._lock:
            entry = self._items.get((kind, key))
            if entry is None:
                return _MISSING
            if entry[0] <= self.clock():
                del self._items[(kind, key)]
                return _MISSING
            self._items.move_to_end((kind, key))
            return entry[1]

    def set(self, kind: str, key: str, value: Any, ttl: int) -> None:
        with self._lock:
            self._items[(kind, key)] = (self.clock() + ttl, value)
            self._items.move_to_end((kind, key))
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)

    def delete(self, kind: str, key: str) -> None:
        with self._lock:
            self._items.pop((kind, key), None)

    def delete_kind(self, kind: str) -> None:
        with self._lock:
            for k in [k for k in self._items if k[0] == kind]:
                del self._items[k]


class RedisBackend:
    """JSON values under ``keel:cache:{kind}:{generation}:{key}``; bumping a kind's generation
    invalidates all of it at once (the old keys expire on their own)."""

    PREFIX = "keel:cache"
    serialises = True

    def __init__(self, url: str, clock: Clock = time.monotonic, timeout: float = 0.25) -> None:
        # No retries: a slow or absent cache must cost one short timeout, then the loader answers.
        self.client = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0)
        )
        self.clock = clock
        self._down_until = 0.0
        self._down = False

    def _call(self, fn: Callable[[], Any]) -> Any:
        """``fn()``, or _MISSING while Redis is unreachable (logged once per outage)."""
        if self._down and self.clock() < self._down_until:
            return _MISSING
        try:
            result = fn()
        except redis.RedisError as exc:
            if not self._down:
                log.warning("redis cache unreachable; reading through", extra={"error": str(exc)})
            self._down, self._down_until = True, self.clock() + _RETRY_AFTER
            return _MISSING
        if self._down:
            log.info("redis cache reachable again")
            self._down = False
        return result

    def _key(self, kind: str, key: str) -> str | None:
        generation = self._call(lambda: self.client.get(f"{self.PREFIX}:gen:{kind}"))
        if generation is _MISSING:
            return None
        return f"{self.PREFIX}:{kind}:{int(generation or 0)}:{key}"

    def get(self, kind: str, key: str) -> Any:
        full = self._key(kind, key)
        raw = self._call(lambda: self.client.get(full)) if full else None
        if raw is None or raw is _MISSING:
            return _MISSING
        try:
            return json.loads(raw)
        except ValueError:
            return _MISSING

    def set(self, kind: str, key: str, value: Any, ttl: int) -> None:
        full = self._key(kind, key)
        if full:
            data = json.dumps(value, separators=(",", ":"))
            self._call(lambda: self.client.set(full, data, ex=ttl))

    def delete(self, kind: str, key: str) -> None:
        full = self._key(kind, key)
        if full:
            self._call(lambda: self.client.delete(full))

    def delete_kind(self, kind: str) -> None:
        self._call(lambda: self.client.incr(f"{self.PREFIX}:gen:{kind}"))


class _Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: defaultdict[str, dict[str, int]] = defaultdict(lambda: {"hits": 0, "misses": 0})

    def count(self, kind: str, what: str) -> None:
        with self.lock:
            self.counts[kind][what] += 1


_backend: _Backend = MemoryBackend(10_000)
_ttls: dict[str, int] = {}
_stats = _Stats()


def configure(settings: Settings, *, clock: Clock = time.monotonic) -> None:
    """Select the backend and TTLs from settings (once at start-up; tests may call it again)."""
    global _backend, _ttls
    ttls = parse_ttls(settings.cache_ttls)
    if settings.cache_backend == "redis":
        if not settings.redis_url:
            raise RuntimeError(
                "KEEL_CACHE_BACKEND=redis needs KEEL_REDIS_URL (e.g. redis://127.0.0.1:6379/0)."
            )
        backend: _Backend = RedisBackend(settings.redis_url, clock)
    else:
        backend = MemoryBackend(settings.cache_max_items, clock)
    _backend, _ttls = backend, ttls
    _stats.counts.clear()


def ttl_of(kind: str) -> int:
    return _ttls.get(kind, _ttls.get("default", DEFAULT_TTL))


def get_or_load(
    kind: str,
    key: str,
    loader: Callable[[], T | None],
    *,
    encode: Callable[[T], dict[str, Any]] | None = None,
    decode: Callable[[dict[str, Any]], T] | None = None,
) -> T | None:
    """The cached value of ``kind``/``key``, else ``loader()`` (cached unless ``None``).

    ``key`` must begin with the tenant id. ``encode``/``decode`` turn the value into a JSON-ready dict
    and back for Redis; without them the value itself must be JSON-ready.
    """
    ttl = ttl_of(kind)
    if ttl <= 0:
        return loader()
    backend = _backend
    cached = backend.get(kind, key)
    if cached is not _MISSING:
        try:
            value: T = decode(cached) if decode and backend.serialises else cached
        except Exception:  # an entry written by an older release: reload it
            log.warning("cache entry unreadable; reloading", extra={"kind": kind}, exc_info=True)
        else:
            _stats.count(kind, "hits")
            return value
    _stats.count(kind, "misses")
    loaded = loader()
    if loaded is not None:
        try:
            backend.set(kind, key, encode(loaded) if encode and backend.serialises else loaded, ttl)
        except (TypeError, ValueError):  # not JSON-ready: serve it, and say why it is never cached
            log.exception("cache value not serialisable", extra={"kind": kind})
    return loaded


def invalidate(kind: str, key: str, *, session: Session | None = None) -> None:
    """Drop one entry now and, given the writing session, again when its transaction ends."""
    _backend.delete(kind, key)
    if session is not None:
        stale: set[tuple[str, str]] = session.info.setdefault(_STALE, set())
        if not event.contains(session, "after_transaction_end", _drop_stale):
            event.listen(session, "after_transaction_end", _drop_stale)
        stale.add((kind, key))


def _drop_stale(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction, not a savepoint
        for kind, key in session.info.pop(_STALE, ()):
            _backend.delete(kind, key)


def invalidate_kind(kind: str) -> None:
    """Drop every entry of ``kind`` (all tenants): in Redis by bumping the kind's generation."""
    _backend.delete_kind(kind)


def stats() -> dict[str, dict[str, int]]:
    """Hits and misses per kind since start-up (or the last ``configure``), for monitoring."""
    with _stats.lock:
        return {kind: dict(counts) for kind, counts in _stats.counts.items()}

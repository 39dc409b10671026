"""Request rate limits shared by every API process: per API key or user, per tenant (both by the
tenant's ``subscription_tier``), per client address on sign-in and on the public pages.

A request never waits on the database for its count. Each process counts locally and, every half
second, a background thread adds its new hits to the shared counters (the ``rate_counters`` table, an
UNLOGGED upsert per key and window) and reads the totals back. A request is allowed while the shared
total as last read, plus this process's hits since, stays under the limit; so the processes together
may overshoot by the hits they take in one half second, never more. The count is a sliding window:
the previous fixed window's total weighted by how much of it the sliding window still covers, plus
the current window's.

Answers carry the IETF ``RateLimit-Policy`` and ``RateLimit`` headers; a refusal is a 429 with
``Retry-After``.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Engine, text

from domain.context import TenantContext
from domain.errors import RateLimited
from keel.rates import Rate, parse_tiers
from keel.settings import Settings

log = logging.getLogger("keel.ratelimit")
# The public pages and token endpoints, limited per client address (no credential names anyone).
SIGN_IN_PATHS = ("/api/v1/auth/",)
PUBLIC_PREFIXES = ("/api/v1/public/", "/pay/", "/quotes/", "/sign/")
PURGE_EVERY_SECONDS = 600


@dataclass(frozen=True)
class Verdict:
    """The most constrained of the limits a request counted against."""

    policies: tuple[tuple[str, Rate], ...]
    name: str
    remaining: int
    reset: int  # seconds until the window frees up

    def headers(self) -> dict[str, str]:
        policy = ", ".join(f'"{n}";q={r.limit};w={r.period}' for n, r in self.policies)
        return {"RateLimit-Policy": policy, "RateLimit": f'"{self.name}";r={self.remaining};t={self.reset}'}


class RateLimiter:
    def __init__(
        self, settings: Settings, engine: Engine | None = None, *, sync_seconds: float = 0.5
    ) -> None:
        self.enabled = settings.rate_limits_enabled
        self.principal = parse_tiers(settings.rate_limit_tiers)
        self.tenant = parse_tiers(settings.rate_limit_tenant_tiers)
        self.sign_in = Rate.parse(settings.rate_limit_sign_in_per_ip)
        self.public = Rate.parse(settings.rate_limit_public_per_ip)
        self._engine = engine
        self._sync = sync_seconds
        self._lock = threading.Lock()
        self._pending: dict[tuple[str, int], int] = defaultdict(int)  # not yet added to the shared count
        self._sending: dict[tuple[str, int], int] = {}  # being added: counted until the totals come back
        self._shared: dict[tuple[str, int], int] = {}  # the shared totals as last read
        self._tiers: dict[uuid.UUID, str] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._purged = time.monotonic()

    # -- life ----------------------------------------------------------------------------------
    def start(self) -> None:
        if self.enabled and self._engine is not None:
            self._thread = threading.Thread(target=self._run, name="keel-rate-limits", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.flush()

    # -- checks --------------------------------------------------------------------------------
    def for_principal(self, ctx: TenantContext) -> Verdict | None:
        """Count an authenticated request; a 429 when the caller or its tenant is over its limit."""
        if not self.enabled:
            return None
        tier = self._tiers.get(ctx.tenant_id)
        if tier is None:
            tier = self._tiers.setdefault(ctx.tenant_id, "free")  # read for real on the next sync
        who = ctx.api_key_id or ctx.user_id
        limits = [
            ("principal", f"p:{who}", self._rate(self.principal, tier)),
            ("tenant", f"t:{ctx.tenant_id}", self._rate(self.tenant, tier)),
        ]
        return self._count(limits)

    def for_address(self, path: str, address: str | None) -> Verdict | None:
        """Count an anonymous request to a sign-in or public route by client address."""
        if not self.enabled or address is None:
            return None
        if path.startswith(SIGN_IN_PATHS):
            return self._count([("sign-in", f"ip-auth:{address}", self.sign_in)])
        if path.startswith(PUBLIC_PREFIXES):
            return self._count([("public", f"ip:{address}", self.public)])
        return None

    def refuse_over(self, key: str, rate: Rate, message: str) -> None:
        """A 429 when ``key`` has reached ``rate`` (counted with ``add``), without counting this call."""
        now = time.time()
        window = int(now // rate.period)
        with self._lock:
            used = self._used(key, window, rate, now)
        if used >= rate.limit:
            raise RateLimited(message, max(1, math.ceil((window + 1) * rate.period - now)))

    def add(self, key: str, rate: Rate) -> None:
        with self._lock:
            self._pending[(key, int(time.time() // rate.period))] += 1

    @staticmethod
    def _rate(rates: dict[str, Rate], tier: str) -> Rate:
        return (
            rates.get(tier) or rates.get("default") or min(rates.values(), key=lambda r: r.limit / r.period)
        )

    def _count(self, limits: list[tuple[str, str, Rate]]) -> Verdict:
        now = time.time()
        tightest: Verdict | None = None
        policies = tuple((n, r) for n, _, r in limits)
        with self._lock:
            estimates = []
            for name, key, rate in limits:
                window = int(now // rate.period)
                used = self._used(key, window, rate, now)
                reset = max(1, math.ceil((window + 1) * rate.period - now))
                if used + 1 > rate.limit:
                    raise RateLimitedWith(Verdict(policies, name, 0, reset))
                estimates.append((name, key, rate, window, used, reset))
            for name, key, rate, window, used, reset in estimates:
                self._pending[(key, window)] += 1
                verdict = Verdict(
                    tuple((n, r) for n, _, r in limits), name, int(rate.limit - used - 1), reset
                )
                if tightest is None or verdict.remaining < tightest.remaining:
                    tightest = verdict
        assert tightest is not None
        return tightest

    def _hits(self, slot: tuple[str, int]) -> int:
        return self._shared.get(slot, 0) + self._sending.get(slot, 0) + self._pending.get(slot, 0)

    def _used(self, key: str, window: int, rate: Rate, now: float) -> float:
        current, previous = self._hits((key, window)), self._hits((key, window - 1))
        covered = 1 - (now / rate.period - window)  # how much of the previous window still counts
        return current + previous * covered

    # -- sharing -------------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.wait(self._sync):
            try:
                self.flush()
            except Exception as exc:  # the database away: counts stay local until it is back
                log.warning("rate limit counters not shared", extra={"error": type(exc).__name__})

    def flush(self) -> None:
        """Add this process's new hits to the shared counters and read the totals back."""
        if self._engine is None:
            return
        with self._lock:
            pending, self._pending = dict(self._pending), defaultdict(int)
            self._sending = pending
            wanted = {k for k in self._shared} | set(pending)
            tenants = list(self._tiers)
        keys = sorted({key for key, _ in wanted})
        windows = sorted({w for _, w in wanted} | {w - 1 for _, w in wanted})
        try:
            with self._engine.begin() as conn:
                if pending:
                    conn.execute(
                        text(
                            "INSERT INTO rate_counters (key, win, hits) SELECT * FROM "
                            "unnest(CAST(:k AS text[]), CAST(:w AS bigint[]), CAST(:h AS bigint[])) "
                            "ON CONFLICT (key, win) DO UPDATE "
                            "SET hits = rate_counters.hits + excluded.hits, updated_at = now()"
                        ),
                        {
                            "k": [k for k, _ in pending],
                            "w": [w for _, w in pending],
                            "h": list(pending.values()),
                        },
                    )
                rows = conn.execute(
                    text("SELECT key, win, hits FROM rate_counters WHERE key = ANY(:k) AND win = ANY(:w)"),
                    {"k": keys, "w": windows},
                ).all()
                tiers = conn.execute(
                    text("SELECT id, subscription_tier FROM keel_tenant_tiers(CAST(:t AS uuid[]))"),
                    {"t": tenants},
                ).all()
        except Exception:
            with self._lock:  # not lost: counted again on the next try
                for key, hits in pending.items():
                    self._pending[key] += hits
                self._sending = {}
            raise
        with self._lock:
            self._shared = {(k, w): int(h) for k, w, h in rows}
            self._sending = {}
            self._tiers.update({t: tier for t, tier in tiers})
            if len(self._tiers) > 100_000:
                self._tiers.clear()
        if time.monotonic() - self._purged > PURGE_EVERY_SECONDS:
            self._purged = time.monotonic()
            with self._engine.begin() as conn:  # windows older than the longest period serve nobody
                conn.execute(text("DELETE FROM rate_counters WHERE updated_at < now() - interval '2 days'"))


class SharedFailures:
    """The sign-in throttle (failures per client and account; ``FailureLimiter``'s interface) kept
    in the shared counters, so every API process refuses the same guesser. Keys are hashed: an
    address and a login are not written down in the clear."""

    MESSAGE = "Too many failed sign-in attempts; try again later."

    def __init__(self, limiter: RateLimiter, per_minute: int) -> None:
        self._limiter = limiter
        self._rate = Rate(per_minute, 60)

    @staticmethod
    def _key(key: str) -> str:
        return "fail:" + hashlib.sha256(key.encode()).hexdigest()[:32]

    def check(self, key: str) -> None:
        self._limiter.refuse_over(self._key(key), self._rate, self.MESSAGE)

    def fail(self, key: str) -> None:
        self._limiter.add(self._key(key), self._rate)


def _per_second(rate: Rate) -> float:
    return rate.limit / rate.period


class RateLimitedWith(RateLimited):
    """A 429 that knows its limits, for the ``RateLimit`` headers."""

    def __init__(self, verdict: Verdict) -> None:
        whose = {"principal": "this API key or user", "tenant": "this organisation"}
        scope = whose.get(verdict.name, "this address")
        super().__init__(f"Too many requests for {scope}; try again in {verdict.reset} s.", verdict.reset)
        self.verdict = verdict

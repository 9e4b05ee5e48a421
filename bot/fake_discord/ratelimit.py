"""Discord-style rate limits: a global per-bot limit and per-route buckets with real headers."""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass, field


@dataclass
class Window:
    """A fixed window counter: ``limit`` requests per ``per`` seconds from the first request."""

    limit: int
    per: float
    started: float = 0.0
    used: int = 0

    def _roll(self, now: float) -> None:
        """Start a new window if the current one is over."""
        if self.used == 0 or now >= self.started + self.per:
            self.started = now
            self.used = 0

    def retry_after(self, now: float) -> float:
        """Return seconds until a request would be allowed (0 if it is allowed now)."""
        self._roll(now)
        if self.used < self.limit:
            return 0.0
        return max(self.started + self.per - now, 0.001)

    def take(self, now: float) -> None:
        """Count one request."""
        self._roll(now)
        self.used += 1

    def reset_after(self, now: float) -> float:
        """Return seconds until this window resets."""
        return max(self.started + self.per - now, 0.0) if self.used else self.per


@dataclass
class RateLimitHit:
    """One 429 the fake served."""

    method: str
    path: str
    scope: str
    retry_after: float


@dataclass
class RateLimitConfig:
    """What is limited.  Disabled: generous buckets that never run out, headers still sent."""

    enabled: bool = False
    global_limit: int = 50
    global_per: float = 1.0
    # Route template ("POST /channels/{channel_id}/messages") -> (limit, per seconds).
    routes: dict[str, tuple[int, float]] = field(
        default_factory=lambda: {"POST /channels/{channel_id}/messages": (5, 5.0)}
    )
    default_route: tuple[int, float] = (50, 1.0)
    disabled_route: tuple[int, float] = (10_000, 1.0)


@dataclass
class Decision:
    """The rate limiter's answer for one request: headers to send, and a 429 if it is refused."""

    headers: dict[str, str]
    retry_after: float = 0.0
    scope: str | None = None

    @property
    def limited(self) -> bool:
        """Return True when the request must be answered with 429."""
        return self.scope is not None


class RateLimiter:
    """Counts requests per bucket and globally, answering like Discord does."""

    def __init__(self) -> None:
        self.config = RateLimitConfig()
        self._buckets: dict[tuple[str, str], Window] = {}
        self._global = Window(self.config.global_limit, self.config.global_per)
        self.hits: list[RateLimitHit] = []

    def configure(self, config: RateLimitConfig) -> None:
        """Replace the configuration and forget all counters."""
        self.config = config
        self._buckets.clear()
        self._global = Window(config.global_limit, config.global_per)

    @staticmethod
    def bucket_hash(route: str) -> str:
        """Return an opaque bucket id for a route template, as Discord's X-RateLimit-Bucket."""
        return hashlib.sha1(route.encode(), usedforsecurity=False).hexdigest()[:32]

    def check(self, method: str, path: str, route: str, major: str, *, exempt_global: bool) -> Decision:
        """Count a request to ``route`` (template) with major parameter ``major``."""
        now = time.monotonic()
        cfg = self.config
        if cfg.enabled:
            limit, per = cfg.routes.get(route, cfg.default_route)
        else:
            limit, per = cfg.disabled_route
        key = (route, major)
        bucket = self._buckets.get(key)
        if bucket is None or (bucket.limit, bucket.per) != (limit, per):
            bucket = self._buckets[key] = Window(limit, per)
        if cfg.enabled and not exempt_global:
            wait = self._global.retry_after(now)
            if wait:
                self.hits.append(RateLimitHit(method, path, "global", wait))
                return Decision(self._global_headers(wait), wait, "global")
        wait = bucket.retry_after(now)
        if wait:
            self.hits.append(RateLimitHit(method, path, "user", wait))
            headers = self._bucket_headers(route, bucket, now)
            headers.update({"X-RateLimit-Scope": "user", "Retry-After": str(math.ceil(wait))})
            return Decision(headers, wait, "user")
        bucket.take(now)
        if cfg.enabled and not exempt_global:
            self._global.take(now)
        return Decision(self._bucket_headers(route, bucket, now))

    def _bucket_headers(self, route: str, bucket: Window, now: float) -> dict[str, str]:
        """Return the X-RateLimit-* headers for a bucket."""
        reset_after = bucket.reset_after(now)
        return {
            "X-RateLimit-Limit": str(bucket.limit),
            "X-RateLimit-Remaining": str(max(bucket.limit - bucket.used, 0)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": self.bucket_hash(route),
        }

    @staticmethod
    def _global_headers(wait: float) -> dict[str, str]:
        """Return the headers of a global 429."""
        return {
            "X-RateLimit-Global": "true",
            "X-RateLimit-Scope": "global",
            "Retry-After": str(math.ceil(wait)),
        }

"""What the schedule engine's stages share: its settings, checked once, and its collaborators."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.clock import Clock
from bot.db.database import Database
from bot.metrics import Metrics
from bot.schedule.routes import ScheduleRoutes
from bot.schedule.shards import ShardScope

DEFAULT_BATCH_SIZE = 500
DEFAULT_MAX_CONCURRENCY = 16
DEFAULT_RETRY_BACKOFF = timedelta(minutes=1)
# Discord deduplicates a nonce with enforce_nonce for a few minutes; stay well inside that.
DEFAULT_RECOVERY_WINDOW = timedelta(minutes=2)
DEFAULT_STALE_CLAIM_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class EngineSettings:
    """How one engine claims, delivers and recovers; see :mod:`bot.schedule.engine` for each."""

    grace: timedelta
    tick_seconds: float
    batch_size: int = DEFAULT_BATCH_SIZE
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY
    retry_backoff: timedelta = DEFAULT_RETRY_BACKOFF
    recovery_window: timedelta = DEFAULT_RECOVERY_WINDOW
    stale_claim_after: timedelta = DEFAULT_STALE_CLAIM_AFTER

    def __post_init__(self) -> None:
        if self.grace < timedelta(0):
            raise ValueError("grace must not be negative")
        if self.tick_seconds <= 0:
            raise ValueError("tick_seconds must be positive")
        if self.batch_size < 1 or self.max_concurrency < 1:
            raise ValueError("batch_size and max_concurrency must be at least 1")
        if self.retry_backoff <= timedelta(0):
            raise ValueError("retry_backoff must be positive")
        if self.stale_claim_after < self.recovery_window:
            raise ValueError("stale_claim_after must not be shorter than recovery_window")


@dataclass(frozen=True)
class EngineContext:
    """One engine's storage, clock, routes and settings, handed to each of its stages."""

    db: Database
    clock: Clock
    routes: ScheduleRoutes
    settings: EngineSettings
    shards: ShardScope | None = None
    metrics: Metrics | None = None
    # Claims this engine is still delivering: the stale-claim sweep must not touch them.
    in_flight: set[tuple[int, str]] = field(default_factory=set)

    def count(self, kind: str, outcome: str) -> None:
        """Count one delivery outcome in the metrics, if there are any."""
        if self.metrics is not None:
            self.metrics.deliveries.labels(kind, outcome).inc()

"""IDENTIFY coordination: at most one IDENTIFY per 5 s per bucket, across every process of the token.

Discord lets a token start ``max_concurrency`` sessions per 5 seconds: shard ``s`` is in bucket
``s % max_concurrency``, and a second IDENTIFY in a bucket within 5 s is refused. discord.py spaces
the shards of one process, but two processes started together identify at the same moment.

The time of each bucket's last IDENTIFY is kept in ``bot_state``. On PostgreSQL (the only database
several processes share) a transaction-scoped advisory lock per bucket serialises the processes: the
holder reads the last time, waits until 5 s (plus a margin) have passed, writes the new time and lets
its IDENTIFY go. The lock ends with the transaction, also when the process dies.

``session_start_limit`` in ``GET /gateway/bot`` gives ``max_concurrency`` and how many session
starts remain until ``reset_after``: a process that would start more shards than remain waits for
the reset instead of being refused.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.db.database import Database

log = logging.getLogger(__name__)

IDENTIFY_SPACING_SECONDS = 5.0
# Between writing the time and the IDENTIFY leaving, each process's event loop adds a little delay.
IDENTIFY_MARGIN_SECONDS = 0.5
# pg_advisory_xact_lock key of bucket 0; bucket n uses this plus n.
IDENTIFY_LOCK_BASE = 0x4845_4152_4900
STATE_KEY = "gateway_identify:bucket:{bucket}"
# A session-start reset further away than this is waited for in steps, logging each.
RESET_LOG_EVERY_SECONDS = 300.0


@dataclass(frozen=True)
class SessionStartLimit:
    """``session_start_limit`` from ``GET /gateway/bot``."""

    total: int
    remaining: int
    reset_after_seconds: float
    max_concurrency: int

    @classmethod
    def from_payload(cls, payload: Any) -> SessionStartLimit:
        """Read Discord's object (``reset_after`` in milliseconds); missing fields mean no limit."""
        data = payload if isinstance(payload, dict) else {}
        return cls(
            total=int(data.get("total", 1000)),
            remaining=int(data.get("remaining", 1000)),
            reset_after_seconds=max(float(data.get("reset_after", 0)) / 1000, 0.0),
            max_concurrency=max(int(data.get("max_concurrency", 1)), 1),
        )


UNLIMITED = SessionStartLimit(total=1000, remaining=1000, reset_after_seconds=0.0, max_concurrency=1)


async def wait_for_session_starts(limit: SessionStartLimit, needed: int) -> float:
    """Wait for the reset when fewer session starts remain than ``needed``; return seconds waited."""
    if limit.remaining >= needed:
        return 0.0
    log.warning(
        "Only %d of %d session starts remain until Discord resets them in %.0f s; waiting for the reset"
        " before identifying %d shard(s)",
        limit.remaining,
        limit.total,
        limit.reset_after_seconds,
        needed,
    )
    left = limit.reset_after_seconds
    while left > 0:
        step = min(left, RESET_LOG_EVERY_SECONDS)
        await asyncio.sleep(step)
        left -= step
        if left > 0:
            log.info("Still waiting %.0f s for Discord's session starts to reset", left)
    return limit.reset_after_seconds


class IdentifyGate:
    """Lets one IDENTIFY per bucket through every 5 s, coordinated through the database."""

    def __init__(
        self,
        database: Callable[[], Database | None],
        *,
        max_concurrency: int = 1,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._database = database
        self.max_concurrency = max(max_concurrency, 1)
        self._clock = clock
        self._local = asyncio.Lock()
        self._last_local: dict[int, float] = {}
        self.waited: list[float] = []

    def bucket_of(self, shard_id: int | None) -> int:
        """Return the identify bucket of a shard (the unsharded client is shard 0)."""
        return (shard_id or 0) % self.max_concurrency

    async def wait_turn(self, shard_id: int | None) -> float:
        """Wait until this shard's bucket may IDENTIFY, record the time, and return the seconds waited."""
        bucket = self.bucket_of(shard_id)
        async with self._local:
            db = self._database()
            if db is None:
                waited = await self._wait_locally(bucket)
            elif db.dialect == "postgresql":
                waited = await self._wait_shared(db, bucket)
            else:
                # SQLite serves one process only: the stored time covers a quick restart.
                last = max(await self._stored_time(db, bucket), self._last_local.get(bucket, 0.0))
                waited = await self._sleep_until(last)
                await self._store(db, bucket)
        self.waited.append(waited)
        if waited > 0:
            log.info("Waited %.1f s for IDENTIFY bucket %d (shard %s)", waited, bucket, shard_id)
        return waited

    async def _wait_locally(self, bucket: int) -> float:
        waited = await self._sleep_until(self._last_local.get(bucket, 0.0))
        self._last_local[bucket] = self._clock()
        return waited

    async def _wait_shared(self, db: Database, bucket: int) -> float:
        async with db.transaction() as tx:
            await tx.fetch_one("SELECT pg_advisory_xact_lock(?)", (IDENTIFY_LOCK_BASE + bucket,))
            row = await tx.fetch_one("SELECT value FROM bot_state WHERE key = ?", (_key(bucket),))
            last = _as_time(None if row is None else row["value"])
            waited = await self._sleep_until(max(last, self._last_local.get(bucket, 0.0)))
            now = self._clock()
            await tx.execute(_UPSERT, (_key(bucket), f"{now:.3f}"))
        self._last_local[bucket] = now
        return waited

    async def _sleep_until(self, last: float) -> float:
        wait = last + IDENTIFY_SPACING_SECONDS + IDENTIFY_MARGIN_SECONDS - self._clock()
        if wait <= 0:
            return 0.0
        # Never longer than one spacing: a clock far ahead of ours must not stall the start.
        wait = min(wait, IDENTIFY_SPACING_SECONDS + IDENTIFY_MARGIN_SECONDS)
        await asyncio.sleep(wait)
        return wait

    async def _stored_time(self, db: Database, bucket: int) -> float:
        row = await db.fetch_one("SELECT value FROM bot_state WHERE key = ?", (_key(bucket),))
        return _as_time(None if row is None else row["value"])

    async def _store(self, db: Database, bucket: int) -> None:
        now = self._clock()
        self._last_local[bucket] = now
        await db.execute(_UPSERT, (_key(bucket), f"{now:.3f}"))


_UPSERT = (
    "INSERT INTO bot_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
)


def _key(bucket: int) -> str:
    return STATE_KEY.format(bucket=bucket)


def _as_time(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0

"""Snowflake ids and ISO8601 timestamps as Discord makes them."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime

DISCORD_EPOCH_MS = 1_420_070_400_000


class SnowflakeFactory:
    """Makes unique, time-ordered snowflakes from the real clock (discord.py reads their time)."""

    def __init__(self) -> None:
        self._counter = itertools.count()
        self._last = 0

    def next(self) -> int:
        """Return a new snowflake, strictly greater than the previous one."""
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        value = (ms << 22) | (1 << 17) | (next(self._counter) & 0xFFF)
        if value <= self._last:
            value = self._last + 1
        self._last = value
        return value

    def next_on_shard(self, shard_id: int, num_shards: int) -> int:
        """Return a new snowflake that Discord's formula puts on ``shard_id`` of ``num_shards``.

        The shard comes from the creation millisecond, so the id may be dated up to
        ``num_shards - 1`` ms ahead: still time-ordered, and made in O(1) instead of burning ids.
        """
        ms = max(int(time.time() * 1000) - DISCORD_EPOCH_MS, self._last >> 22)
        ms += (shard_id - ms) % num_shards
        value = (ms << 22) | (1 << 17) | (next(self._counter) & 0xFFF)
        if value <= self._last:
            value = self._last + 1
        if (value >> 22) % num_shards != shard_id:
            raise RuntimeError("snowflake sequence overflowed its millisecond")
        self._last = value
        return value


def snowflake_time(snowflake: int) -> datetime:
    """Return the creation time encoded in a snowflake."""
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, tz=UTC)


def iso_now() -> str:
    """Return the current time as Discord formats timestamps."""
    return datetime.now(UTC).isoformat(timespec="microseconds")

"""Sharding: which shard owns a guild, which events a shard's sessions get, and IDENTIFY's shard field."""

from __future__ import annotations

from typing import Any

from bot.fake_discord.models import JSON

# Events about the session itself: every shard gets its own; never routed by guild.
_SESSION_EVENTS = frozenset({"READY", "RESUMED"})
# Guild events that name their guild by "id" instead of "guild_id".
_GUILD_ID_IS_ID = frozenset({"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"})
UNSHARDED = (0, 1)


def shard_for_guild(guild_id: int, num_shards: int) -> int:
    """Return the shard that owns a guild (Discord's sharding formula)."""
    return (guild_id >> 22) % num_shards


def event_guild_id(event: str, data: Any) -> int | None:
    """Return the guild an event is about, or None for session and DM events."""
    if not isinstance(data, dict):
        return None
    if data.get("guild_id") is not None:
        return int(data["guild_id"])
    if event in _GUILD_ID_IS_ID and data.get("id") is not None:
        return int(data["id"])
    return None


def shard_receives(shard: tuple[int, int], event: str, data: Any) -> bool:
    """Return True if a session identified as ``shard`` gets this event (DMs go to shard 0 only)."""
    if event in _SESSION_EVENTS:
        return True
    shard_id, num_shards = shard
    guild_id = event_guild_id(event, data)
    if guild_id is None:
        return shard_id == 0
    return shard_for_guild(guild_id, num_shards) == shard_id


def parse_shard(data: JSON) -> tuple[int, int] | None:
    """Return IDENTIFY's [shard_id, num_shards] (default [0, 1]), or None when it is invalid."""
    if data.get("shard") is None:
        return UNSHARDED
    shard = data["shard"]
    if not isinstance(shard, list) or len(shard) != 2:
        return None
    shard_id, num_shards = shard
    # bool is an int subclass, but [true, 2] is no shard Discord would accept.
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (shard_id, num_shards)):
        return None
    if num_shards < 1 or not 0 <= shard_id < num_shards:
        return None
    return shard_id, num_shards

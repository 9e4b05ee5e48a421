"""Which servers a bot process serves when Hearth runs as several sharded processes."""

from __future__ import annotations

from dataclasses import dataclass

# Discord snowflakes keep their creation time above bit 22; sharding uses those bits.
SNOWFLAKE_TIME_SHIFT = 22


def shard_of(guild_id: int, shard_count: int) -> int:
    """Return the shard that receives ``guild_id``'s events, by Discord's sharding formula."""
    return (guild_id >> SNOWFLAKE_TIME_SHIFT) % shard_count


@dataclass(frozen=True)
class ShardScope:
    """The shards one process runs, out of ``count``."""

    count: int
    ids: frozenset[int]

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError("the shard count must be at least 1")
        if not self.ids or any(not 0 <= shard < self.count for shard in self.ids):
            raise ValueError(f"shard ids must be between 0 and {self.count - 1}")

    @property
    def claimant(self) -> str:
        """Return the name this process's claims carry, the same after every restart."""
        return f"shards {','.join(str(shard) for shard in sorted(self.ids))} of {self.count}"

    def owns(self, guild_id: int) -> bool:
        """Return whether ``guild_id`` is on one of this process's shards."""
        return shard_of(guild_id, self.count) in self.ids


UNSHARDED_CLAIMANT = "main"

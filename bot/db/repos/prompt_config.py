"""Each server's daily prompt configuration (``prompt_configs``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Database, Row, Transaction, atomic
from bot.db.timestamps import to_unix


@dataclass(frozen=True)
class PromptConfig:
    """Where, when and for whom a server's daily prompt is posted."""

    guild_id: int
    channel_id: int
    local_time: str
    timezone: str
    ping_role_id: int | None
    threads: bool
    audience: str
    paused: bool
    paused_reason: str | None
    configured_by: int
    # Set only by set_depth (/setup depth): re-running /setup prompts keeps a server's depth.
    depth: str = "all"
    # Set only by set_weekdays (/setup days), likewise kept: a mask with bit 0 for Monday.
    weekdays: int = 0b1111111


def _from_row(row: Row) -> PromptConfig:
    """Build a PromptConfig from a row."""
    return PromptConfig(
        guild_id=int(row["guild_id"]),
        channel_id=int(row["channel_id"]),
        local_time=str(row["local_time"]),
        timezone=str(row["timezone"]),
        ping_role_id=None if row["ping_role_id"] is None else int(row["ping_role_id"]),
        threads=bool(row["threads"]),
        audience=str(row["audience"]),
        paused=bool(row["paused"]),
        paused_reason=None if row["paused_reason"] is None else str(row["paused_reason"]),
        configured_by=int(row["configured_by"]),
        depth=str(row["depth"]),
        weekdays=int(row["weekdays"]),
    )


async def save(db: Database | Transaction, config: PromptConfig, now: datetime) -> PromptConfig:
    """Create or replace a server's configuration and return it as stored (joins an open transaction).

    A new row takes ``config.depth`` and ``config.weekdays``; an existing row keeps them, as only
    set_depth and set_weekdays change them.
    """
    async with atomic(db) as tx:
        await tx.execute(
            "INSERT INTO prompt_configs (guild_id, channel_id, local_time, timezone, ping_role_id, threads,"
            " audience, paused, paused_reason, configured_by, depth, weekdays, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,"
            " local_time = excluded.local_time, timezone = excluded.timezone,"
            " ping_role_id = excluded.ping_role_id, threads = excluded.threads, audience = excluded.audience,"
            " paused = excluded.paused, paused_reason = excluded.paused_reason,"
            " configured_by = excluded.configured_by, updated_at = excluded.updated_at",
            (
                config.guild_id,
                config.channel_id,
                config.local_time,
                config.timezone,
                config.ping_role_id,
                int(config.threads),
                config.audience,
                int(config.paused),
                config.paused_reason,
                config.configured_by,
                config.depth,
                config.weekdays,
                to_unix(now),
            ),
        )
        stored = await get(tx, config.guild_id)
    if stored is None:
        raise RuntimeError("the prompt configuration vanished right after saving")
    return stored


async def get(db: Database | Transaction, guild_id: int) -> PromptConfig | None:
    """Return a server's configuration, or None if prompts were never set up there."""
    row = await db.fetch_one("SELECT * FROM prompt_configs WHERE guild_id = ?", (guild_id,))
    return None if row is None else _from_row(row)


async def set_paused(
    db: Database | Transaction, guild_id: int, paused: bool, reason: str | None, now: datetime
) -> bool:
    """Pause (with a short reason, no user content) or resume a server's prompts; return whether it exists."""
    changed = await db.execute(
        "UPDATE prompt_configs SET paused = ?, paused_reason = ?, updated_at = ? WHERE guild_id = ?",
        (int(paused), reason if paused else None, to_unix(now), guild_id),
    )
    return changed == 1


async def set_depth(db: Database, guild_id: int, depth: str, now: datetime) -> bool:
    """Set how deep a server's prompts may go ('light', 'medium' or 'all'); return whether it exists."""
    changed = await db.execute(
        "UPDATE prompt_configs SET depth = ?, updated_at = ? WHERE guild_id = ?",
        (depth, to_unix(now), guild_id),
    )
    return changed == 1


async def set_weekdays(db: Database | Transaction, guild_id: int, mask: int, now: datetime) -> bool:
    """Set the weekdays a server's prompt comes on (bit 0 = Monday); return whether the server exists."""
    changed = await db.execute(
        "UPDATE prompt_configs SET weekdays = ?, updated_at = ? WHERE guild_id = ?",
        (mask, to_unix(now), guild_id),
    )
    return changed == 1


async def delete(db: Database, guild_id: int) -> bool:
    """Forget a server's configuration; return whether it existed."""
    return await db.execute("DELETE FROM prompt_configs WHERE guild_id = ?", (guild_id,)) == 1

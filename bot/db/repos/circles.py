"""Circles (``circle_members``): who in a server takes part in answers and reveals."""

from __future__ import annotations

from datetime import datetime

from bot.db.database import Database, Transaction
from bot.db.timestamps import from_unix, to_unix


async def join(db: Database, guild_id: int, user_id: int, now: datetime) -> bool:
    """Add someone to a server's circle; return False if they were already in it."""
    changed = await db.execute(
        "INSERT INTO circle_members (guild_id, user_id, joined_at) VALUES (?, ?, ?)"
        " ON CONFLICT (guild_id, user_id) DO NOTHING",
        (guild_id, user_id, to_unix(now)),
    )
    return changed == 1


async def leave(db: Database | Transaction, guild_id: int, user_id: int) -> bool:
    """Remove someone from a server's circle; return False if they were not in it."""
    changed = await db.execute(
        "DELETE FROM circle_members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
    )
    return changed == 1


async def members(db: Database, guild_id: int) -> list[int]:
    """Return the user ids in a server's circle, in the order they joined."""
    rows = await db.fetch_all(
        "SELECT user_id FROM circle_members WHERE guild_id = ? ORDER BY joined_at, user_id", (guild_id,)
    )
    return [int(row["user_id"]) for row in rows]


async def is_member(db: Database, guild_id: int, user_id: int) -> bool:
    """Return whether someone is in a server's circle."""
    row = await db.fetch_one(
        "SELECT 1 FROM circle_members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
    )
    return row is not None


async def memberships_of(db: Database, user_id: int) -> list[tuple[int, datetime]]:
    """Return (server id, joined at) of every circle someone is in, oldest first."""
    rows = await db.fetch_all(
        "SELECT guild_id, joined_at FROM circle_members WHERE user_id = ? ORDER BY joined_at, guild_id",
        (user_id,),
    )
    return [(int(row["guild_id"]), from_unix(int(row["joined_at"]))) for row in rows]


async def delete_for_user(db: Database, user_id: int) -> int:
    """Remove someone from every circle; return how many they were in."""
    return await db.execute("DELETE FROM circle_members WHERE user_id = ?", (user_id,))


async def delete_for_guild(db: Database, guild_id: int) -> int:
    """Remove a server's circle; return how many members it had."""
    return await db.execute("DELETE FROM circle_members WHERE guild_id = ?", (guild_id,))

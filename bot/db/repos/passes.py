"""Passes on posted prompts (``prompt_passes``): who chose not to answer, so reveals need not wait."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Database, Transaction
from bot.db.timestamps import from_unix, to_unix


@dataclass(frozen=True)
class Pass:
    """Someone's "Pass today" on one posted prompt."""

    post_id: int
    guild_id: int
    passed_at: datetime


async def add_in(tx: Transaction, *, post_id: int, guild_id: int, user_id: int, now: datetime) -> bool:
    """Record a pass; return False if that person had already passed on the post."""
    changed = await tx.execute(
        "INSERT INTO prompt_passes (post_id, user_id, guild_id, passed_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (post_id, user_id) DO NOTHING",
        (post_id, user_id, guild_id, to_unix(now)),
    )
    return changed == 1


async def remove_in(tx: Transaction, post_id: int, user_id: int) -> int:
    """Take back someone's pass on a post (they answered after all); return how many were removed."""
    return await tx.execute("DELETE FROM prompt_passes WHERE post_id = ? AND user_id = ?", (post_id, user_id))


async def passed_user_ids(db: Database, post_id: int) -> set[int]:
    """Return who passed on a post."""
    rows = await db.fetch_all("SELECT user_id FROM prompt_passes WHERE post_id = ?", (post_id,))
    return {int(row["user_id"]) for row in rows}


async def for_user(db: Database, user_id: int) -> list[Pass]:
    """Return every pass someone made, oldest first (for their export)."""
    rows = await db.fetch_all(
        "SELECT post_id, guild_id, passed_at FROM prompt_passes"
        " WHERE user_id = ? ORDER BY passed_at, post_id",
        (user_id,),
    )
    return [Pass(int(row["post_id"]), int(row["guild_id"]), from_unix(int(row["passed_at"]))) for row in rows]


async def delete_for_user(db: Database, user_id: int) -> int:
    """Erase every pass someone made; return how many."""
    return await db.execute("DELETE FROM prompt_passes WHERE user_id = ?", (user_id,))


async def delete_in_guild_for_user(tx: Transaction, guild_id: int, user_id: int) -> int:
    """Delete someone's passes in one server (they left its circle); return how many."""
    return await tx.execute(
        "DELETE FROM prompt_passes WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
    )

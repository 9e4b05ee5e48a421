"""Retention choices, departed servers, and expiry of rows under each person's retention period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.db.database import Database
from bot.db.repos.schedules import Schedule, schedule_from_row
from bot.db.timestamps import from_unix, to_unix
from bot.privacy.registry import RetainedTable
from bot.privacy.retention import FOREVER, RETENTION_CHOICES


@dataclass(frozen=True)
class DepartedGuild:
    """A server the bot was removed from, and when."""

    guild_id: int
    left_at: datetime


# --- retention ------------------------------------------------------------------------------------


async def get_retention(db: Database, user_id: int) -> int | None:
    """Return the person's chosen retention in days (0 = forever), or None if they never chose."""
    row = await db.fetch_one("SELECT retention_days FROM privacy_settings WHERE user_id = ?", (user_id,))
    return None if row is None else int(row["retention_days"])


async def set_retention(db: Database, user_id: int, days: int, now: datetime) -> None:
    """Store the person's retention choice."""
    if days not in RETENTION_CHOICES:
        raise ValueError(f"retention must be one of {RETENTION_CHOICES}")
    await db.execute(
        "INSERT INTO privacy_settings (user_id, retention_days, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT(user_id) DO UPDATE SET retention_days = excluded.retention_days,"
        " updated_at = excluded.updated_at",
        (user_id, days, to_unix(now)),
    )


async def delete_retention(db: Database, user_id: int) -> int:
    """Forget the person's retention choice; return how many rows went."""
    return await db.execute("DELETE FROM privacy_settings WHERE user_id = ?", (user_id,))


async def delete_expired(db: Database, table: RetainedTable, now: datetime, default_days: int) -> int:
    """Delete rows of ``table`` older than their owner's retention period; return how many.

    Identifiers come from the code's registry and are checked there; values are bound.
    """
    owner = f"{table.table}.{table.user_column}"
    effective = f"COALESCE((SELECT retention_days FROM privacy_settings p WHERE p.user_id = {owner}), ?)"  # noqa: S608
    sql = f"DELETE FROM {table.table} WHERE {table.time_column} < ? AND {effective} = ?"  # noqa: S608
    removed = 0
    async with db.transaction() as tx:
        for days in RETENTION_CHOICES:
            if days == FOREVER:
                continue
            cutoff = to_unix(now - timedelta(days=days))
            removed += await tx.execute(sql, (cutoff, default_days, days))
    return removed


# --- departed servers -----------------------------------------------------------------------------


async def mark_departed(db: Database, guild_id: int, now: datetime) -> None:
    """Record that the bot left ``guild_id`` (keeping the first leave time if already marked)."""
    await db.execute(
        "INSERT INTO departed_guilds (guild_id, left_at) VALUES (?, ?) ON CONFLICT(guild_id) DO NOTHING",
        (guild_id, to_unix(now)),
    )


async def clear_departed(db: Database, guild_id: int) -> bool:
    """Forget a leave mark (the bot is back); return whether there was one."""
    return await db.execute("DELETE FROM departed_guilds WHERE guild_id = ?", (guild_id,)) > 0


async def clear_departed_among(db: Database, guild_ids: set[int]) -> int:
    """Forget the leave marks of any of ``guild_ids``; return how many there were."""
    rows = await db.fetch_all("SELECT guild_id FROM departed_guilds")
    returned = [(int(row["guild_id"]),) for row in rows if int(row["guild_id"]) in guild_ids]
    if returned:
        async with db.transaction() as tx:
            await tx.execute_many("DELETE FROM departed_guilds WHERE guild_id = ?", returned)
    return len(returned)


async def get_departed(db: Database, guild_id: int) -> DepartedGuild | None:
    """Return the leave mark of ``guild_id``, or None."""
    row = await db.fetch_one("SELECT guild_id, left_at FROM departed_guilds WHERE guild_id = ?", (guild_id,))
    return None if row is None else DepartedGuild(int(row["guild_id"]), from_unix(int(row["left_at"])))


async def departed_before(db: Database, cutoff: datetime) -> list[DepartedGuild]:
    """Return servers the bot left at or before ``cutoff``, oldest first."""
    rows = await db.fetch_all(
        "SELECT guild_id, left_at FROM departed_guilds WHERE left_at <= ? ORDER BY left_at, guild_id",
        (to_unix(cutoff),),
    )
    return [DepartedGuild(int(row["guild_id"]), from_unix(int(row["left_at"]))) for row in rows]


# --- foundation records about a person ------------------------------------------------------------


async def delete_user_record(db: Database, user_id: int) -> int:
    """Delete the person's ``users`` row (timezone, DM channel, DM status); return how many rows went."""
    return await db.execute("DELETE FROM users WHERE user_id = ?", (user_id,))


async def schedules_of_user(db: Database, user_id: int) -> list[Schedule]:
    """Return every schedule owned by the person, oldest first."""
    rows = await db.fetch_all("SELECT * FROM schedules WHERE user_id = ? ORDER BY id", (user_id,))
    return [schedule_from_row(row) for row in rows]

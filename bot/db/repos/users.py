"""Per-person facts: timezone and whether direct messages reach them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Database, Transaction, atomic
from bot.db.timestamps import from_unix, to_unix


@dataclass(frozen=True)
class UserRecord:
    """One person as Hearth knows them."""

    user_id: int
    timezone: str | None
    dm_channel_id: int | None
    dm_undeliverable_since: datetime | None
    dm_notice_pending: bool


_ENSURE = "INSERT INTO users (user_id, created_at) VALUES (?, ?) ON CONFLICT(user_id) DO NOTHING"


async def get(db: Database | Transaction, user_id: int) -> UserRecord | None:
    """Return what is stored about ``user_id``, or None."""
    row = await db.fetch_one(
        "SELECT user_id, timezone, dm_channel_id, dm_undeliverable_since, dm_notice_pending"
        " FROM users WHERE user_id = ?",
        (user_id,),
    )
    if row is None:
        return None
    since = row["dm_undeliverable_since"]
    return UserRecord(
        user_id=int(row["user_id"]),
        timezone=row["timezone"],
        dm_channel_id=row["dm_channel_id"],
        dm_undeliverable_since=None if since is None else from_unix(int(since)),
        dm_notice_pending=bool(row["dm_notice_pending"]),
    )


async def set_timezone(db: Database | Transaction, user_id: int, timezone: str, now: datetime) -> None:
    """Remember the person's IANA timezone."""
    async with atomic(db) as tx:
        await tx.execute(_ENSURE, (user_id, to_unix(now)))
        await tx.execute("UPDATE users SET timezone = ? WHERE user_id = ?", (timezone, user_id))


async def set_dm_channel(db: Database | Transaction, user_id: int, channel_id: int, now: datetime) -> None:
    """Remember the id of the DM channel with the person."""
    async with atomic(db) as tx:
        await tx.execute(_ENSURE, (user_id, to_unix(now)))
        await tx.execute("UPDATE users SET dm_channel_id = ? WHERE user_id = ?", (channel_id, user_id))


async def mark_dm_undeliverable(db: Database | Transaction, user_id: int, now: datetime) -> None:
    """Record that Discord refused a DM, and that the person should be told next time."""
    async with atomic(db) as tx:
        await tx.execute(_ENSURE, (user_id, to_unix(now)))
        await tx.execute(
            "UPDATE users SET dm_undeliverable_since = ?, dm_notice_pending = 1 WHERE user_id = ?",
            (to_unix(now), user_id),
        )


async def clear_dm_undeliverable(db: Database | Transaction, user_id: int) -> None:
    """Allow DMs again (the person says they opened them)."""
    await db.execute(
        "UPDATE users SET dm_undeliverable_since = NULL, dm_notice_pending = 0 WHERE user_id = ?",
        (user_id,),
    )


async def take_dm_notice(db: Database | Transaction, user_id: int) -> bool:
    """Return True once if the person has not yet been told their DMs failed, clearing the flag."""
    changed = await db.execute(
        "UPDATE users SET dm_notice_pending = 0 WHERE user_id = ? AND dm_notice_pending = 1", (user_id,)
    )
    return changed == 1

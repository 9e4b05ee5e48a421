"""Private answers to posted prompts (``prompt_answers``); their text never goes to logs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.db.database import Database
from bot.db.repos.schedules import from_unix, to_unix


@dataclass(frozen=True)
class Answer:
    """One person's answer to one posted prompt."""

    post_id: int
    user_id: int
    guild_id: int
    text: str
    updated_at: datetime
    shared_at: datetime | None

    def __repr__(self) -> str:
        # The text is private: keep it out of reprs, which end up in logs and tracebacks.
        return f"Answer(post_id={self.post_id}, user_id={self.user_id}, shared={self.shared_at is not None})"


def _from_row(row: aiosqlite.Row) -> Answer:
    """Build an Answer from a row."""
    return Answer(
        post_id=int(row["post_id"]),
        user_id=int(row["user_id"]),
        guild_id=int(row["guild_id"]),
        text=str(row["text"]),
        updated_at=from_unix(int(row["updated_at"])),
        shared_at=None if row["shared_at"] is None else from_unix(int(row["shared_at"])),
    )


async def save(db: Database, *, post_id: int, guild_id: int, user_id: int, text: str, now: datetime) -> bool:
    """Store or replace someone's answer; return False (changing nothing) if it was already shared."""
    stamp = to_unix(now)
    changed = await db.execute(
        "INSERT INTO prompt_answers (post_id, user_id, guild_id, text, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (post_id, user_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at"
        " WHERE prompt_answers.shared_at IS NULL",
        (post_id, user_id, guild_id, text, stamp, stamp),
    )
    return changed == 1


async def get(db: Database, post_id: int, user_id: int) -> Answer | None:
    """Return someone's answer to a post, or None."""
    row = await db.fetch_one(
        "SELECT * FROM prompt_answers WHERE post_id = ? AND user_id = ?", (post_id, user_id)
    )
    return None if row is None else _from_row(row)


async def for_post(db: Database, post_id: int) -> list[Answer]:
    """Return every answer to a post, oldest first."""
    rows = await db.fetch_all(
        "SELECT * FROM prompt_answers WHERE post_id = ? ORDER BY created_at, user_id", (post_id,)
    )
    return [_from_row(row) for row in rows]


async def answered_user_ids(db: Database, post_id: int) -> set[int]:
    """Return who has answered a post, without reading any text."""
    rows = await db.fetch_all("SELECT user_id FROM prompt_answers WHERE post_id = ?", (post_id,))
    return {int(row["user_id"]) for row in rows}


async def mark_shared(db: Database, post_id: int, user_ids: list[int], now: datetime) -> int:
    """Mark answers as shown in a channel; return how many were not shared before."""
    changed = 0
    async with db.transaction() as tx:
        for user_id in user_ids:
            changed += await tx.execute(
                "UPDATE prompt_answers SET shared_at = ?"
                " WHERE post_id = ? AND user_id = ? AND shared_at IS NULL",
                (to_unix(now), post_id, user_id),
            )
    return changed


async def delete_unshared_for_user(db: Database, guild_id: int, user_id: int) -> int:
    """Delete someone's answers in a server that were never shown; return how many."""
    return await db.execute(
        "DELETE FROM prompt_answers WHERE guild_id = ? AND user_id = ? AND shared_at IS NULL",
        (guild_id, user_id),
    )

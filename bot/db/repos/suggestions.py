"""Prompts suggested by members (``prompt_suggestions``) and their review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.db.database import Database, Row
from bot.db.timestamps import from_unix, to_unix


class SuggestionStatus(StrEnum):
    """Where a suggestion stands in review."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Suggestion:
    """One suggested prompt."""

    id: int
    guild_id: int
    author_id: int
    text: str
    theme: str | None
    status: SuggestionStatus
    created_at: datetime | None = None


def _from_row(row: Row) -> Suggestion:
    """Build a Suggestion from a row."""
    return Suggestion(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        author_id=int(row["author_id"]),
        text=str(row["text"]),
        theme=None if row["theme"] is None else str(row["theme"]),
        status=SuggestionStatus(str(row["status"])),
        created_at=from_unix(int(row["created_at"])),
    )


async def add(
    db: Database, *, guild_id: int, author_id: int, text: str, theme: str | None, now: datetime
) -> Suggestion:
    """Store a new pending suggestion and return it."""
    async with db.transaction() as tx:
        rows = await tx.fetch_all(
            "INSERT INTO prompt_suggestions (guild_id, author_id, text, theme, created_at)"
            " VALUES (?, ?, ?, ?, ?) RETURNING *",
            (guild_id, author_id, text, theme, to_unix(now)),
        )
    return _from_row(rows[0])


async def get(db: Database, suggestion_id: int) -> Suggestion | None:
    """Return one suggestion, or None."""
    row = await db.fetch_one("SELECT * FROM prompt_suggestions WHERE id = ?", (suggestion_id,))
    return None if row is None else _from_row(row)


async def with_status(
    db: Database, guild_id: int, status: SuggestionStatus, limit: int | None = None
) -> list[Suggestion]:
    """Return a server's suggestions with ``status``, oldest first (at most ``limit``)."""
    sql = "SELECT * FROM prompt_suggestions WHERE guild_id = ? AND status = ? ORDER BY id"
    params: tuple[object, ...] = (guild_id, status.value)
    if limit is not None:
        sql += " LIMIT ?"
        params += (limit,)
    rows = await db.fetch_all(sql, params)
    return [_from_row(row) for row in rows]


async def count_pending(db: Database, guild_id: int) -> int:
    """Return how many suggestions of a server wait for review."""
    row = await db.fetch_one(
        "SELECT COUNT(*) AS n FROM prompt_suggestions WHERE guild_id = ? AND status = ?",
        (guild_id, SuggestionStatus.PENDING.value),
    )
    return 0 if row is None else int(row["n"])


async def review(
    db: Database, suggestion_id: int, guild_id: int, status: SuggestionStatus, reviewer_id: int, now: datetime
) -> bool:
    """Approve or reject a pending suggestion of ``guild_id``; return False if it was not pending there."""
    if status is SuggestionStatus.PENDING:
        raise ValueError("a review approves or rejects")
    changed = await db.execute(
        "UPDATE prompt_suggestions SET status = ?, reviewed_by = ?, reviewed_at = ?"
        " WHERE id = ? AND guild_id = ? AND status = ?",
        (status.value, reviewer_id, to_unix(now), suggestion_id, guild_id, SuggestionStatus.PENDING.value),
    )
    return changed == 1


async def by_author(db: Database, author_id: int) -> list[Suggestion]:
    """Return every suggestion someone made, in every server, oldest first."""
    rows = await db.fetch_all(
        "SELECT * FROM prompt_suggestions WHERE author_id = ? ORDER BY id", (author_id,)
    )
    return [_from_row(row) for row in rows]


async def delete_by_author(db: Database, author_id: int) -> int:
    """Erase every suggestion someone made (approved ones leave their server's deck); return how many."""
    return await db.execute("DELETE FROM prompt_suggestions WHERE author_id = ?", (author_id,))


async def forget_reviewer(db: Database, reviewer_id: int) -> int:
    """Drop someone's id from the suggestions they reviewed (the reviews stay); return how many."""
    return await db.execute(
        "UPDATE prompt_suggestions SET reviewed_by = NULL WHERE reviewed_by = ?", (reviewer_id,)
    )


async def delete_for_guild(db: Database, guild_id: int) -> int:
    """Delete every suggestion of a server; return how many."""
    return await db.execute("DELETE FROM prompt_suggestions WHERE guild_id = ?", (guild_id,))

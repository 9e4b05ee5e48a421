"""Posted daily prompts (``prompt_posts``): the one-post-per-day record and each server's deck."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.db.database import Database, Row, Transaction
from bot.db.timestamps import from_unix, to_unix


@dataclass(frozen=True)
class PromptPost:
    """One prompt posted in one server on one local date."""

    id: int
    guild_id: int
    local_date: date
    prompt_id: str
    theme: str
    channel_id: int
    message_id: int | None
    thread_id: int | None
    posted_at: datetime
    revealed_at: datetime | None
    reveal_message_id: int | None
    # The prompt the card showed before /prompt skip replaced it; None if the day was never skipped.
    skipped_prompt_id: str | None = None

    @property
    def revealed(self) -> bool:
        """Return whether the answers to this post were revealed."""
        return self.revealed_at is not None


def _from_row(row: Row) -> PromptPost:
    """Build a PromptPost from a row."""
    return PromptPost(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        local_date=date.fromisoformat(str(row["local_date"])),
        prompt_id=str(row["prompt_id"]),
        theme=str(row["theme"]),
        channel_id=int(row["channel_id"]),
        message_id=None if row["message_id"] is None else int(row["message_id"]),
        thread_id=None if row["thread_id"] is None else int(row["thread_id"]),
        posted_at=from_unix(int(row["posted_at"])),
        revealed_at=None if row["revealed_at"] is None else from_unix(int(row["revealed_at"])),
        reveal_message_id=None if row["reveal_message_id"] is None else int(row["reveal_message_id"]),
        skipped_prompt_id=None if row["skipped_prompt_id"] is None else str(row["skipped_prompt_id"]),
    )


async def record(
    db: Database,
    *,
    guild_id: int,
    local_date: date,
    prompt_id: str,
    theme: str,
    channel_id: int,
    message_id: int,
    thread_id: int | None,
    now: datetime,
) -> PromptPost | None:
    """Record a posted prompt; return None if that server already has a post for ``local_date``."""
    async with db.transaction() as tx:
        rows = await tx.fetch_all(
            "INSERT INTO prompt_posts (guild_id, local_date, prompt_id, theme, channel_id, message_id,"
            " thread_id, posted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (guild_id, local_date) DO NOTHING RETURNING *",
            (
                guild_id,
                local_date.isoformat(),
                prompt_id,
                theme,
                channel_id,
                message_id,
                thread_id,
                to_unix(now),
            ),
        )
    return _from_row(rows[0]) if rows else None


async def for_date(db: Database, guild_id: int, local_date: date) -> PromptPost | None:
    """Return the server's post for ``local_date``, or None."""
    row = await db.fetch_one(
        "SELECT * FROM prompt_posts WHERE guild_id = ? AND local_date = ?", (guild_id, local_date.isoformat())
    )
    return None if row is None else _from_row(row)


async def latest(db: Database, guild_id: int) -> PromptPost | None:
    """Return the server's most recent post, or None."""
    row = await db.fetch_one(
        "SELECT * FROM prompt_posts WHERE guild_id = ? ORDER BY local_date DESC, id DESC LIMIT 1", (guild_id,)
    )
    return None if row is None else _from_row(row)


async def previous(db: Database, post: PromptPost) -> PromptPost | None:
    """Return the server's post just before ``post``, or None."""
    row = await db.fetch_one(
        "SELECT * FROM prompt_posts WHERE guild_id = ? AND local_date < ?"
        " ORDER BY local_date DESC, id DESC LIMIT 1",
        (post.guild_id, post.local_date.isoformat()),
    )
    return None if row is None else _from_row(row)


async def get(db: Database, post_id: int) -> PromptPost | None:
    """Return one post by id, or None."""
    row = await db.fetch_one("SELECT * FROM prompt_posts WHERE id = ?", (post_id,))
    return None if row is None else _from_row(row)


async def history(db: Database, guild_id: int) -> list[PromptPost]:
    """Return every post of a server, oldest first."""
    rows = await db.fetch_all(
        "SELECT * FROM prompt_posts WHERE guild_id = ? ORDER BY local_date, id", (guild_id,)
    )
    return [_from_row(row) for row in rows]


async def recent(db: Database, guild_id: int, limit: int) -> list[PromptPost]:
    """Return a server's last ``limit`` posts, newest first."""
    rows = await db.fetch_all(
        "SELECT * FROM prompt_posts WHERE guild_id = ? ORDER BY local_date DESC, id DESC LIMIT ?",
        (guild_id, limit),
    )
    return [_from_row(row) for row in rows]


async def replace_prompt(db: Database, post: PromptPost, prompt_id: str, theme: str) -> bool:
    """Swap a day's prompt for another, once; return False if it was skipped, answered or passed already.

    One statement, so of two admins skipping at once only one replaces it, and a day that an
    answer or a pass reached first (mark_responded_in) keeps its prompt.
    """
    changed = await db.execute(
        "UPDATE prompt_posts SET skipped_prompt_id = prompt_id, prompt_id = ?, theme = ?"
        " WHERE id = ? AND prompt_id = ? AND skipped_prompt_id IS NULL AND responded = 0"
        " AND revealed_at IS NULL",
        (prompt_id, theme, post.id, post.prompt_id),
    )
    return changed == 1


async def mark_responded_in(tx: Transaction, post_id: int, prompt_id: str | None = None) -> bool:
    """Mark that someone answered or passed, in their transaction; False if the prompt changed.

    ``prompt_id`` is the prompt the person saw (None for a pass). Taking the row here orders an
    answer and a skip of the same day: whichever comes second sees the other (the answer sees the
    new prompt, the skip sees the answer).
    """
    if prompt_id is None:
        changed = await tx.execute("UPDATE prompt_posts SET responded = 1 WHERE id = ?", (post_id,))
    else:
        changed = await tx.execute(
            "UPDATE prompt_posts SET responded = 1 WHERE id = ? AND prompt_id = ?", (post_id, prompt_id)
        )
    return changed == 1


async def restore_prompt(db: Database, post: PromptPost) -> None:
    """Undo replace_prompt when the card could not be changed, so the day keeps the prompt it shows."""
    await db.execute(
        "UPDATE prompt_posts SET prompt_id = skipped_prompt_id, theme = ?, skipped_prompt_id = NULL"
        " WHERE id = ? AND skipped_prompt_id = ?",
        (post.theme, post.id, post.prompt_id),
    )


async def claim_reveal(db: Database, post_id: int, now: datetime) -> bool:
    """Mark a post revealed; return True only for the one caller that did it (so it posts once)."""
    changed = await db.execute(
        "UPDATE prompt_posts SET revealed_at = ? WHERE id = ? AND revealed_at IS NULL",
        (to_unix(now), post_id),
    )
    return changed == 1


async def set_reveal_message(db: Database, post_id: int, message_id: int) -> None:
    """Remember the message that revealed a post's answers, so later answers reply to it."""
    await db.execute("UPDATE prompt_posts SET reveal_message_id = ? WHERE id = ?", (message_id, post_id))


async def unclaim_reveal(db: Database, post_id: int) -> None:
    """Undo a reveal claim whose messages could not be sent, so a later answer can reveal again."""
    await db.execute(
        "UPDATE prompt_posts SET revealed_at = NULL WHERE id = ? AND reveal_message_id IS NULL", (post_id,)
    )


async def delete_for_guild(db: Database, guild_id: int) -> int:
    """Delete every post of a server (their answers go with them); return how many."""
    return await db.execute("DELETE FROM prompt_posts WHERE guild_id = ?", (guild_id,))

"""Private answers to posted prompts (``prompt_answers``); their text never goes to logs.

The text is stored sealed with the bot's data cipher (bound to the row's post and
author) when a data key is set; the functions that return answers open it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.crypto import DataCipher, SealContext
from bot.db.database import Database, Row, Transaction
from bot.db.timestamps import from_unix, to_unix
from bot.privacy.registry import SealedColumn

# The one definition of the sealed answer column: sealing here and key rotation use the same context.
TEXT_COLUMN = SealedColumn("prompt_answers", "text", ("post_id", "user_id"))


@dataclass(frozen=True)
class Answer:
    """One person's answer to one posted prompt, its text opened."""

    post_id: int
    user_id: int
    guild_id: int
    text: str
    updated_at: datetime
    shared_at: datetime | None
    created_at: datetime | None = None

    def __repr__(self) -> str:
        # The text is private: keep it out of reprs, which end up in logs and tracebacks.
        return f"Answer(post_id={self.post_id}, user_id={self.user_id}, shared={self.shared_at is not None})"


@dataclass(frozen=True)
class ShownAnswer:
    """Where one shared answer is shown: the channel (or thread) and message holding it."""

    post_id: int
    channel_id: int
    message_id: int


def text_context(post_id: int, user_id: int) -> SealContext:
    """Return where an answer's text lives, which its sealed form is bound to."""
    return TEXT_COLUMN.context(post_id, user_id)


def _from_row(row: Row, cipher: DataCipher) -> Answer:
    """Build an Answer from a row, opening its text."""
    post_id, user_id = int(row["post_id"]), int(row["user_id"])
    return Answer(
        post_id=post_id,
        user_id=user_id,
        guild_id=int(row["guild_id"]),
        text=cipher.open(str(row["text"]), text_context(post_id, user_id)),
        updated_at=from_unix(int(row["updated_at"])),
        shared_at=None if row["shared_at"] is None else from_unix(int(row["shared_at"])),
        created_at=from_unix(int(row["created_at"])),
    )


async def save(
    db: Database | Transaction,
    cipher: DataCipher,
    *,
    post_id: int,
    guild_id: int,
    user_id: int,
    text: str,
    now: datetime,
) -> bool:
    """Store or replace someone's answer; return False (changing nothing) if it was already shared."""
    stamp = to_unix(now)
    changed = await db.execute(
        "INSERT INTO prompt_answers (post_id, user_id, guild_id, text, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (post_id, user_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at"
        " WHERE prompt_answers.shared_at IS NULL",
        (post_id, user_id, guild_id, cipher.seal(text, text_context(post_id, user_id)), stamp, stamp),
    )
    return changed == 1


async def get(db: Database, cipher: DataCipher, post_id: int, user_id: int) -> Answer | None:
    """Return someone's answer to a post, or None."""
    row = await db.fetch_one(
        "SELECT * FROM prompt_answers WHERE post_id = ? AND user_id = ?", (post_id, user_id)
    )
    return None if row is None else _from_row(row, cipher)


async def for_post(db: Database, cipher: DataCipher, post_id: int) -> list[Answer]:
    """Return every answer to a post, oldest first."""
    rows = await db.fetch_all(
        "SELECT * FROM prompt_answers WHERE post_id = ? ORDER BY created_at, user_id", (post_id,)
    )
    return [_from_row(row, cipher) for row in rows]


async def for_user(db: Database, cipher: DataCipher, user_id: int) -> list[Answer]:
    """Return every answer someone wrote, in every server, oldest first (for their export)."""
    rows = await db.fetch_all(
        "SELECT * FROM prompt_answers WHERE user_id = ? ORDER BY created_at, post_id", (user_id,)
    )
    return [_from_row(row, cipher) for row in rows]


async def answered_user_ids(db: Database, post_id: int) -> set[int]:
    """Return who has answered a post, without reading any text."""
    rows = await db.fetch_all("SELECT user_id FROM prompt_answers WHERE post_id = ?", (post_id,))
    return {int(row["user_id"]) for row in rows}


async def claim_for_sharing(db: Database, post_id: int, user_ids: Sequence[int], now: datetime) -> list[int]:
    """Mark the given people's unshared answers to a post as shared; return whose were claimed.

    Claiming before anything is posted means two reveals racing for one answer show it once:
    only the caller that claimed an answer posts it.
    """
    claimed: list[int] = []
    async with db.transaction() as tx:
        for user_id in user_ids:
            if await tx.execute(
                "UPDATE prompt_answers SET shared_at = ?"
                " WHERE post_id = ? AND user_id = ? AND shared_at IS NULL",
                (to_unix(now), post_id, user_id),
            ):
                claimed.append(user_id)
    return claimed


async def record_places(db: Database, post_id: int, places: Mapping[int, tuple[int, int]]) -> None:
    """Remember where each shared answer is shown: user id -> (channel id, message id)."""
    async with db.transaction() as tx:
        for user_id, (channel_id, message_id) in places.items():
            await tx.execute(
                "UPDATE prompt_answers SET shared_channel_id = ?, shared_message_id = ?"
                " WHERE post_id = ? AND user_id = ?",
                (channel_id, message_id, post_id, user_id),
            )


async def release_claims(db: Database, post_id: int, user_ids: Sequence[int]) -> None:
    """Make claimed answers that could not be posted unshared again, so a later reveal can show them."""
    async with db.transaction() as tx:
        for user_id in user_ids:
            await tx.execute(
                "UPDATE prompt_answers SET shared_at = NULL"
                " WHERE post_id = ? AND user_id = ? AND shared_message_id IS NULL",
                (post_id, user_id),
            )


async def delete_unshared_in(tx: Transaction, post_id: int, user_id: int) -> int:
    """Withdraw someone's answer to a post if it was not shown yet; return how many were deleted."""
    return await tx.execute(
        "DELETE FROM prompt_answers WHERE post_id = ? AND user_id = ? AND shared_at IS NULL",
        (post_id, user_id),
    )


async def shown_of_user(db: Database, user_id: int) -> list[ShownAnswer]:
    """Return where each of someone's shared answers is shown, without reading any text.

    Answers shared before their message was recorded point at their post's reveal
    message, which lives in the post's thread if it has one, else in its channel.
    """
    rows = await db.fetch_all(
        "SELECT a.post_id,"
        " COALESCE(a.shared_channel_id, p.thread_id, p.channel_id) AS channel_id,"
        " COALESCE(a.shared_message_id, p.reveal_message_id) AS message_id"
        " FROM prompt_answers a JOIN prompt_posts p ON p.id = a.post_id"
        " WHERE a.user_id = ? AND a.shared_at IS NOT NULL ORDER BY a.post_id",
        (user_id,),
    )
    return [
        ShownAnswer(int(row["post_id"]), int(row["channel_id"]), int(row["message_id"]))
        for row in rows
        if row["message_id"] is not None and row["channel_id"] is not None
    ]


async def delete_unshared_for_user(db: Database | Transaction, guild_id: int, user_id: int) -> int:
    """Delete someone's answers in a server that were never shown; return how many."""
    return await db.execute(
        "DELETE FROM prompt_answers WHERE guild_id = ? AND user_id = ? AND shared_at IS NULL",
        (guild_id, user_id),
    )


async def delete_for_user(db: Database, user_id: int) -> int:
    """Erase every answer someone wrote, shared or not, in every server; return how many."""
    return await db.execute("DELETE FROM prompt_answers WHERE user_id = ?", (user_id,))


async def delete_for_guild(db: Database, guild_id: int) -> int:
    """Delete every answer given in a server; return how many."""
    return await db.execute("DELETE FROM prompt_answers WHERE guild_id = ?", (guild_id,))


async def shown_in_message(db: Database, cipher: DataCipher, post_id: int, message_id: int) -> list[Answer]:
    """Return the shared answers to a post that one message shows, oldest first (to re-render it)."""
    rows = await db.fetch_all(
        "SELECT a.* FROM prompt_answers a JOIN prompt_posts p ON p.id = a.post_id"
        " WHERE a.post_id = ? AND a.shared_at IS NOT NULL"
        " AND COALESCE(a.shared_message_id, p.reveal_message_id) = ?"
        " ORDER BY a.created_at, a.user_id",
        (post_id, message_id),
    )
    return [_from_row(row, cipher) for row in rows]

"""Appreciation reminders (``appreciation_reminders``) and the nudges they sent (``appreciation_nudges``).

A reminder's rule lives in its schedule (owner key ``appreciation:<id>``);
this module keeps who it is about and what each reminder DM suggested.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Database, Row, Transaction, atomic
from bot.db.timestamps import from_unix, to_unix


@dataclass(frozen=True)
class Reminder:
    """One recurring reminder to appreciate someone."""

    id: int
    user_id: int
    guild_id: int | None
    target_id: int
    target_name: str
    created_at: datetime


@dataclass(frozen=True)
class Nudge:
    """One reminder DM: the idea it suggested and what its recipient did with it."""

    id: int
    reminder_id: int
    occurrence_key: str
    idea_id: str
    sent_at: datetime
    snoozed_until: datetime | None
    done_at: datetime | None


def _reminder(row: Row) -> Reminder:
    """Build a Reminder from a row."""
    return Reminder(
        id=int(row["id"]),
        user_id=int(row["user_id"]),
        guild_id=None if row["guild_id"] is None else int(row["guild_id"]),
        target_id=int(row["target_id"]),
        target_name=str(row["target_name"]),
        created_at=from_unix(int(row["created_at"])),
    )


def _nudge(row: Row) -> Nudge:
    """Build a Nudge from a row."""
    snoozed, done = row["snoozed_until"], row["done_at"]
    return Nudge(
        id=int(row["id"]),
        reminder_id=int(row["reminder_id"]),
        occurrence_key=str(row["occurrence_key"]),
        idea_id=str(row["idea_id"]),
        sent_at=from_unix(int(row["sent_at"])),
        snoozed_until=None if snoozed is None else from_unix(int(snoozed)),
        done_at=None if done is None else from_unix(int(done)),
    )


async def create(
    db: Database | Transaction,
    *,
    user_id: int,
    guild_id: int | None,
    target_id: int,
    target_name: str,
    now: datetime,
    cap: int,
) -> Reminder | None:
    """Store a new reminder, or return None if the person already has ``cap`` of them."""
    async with atomic(db) as tx:
        row = await tx.fetch_one(
            "SELECT COUNT(*) AS n FROM appreciation_reminders WHERE user_id = ?", (user_id,)
        )
        if row is not None and int(row["n"]) >= cap:
            return None
        rows = await tx.fetch_all(
            "INSERT INTO appreciation_reminders (user_id, guild_id, target_id, target_name, created_at)"
            " VALUES (?, ?, ?, ?, ?) RETURNING *",
            (user_id, guild_id, target_id, target_name, to_unix(now)),
        )
    return _reminder(rows[0])


async def get(db: Database | Transaction, reminder_id: int) -> Reminder | None:
    """Return one reminder, or None."""
    row = await db.fetch_one("SELECT * FROM appreciation_reminders WHERE id = ?", (reminder_id,))
    return None if row is None else _reminder(row)


async def get_own(db: Database | Transaction, reminder_id: int, user_id: int) -> Reminder | None:
    """Return a reminder only if ``user_id`` owns it (someone else's is as good as missing)."""
    row = await db.fetch_one(
        "SELECT * FROM appreciation_reminders WHERE id = ? AND user_id = ?", (reminder_id, user_id)
    )
    return None if row is None else _reminder(row)


async def for_user(db: Database | Transaction, user_id: int) -> list[Reminder]:
    """Return a person's reminders, oldest first."""
    rows = await db.fetch_all(
        "SELECT * FROM appreciation_reminders WHERE user_id = ? ORDER BY id", (user_id,)
    )
    return [_reminder(row) for row in rows]


async def count_for_user(db: Database | Transaction, user_id: int) -> int:
    """Return how many reminders a person has."""
    row = await db.fetch_one("SELECT COUNT(*) AS n FROM appreciation_reminders WHERE user_id = ?", (user_id,))
    return 0 if row is None else int(row["n"])


async def delete_own(db: Database | Transaction, reminder_id: int, user_id: int) -> bool:
    """Delete a reminder (and its nudges) if ``user_id`` owns it; return whether it did."""
    return (
        await db.execute(
            "DELETE FROM appreciation_reminders WHERE id = ? AND user_id = ?", (reminder_id, user_id)
        )
        > 0
    )


async def idea_history(db: Database | Transaction, reminder_id: int) -> list[str]:
    """Return the ideas a reminder sent, oldest first."""
    rows = await db.fetch_all(
        "SELECT idea_id FROM appreciation_nudges WHERE reminder_id = ? ORDER BY id", (reminder_id,)
    )
    return [str(row["idea_id"]) for row in rows]


async def record_nudge(
    db: Database | Transaction, reminder_id: int, occurrence_key: str, idea_id: str, now: datetime
) -> Nudge:
    """Record the nudge of one occurrence; a retry of the same occurrence gets the first one back."""
    async with atomic(db) as tx:
        await tx.execute(
            "INSERT INTO appreciation_nudges (reminder_id, occurrence_key, idea_id, sent_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (occurrence_key) DO NOTHING",
            (reminder_id, occurrence_key, idea_id, to_unix(now)),
        )
        row = await tx.fetch_one(
            "SELECT * FROM appreciation_nudges WHERE occurrence_key = ?", (occurrence_key,)
        )
    if row is None:
        raise RuntimeError("the nudge just recorded is missing")
    return _nudge(row)


async def get_nudge(db: Database | Transaction, nudge_id: int) -> Nudge | None:
    """Return one nudge, or None."""
    row = await db.fetch_one("SELECT * FROM appreciation_nudges WHERE id = ?", (nudge_id,))
    return None if row is None else _nudge(row)


async def snooze_nudge(db: Database | Transaction, nudge_id: int, until: datetime) -> bool:
    """Note that a nudge comes back at ``until``; return whether it exists."""
    changed = await db.execute(
        "UPDATE appreciation_nudges SET snoozed_until = ? WHERE id = ?", (to_unix(until), nudge_id)
    )
    return changed == 1


async def mark_done(db: Database | Transaction, nudge_id: int, now: datetime) -> bool:
    """Record that the nudge was acted on; return False if it was already done (or is gone)."""
    changed = await db.execute(
        "UPDATE appreciation_nudges SET done_at = ?, snoozed_until = NULL WHERE id = ? AND done_at IS NULL",
        (to_unix(now), nudge_id),
    )
    return changed == 1


async def nudges_of(db: Database | Transaction, reminder_id: int) -> list[Nudge]:
    """Return every nudge a reminder sent, oldest first (for its owner's export)."""
    rows = await db.fetch_all(
        "SELECT * FROM appreciation_nudges WHERE reminder_id = ? ORDER BY id", (reminder_id,)
    )
    return [_nudge(row) for row in rows]


async def delete_for_user(db: Database | Transaction, user_id: int) -> int:
    """Erase every reminder of a person (their nudges go with them); return how many."""
    return await db.execute("DELETE FROM appreciation_reminders WHERE user_id = ?", (user_id,))


async def delete_for_guild(db: Database | Transaction, guild_id: int) -> int:
    """Delete every reminder set up in a server (their nudges go with them); return how many."""
    return await db.execute("DELETE FROM appreciation_reminders WHERE guild_id = ?", (guild_id,))

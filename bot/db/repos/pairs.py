"""Pairs (``pairs``, ``pair_members``), their daily prompts (``pair_days``) and answers (``pair_answers``).

An answer's text is sealed with the bot's data cipher, bound to its day and author; a pass is a
row without text. Nothing here logs what anyone wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.crypto import DataCipher, SealContext
from bot.db.database import Database, Row, Transaction, atomic
from bot.db.timestamps import from_unix, to_unix
from bot.privacy.registry import SealedColumn

ANSWER_COLUMN = SealedColumn("pair_answers", "text", ("day_id", "user_id"))


class PairStatus(StrEnum):
    """Where a pair is in its life."""

    INVITED = "invited"
    ACTIVE = "active"
    ENDED = "ended"


@dataclass(frozen=True)
class PairMember:
    """One person in a pair, with the name they had when they joined."""

    user_id: int
    display_name: str


@dataclass(frozen=True)
class Pair:
    """A pair and who is in it, in the order they joined."""

    id: int
    channel_id: int
    created_by: int
    status: PairStatus
    created_at: datetime
    members: tuple[PairMember, ...]

    @property
    def member_ids(self) -> tuple[int, ...]:
        """Return the members' user ids."""
        return tuple(member.user_id for member in self.members)

    def has(self, user_id: int) -> bool:
        """Return whether ``user_id`` is in the pair."""
        return user_id in self.member_ids


@dataclass(frozen=True)
class PairDay:
    """The prompt one pair got on one local day."""

    id: int
    pair_id: int
    local_date: date
    prompt_id: str
    theme: str
    revealed_at: datetime | None


@dataclass(frozen=True)
class PairAnswer:
    """One member's answer (``text``) or pass (``text`` None) to one pair day."""

    day_id: int
    user_id: int
    text: str | None
    answered_at: datetime

    def __repr__(self) -> str:
        # The text is private: keep it out of reprs, which end up in logs and tracebacks.
        return f"PairAnswer(day_id={self.day_id}, user_id={self.user_id}, passed={self.text is None})"


def answer_context(day_id: int, user_id: int) -> SealContext:
    """Return where an answer's text lives, which its sealed form is bound to."""
    return ANSWER_COLUMN.context(day_id, user_id)


async def _members(db: Database | Transaction, pair_id: int) -> tuple[PairMember, ...]:
    rows = await db.fetch_all(
        "SELECT user_id, display_name FROM pair_members WHERE pair_id = ? ORDER BY joined_at, user_id",
        (pair_id,),
    )
    return tuple(PairMember(int(row["user_id"]), str(row["display_name"])) for row in rows)


async def _pair_from_row(db: Database | Transaction, row: Row) -> Pair:
    pair_id = int(row["id"])
    return Pair(
        id=pair_id,
        channel_id=int(row["channel_id"]),
        created_by=int(row["created_by"]),
        status=PairStatus(str(row["status"])),
        created_at=from_unix(int(row["created_at"])),
        members=await _members(db, pair_id),
    )


def _day_from_row(row: Row) -> PairDay:
    return PairDay(
        id=int(row["id"]),
        pair_id=int(row["pair_id"]),
        local_date=date.fromisoformat(str(row["local_date"])),
        prompt_id=str(row["prompt_id"]),
        theme=str(row["theme"]),
        revealed_at=None if row["revealed_at"] is None else from_unix(int(row["revealed_at"])),
    )


# --- pairs and members ----------------------------------------------------------------------------


async def create(
    db: Database | Transaction, *, channel_id: int, created_by: int, display_name: str, now: datetime
) -> Pair:
    """Create an invited pair whose only member is its author."""
    async with atomic(db) as tx:
        rows = await tx.fetch_all(
            "INSERT INTO pairs (channel_id, created_by, created_at) VALUES (?, ?, ?) RETURNING *",
            (channel_id, created_by, to_unix(now)),
        )
        pair_id = int(rows[0]["id"])
        await tx.execute(
            "INSERT INTO pair_members (pair_id, user_id, display_name, joined_at) VALUES (?, ?, ?, ?)",
            (pair_id, created_by, display_name, to_unix(now)),
        )
        return await _pair_from_row(tx, rows[0])


async def get(db: Database | Transaction, pair_id: int) -> Pair | None:
    """Return a pair, or None."""
    row = await db.fetch_one("SELECT * FROM pairs WHERE id = ?", (pair_id,))
    return None if row is None else await _pair_from_row(db, row)


async def lock(tx: Transaction, pair_id: int) -> Pair | None:
    """Return a pair with its row locked until the transaction ends, so joins and leaves take turns."""
    # A no-op update takes the row lock on every backend (SQLite has one writer anyway).
    rows = await tx.fetch_all("UPDATE pairs SET id = id WHERE id = ? RETURNING *", (pair_id,))
    return await _pair_from_row(tx, rows[0]) if rows else None


async def for_user(db: Database | Transaction, user_id: int) -> list[Pair]:
    """Return the pairs (invited or active) someone is in, oldest first."""
    rows = await db.fetch_all(
        "SELECT pairs.* FROM pairs JOIN pair_members ON pair_members.pair_id = pairs.id"
        " WHERE pair_members.user_id = ? AND pairs.status != ? ORDER BY pairs.id",
        (user_id, PairStatus.ENDED.value),
    )
    return [await _pair_from_row(db, row) for row in rows]


async def every_pair_of(db: Database | Transaction, user_id: int) -> list[Pair]:
    """Return every pair someone is a member of, ended ones included (for their export)."""
    rows = await db.fetch_all(
        "SELECT pairs.* FROM pairs JOIN pair_members ON pair_members.pair_id = pairs.id"
        " WHERE pair_members.user_id = ? ORDER BY pairs.id",
        (user_id,),
    )
    return [await _pair_from_row(db, row) for row in rows]


async def forget_member(db: Database | Transaction, user_id: int) -> int:
    """Take someone's id out of every pair (memberships and authorship); return the memberships removed."""
    async with atomic(db) as tx:
        removed = await tx.execute("DELETE FROM pair_members WHERE user_id = ?", (user_id,))
        await tx.execute("UPDATE pairs SET created_by = 0 WHERE created_by = ?", (user_id,))
    return removed


async def active_ids(db: Database | Transaction) -> list[int]:
    """Return the ids of every active pair."""
    rows = await db.fetch_all("SELECT id FROM pairs WHERE status = ? ORDER BY id", (PairStatus.ACTIVE.value,))
    return [int(row["id"]) for row in rows]


async def add_member(
    db: Database | Transaction, pair_id: int, user_id: int, display_name: str, now: datetime
) -> bool:
    """Add someone to a pair; False when they were already in it."""
    changed = await db.execute(
        "INSERT INTO pair_members (pair_id, user_id, display_name, joined_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (pair_id, user_id) DO NOTHING",
        (pair_id, user_id, display_name, to_unix(now)),
    )
    return changed > 0


async def remove_member(db: Database | Transaction, pair_id: int, user_id: int) -> bool:
    """Take someone out of a pair; False when they were not in it."""
    removed = await db.execute(
        "DELETE FROM pair_members WHERE pair_id = ? AND user_id = ?", (pair_id, user_id)
    )
    return removed > 0


async def set_status(
    db: Database | Transaction, pair_id: int, status: PairStatus, now: datetime | None = None
) -> None:
    """Mark a pair active or ended (``now`` is the end time)."""
    ended = None if status is not PairStatus.ENDED or now is None else to_unix(now)
    await db.execute("UPDATE pairs SET status = ?, ended_at = ? WHERE id = ?", (status.value, ended, pair_id))


async def delete(db: Database | Transaction, pair_id: int) -> None:
    """Delete a pair with its members, days and answers."""
    await db.execute("DELETE FROM pairs WHERE id = ?", (pair_id,))


# --- days and answers -----------------------------------------------------------------------------


async def get_day(db: Database | Transaction, day_id: int) -> PairDay | None:
    """Return one pair day, or None."""
    row = await db.fetch_one("SELECT * FROM pair_days WHERE id = ?", (day_id,))
    return None if row is None else _day_from_row(row)


async def day_on(db: Database | Transaction, pair_id: int, local_date: date) -> PairDay | None:
    """Return the pair's day for ``local_date``, or None."""
    row = await db.fetch_one(
        "SELECT * FROM pair_days WHERE pair_id = ? AND local_date = ?", (pair_id, local_date.isoformat())
    )
    return None if row is None else _day_from_row(row)


async def latest_day(db: Database | Transaction, pair_id: int) -> PairDay | None:
    """Return the pair's most recent day, or None."""
    row = await db.fetch_one(
        "SELECT * FROM pair_days WHERE pair_id = ? ORDER BY local_date DESC LIMIT 1", (pair_id,)
    )
    return None if row is None else _day_from_row(row)


async def history(db: Database | Transaction, pair_id: int) -> list[PairDay]:
    """Return every day of the pair, oldest first (the selection's no-repeat history)."""
    rows = await db.fetch_all("SELECT * FROM pair_days WHERE pair_id = ? ORDER BY local_date", (pair_id,))
    return [_day_from_row(row) for row in rows]


async def create_day(
    db: Database | Transaction,
    *,
    pair_id: int,
    local_date: date,
    prompt_id: str,
    theme: str,
    now: datetime,
) -> PairDay:
    """Record the day's prompt, once: a second call for the same day returns the first one's row."""
    async with atomic(db) as tx:
        await tx.execute(
            "INSERT INTO pair_days (pair_id, local_date, prompt_id, theme, created_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (pair_id, local_date) DO NOTHING",
            (pair_id, local_date.isoformat(), prompt_id, theme, to_unix(now)),
        )
        rows = await tx.fetch_all(
            "SELECT * FROM pair_days WHERE pair_id = ? AND local_date = ?", (pair_id, local_date.isoformat())
        )
    return _day_from_row(rows[0])


async def lock_day(tx: Transaction, day_id: int) -> PairDay | None:
    """Return a day with its row locked, so answers and the reveal check take turns."""
    rows = await tx.fetch_all("UPDATE pair_days SET id = id WHERE id = ? RETURNING *", (day_id,))
    return _day_from_row(rows[0]) if rows else None


async def save_answer(
    db: Database | Transaction,
    cipher: DataCipher,
    *,
    day_id: int,
    user_id: int,
    text: str | None,
    now: datetime,
) -> None:
    """Store or replace someone's answer (``text``) or pass (None) to a day."""
    sealed = cipher.seal_optional(text, answer_context(day_id, user_id))
    await db.execute(
        "INSERT INTO pair_answers (day_id, user_id, text, answered_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (day_id, user_id)"
        " DO UPDATE SET text = excluded.text, answered_at = excluded.answered_at",
        (day_id, user_id, sealed, to_unix(now)),
    )


async def answers(db: Database | Transaction, cipher: DataCipher, day_id: int) -> list[PairAnswer]:
    """Return a day's answers and passes, texts opened, in the order they came."""
    rows = await db.fetch_all(
        "SELECT * FROM pair_answers WHERE day_id = ? ORDER BY answered_at, user_id", (day_id,)
    )
    return [
        PairAnswer(
            day_id=day_id,
            user_id=int(row["user_id"]),
            text=cipher.open_optional(row["text"], answer_context(day_id, int(row["user_id"]))),
            answered_at=from_unix(int(row["answered_at"])),
        )
        for row in rows
    ]


async def mark_revealed(db: Database | Transaction, day_id: int, now: datetime) -> bool:
    """Set the day's reveal time once; False when it was already revealed."""
    changed = await db.execute(
        "UPDATE pair_days SET revealed_at = ? WHERE id = ? AND revealed_at IS NULL", (to_unix(now), day_id)
    )
    return changed > 0


async def delete_unrevealed_answers(
    db: Database | Transaction, pair_id: int, user_id: int | None = None
) -> int:
    """Delete the answers (of ``user_id``, or everyone's) to the pair's days not yet revealed."""
    query = (
        "DELETE FROM pair_answers WHERE day_id IN"
        " (SELECT id FROM pair_days WHERE pair_id = ? AND revealed_at IS NULL)"
    )
    params: tuple[int, ...] = (pair_id,)
    if user_id is not None:
        query += " AND user_id = ?"
        params += (user_id,)
    return await db.execute(query, params)


async def answers_by_user(db: Database | Transaction, cipher: DataCipher, user_id: int) -> list[PairAnswer]:
    """Return everything someone answered or passed in pairs, for their export."""
    rows = await db.fetch_all("SELECT * FROM pair_answers WHERE user_id = ? ORDER BY answered_at", (user_id,))
    return [
        PairAnswer(
            day_id=int(row["day_id"]),
            user_id=user_id,
            text=cipher.open_optional(row["text"], answer_context(int(row["day_id"]), user_id)),
            answered_at=from_unix(int(row["answered_at"])),
        )
        for row in rows
    ]


async def delete_answers_by_user(db: Database | Transaction, user_id: int) -> int:
    """Delete everything someone answered or passed in pairs."""
    return await db.execute("DELETE FROM pair_answers WHERE user_id = ?", (user_id,))

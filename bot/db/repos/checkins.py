"""Private check-ins (``checkins``) and the summaries their authors chose to share (``checkin_shares``).

A check-in belongs to its author alone: every read here takes the author's id,
so no caller can fetch someone else's check-in by id. The note is stored
sealed with the bot's data cipher (bound to the row's id) when a data key is
set; :func:`open_note` returns its text, for its author only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.crypto import DataCipher, SealContext
from bot.db.database import Database, Row
from bot.db.timestamps import from_unix, to_unix
from bot.privacy.registry import SealedColumn

# The one definition of the sealed note column: sealing here and key rotation use the same context.
NOTE_COLUMN = SealedColumn("checkins", "note", ("id",))


class CheckinSource(StrEnum):
    """Where a check-in was made."""

    COMMAND = "command"
    DM = "dm"


class ShareStatus(StrEnum):
    """What happened to one shared summary."""

    SENT = "sent"
    DM_CLOSED = "dm_closed"


@dataclass(frozen=True)
class Checkin:
    """One check-in, as its author sees it."""

    id: int
    user_id: int
    score: int
    feelings: tuple[str, ...]
    needs: tuple[str, ...]
    # As stored: sealed when a data key is set. Read it with open_note().
    note: str | None
    source: CheckinSource
    created_at: datetime
    updated_at: datetime

    def __repr__(self) -> str:
        # Check-ins are private: reprs end up in logs and tracebacks, so they carry ids only.
        return f"Checkin(id={self.id}, user_id={self.user_id})"


def note_context(checkin_id: int) -> SealContext:
    """Return where a check-in's note lives, which its sealed form is bound to."""
    return NOTE_COLUMN.context(checkin_id)


def open_note(checkin: Checkin, cipher: DataCipher) -> str | None:
    """Return the text of a check-in's note (for its author only), or None."""
    return cipher.open_optional(checkin.note, note_context(checkin.id))


def _ids(text: str) -> tuple[str, ...]:
    """Decode a stored JSON list of content ids."""
    value = json.loads(text)
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _encode(ids: Sequence[str]) -> str:
    """Encode content ids as a JSON list."""
    return json.dumps(list(ids), separators=(",", ":"))


def _from_row(row: Row) -> Checkin:
    """Build a Checkin from a row."""
    return Checkin(
        id=int(row["id"]),
        user_id=int(row["user_id"]),
        score=int(row["score"]),
        feelings=_ids(str(row["feelings"])),
        needs=_ids(str(row["needs"])),
        note=None if row["note"] is None else str(row["note"]),
        source=CheckinSource(str(row["source"])),
        created_at=from_unix(int(row["created_at"])),
        updated_at=from_unix(int(row["updated_at"])),
    )


async def add(
    db: Database,
    cipher: DataCipher,
    *,
    user_id: int,
    score: int,
    feelings: Sequence[str] = (),
    needs: Sequence[str] = (),
    note: str | None = None,
    source: CheckinSource,
    now: datetime,
    prompt_key: str | None = None,
) -> Checkin | None:
    """Store a check-in and return it; None if ``prompt_key`` (one DM's answer) was already stored."""
    stamp = to_unix(now)
    async with db.transaction() as tx:
        rows = await tx.fetch_all(
            "INSERT INTO checkins (user_id, score, feelings, needs, note, source, prompt_key,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)"
            " ON CONFLICT (user_id, prompt_key) WHERE prompt_key IS NOT NULL DO NOTHING RETURNING *",
            (user_id, score, _encode(feelings), _encode(needs), source.value, prompt_key, stamp, stamp),
        )
        if not rows:
            return None
        if note is None:
            return _from_row(rows[0])
        # The sealed note is bound to the row's id, which exists only once the row does.
        checkin_id = int(rows[0]["id"])
        rows = await tx.fetch_all(
            "UPDATE checkins SET note = ? WHERE id = ? RETURNING *",
            (cipher.seal(note, note_context(checkin_id)), checkin_id),
        )
    return _from_row(rows[0])


async def get(db: Database, checkin_id: int, user_id: int) -> Checkin | None:
    """Return the check-in ``checkin_id`` if ``user_id`` wrote it, else None."""
    row = await db.fetch_one("SELECT * FROM checkins WHERE id = ? AND user_id = ?", (checkin_id, user_id))
    return None if row is None else _from_row(row)


async def by_prompt(db: Database, user_id: int, prompt_key: str) -> Checkin | None:
    """Return the check-in that answered one scheduled DM, or None."""
    row = await db.fetch_one(
        "SELECT * FROM checkins WHERE user_id = ? AND prompt_key = ?", (user_id, prompt_key)
    )
    return None if row is None else _from_row(row)


async def update_details(
    db: Database,
    cipher: DataCipher,
    checkin_id: int,
    user_id: int,
    *,
    feelings: Sequence[str],
    needs: Sequence[str],
    note: str | None,
    now: datetime,
) -> Checkin | None:
    """Set the feelings, needs and note of the author's own check-in; None if it isn't theirs."""
    async with db.transaction() as tx:
        rows = await tx.fetch_all(
            "UPDATE checkins SET feelings = ?, needs = ?, note = ?, updated_at = ?"
            " WHERE id = ? AND user_id = ? RETURNING *",
            (
                _encode(feelings),
                _encode(needs),
                cipher.seal_optional(note, note_context(checkin_id)),
                to_unix(now),
                checkin_id,
                user_id,
            ),
        )
    return _from_row(rows[0]) if rows else None


async def list_for_user(db: Database, user_id: int, *, since: datetime | None = None) -> list[Checkin]:
    """Return the author's check-ins (optionally only those made at or after ``since``), oldest first."""
    if since is None:
        rows = await db.fetch_all(
            "SELECT * FROM checkins WHERE user_id = ? ORDER BY created_at, id", (user_id,)
        )
    else:
        rows = await db.fetch_all(
            "SELECT * FROM checkins WHERE user_id = ? AND created_at >= ? ORDER BY created_at, id",
            (user_id, to_unix(since)),
        )
    return [_from_row(row) for row in rows]


async def delete_for_user(db: Database, user_id: int) -> int:
    """Erase every check-in of a person (and their share records); return how many check-ins."""
    return await db.execute("DELETE FROM checkins WHERE user_id = ?", (user_id,))


async def delete_before(db: Database, before: datetime) -> int:
    """Erase check-ins made before ``before`` (retention); return how many."""
    return await db.execute("DELETE FROM checkins WHERE created_at < ?", (to_unix(before),))


# --- shares -----------------------------------------------------------------------------------------


async def share_statuses(db: Database, checkin_id: int) -> dict[int, ShareStatus]:
    """Return recipient id -> what happened, for every share of one check-in."""
    rows = await db.fetch_all(
        "SELECT recipient_id, status FROM checkin_shares WHERE checkin_id = ?", (checkin_id,)
    )
    return {int(row["recipient_id"]): ShareStatus(str(row["status"])) for row in rows}


async def record_share(
    db: Database, checkin_id: int, recipient_id: int, status: ShareStatus, now: datetime
) -> None:
    """Remember that a summary went (or could not go) to ``recipient_id``."""
    await db.execute(
        "INSERT INTO checkin_shares (checkin_id, recipient_id, status, shared_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (checkin_id, recipient_id) DO UPDATE SET status = excluded.status,"
        " shared_at = excluded.shared_at",
        (checkin_id, recipient_id, status.value, to_unix(now)),
    )

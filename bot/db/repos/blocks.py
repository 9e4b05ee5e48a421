"""Per-person blocks (``user_blocks``): "Stop messages from this person".

While ``blocker`` blocks ``blocked``, Hearth drops the blocked person's
repair requests and gratitude DMs to the blocker. The blocked person is
never told; features answer them exactly as if the DM could not be delivered.
"""

from __future__ import annotations

from datetime import datetime

from bot.db.database import Database, Transaction
from bot.db.timestamps import to_unix


async def block(db: Database | Transaction, blocker_id: int, blocked_id: int, now: datetime) -> bool:
    """Block ``blocked_id`` for ``blocker_id``; return False if it was blocked already."""
    if blocker_id == blocked_id:
        raise ValueError("a person cannot block themselves")
    changed = await db.execute(
        "INSERT INTO user_blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?)"
        " ON CONFLICT (blocker_id, blocked_id) DO NOTHING",
        (blocker_id, blocked_id, to_unix(now)),
    )
    return changed == 1


async def unblock(db: Database | Transaction, blocker_id: int, blocked_id: int) -> bool:
    """Lift a block; return whether there was one."""
    changed = await db.execute(
        "DELETE FROM user_blocks WHERE blocker_id = ? AND blocked_id = ?", (blocker_id, blocked_id)
    )
    return changed == 1


async def is_blocked(db: Database | Transaction, blocker_id: int, blocked_id: int) -> bool:
    """Return whether ``blocker_id`` stopped messages from ``blocked_id``."""
    row = await db.fetch_one(
        "SELECT 1 FROM user_blocks WHERE blocker_id = ? AND blocked_id = ?", (blocker_id, blocked_id)
    )
    return row is not None


async def blocked_by(db: Database | Transaction, blocker_id: int) -> list[int]:
    """Return the people ``blocker_id`` blocked, for their data export."""
    rows = await db.fetch_all(
        "SELECT blocked_id FROM user_blocks WHERE blocker_id = ? ORDER BY created_at, blocked_id",
        (blocker_id,),
    )
    return [int(row["blocked_id"]) for row in rows]


async def delete_by_blocker(db: Database | Transaction, blocker_id: int) -> int:
    """Erase every block a person made; return how many."""
    return await db.execute("DELETE FROM user_blocks WHERE blocker_id = ?", (blocker_id,))

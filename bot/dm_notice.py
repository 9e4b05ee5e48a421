"""The notice shown on someone's next command after Hearth's DMs to them were refused."""

from __future__ import annotations

from bot.db.database import Database
from bot.db.repos import users


async def take_pending(db: Database, user_id: int) -> bool:
    """Return whether a DM notice was pending for ``user_id``, clearing it (it is shown once)."""
    return await users.take_dm_notice(db, user_id)

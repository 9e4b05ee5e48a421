"""Key/value facts about the bot itself."""

from __future__ import annotations

from bot.db.database import Database


async def get_value(db: Database, key: str) -> str | None:
    """Return the stored value for ``key``, or None."""
    row = await db.fetch_one("SELECT value FROM bot_state WHERE key = ?", (key,))
    return None if row is None else str(row["value"])


async def set_value(db: Database, key: str, value: str) -> None:
    """Store ``value`` under ``key``, replacing any earlier value."""
    await db.execute(
        "INSERT INTO bot_state (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )

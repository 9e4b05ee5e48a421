"""Opening the database a URL names, on whichever backend it names."""

from __future__ import annotations

from bot.db.database import Database, dialect_of
from bot.db.postgres import PostgresDatabase
from bot.db.sqlite import SqliteDatabase


async def connect_database(url: str) -> Database:
    """Open (creating a SQLite file if needed) the database named by ``url``."""
    if dialect_of(url) == "postgresql":
        return await PostgresDatabase.connect(url)
    return await SqliteDatabase.connect(url)

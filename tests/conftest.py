"""Fixtures shared by every test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.db.database import Database
from bot.db.migrate import migrate
from bot.settings import Settings


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A real SQLite file with every migration applied, closed after the test."""
    database = await Database.open(f"sqlite:///{tmp_path}/hearth.db")
    await migrate(database)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings that ignore any .env file and point at a temporary database."""
    return Settings(
        _env_file=None, discord_token="test-token", database_url=f"sqlite:///{tmp_path}/hearth.db"
    )

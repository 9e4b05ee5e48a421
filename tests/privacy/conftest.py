"""Fixtures for privacy tests: a table with a sealed column, like a feature's."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.crypto import DataCipher
from bot.db.database import Database
from bot.privacy.registry import RetainedTable, SealedColumn

NOTES = SealedColumn("test_notes", "note", ("id",))
NOTES_RETAINED = RetainedTable("test_notes", "user_id", "created_at")


@pytest.fixture
async def notes_db(db: Database) -> Database:
    """The migrated database plus a feature-like table with private notes."""
    await db.run_script(
        "CREATE TABLE test_notes (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL,"
        " note TEXT, created_at INTEGER NOT NULL);"
    )
    return db


async def add_notes(db: Database, cipher: DataCipher, notes: Sequence[tuple[int, str | None, int]]) -> None:
    """Insert (user_id, note, created_at) rows, sealing each note in its row's context."""
    for user_id, note, created_at in notes:
        async with db.transaction() as tx:
            row_id = await tx.insert(
                "INSERT INTO test_notes (user_id, note, created_at) VALUES (?, NULL, ?)",
                (user_id, created_at),
            )
            await tx.execute(
                "UPDATE test_notes SET note = ? WHERE id = ?",
                (cipher.seal_optional(note, NOTES.context(row_id)), row_id),
            )


async def read_notes(db: Database, cipher: DataCipher) -> list[str | None]:
    """Return every note opened, by id."""
    rows = await db.fetch_all("SELECT id, note FROM test_notes ORDER BY id")
    return [cipher.open_optional(row["note"], NOTES.context(int(row["id"]))) for row in rows]

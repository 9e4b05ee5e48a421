from pathlib import Path

import pytest

from bot.db.database import Database
from bot.db.migrate import Migration, applied_versions, discover_migrations, migrate


async def test_migrate_applies_each_migration_once(tmp_path: Path) -> None:
    """A second run applies nothing and the versions are recorded in the database."""
    db = await Database.open(f"sqlite:///{tmp_path}/a.db")
    try:
        first = await migrate(db)
        second = await migrate(db)
        assert [m.version for m in first] == [m.version for m in discover_migrations()]
        assert second == []
        assert await applied_versions(db) == {m.version for m in first}
    finally:
        await db.close()


async def test_migrate_failing_migration_leaves_database_unchanged(tmp_path: Path) -> None:
    """A migration that fails half-way rolls back its statements and is not recorded."""
    db = await Database.open(f"sqlite:///{tmp_path}/b.db")
    good = Migration(1, "good", "CREATE TABLE kept (id INTEGER PRIMARY KEY);")
    bad = Migration(2, "bad", "CREATE TABLE half (id INTEGER);\nINSERT INTO missing_table VALUES (1);")
    try:
        await migrate(db, [good])
        with pytest.raises(Exception, match="missing_table"):
            await migrate(db, [good, bad])
        tables = {
            row["name"] for row in await db.fetch_all("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert "kept" in tables
        assert "half" not in tables
        assert await applied_versions(db) == {1}
    finally:
        await db.close()


def test_discover_migrations_rejects_gaps(tmp_path: Path) -> None:
    """Migrations must be numbered without gaps."""
    (tmp_path / "0001_a.sql").write_text("SELECT 1;")
    (tmp_path / "0003_c.sql").write_text("SELECT 1;")
    with pytest.raises(ValueError, match="out of sequence"):
        discover_migrations(tmp_path)


async def test_database_pragmas_are_set(db: Database) -> None:
    """WAL, foreign keys and a busy timeout are on for the bot's connection."""
    assert (await db.fetch_one("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
    assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
    assert (await db.fetch_one("PRAGMA busy_timeout"))[0] >= 5000  # type: ignore[index]


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    """An exception inside a transaction undoes its writes."""
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO bot_state (key, value) VALUES ('k', 'v')")
            raise RuntimeError("boom")
    assert await db.fetch_one("SELECT * FROM bot_state WHERE key = 'k'") is None

import asyncio
from pathlib import Path

import pytest

from bot.db.connect import connect_database
from bot.db.database import Database
from bot.db.migrate import Migration, applied_versions, discover_migrations, migrate, migrations_dir
from tests.backends import table_columns


async def test_migrate_applies_each_migration_once(empty_database_url: str) -> None:
    """A second run applies nothing and the versions are recorded in the database."""
    db = await connect_database(empty_database_url)
    try:
        first = await migrate(db)
        second = await migrate(db)
        assert [m.version for m in first] == [m.version for m in discover_migrations()]
        assert second == []
        assert await applied_versions(db) == {m.version for m in first}
    finally:
        await db.close()


async def test_migrate_failing_migration_leaves_database_unchanged(empty_database_url: str) -> None:
    """A migration that fails half-way rolls back its statements and is not recorded."""
    db = await connect_database(empty_database_url)
    good = Migration(1, "good", "CREATE TABLE kept (id INTEGER PRIMARY KEY);")
    bad = Migration(2, "bad", "CREATE TABLE half (id INTEGER);\nINSERT INTO missing_table VALUES (1);")
    try:
        await migrate(db, [good])
        with pytest.raises(Exception, match="missing_table"):
            await migrate(db, [good, bad])
        tables = await table_columns(db)
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


async def test_database_pragmas_are_set(sqlite_db: Database) -> None:
    """WAL, foreign keys and a busy timeout are on for the bot's SQLite connection."""
    assert (await sqlite_db.fetch_one("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
    assert (await sqlite_db.fetch_one("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
    assert (await sqlite_db.fetch_one("PRAGMA busy_timeout"))[0] >= 5000  # type: ignore[index]


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    """An exception inside a transaction undoes its writes."""
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO bot_state (key, value) VALUES ('k', 'v')")
            raise RuntimeError("boom")
    assert await db.fetch_one("SELECT * FROM bot_state WHERE key = 'k'") is None


def test_both_dialects_have_the_same_migrations() -> None:
    """Every schema change exists for SQLite and PostgreSQL under the same version and name."""
    sqlite = [(m.version, m.name) for m in discover_migrations(migrations_dir("sqlite"))]
    postgresql = [(m.version, m.name) for m in discover_migrations(migrations_dir("postgresql"))]
    assert sqlite == postgresql


async def test_postgresql_schema_matches_sqlite(db: Database, sqlite_db: Database) -> None:
    """Both backends end with the same tables and columns, so one set of repositories serves both."""
    if db.dialect != "postgresql":
        pytest.skip("compares the PostgreSQL schema with SQLite's")
    assert await table_columns(db) == await table_columns(sqlite_db)


async def test_processes_migrating_at_once_apply_each_migration_once(empty_database_url: str) -> None:
    """Two processes starting together take turns: each migration is applied by exactly one."""
    first, second = await connect_database(empty_database_url), await connect_database(empty_database_url)
    try:
        applied = await asyncio.gather(migrate(first), migrate(second))
        versions = sorted(m.version for batch in applied for m in batch)
        assert versions == [m.version for m in discover_migrations()]
    finally:
        await first.close()
        await second.close()

"""Helpers for features' tests: is private text really unreadable in the database file?"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.crypto import is_sealed
from bot.db.database import Database
from bot.db.repos import sealed
from bot.privacy.registry import SealedColumn


async def raw_bytes(db: Database) -> bytes:
    """Return what someone holding the database alone could read.

    SQLite: the file and its write-ahead log as they sit on disk. PostgreSQL: every row of every
    table as text, which is what a dump or any account with read access gets.
    """
    if db.dialect == "postgresql":
        tables = await db.fetch_all("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        data = ""
        for table in tables:
            rows = await db.fetch_all(f'SELECT t::text AS line FROM "{table["tablename"]}" AS t')  # noqa: S608
            data += "\n".join(str(row["line"]) for row in rows)
        return data.encode("utf-8")
    await db.fetch_one("PRAGMA wal_checkpoint(TRUNCATE)")
    data_bytes = b""
    for suffix in ("", "-wal"):
        file = Path(db.url.removeprefix("sqlite:///") + suffix)
        if file.exists():
            data_bytes += file.read_bytes()
    return data_bytes


async def assert_file_hides(db: Database, *texts: str) -> None:
    """Fail if any of ``texts`` appears in the raw database (see :func:`raw_bytes`)."""
    data = await raw_bytes(db)
    for text in texts:
        assert text.encode("utf-8") not in data, "private text found in the raw database"


async def unsealed_values(
    db: Database, columns: Iterable[SealedColumn]
) -> list[tuple[str, tuple[int | str, ...]]]:
    """Return (table.column, row key) of every non-null value of ``columns`` that is not sealed."""
    found: list[tuple[str, tuple[int | str, ...]]] = []
    for column in columns:
        async with db.transaction() as tx:
            values = await sealed.values_in(tx, column)
        found.extend((f"{column.table}.{column.column}", v.key) for v in values if not is_sealed(v.value))
    return found

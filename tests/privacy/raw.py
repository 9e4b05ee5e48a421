"""Helpers for features' tests: is private text really unreadable in the database file?"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.crypto import is_sealed
from bot.db.database import Database
from bot.db.repos import sealed
from bot.privacy.registry import SealedColumn


def raw_bytes(path: str) -> bytes:
    """Return the database file and its write-ahead log as they sit on disk."""
    data = b""
    for suffix in ("", "-wal"):
        file = Path(path + suffix)
        if file.exists():
            data += file.read_bytes()
    return data


async def assert_file_hides(db: Database, *texts: str) -> None:
    """Fail if any of ``texts`` appears in the raw database file or its WAL."""
    await db.fetch_one("PRAGMA wal_checkpoint(TRUNCATE)")
    data = raw_bytes(db.path)
    for text in texts:
        assert text.encode("utf-8") not in data, "private text found in the raw database file"


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

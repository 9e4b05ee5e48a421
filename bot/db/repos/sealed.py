"""Reading and rewriting sealed columns generically, for key checks and key rotation.

Table and column names come from the code's registry (``bot/privacy/catalog.py``),
are checked to be plain identifiers there, and are never user input; values are bound.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.crypto import SEALED_PREFIX
from bot.db.database import Database, Transaction
from bot.privacy.registry import SealedColumn


@dataclass(frozen=True)
class StoredValue:
    """One non-null value of a sealed column and the primary key of its row."""

    key: tuple[int | str, ...]
    value: str


def _select(column: SealedColumn, *, only_sealed: bool) -> str:
    """Return the SELECT for a column's non-null values."""
    keys = ", ".join(column.key_columns)
    where = f"{column.column} IS NOT NULL"
    if only_sealed:
        where += f" AND substr({column.column}, 1, {len(SEALED_PREFIX)}) = ?"
    return f"SELECT {keys}, {column.column} AS sealed_value FROM {column.table} WHERE {where}"  # noqa: S608


async def first_sealed(
    db: Database, columns: Iterable[SealedColumn]
) -> tuple[SealedColumn, StoredValue] | None:
    """Return one sealed value from any of ``columns`` (to test a key against), or None."""
    for column in columns:
        row = await db.fetch_one(_select(column, only_sealed=True) + " LIMIT 1", (SEALED_PREFIX,))
        if row is not None:
            return column, StoredValue(tuple(row[k] for k in column.key_columns), str(row["sealed_value"]))
    return None


async def values_in(tx: Transaction, column: SealedColumn) -> list[StoredValue]:
    """Return every non-null value of ``column`` with its row's key."""
    rows = await tx.fetch_all(_select(column, only_sealed=False))
    return [StoredValue(tuple(row[k] for k in column.key_columns), str(row["sealed_value"])) for row in rows]


async def plain_values_in(tx: Transaction, column: SealedColumn, limit: int) -> list[StoredValue]:
    """Return up to ``limit`` non-null values of ``column`` that are not sealed, with their rows' keys."""
    keys = ", ".join(column.key_columns)
    sql = (
        f"SELECT {keys}, {column.column} AS sealed_value FROM {column.table}"  # noqa: S608
        f" WHERE {column.column} IS NOT NULL AND substr({column.column}, 1, {len(SEALED_PREFIX)}) <> ?"
        f" ORDER BY {keys} LIMIT {int(limit)}"
    )
    rows = await tx.fetch_all(sql, (SEALED_PREFIX,))
    return [StoredValue(tuple(row[k] for k in column.key_columns), str(row["sealed_value"])) for row in rows]


async def count_plain(db: Database, column: SealedColumn) -> int:
    """Return how many non-null values of ``column`` are not sealed."""
    sql = (
        f"SELECT COUNT(*) AS n FROM {column.table}"  # noqa: S608
        f" WHERE {column.column} IS NOT NULL AND substr({column.column}, 1, {len(SEALED_PREFIX)}) <> ?"
    )
    row = await db.fetch_one(sql, (SEALED_PREFIX,))
    return 0 if row is None else int(row["n"])


async def replace_values(tx: Transaction, column: SealedColumn, values: Sequence[StoredValue]) -> None:
    """Write new values into ``column`` for the given rows."""
    match = " AND ".join(f"{k} = ?" for k in column.key_columns)
    sql = f"UPDATE {column.table} SET {column.column} = ? WHERE {match}"  # noqa: S608
    await tx.execute_many(sql, [(item.value, *item.key) for item in values])


async def get_state_in(tx: Transaction, key: str) -> str | None:
    """Return a bot_state value inside a transaction."""
    row = await tx.fetch_one("SELECT value FROM bot_state WHERE key = ?", (key,))
    return None if row is None else str(row["value"])


async def set_state_in(tx: Transaction, key: str, value: str) -> None:
    """Store a bot_state value inside a transaction."""
    await tx.execute(
        "INSERT INTO bot_state (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )

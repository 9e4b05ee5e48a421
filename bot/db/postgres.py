"""The shared backend: a pool of asyncpg connections to one PostgreSQL database.

Several bot processes (shards) use one database at once: the schedule
engine claims due rows with ``FOR UPDATE SKIP LOCKED`` (see
:attr:`Database.lock_due_rows`), and unique keys keep every delivery single.
Within one process, transactions still run one at a time, as on SQLite, so
every repository's read-then-write keeps the meaning it was written with;
plain reads use the pool concurrently.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import asyncpg

from bot.db.database import (
    Database,
    DatabaseError,
    Dialect,
    IntegrityError,
    Params,
    Row,
    Transaction,
    redact_url,
)
from bot.db.placeholders import arguments, translate

log = logging.getLogger(__name__)

POOL_MIN_SIZE = 1
POOL_MAX_SIZE = 8
# Any constant works; it only has to be the same in every Hearth process.
MIGRATION_LOCK_ID = 0x4845415254


def rows_changed(status: str) -> int:
    """Return the row count of a command status such as ``UPDATE 3`` or ``INSERT 0 1``."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


@contextmanager
def _constraint_errors() -> Iterator[None]:
    """Raise PostgreSQL's errors as the backend-neutral ones, without the values they quote.

    The server's DETAIL line repeats the failing row ("Failing row contains (…)") and a bad
    argument is quoted in the message itself; either could be a check-in note, and errors end up
    in logs. Only the primary message (constraint and table names) is kept, and the original
    exception is dropped from the chain so no traceback prints it.
    """
    try:
        yield
    except asyncpg.IntegrityConstraintViolationError as error:
        raise IntegrityError(f"{type(error).__name__}: {error.args[0]}") from None
    except asyncpg.DataError as error:
        raise DatabaseError(
            f"{type(error).__name__}: a value did not fit its column (value withheld)"
        ) from None
    except asyncpg.PostgresError as error:
        raise DatabaseError(f"{type(error).__name__}: {error.args[0]}") from None


class PostgresTransaction(Transaction):
    """Statements on one pooled connection inside its open transaction."""

    lock_due_rows = " FOR UPDATE SKIP LOCKED"

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement and return the number of rows it changed."""
        translated = translate(sql)
        with _constraint_errors():
            status: str = await self._conn.execute(translated.sql, *arguments(translated, params))
        return rows_changed(status)

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each parameter set."""
        translated = translate(sql)
        with _constraint_errors():
            await self._conn.executemany(translated.sql, [arguments(translated, row) for row in rows])

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """Return the first row of a query, or None."""
        translated = translate(sql)
        with _constraint_errors():
            row: Row | None = await self._conn.fetchrow(translated.sql, *arguments(translated, params))
        return row

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Return every row of a query."""
        translated = translate(sql)
        with _constraint_errors():
            return list(await self._conn.fetch(translated.sql, *arguments(translated, params)))


class PostgresDatabase(Database):
    """A connection pool to the database named by a ``postgresql://`` URL."""

    dialect: Dialect = "postgresql"

    def __init__(self, pool: Any, url: str) -> None:
        self._pool = pool
        self._write_lock = asyncio.Lock()
        self.url = url

    @classmethod
    async def connect(cls, url: str) -> PostgresDatabase:
        """Open a pool to ``url``."""
        pool = await asyncpg.create_pool(url, min_size=POOL_MIN_SIZE, max_size=POOL_MAX_SIZE)
        log.info("Opened database %s", redact_url(url))
        return cls(pool, url)

    async def close(self) -> None:
        """Close the pool, waiting for connections in use to be released."""
        await self._pool.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Run one transaction on a pooled connection, committed on success and rolled back on error."""
        async with self._write_lock, self._pool.acquire() as conn, conn.transaction():
            yield PostgresTransaction(conn)

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """Return the first row of a query, or None."""
        async with self._pool.acquire() as conn:
            return await PostgresTransaction(conn).fetch_one(sql, params)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Return every row of a query."""
        async with self._pool.acquire() as conn:
            return await PostgresTransaction(conn).fetch_all(sql, params)

    async def run_script(self, script: str) -> None:
        """Run a multi-statement script in one transaction."""
        async with self._write_lock, self._pool.acquire() as conn, conn.transaction():
            await conn.execute(script)

    @asynccontextmanager
    async def migration_lock(self) -> AsyncIterator[None]:
        """Hold a session advisory lock, so processes starting together migrate one after another."""
        async with self._pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_ID)
            try:
                yield
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_ID)

"""The embedded backend: one serialised SQLite connection (WAL) with explicit, short transactions."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import aiosqlite

from bot.db.database import (
    Database,
    Dialect,
    IntegrityError,
    Params,
    Row,
    Transaction,
    sqlite_path_from_url,
)

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


@contextmanager
def _constraint_errors() -> Iterator[None]:
    """Raise a broken constraint as the backend-neutral IntegrityError."""
    try:
        yield
    except sqlite3.IntegrityError as error:
        raise IntegrityError(str(error)) from error


class SqliteTransaction(Transaction):
    """Statements on the one connection, inside the transaction its database opened."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement and return the number of rows it changed."""
        with _constraint_errors():
            cursor = await self._conn.execute(sql, params)
        rowcount = cursor.rowcount
        await cursor.close()
        return rowcount

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each parameter set."""
        with _constraint_errors():
            await self._conn.executemany(sql, rows)

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """Return the first row of a query, or None."""
        with _constraint_errors():
            async with self._conn.execute(sql, params) as cursor:
                row: aiosqlite.Row | None = await cursor.fetchone()
                return row

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Return every row of a query."""
        with _constraint_errors():
            async with self._conn.execute(sql, params) as cursor:
                return list(await cursor.fetchall())


class SqliteDatabase(Database):
    """The bot's single SQLite connection.

    aiosqlite runs one connection on one worker thread, so every statement is
    serialised anyway; the lock keeps a transaction of one task from seeing or
    swallowing statements of another.
    """

    dialect: Dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, url: str) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._closed = False
        self.url = url
        self.path = sqlite_path_from_url(url)

    @classmethod
    async def connect(cls, url: str) -> SqliteDatabase:
        """Open (creating if needed) the SQLite file named by ``url``."""
        path = sqlite_path_from_url(url)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so nothing commits behind our back.
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            # Deleted and overwritten rows are zeroed on disk, not left readable in free space: private
            # text that someone erased, or that was encrypted in place, is really gone from the file.
            await conn.execute("PRAGMA secure_delete = ON")
        except BaseException:
            await conn.close()
            raise
        log.info("Opened database %s", path)
        return cls(conn, url)

    async def close(self) -> None:
        """Close the connection and stop its worker thread."""
        async with self._lock:
            if not self._closed:
                self._closed = True
                await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Hold the write lock for one transaction, committed on success and rolled back on error."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteTransaction(self._conn)
            except BaseException:
                await self._conn.rollback()
                raise
            await self._conn.commit()

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """Return the first row of a query, or None."""
        async with self._lock:
            return await SqliteTransaction(self._conn).fetch_one(sql, params)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Return every row of a query."""
        async with self._lock:
            return await SqliteTransaction(self._conn).fetch_all(sql, params)

    async def run_script(self, script: str) -> None:
        """Run a multi-statement script between BEGIN and COMMIT, rolling all of it back on error."""
        async with self._lock:
            try:
                await self._conn.executescript(f"BEGIN;\n{script}\n;\nCOMMIT;\n")
            except BaseException:
                if self._conn.in_transaction:
                    await self._conn.rollback()
                raise

    async def forget_overwritten(self) -> None:
        """Copy the write-ahead log into the file and empty it, so it keeps no older page versions."""
        async with self._lock:
            await self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @asynccontextmanager
    async def migration_lock(self) -> AsyncIterator[None]:
        """Nothing to hold: each migration's BEGIN already takes SQLite's single write lock."""
        yield

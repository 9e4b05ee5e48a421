"""One serialised SQLite connection with explicit, short transactions."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any]

BUSY_TIMEOUT_MS = 5000


def sqlite_path_from_url(url: str) -> str:
    """Return the file path (or ``:memory:``) named by a ``sqlite:///`` URL."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        raise ValueError("only sqlite:/// URLs are supported, e.g. sqlite:///data/hearth.db")
    path = url.removeprefix(prefix)
    if not path:
        raise ValueError("the sqlite URL names no file, e.g. sqlite:///data/hearth.db")
    return path


class Transaction:
    """Statements run inside one open transaction; only valid within ``Database.transaction``."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement and return the number of rows it changed."""
        cursor = await self._conn.execute(sql, params)
        rowcount = cursor.rowcount
        await cursor.close()
        return rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT and return the new row id."""
        cursor = await self._conn.execute(sql, params)
        row_id = cursor.lastrowid
        await cursor.close()
        if row_id is None:
            raise RuntimeError("INSERT produced no row id")
        return row_id

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each parameter set."""
        await self._conn.executemany(sql, rows)

    async def fetch_one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        """Return the first row of a query, or None."""
        async with self._conn.execute(sql, params) as cursor:
            row: aiosqlite.Row | None = await cursor.fetchone()
            return row

    async def fetch_all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        """Return every row of a query."""
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())


class Database:
    """The bot's single database connection.

    aiosqlite runs one connection on one worker thread, so every statement is
    serialised anyway; the lock keeps a transaction of one task from seeing or
    swallowing statements of another. Never await Discord inside a transaction.
    """

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._closed = False
        self.path = path

    @classmethod
    async def open(cls, url: str) -> Database:
        """Open (creating if needed) the database named by ``url``."""
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
        except BaseException:
            await conn.close()
            raise
        log.info("Opened database %s", path)
        return cls(conn, path)

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
                yield Transaction(self._conn)
            except BaseException:
                await self._conn.rollback()
                raise
            await self._conn.commit()

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement in its own transaction and return the rows it changed."""
        async with self.transaction() as tx:
            return await tx.execute(sql, params)

    async def fetch_one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        """Return the first row of a query, or None."""
        async with self._lock:
            return await Transaction(self._conn).fetch_one(sql, params)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        """Return every row of a query."""
        async with self._lock:
            return await Transaction(self._conn).fetch_all(sql, params)

    async def run_script(self, script: str) -> None:
        """Run a multi-statement script that manages its own transaction."""
        async with self._lock:
            try:
                await self._conn.executescript(script)
            except BaseException:
                if self._conn.in_transaction:
                    await self._conn.rollback()
                raise

"""Test databases on both backends: a SQLite file, or a fresh PostgreSQL database per test.

PostgreSQL tests run when HEARTH_TEST_POSTGRES_URL names a server where the
URL's user may create databases (``.ci/run`` starts one; see the README).
Each test gets its own database, copied from a template migrated once per run.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest

from bot.db.connect import connect_database
from bot.db.database import Database
from bot.db.migrate import migrate

POSTGRES_URL_VARIABLE = "HEARTH_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")
SKIP_REASON = (
    "PostgreSQL tests skipped: set HEARTH_TEST_POSTGRES_URL=postgresql://user@host:port/postgres "
    "(a server where that user may create databases), or run .ci/run, which starts one"
)


def postgres_admin_url() -> str | None:
    """Return the PostgreSQL server the tests may create databases on, if one is configured."""
    return os.environ.get(POSTGRES_URL_VARIABLE) or None


def database_url_in(admin_url: str, name: str) -> str:
    """Return ``admin_url`` pointing at database ``name`` instead."""
    base, _, query = admin_url.partition("?")
    root = base.rsplit("/", 1)[0]
    return f"{root}/{name}" + (f"?{query}" if query else "")


class PostgresDatabases:
    """Creates and drops this test run's databases on the configured server."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.template = f"hearth_template_{os.getpid()}"
        self._template_ready = False

    async def _admin(self, statement: str) -> None:
        conn = await asyncpg.connect(self.admin_url)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    async def _ensure_template(self) -> None:
        if self._template_ready:
            return
        await self._admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        await self._admin(f'CREATE DATABASE "{self.template}" TEMPLATE template0')
        db = await connect_database(database_url_in(self.admin_url, self.template))
        try:
            await migrate(db)
        finally:
            await db.close()
        self._template_ready = True

    async def create(self, *, migrated: bool) -> str:
        """Create a new database (with every migration applied, or empty) and return its URL."""
        name = f"hearth_test_{os.getpid()}_{uuid.uuid4().hex[:12]}"
        if migrated:
            await self._ensure_template()
            await self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}" STRATEGY FILE_COPY')
        else:
            await self._admin(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return database_url_in(self.admin_url, name)

    async def drop(self, url: str) -> None:
        """Drop the database ``url`` names, closing whatever still uses it."""
        name = url.rsplit("/", 1)[-1].partition("?")[0]
        await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_template(self) -> None:
        """Drop the template at the end of the run."""
        if self._template_ready:
            asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)'))


@asynccontextmanager
async def database_url_for(
    backend: str, tmp_path: Path, postgres: PostgresDatabases | None, *, migrated: bool = True
) -> AsyncIterator[str]:
    """Yield the URL of a new database on ``backend`` for one test, removing it afterwards.

    A SQLite file is created by whoever opens it first, so ``migrated`` only matters for PostgreSQL.
    """
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path}/hearth-{uuid.uuid4().hex[:8]}.db"
        return
    if postgres is None:
        pytest.skip(SKIP_REASON)
    url = await postgres.create(migrated=migrated)
    try:
        yield url
    finally:
        await postgres.drop(url)


async def table_columns(db: Database) -> dict[str, set[str]]:
    """Return every table of ``db`` with its column names, read from the backend's catalogue."""
    if db.dialect == "sqlite":
        rows = await db.fetch_all(
            "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master AS m"
            " JOIN pragma_table_info(m.name) AS p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
        )
    else:
        rows = await db.fetch_all(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
        )
    tables: dict[str, set[str]] = {}
    for row in rows:
        tables.setdefault(str(row["table_name"]), set()).add(str(row["column_name"]))
    return tables

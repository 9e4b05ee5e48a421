"""Fixtures shared by every test."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.db.connect import connect_database
from bot.db.database import Database
from bot.db.migrate import migrate
from bot.settings import Settings
from tests.backends import BACKENDS, SKIP_REASON, PostgresDatabases, database_url_for, postgres_admin_url


def pytest_report_header() -> str:
    """Say up front whether the PostgreSQL half of the suite runs."""
    if postgres_admin_url() is None:
        return SKIP_REASON
    return "PostgreSQL tests: on (HEARTH_TEST_POSTGRES_URL is set)"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Count the PostgreSQL tests that were skipped and say how to run them."""
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple) and report.longrepr[2].startswith("Skipped: PostgreSQL")
    ]
    if skipped:
        terminalreporter.write_line(f"{len(skipped)} {SKIP_REASON}", yellow=True)


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """A test that runs main() sets up logging to its own captured stderr: restore the root logger after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases | None]:
    """The PostgreSQL server tests create their databases on, or None when none is configured."""
    admin_url = postgres_admin_url()
    if admin_url is None:
        yield None
        return
    databases = PostgresDatabases(admin_url)
    yield databases
    databases.drop_template()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Which database backend the test runs on: every storage-using test runs on both."""
    return str(request.param)


@pytest.fixture
async def database_url(
    backend: str, tmp_path: Path, postgres_databases: PostgresDatabases | None
) -> AsyncIterator[str]:
    """The URL of a new database for this test (PostgreSQL ones already migrated)."""
    async with database_url_for(backend, tmp_path, postgres_databases) as url:
        yield url


@pytest.fixture
async def empty_database_url(
    backend: str, tmp_path: Path, postgres_databases: PostgresDatabases | None
) -> AsyncIterator[str]:
    """The URL of a new database with no tables at all, for migration tests."""
    async with database_url_for(backend, tmp_path, postgres_databases, migrated=False) as url:
        yield url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A real database with every migration applied, closed after the test."""
    database = await connect_database(database_url)
    await migrate(database)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated SQLite file, for tests about the file itself (what its raw bytes reveal)."""
    database = await connect_database(f"sqlite:///{tmp_path}/hearth.db")
    await migrate(database)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings that ignore any .env file and point at a temporary database."""
    return Settings(
        _env_file=None, discord_token="test-token", database_url=f"sqlite:///{tmp_path}/hearth.db"
    )

"""What the bot checks and opens before it talks to Discord: the database, its key, the content.

Local problems (a database that cannot be opened, a key that does not fit,
missing content files) are found first, in seconds and without a token being
tried, and each becomes one of the kind failures of :mod:`bot.failures`.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from dataclasses import dataclass

import asyncpg

from bot.content.library import Content, load_content
from bot.db.connect import connect_database
from bot.db.database import Database, DatabaseError, redact_url
from bot.db.migrate import migrate
from bot.failures import DatabaseUnavailableError
from bot.privacy.backfill import encrypt_unencrypted
from bot.privacy.keyfile import DataKey, created_notice, resolve_data_key
from bot.privacy.keys import WRONG_KEY, DataKeyError, verify_data_key
from bot.privacy.sealed import SEALED_COLUMNS
from bot.settings import Settings

log = logging.getLogger(__name__)

# What opening or migrating a database raises when the server, the file or the URL is at fault.
DATABASE_PROBLEMS = (
    OSError,
    TimeoutError,
    sqlite3.Error,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    DatabaseError,
)


@dataclass(frozen=True)
class Prepared:
    """An open, migrated database with its verified key, and the loaded content."""

    db: Database
    key: DataKey
    content: Content


def database_problem(url: str, error: BaseException) -> DatabaseUnavailableError:
    """Return the two-line failure for a database that cannot be opened (password withheld)."""
    reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
    detail = f"{type(error).__name__}: {reason}" if reason else type(error).__name__
    return DatabaseUnavailableError(
        f"Cannot open the database {redact_url(url)} ({detail}).\n"
        "Check DATABASE_URL, that the server is running and that this user may use the database."
    )


async def open_database(url: str) -> Database:
    """Open and migrate the database at ``url``, turning a server or file problem into a kind failure."""
    try:
        db = await connect_database(url)
    except DATABASE_PROBLEMS as error:
        raise database_problem(url, error) from None
    try:
        await migrate(db)
    except DATABASE_PROBLEMS as error:
        await db.close()
        raise database_problem(url, error) from None
    except BaseException:
        await db.close()
        raise
    return db


def say(text: str) -> None:
    """Tell the person running the bot something they must act on (stderr, outside the log format)."""
    print(text, file=sys.stderr)  # noqa: T201


async def open_key(settings: Settings, db: Database) -> DataKey:
    """Resolve and verify the data key, then encrypt whatever was stored before there was one."""
    key = await resolve_data_key(settings, db, may_create=not settings.several_processes)
    try:
        await verify_data_key(db, key.cipher, SEALED_COLUMNS)
    except DataKeyError as error:
        if key.path is not None and str(error) == WRONG_KEY:
            raise DataKeyError(
                f"The key in {key.path} does not open this database's private text.\n"
                "Restore this database's key file from your backup (or set HEARTH_DATA_KEY to its key)."
            ) from None
        raise
    if key.created and key.path is not None:
        say(created_notice(key.path))
    log.info("Data key: %s", key.source)
    await encrypt_unencrypted(db, key.cipher, SEALED_COLUMNS)
    return key


async def prepare(settings: Settings) -> Prepared:
    """Open the database, settle its key and load the content, closing the database on failure."""
    db = await open_database(settings.database_url)
    try:
        key = await open_key(settings, db)
        content = load_content()
    except BaseException:
        await db.close()
        raise
    return Prepared(db, key, content)

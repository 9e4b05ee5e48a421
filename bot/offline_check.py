"""`hearth check`: settings, content, migrations, the database and its encryption, checked without Discord."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path

from bot.content.errors import ContentError
from bot.content.library import load_content
from bot.content.resources import stale_lines, unconfirmed_lines
from bot.db.connect import connect_database
from bot.db.database import Database, dialect_of, redact_url, sqlite_path_from_url
from bot.db.migrate import applied_versions, discover_migrations, migrate, migrations_dir
from bot.failures import EXIT_CONTENT, EXIT_DATA_KEY, EXIT_DATABASE, EXIT_OK
from bot.privacy.encryption_status import describe_encryption, encryption_facts
from bot.privacy.keys import DataKeyError
from bot.settings import Settings
from bot.startup import DATABASE_PROBLEMS, database_problem

log = logging.getLogger(__name__)


def _say(line: str) -> None:
    print(line)  # noqa: T201


def database_exists(database_url: str) -> bool:
    """Return whether the database is there to look at (PostgreSQL's always is; a SQLite file may not be)."""
    if dialect_of(database_url) == "postgresql":
        return True
    path = sqlite_path_from_url(database_url)
    return path != ":memory:" and Path(path).exists()


async def pending_migrations_of(db: Database, database_url: str, known: set[int]) -> str:
    """Describe how far an existing database lags behind."""
    where = redact_url(database_url).removeprefix("sqlite:///")
    pending = sorted(known - await applied_versions(db))
    if not pending:
        return f"{where} is up to date"
    return f"{where} will get migrations {', '.join(f'{version:04d}' for version in pending)}"


async def run_offline_check(settings: Settings) -> int:
    """Print a summary of settings, content and migrations; return 0 when all is well."""
    _say("Settings: OK")
    _say(f"  database: {redact_url(settings.database_url)}")
    _say(f"  API base: {settings.api_base}")
    _say(f"  default timezone: {settings.default_timezone}")
    _say(f"  token: {'set' if settings.discord_token else 'MISSING (hearth run will not start)'}")
    try:
        content = load_content()
    except ContentError as error:
        print(f"Content: INVALID\n{error}", file=sys.stderr)  # noqa: T201
        return EXIT_CONTENT
    _say(
        f"Content: OK ({len(content.prompts.prompts)} prompts in {len(content.prompts.themes)} themes, "
        f"{len(content.help.sections)} help sections)"
    )
    for where, line, verified in stale_lines(content.resources, dt.datetime.now(dt.UTC).date()):
        _say(f"  warning: {line.name} ({where}) was last verified {verified.isoformat()}: check it again")
    unconfirmed = unconfirmed_lines(content.resources)
    if unconfirmed:
        _say(f"  note: {len(unconfirmed)} help lines are not yet confirmed from the service's own site")
    migrations = discover_migrations(migrations_dir("sqlite"))
    postgresql = discover_migrations(migrations_dir("postgresql"))
    if [(m.version, m.name) for m in postgresql] != [(m.version, m.name) for m in migrations]:
        print("Migrations: INVALID\n  SQLite's and PostgreSQL's do not match", file=sys.stderr)  # noqa: T201
        return 1
    scratch = await connect_database("sqlite:///:memory:")
    try:
        await migrate(scratch, migrations)
    finally:
        await scratch.close()
    _say(
        f"Migrations: OK ({len(migrations)}; SQLite's apply cleanly to an empty database,"
        " PostgreSQL's have the same versions)"
    )
    return await _check_database(settings, {m.version for m in migrations})


async def _check_database(settings: Settings, known: set[int]) -> int:
    """Report the configured database's migrations and encryption, without creating or changing it."""
    if not database_exists(settings.database_url):
        path = sqlite_path_from_url(settings.database_url)
        _say(f"  {path} does not exist yet; it will be created with {len(known)} migrations")
        _say("Encryption: " + describe_encryption(settings, None))
        return EXIT_OK
    try:
        db = await connect_database(settings.database_url)
    except DATABASE_PROBLEMS as error:
        print(f"Database: UNREACHABLE\n{database_problem(settings.database_url, error)}", file=sys.stderr)  # noqa: T201
        return EXIT_DATABASE
    try:
        _say("  " + await pending_migrations_of(db, settings.database_url, known))
        _say("Encryption: " + describe_encryption(settings, await encryption_facts(db, settings)))
    except DataKeyError as error:
        print(f"Encryption: KEY DOES NOT FIT\n{error}", file=sys.stderr)  # noqa: T201
        return EXIT_DATA_KEY
    except DATABASE_PROBLEMS as error:
        print(f"Database: UNUSABLE\n{database_problem(settings.database_url, error)}", file=sys.stderr)  # noqa: T201
        return EXIT_DATABASE
    finally:
        await db.close()
    return EXIT_OK

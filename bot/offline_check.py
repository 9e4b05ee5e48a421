"""`python -m bot check`: validate settings, content and migrations without Discord."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path

from bot.content.errors import ContentError
from bot.content.library import load_content
from bot.content.resources import stale_lines
from bot.db.database import Database, dialect_of, redact_url, sqlite_path_from_url
from bot.db.migrate import applied_versions, discover_migrations, migrate, migrations_dir
from bot.settings import Settings

log = logging.getLogger(__name__)


def _say(line: str) -> None:
    print(line)  # noqa: T201


async def pending_migrations_of(database_url: str, known: set[int]) -> str:
    """Describe how far an existing database lags behind, without creating a SQLite file."""
    if dialect_of(database_url) == "sqlite":
        path = sqlite_path_from_url(database_url)
        if path == ":memory:" or not Path(path).exists():
            return f"{path} does not exist yet; it will be created with {len(known)} migrations"
    else:
        path = redact_url(database_url)
    db = await Database.open(database_url)
    try:
        done = await applied_versions(db)
    finally:
        await db.close()
    pending = sorted(known - done)
    if not pending:
        return f"{path} is up to date"
    return f"{path} will get migrations {', '.join(f'{version:04d}' for version in pending)}"


async def run_offline_check(settings: Settings) -> int:
    """Print a summary of settings, content and migrations; return 0 when all is well."""
    _say("Settings: OK")
    _say(f"  database: {redact_url(settings.database_url)}")
    _say(f"  API base: {settings.api_base}")
    _say(f"  default timezone: {settings.default_timezone}")
    _say(f"  token: {'set' if settings.discord_token else 'MISSING (python -m bot will not start)'}")
    try:
        content = load_content()
    except ContentError as error:
        print(f"Content: INVALID\n{error}", file=sys.stderr)  # noqa: T201
        return 1
    _say(
        f"Content: OK ({len(content.prompts.prompts)} prompts in {len(content.prompts.themes)} themes, "
        f"{len(content.help.sections)} help sections)"
    )
    for where, line in stale_lines(content.resources, dt.datetime.now(dt.UTC).date()):
        _say(
            f"  warning: {line.name} ({where}) was last verified {line.verified.isoformat()}: check it again"
        )
    migrations = discover_migrations(migrations_dir("sqlite"))
    postgresql = discover_migrations(migrations_dir("postgresql"))
    if [(m.version, m.name) for m in postgresql] != [(m.version, m.name) for m in migrations]:
        print("Migrations: INVALID\n  SQLite's and PostgreSQL's do not match", file=sys.stderr)  # noqa: T201
        return 1
    scratch = await Database.open("sqlite:///:memory:")
    try:
        await migrate(scratch, migrations)
    finally:
        await scratch.close()
    _say(
        f"Migrations: OK ({len(migrations)}; SQLite's apply cleanly to an empty database,"
        " PostgreSQL's have the same versions)"
    )
    _say("  " + await pending_migrations_of(settings.database_url, {m.version for m in migrations}))
    return 0

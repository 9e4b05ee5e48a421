"""Numbered SQL migrations, each applied once in its own transaction."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

from bot.db.database import Database, Dialect

log = logging.getLogger(__name__)

# Package data: found wherever Hearth is installed (a wheel installs them as plain files).
MIGRATIONS_ROOT = Path(str(files("bot.db").joinpath("migrations")))
_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One numbered schema change."""

    version: int
    name: str
    sql: str


def migrations_dir(dialect: Dialect) -> Path:
    """Return the folder holding ``dialect``'s migrations (the same versions for every dialect)."""
    return MIGRATIONS_ROOT / dialect


def discover_migrations(directory: Path | None = None) -> list[Migration]:
    """Return the migrations in ``directory`` (default: SQLite's) in order, refusing gaps and strays."""
    directory = migrations_dir("sqlite") if directory is None else directory
    migrations: list[Migration] = []
    for path in sorted(directory.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if match is None:
            raise ValueError(f"migration file {path.name} must be named NNNN_name.sql")
        migrations.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise ValueError(
                f"migration {migration.version:04d} is out of sequence (expected {expected:04d})"
            )
    return migrations


async def applied_versions(db: Database) -> set[int]:
    """Return the versions already recorded in ``db``."""
    await db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    rows = await db.fetch_all("SELECT version FROM schema_migrations")
    return {int(row["version"]) for row in rows}


async def migrate(db: Database, migrations: list[Migration] | None = None) -> list[Migration]:
    """Apply every pending migration and return the ones applied.

    Each script runs in one transaction together with its bookkeeping row,
    so a failing migration leaves the database exactly as it was. Processes
    starting together take turns through the database's migration lock.
    """
    pending_source = discover_migrations(migrations_dir(db.dialect)) if migrations is None else migrations
    applied: list[Migration] = []
    async with db.migration_lock():
        # Read under the lock: another process may have just applied what was pending.
        done = await applied_versions(db)
        for migration in pending_source:
            if migration.version in done:
                continue
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            name = migration.name.replace("'", "")
            script = (
                f"{migration.sql}\n;\n"
                "INSERT INTO schema_migrations (version, name, applied_at) "
                f"VALUES ({migration.version}, '{name}', '{stamp}');\n"
            )
            try:
                await db.run_script(script)
            except Exception:
                # A process without the lock (two on one SQLite file) may have applied it first.
                if migration.version in await applied_versions(db):
                    continue
                raise
            log.info("Applied migration %04d_%s", migration.version, migration.name)
            applied.append(migration)
    return applied

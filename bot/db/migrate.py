"""Numbered SQL migrations, each applied once in its own transaction."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.db.database import Database

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One numbered schema change."""

    version: int
    name: str
    sql: str


def discover_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Return the migrations in ``directory`` in order, refusing gaps and stray files."""
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

    Each script runs between BEGIN and COMMIT together with its bookkeeping
    row, so a failing migration leaves the database exactly as it was.
    """
    pending_source = discover_migrations() if migrations is None else migrations
    done = await applied_versions(db)
    applied: list[Migration] = []
    for migration in pending_source:
        if migration.version in done:
            continue
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        name = migration.name.replace("'", "")
        script = (
            "BEGIN;\n"
            f"{migration.sql}\n;\n"
            "INSERT INTO schema_migrations (version, name, applied_at) "
            f"VALUES ({migration.version}, '{name}', '{stamp}');\n"
            "COMMIT;\n"
        )
        await db.run_script(script)
        log.info("Applied migration %04d_%s", migration.version, migration.name)
        applied.append(migration)
    return applied

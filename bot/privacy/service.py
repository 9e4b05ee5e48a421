"""Export, erasure, retention expiry and server purge, run over the registered aggregates."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import privacy, schedules
from bot.privacy.foundation import iso
from bot.privacy.registry import ErasureContext, PrivacyAggregate, RetainedTable
from bot.schedule.kinds import OwnerKey
from bot.schedule.recurrence import Recurrence

log = logging.getLogger(__name__)

EXPORT_FORMAT = "hearth-export"
EXPORT_VERSION = 1


async def export_user(
    db: Database, cipher: DataCipher, user_id: int, now: datetime, aggregates: Sequence[PrivacyAggregate]
) -> dict[str, Any]:
    """Return every record about ``user_id`` as one JSON-ready document (see the README for the format)."""
    data: dict[str, Any] = {}
    for aggregate in aggregates:
        if aggregate.export_user is not None:
            data[aggregate.name] = await aggregate.export_user(db, cipher, user_id)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "user_id": str(user_id),
        "exported_at": iso(now),
        "data": data,
    }


def export_bytes(document: Mapping[str, Any]) -> bytes:
    """Return an export document as readable UTF-8 JSON."""
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def merge_counts(total: dict[str, int], counts: Mapping[str, int]) -> None:
    """Add ``counts`` into ``total``."""
    for name, count in counts.items():
        total[name] = total.get(name, 0) + count


async def delete_user(
    db: Database, user_id: int, context: ErasureContext, aggregates: Sequence[PrivacyAggregate]
) -> dict[str, int]:
    """Erase everything ``user_id`` authored across all aggregates; return what went, by kind."""
    total: dict[str, int] = {}
    for aggregate in aggregates:
        if aggregate.delete_user is not None:
            merge_counts(total, await aggregate.delete_user(db, user_id, context))
    log.info("Erased the data of user %s: %s", user_id, total)
    return total


async def purge_guild(db: Database, guild_id: int, aggregates: Sequence[PrivacyAggregate]) -> dict[str, int]:
    """Delete a server's data across all aggregates and forget its leave mark; return what went."""
    total: dict[str, int] = {}
    for aggregate in aggregates:
        if aggregate.purge_guild is not None:
            merge_counts(total, await aggregate.purge_guild(db, guild_id))
    # Last, so an interrupted purge is retried by the next housekeeping run.
    await privacy.clear_departed(db, guild_id)
    log.info("Purged the data of server %s: %s", guild_id, total)
    return total


async def purge_departed_guilds(
    db: Database,
    now: datetime,
    grace: timedelta,
    aggregates: Sequence[PrivacyAggregate],
    *,
    is_present: Callable[[int], bool],
) -> list[int]:
    """Purge servers the bot left more than ``grace`` ago; return their ids.

    A server the bot is in again (rejoined while it was offline) only loses its mark.
    """
    purged: list[int] = []
    for departed in await privacy.departed_before(db, now - grace):
        if is_present(departed.guild_id):
            await privacy.clear_departed(db, departed.guild_id)
            continue
        await purge_guild(db, departed.guild_id, aggregates)
        purged.append(departed.guild_id)
    return purged


async def expire_retained(
    db: Database, now: datetime, default_days: int, tables: Sequence[RetainedTable]
) -> int:
    """Delete rows older than their owner's retention period in every retained table; return how many."""
    removed = 0
    for table in tables:
        count = await privacy.delete_expired(db, table, now, default_days)
        if count:
            log.info("Retention removed %d row(s) from %s", count, table.table)
        removed += count
    return removed


# --- the cogs' small reads and writes ------------------------------------------------------------------


async def retention_of(db: Database, user_id: int) -> int | None:
    """Return the retention period (days) someone chose, or None if they kept the default."""
    return await privacy.get_retention(db, user_id)


async def set_retention(db: Database, user_id: int, days: int, now: datetime) -> None:
    """Store the retention period someone chose."""
    await privacy.set_retention(db, user_id, days, now)


async def mark_departed(db: Database, guild_id: int, now: datetime) -> None:
    """Start the grace period of a server that removed Hearth."""
    await privacy.mark_departed(db, guild_id, now)


async def clear_departed(db: Database, guild_id: int) -> bool:
    """Keep a returning server's data; return whether it had left."""
    return await privacy.clear_departed(db, guild_id)


async def clear_departed_among(db: Database, guild_ids: set[int]) -> int:
    """Keep the data of any of these servers that had left; return how many had."""
    return await privacy.clear_departed_among(db, guild_ids)


async def ensure_schedule(
    db: Database, *, kind: str, owner_key: OwnerKey | str, rule: Recurrence, now: datetime
) -> None:
    """Create a recurring schedule once; unpause it if a failed start left it paused.

    Only when missing or changed: re-creating it on every start would skip a run that is due.
    """
    existing = await schedules.get_by_owner_key(db, owner_key)
    if existing is None or existing.recurrence != rule:
        await schedules.upsert_recurring(db, kind=kind, owner_key=owner_key, rule=rule, now=now)
    elif existing.paused:
        await schedules.resume(db, existing.id, now)

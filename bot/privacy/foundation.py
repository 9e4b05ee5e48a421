"""Privacy aggregates of the foundation: the person's record, their schedules, their privacy choices."""

from __future__ import annotations

from datetime import datetime

from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import privacy, schedules, users
from bot.privacy.registry import Counts, ErasureContext, ExportData, PrivacyAggregate
from bot.schedule.recurrence import format_local_time


def server_id(guild_id: int | None) -> str | None:
    """Return a server id as the export writes ids (text), or None for records made outside servers."""
    return None if guild_id is None else str(guild_id)


def iso(moment: datetime | None) -> str | None:
    """Return a datetime as ISO 8601 UTC text (the export's time format), or None."""
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


async def export_user_record(db: Database, cipher: DataCipher, user_id: int) -> ExportData:
    """Return the person's timezone and DM status."""
    record = await users.get(db, user_id)
    if record is None:
        return {}
    return {
        "timezone": record.timezone,
        "dm_channel_id": None if record.dm_channel_id is None else str(record.dm_channel_id),
        "dm_undeliverable_since": iso(record.dm_undeliverable_since),
    }


async def delete_user_record(db: Database, user_id: int, context: ErasureContext) -> Counts:
    """Erase the person's record."""
    return {"profile": await privacy.delete_user_record(db, user_id)}


async def export_user_schedules(db: Database, cipher: DataCipher, user_id: int) -> ExportData:
    """Return every schedule the person owns (scheduled check-ins, reminders, ...)."""
    items = []
    for schedule in await privacy.schedules_of_user(db, user_id):
        rule = schedule.recurrence
        items.append(
            {
                "id": schedule.id,
                "kind": schedule.kind,
                "server_id": server_id(schedule.guild_id),
                "timezone": schedule.timezone,
                "local_time": None if rule is None else format_local_time(rule.local_time),
                "weekdays": None if rule is None else sorted(rule.weekdays),
                "next_run_at": iso(schedule.next_run_at),
                "paused": schedule.paused,
                "created_at": iso(schedule.created_at),
            }
        )
    return {"items": items} if items else {}


async def delete_user_schedules(db: Database, user_id: int, context: ErasureContext) -> Counts:
    """Delete every schedule the person owns."""
    return {"schedules": await schedules.delete_for_user(db, user_id)}


async def purge_guild_schedules(db: Database, guild_id: int) -> Counts:
    """Delete every schedule of a server."""
    return {"schedules": await schedules.delete_for_guild(db, guild_id)}


async def export_privacy_settings(db: Database, cipher: DataCipher, user_id: int) -> ExportData:
    """Return the person's retention choice, if they made one."""
    days = await privacy.get_retention(db, user_id)
    return {} if days is None else {"retention_days": days}


async def delete_privacy_settings(db: Database, user_id: int, context: ErasureContext) -> Counts:
    """Forget the person's retention choice."""
    return {"privacy_settings": await privacy.delete_retention(db, user_id)}


USERS = PrivacyAggregate("profile", export_user=export_user_record, delete_user=delete_user_record)
SCHEDULES = PrivacyAggregate(
    "schedules",
    export_user=export_user_schedules,
    delete_user=delete_user_schedules,
    purge_guild=purge_guild_schedules,
)
PRIVACY_SETTINGS = PrivacyAggregate(
    "privacy_settings", export_user=export_privacy_settings, delete_user=delete_privacy_settings
)

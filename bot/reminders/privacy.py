"""Appreciation reminders as the privacy tools see them: export, erasure and server purge."""

from __future__ import annotations

from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import reminders
from bot.privacy.foundation import iso, server_id
from bot.privacy.registry import Counts, ErasureContext, ExportData, PrivacyAggregate


async def export_user_reminders(db: Database, cipher: DataCipher, user_id: int) -> ExportData:
    """Return the person's reminders, each with the nudges it sent and what they did with them."""
    items = []
    for reminder in await reminders.for_user(db, user_id):
        items.append(
            {
                "id": reminder.id,
                "server_id": server_id(reminder.guild_id),
                "target_id": str(reminder.target_id),
                "target_name": reminder.target_name,
                "created_at": iso(reminder.created_at),
                "nudges": [
                    {
                        "idea_id": nudge.idea_id,
                        "sent_at": iso(nudge.sent_at),
                        "snoozed_until": iso(nudge.snoozed_until),
                        "done_at": iso(nudge.done_at),
                    }
                    for nudge in await reminders.nudges_of(db, reminder.id)
                ],
            }
        )
    return {"items": items} if items else {}


async def delete_user_reminders(db: Database, user_id: int, context: ErasureContext) -> Counts:
    """Erase the person's reminders (their nudges go with them; their schedules go with the foundation's)."""
    return {"reminders": await reminders.delete_for_user(db, user_id)}


async def purge_guild_reminders(db: Database, guild_id: int) -> Counts:
    """Delete the reminders set up in a server (their schedules go with the foundation's purge)."""
    return {"reminders": await reminders.delete_for_guild(db, guild_id)}


REMINDERS = PrivacyAggregate(
    "reminders",
    export_user=export_user_reminders,
    delete_user=delete_user_reminders,
    purge_guild=purge_guild_reminders,
)

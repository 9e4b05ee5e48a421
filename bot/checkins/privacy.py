"""Check-ins as the privacy tools see them: export (notes opened, for their author) and erasure."""

from __future__ import annotations

from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import checkins
from bot.privacy.foundation import iso
from bot.privacy.registry import (
    Counts,
    ErasureContext,
    ExportData,
    PrivacyAggregate,
    RetainedTable,
)

# Defined next to the SQL that seals it; named here for the catalog.
NOTE_COLUMN = checkins.NOTE_COLUMN
RETAINED_CHECKINS = RetainedTable("checkins", "user_id", "created_at")


async def export_user_checkins(db: Database, cipher: DataCipher, user_id: int) -> ExportData:
    """Return every check-in the person made, with its note, and whom they shared each with."""
    items = []
    for item in await checkins.list_for_user(db, user_id):
        shares = await checkins.share_statuses(db, item.id)
        items.append(
            {
                "id": item.id,
                "score": item.score,
                "feelings": list(item.feelings),
                "needs": list(item.needs),
                "note": checkins.open_note(item, cipher),
                "source": item.source.value,
                "created_at": iso(item.created_at),
                "updated_at": iso(item.updated_at),
                "shared_with": [
                    {"user_id": str(recipient), "status": status.value}
                    for recipient, status in shares.items()
                ],
            }
        )
    return {"items": items} if items else {}


async def delete_user_checkins(db: Database, user_id: int, context: ErasureContext) -> Counts:
    """Erase every check-in the person made (their share records go with them)."""
    return {"checkins": await checkins.delete_for_user(db, user_id)}


CHECKINS = PrivacyAggregate("checkins", export_user=export_user_checkins, delete_user=delete_user_checkins)

"""Check-ins in the privacy tools: exported with the note opened for its author, erased on request."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.checkins.privacy import CHECKINS
from bot.crypto import DataCipher, generate_key
from bot.db.database import Database
from bot.db.repos import checkins
from bot.db.repos.checkins import CheckinSource, ShareStatus
from bot.privacy.registry import ErasureContext

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


async def test_checkins_export_and_erasure(db: Database) -> None:
    """Export opens the sealed note and lists shares; erasure removes every check-in of the person."""
    cipher = DataCipher.from_text(generate_key())
    saved = await checkins.add(
        db, cipher, user_id=1, score=2, feelings=["sad"], note="mine", source=CheckinSource.COMMAND, now=NOW
    )
    assert saved is not None
    await checkins.record_share(db, saved.id, 2, ShareStatus.SENT, NOW)
    assert CHECKINS.export_user is not None and CHECKINS.delete_user is not None
    exported = await CHECKINS.export_user(db, cipher, 1)
    [item] = exported["items"]
    assert (item["score"], item["feelings"], item["note"]) == (2, ["sad"], "mine")
    assert item["shared_with"] == [{"user_id": "2", "status": "sent"}]
    assert await CHECKINS.export_user(db, cipher, 2) == {}
    counts = await CHECKINS.delete_user(db, 1, ErasureContext(None, cipher, NOW))
    assert counts == {"checkins": 1}
    assert await checkins.list_for_user(db, 1) == []

"""Appreciation reminders in the privacy tools: export with nudges, erasure and server purge."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import reminders
from bot.privacy import catalog
from bot.privacy.registry import ErasureContext
from bot.reminders.privacy import REMINDERS

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
ALICE, BOB, CAROL = 1, 2, 3
GUILD, OTHER_GUILD = 9, 10
PLAIN = DataCipher(None)


async def remind(db: Database, user_id: int, guild_id: int, target_id: int) -> int:
    """Store a reminder and return its id."""
    reminder = await reminders.create(
        db, user_id=user_id, guild_id=guild_id, target_id=target_id, target_name="Pal", now=NOW, cap=10
    )
    assert reminder is not None
    return reminder.id


async def test_export_lists_the_persons_reminders_and_their_nudges(db: Database) -> None:
    """Each reminder comes with the ideas it sent and what was done with them; others' stay out."""
    mine = await remind(db, ALICE, GUILD, BOB)
    await remind(db, BOB, GUILD, ALICE)
    nudge = await reminders.record_nudge(db, mine, "k1", "leave-a-note", NOW)
    await reminders.mark_done(db, nudge.id, NOW)
    assert REMINDERS.export_user is not None
    data = await REMINDERS.export_user(db, PLAIN, ALICE)
    [item] = data["items"]
    assert (item["server_id"], item["target_id"], item["target_name"]) == (str(GUILD), str(BOB), "Pal")
    assert item["nudges"] == [
        {
            "idea_id": "leave-a-note",
            "sent_at": "2026-11-27T18:00:00Z",
            "snoozed_until": None,
            "done_at": "2026-11-27T18:00:00Z",
        }
    ]
    assert await REMINDERS.export_user(db, PLAIN, CAROL) == {}


async def test_delete_and_purge(db: Database) -> None:
    """Erasure removes the person's reminders (and nudges); a purge removes a server's reminders."""
    mine = await remind(db, ALICE, GUILD, BOB)
    await reminders.record_nudge(db, mine, "k1", "leave-a-note", NOW)
    await remind(db, BOB, GUILD, CAROL)
    await remind(db, BOB, OTHER_GUILD, CAROL)
    assert REMINDERS.delete_user is not None and REMINDERS.purge_guild is not None
    assert await REMINDERS.delete_user(db, ALICE, ErasureContext(None, PLAIN, NOW)) == {"reminders": 1}
    assert await reminders.for_user(db, ALICE) == []
    assert await reminders.get_nudge(db, 1) is None
    assert await REMINDERS.purge_guild(db, GUILD) == {"reminders": 1}
    assert [item.guild_id for item in await reminders.for_user(db, BOB)] == [OTHER_GUILD]


def test_reminders_are_registered() -> None:
    """The aggregate is in the catalog, before the foundation's."""
    assert REMINDERS in catalog.AGGREGATES
    assert catalog.AGGREGATES.index(REMINDERS) < [a.name for a in catalog.AGGREGATES].index("schedules")

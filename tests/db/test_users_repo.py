from datetime import UTC, datetime

from bot.db.database import Database
from bot.db.repos import users

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


async def test_users_unknown_person_is_none(db: Database) -> None:
    """Nobody is stored until something about them is."""
    assert await users.get(db, 1) is None


async def test_users_timezone_and_dm_channel_are_kept(db: Database) -> None:
    """Setting one fact creates the person and keeps the others."""
    await users.set_timezone(db, 1, "Europe/Paris", NOW)
    await users.set_dm_channel(db, 1, 555, NOW)
    record = await users.get(db, 1)
    assert record is not None
    assert (record.timezone, record.dm_channel_id, record.dm_undeliverable_since) == (
        "Europe/Paris",
        555,
        None,
    )


async def test_users_dm_notice_is_taken_once(db: Database) -> None:
    """A refused DM leaves exactly one pending notice; clearing allows DMs again."""
    await users.mark_dm_undeliverable(db, 1, NOW)
    assert await users.take_dm_notice(db, 1) is True
    assert await users.take_dm_notice(db, 1) is False
    record = await users.get(db, 1)
    assert record is not None and record.dm_undeliverable_since == NOW
    await users.clear_dm_undeliverable(db, 1)
    record = await users.get(db, 1)
    assert record is not None and record.dm_undeliverable_since is None

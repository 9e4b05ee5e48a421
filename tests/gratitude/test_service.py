"""The gratitude service against a real database: the set-up and its schedules are saved together."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.db.database import Database, IntegrityError, Transaction
from bot.db.repos import schedules
from bot.db.repos.gratitude import GratitudeConfig
from bot.gratitude import service
from bot.gratitude.validation import CardReference
from bot.gratitude.weekly import digest_owner_key, rotation_owner_key

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
GUILD, CHANNEL, ADMIN = 7, 70, 700
CONFIG = GratitudeConfig(
    guild_id=GUILD,
    channel_id=CHANNEL,
    digest_weekday=6,
    digest_time="18:00",
    timezone="Europe/Paris",
    rotation=True,
    configured_by=ADMIN,
)


async def test_configure_saves_the_set_up_and_both_schedules(db: Database) -> None:
    """The digest and rotation schedules exist as soon as the set-up does; rotation off removes its own."""
    assert await service.configure(db, CONFIG, NOW) == CONFIG
    assert await service.config_of(db, GUILD) == CONFIG
    assert await schedules.get_by_owner_key(db, digest_owner_key(GUILD)) is not None
    assert await schedules.get_by_owner_key(db, rotation_owner_key(GUILD)) is not None
    off = GratitudeConfig(**{**CONFIG.__dict__, "rotation": False})
    await service.configure(db, off, NOW)
    assert await schedules.get_by_owner_key(db, rotation_owner_key(GUILD)) is None


async def test_a_failed_schedule_write_leaves_no_set_up(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The digest schedule insert fails after the configuration row was written: neither remains."""

    async def refused(tx: Database | Transaction, *args: Any, **kwargs: Any) -> None:
        await tx.execute("INSERT INTO schedules (kind) VALUES (NULL)")

    monkeypatch.setattr(schedules, "upsert_recurring", refused)
    with pytest.raises(IntegrityError):
        await service.configure(db, CONFIG, NOW)
    assert await service.config_of(db, GUILD) is None
    monkeypatch.undo()
    assert await service.configure(db, CONFIG, NOW) == CONFIG


async def test_find_card_by_nothing_finds_nothing(db: Database) -> None:
    """A reference that names neither a number nor a message finds no card; an unknown number neither."""
    assert await service.find_card(db, GUILD, CardReference()) is None
    assert await service.find_card(db, GUILD, CardReference(card_id=1)) is None
    assert await service.recent(db, GUILD) == []
    assert await service.circle_size(db, GUILD) == 0

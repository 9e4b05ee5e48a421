"""The prompts service against a real database: saving the set-up commits its rows together or not at all."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.content.library import load_content
from bot.db.database import Database, IntegrityError, Transaction
from bot.db.repos import prompt_config, schedules
from bot.prompts import posting, service
from bot.prompts.service import PromptConfig, SuggestionStatus
from tests.prompts.standin import CHANNEL as STANDIN_CHANNEL
from tests.prompts.standin import GUILD as STANDIN_GUILD
from tests.prompts.standin import START, StandInBot

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
GUILD, CHANNEL, ADMIN, MEMBER = 9, 90, 101, 202


def config(**changes: Any) -> PromptConfig:
    values: dict[str, Any] = {
        "guild_id": GUILD,
        "channel_id": CHANNEL,
        "local_time": "19:30",
        "timezone": "Europe/London",
        "ping_role_id": None,
        "threads": False,
        "audience": "any",
        "paused": False,
        "paused_reason": None,
        "configured_by": ADMIN,
    }
    values.update(changes)
    return PromptConfig(**values)


async def failing_write(tx: Database | Transaction, *args: Any, **kwargs: Any) -> None:
    """Stand in for a schedule write that the database refuses (a NOT NULL column left empty)."""
    await tx.execute("INSERT INTO schedules (kind) VALUES (NULL)")


async def test_configure_stores_the_config_and_its_daily_schedule(db: Database) -> None:
    saved = await service.configure(db, config(), NOW)
    assert await service.config_of(db, GUILD) == saved
    schedule = await schedules.get_by_owner_key(db, posting.owner_key(GUILD))
    assert schedule is not None and schedule.kind == posting.SCHEDULE_KIND and not schedule.paused


async def test_a_failed_schedule_write_leaves_no_configuration(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The schedule insert fails after the configuration row was written: neither remains, so
    /setup show never reports prompts that would never post."""
    monkeypatch.setattr(schedules, "upsert_recurring", failing_write)
    with pytest.raises(IntegrityError):
        await service.configure(db, config(), NOW)
    assert await prompt_config.get(db, GUILD) is None
    assert await schedules.get_by_owner_key(db, posting.owner_key(GUILD)) is None
    monkeypatch.undo()
    assert await service.configure(db, config(), NOW) is not None


async def test_a_failed_change_keeps_the_previous_configuration(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Changing the time fails half-way: the old configuration and schedule stay as they were."""
    before = await service.configure(db, config(), NOW)
    schedule_before = await schedules.get_by_owner_key(db, posting.owner_key(GUILD))
    monkeypatch.setattr(schedules, "upsert_recurring", failing_write)
    with pytest.raises(IntegrityError):
        await service.configure(db, config(local_time="07:00"), NOW)
    assert await service.config_of(db, GUILD) == before
    assert await schedules.get_by_owner_key(db, posting.owner_key(GUILD)) == schedule_before


async def test_circle_and_suggestions(db: Database) -> None:
    assert await service.join_circle(db, GUILD, MEMBER, NOW)
    assert not await service.join_circle(db, GUILD, MEMBER, NOW)
    assert await service.circle_members(db, GUILD) == [MEMBER]
    suggestion = await service.suggest(
        db, guild_id=GUILD, author_id=MEMBER, text="What made you laugh?", theme=None, now=NOW
    )
    assert await service.count_pending(db, GUILD) == 1
    assert [item.id for item in await service.pending_suggestions(db, GUILD)] == [suggestion.id]
    assert await service.review(db, suggestion.id, GUILD, SuggestionStatus.APPROVED, ADMIN, NOW)
    assert not await service.review(db, suggestion.id, GUILD, SuggestionStatus.REJECTED, ADMIN, NOW)
    assert await service.pending_suggestions(db, GUILD) == []


async def failing_pause(tx: Database | Transaction, *args: Any, **kwargs: Any) -> bool:
    """Stand in for a schedule pause that the database refuses."""
    await tx.execute("INSERT INTO schedules (kind) VALUES (NULL)")
    return True


async def test_a_failed_pause_leaves_prompts_running(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """/prompt pause writes the configuration, then the schedule fails: neither shows paused."""
    bot = StandInBot(db, load_content(), ManualClock(START))
    await service.configure(db, config(guild_id=STANDIN_GUILD, channel_id=STANDIN_CHANNEL), START)
    monkeypatch.setattr(schedules, "pause", failing_pause)
    with pytest.raises(IntegrityError):
        await posting.pause_prompts(bot, STANDIN_GUILD, "paused")  # type: ignore[arg-type]
    stored = await service.config_of(db, STANDIN_GUILD)
    schedule = await schedules.get_by_owner_key(db, posting.owner_key(STANDIN_GUILD))
    assert stored is not None and not stored.paused
    assert schedule is not None and not schedule.paused
    monkeypatch.undo()
    await posting.pause_prompts(bot, STANDIN_GUILD, "paused")  # type: ignore[arg-type]
    paused = await service.config_of(db, STANDIN_GUILD)
    assert paused is not None and paused.paused


async def test_a_failed_resume_leaves_prompts_paused(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """/prompt resume clears the pause, then the schedule write fails: the pause stays, on both rows."""
    bot = StandInBot(db, load_content(), ManualClock(START))
    saved = await service.configure(db, config(guild_id=STANDIN_GUILD, channel_id=STANDIN_CHANNEL), START)
    await posting.pause_prompts(bot, STANDIN_GUILD, "paused")  # type: ignore[arg-type]
    monkeypatch.setattr(schedules, "upsert_recurring", failing_write)
    with pytest.raises(IntegrityError):
        await posting.resume_prompts(bot, saved)  # type: ignore[arg-type]
    stored = await service.config_of(db, STANDIN_GUILD)
    schedule = await schedules.get_by_owner_key(db, posting.owner_key(STANDIN_GUILD))
    assert stored is not None and stored.paused
    assert schedule is not None and schedule.paused

"""Running check-ins against a real database: the DM schedule, snoozes, expiry and history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from bot.checkins import service
from bot.checkins.form import CheckinAnswers
from bot.clock import ManualClock
from bot.content.library import Content, load_content
from bot.crypto import DataCipher
from bot.db.database import Database, IntegrityError, Transaction
from bot.db.repos import schedules, users
from bot.db.repos.checkins import CheckinSource
from bot.db.timestamps import to_unix
from bot.schedule.recurrence import Recurrence
from bot.settings import Settings

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
ALICE = 11
KOLKATA = Recurrence(timezone="Asia/Kolkata", local_time=time(20, 30), weekdays=frozenset({0, 1, 2, 3, 4}))


@dataclass
class StandInBot:
    """The parts of HearthBot the check-in service uses."""

    db: Database
    clock: ManualClock = field(default_factory=lambda: ManualClock(NOW))
    content: Content = field(default_factory=load_content)
    cipher: DataCipher = field(default_factory=lambda: DataCipher(None))
    settings: Settings = field(default_factory=lambda: Settings(_env_file=None))


async def test_start_schedule_saves_resumes_and_remembers_the_timezone(db: Database) -> None:
    """Opting in stores the person's zone; opting in again after a pause unpauses the same row."""
    bot = StandInBot(db)
    first = await service.start_schedule(bot, ALICE, KOLKATA)  # type: ignore[arg-type]
    assert first.kind == service.SCHEDULE_KIND and first.owner_key == f"dm_checkin:user:{ALICE}"
    assert first.next_run_at == datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    record = await users.get(db, ALICE)
    assert record is not None and record.timezone == "Asia/Kolkata"
    await schedules.pause(db, first.id, "direct messages to this person are refused")
    again = await service.start_schedule(bot, ALICE, KOLKATA)  # type: ignore[arg-type]
    assert again.id == first.id and not again.paused


async def test_a_failed_schedule_write_changes_nothing(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The schedule upsert fails after the timezone was saved and "Later" dropped: both come back."""
    bot = StandInBot(db)
    await service.snooze(bot, ALICE)  # type: ignore[arg-type]

    async def refused(tx: Database | Transaction, *args: Any, **kwargs: Any) -> None:
        await tx.execute("INSERT INTO schedules (kind) VALUES (NULL)")

    monkeypatch.setattr(schedules, "upsert_recurring", refused)
    with pytest.raises(IntegrityError):
        await service.start_schedule(bot, ALICE, KOLKATA)  # type: ignore[arg-type]
    assert await users.get(db, ALICE) is None
    assert await schedules.get_by_owner_key(db, service.snooze_owner_key(ALICE)) is not None
    assert await schedules.get_by_owner_key(db, service.owner_key(ALICE)) is None


async def test_snooze_and_stop(db: Database) -> None:
    """Later is a one-shot an hour on; stop removes both it and the recurring schedule."""
    bot = StandInBot(db)
    await service.start_schedule(bot, ALICE, KOLKATA)  # type: ignore[arg-type]
    snoozed = await service.snooze(bot, ALICE)  # type: ignore[arg-type]
    assert snoozed.is_one_shot and snoozed.next_run_at == NOW + timedelta(hours=1)
    assert snoozed.timezone == "Asia/Kolkata"
    assert await service.stop_schedule(bot, ALICE) is True  # type: ignore[arg-type]
    assert await schedules.get_by_owner_key(db, service.owner_key(ALICE)) is None
    assert await schedules.get_by_owner_key(db, service.snooze_owner_key(ALICE)) is None
    assert await service.stop_schedule(bot, ALICE) is False  # type: ignore[arg-type]


def test_dm_checkins_expire_after_a_day() -> None:
    """A DM check-in can be answered for 24 hours after it was sent, not longer."""
    sent = to_unix(NOW)
    assert not service.is_expired(sent, NOW + timedelta(hours=24))
    assert service.is_expired(sent, NOW + timedelta(hours=24, seconds=1))
    assert service.prompt_key(7, sent) == f"7:{sent}"


async def test_history_is_kind_when_empty_and_charts_otherwise(db: Database) -> None:
    """No check-ins give a gentle explanation and no chart; some give the average and a PNG."""
    bot = StandInBot(db)
    empty = await service.history(bot, ALICE, 30, checkin_mention="/checkin now")  # type: ignore[arg-type]
    assert empty.chart is None and "/checkin now" in empty.text
    for score in (2, 5):
        answers = CheckinAnswers(score=score, feelings=("hopeful",), needs=(), note="private")
        await service.save_checkin(bot, ALICE, answers, CheckinSource.COMMAND)  # type: ignore[arg-type]
    result = await service.history(bot, ALICE, 30, checkin_mention="/checkin now")  # type: ignore[arg-type]
    assert result.chart is not None and result.chart.startswith(b"\x89PNG")
    assert "3.5/5" in result.text and "private" not in result.text

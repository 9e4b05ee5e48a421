"""The reminders service against a real database: each user action commits all its rows or none."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from bot.db.database import Database, IntegrityError, Transaction
from bot.db.repos import reminders, schedules, users
from bot.reminders import service
from bot.schedule.recurrence import Recurrence

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
ALICE, BOB = 101, 202
GUILD = 9
RULE = Recurrence(timezone="Europe/Paris", local_time=time(19, 30), weekdays=frozenset({0, 2, 4}))


async def create(db: Database, *, remember_timezone: bool = True) -> service.Created | None:
    return await service.create(
        db,
        user_id=ALICE,
        guild_id=GUILD,
        target_id=BOB,
        target_name="Bob",
        rule=RULE,
        remember_timezone=remember_timezone,
        now=NOW,
    )


async def failing_write(tx: Database | Transaction, *args: Any, **kwargs: Any) -> None:
    """Stand in for a schedule write that the database refuses (a NOT NULL column left empty)."""
    await tx.execute("INSERT INTO schedules (kind) VALUES (NULL)")


async def test_create_stores_the_reminder_its_schedule_and_the_timezone(db: Database) -> None:
    """One action writes all three, and the list shows the reminder with its schedule."""
    created = await create(db)
    assert created is not None
    assert created.schedule.owner_key == service.owner_key(created.reminder.id).build()
    assert created.schedule.payload == {"reminder_id": created.reminder.id}
    assert await service.saved_timezone(db, ALICE) == "Europe/Paris"
    [listed] = await service.listing(db, ALICE)
    assert listed.reminder == created.reminder and listed.schedule == created.schedule


async def test_a_failed_schedule_write_leaves_no_reminder(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The schedule insert fails after the reminder row was written: neither the reminder nor the
    timezone remains, so /remind list cannot show a reminder that would never fire."""
    monkeypatch.setattr(schedules, "upsert_recurring", failing_write)
    with pytest.raises(IntegrityError):
        await create(db)
    assert await reminders.for_user(db, ALICE) == []
    assert await service.listing(db, ALICE) == []
    assert await users.get(db, ALICE) is None
    monkeypatch.undo()
    # The database is usable afterwards and the rolled-back attempt does not count towards the cap.
    assert await create(db) is not None
    assert len(await service.listing(db, ALICE)) == 1


async def test_create_at_the_cap_writes_nothing(db: Database) -> None:
    """Past the cap there is no reminder, no schedule and no remembered timezone."""
    for _ in range(25):
        await reminders.create(
            db, user_id=ALICE, guild_id=GUILD, target_id=BOB, target_name="Bob", now=NOW, cap=25
        )
    assert await service.at_cap(db, ALICE)
    assert await create(db) is None
    assert await users.get(db, ALICE) is None


async def test_create_resumes_reminders_paused_by_failed_dms(db: Database) -> None:
    """A new reminder shows DMs reach the person again: their paused reminders run again."""
    first = await create(db, remember_timezone=False)
    assert first is not None
    await schedules.pause(db, first.schedule.id, "dm refused")
    assert await create(db, remember_timezone=False) is not None
    again = await schedules.get_by_id(db, first.schedule.id)
    assert again is not None and not again.paused


async def test_cancel_removes_the_reminder_and_its_schedules_together(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failing schedule delete keeps the reminder; a working one removes everything; a stranger
    cannot cancel it."""
    created = await create(db)
    assert created is not None
    reminder_id = created.reminder.id
    assert await service.cancel(db, reminder_id, BOB) is False
    monkeypatch.setattr(schedules, "delete_by_owner_key", failing_write)
    with pytest.raises(IntegrityError):
        await service.cancel(db, reminder_id, ALICE)
    assert await reminders.get(db, reminder_id) == created.reminder
    monkeypatch.undo()
    assert await service.cancel(db, reminder_id, ALICE) is True
    assert await reminders.get(db, reminder_id) is None
    assert await schedules.get_by_owner_key(db, service.owner_key(reminder_id)) is None


async def test_snooze_and_done_write_the_nudge_and_its_schedule_together(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A snooze whose nudge update fails leaves no one-shot; done drops the pending snooze."""
    created = await create(db)
    assert created is not None
    found = await service.next_nudge(
        db,
        reminder_id=created.reminder.id,
        snoozed_nudge_id=None,
        occurrence_key="s1-2026-11-27",
        idea_ids=["leave-a-note", "say-thanks"],
        now=NOW,
    )
    assert found is not None
    reminder, nudge = found
    until = NOW + timedelta(hours=1)
    monkeypatch.setattr(reminders, "snooze_nudge", failing_write)
    with pytest.raises(IntegrityError):
        await service.snooze(db, nudge, reminder, until=until, timezone="Europe/Paris", now=NOW)
    assert await schedules.get_by_owner_key(db, service.snooze_owner_key(reminder.id)) is None
    monkeypatch.undo()
    await service.snooze(db, nudge, reminder, until=until, timezone="Europe/Paris", now=NOW)
    snoozed = await schedules.get_by_owner_key(db, service.snooze_owner_key(reminder.id))
    assert snoozed is not None and snoozed.payload["nudge_id"] == nudge.id
    assert await service.mark_done(db, nudge, reminder, NOW) is True
    assert await schedules.get_by_owner_key(db, service.snooze_owner_key(reminder.id)) is None
    assert await service.mark_done(db, nudge, reminder, NOW) is False


async def test_next_nudge_skips_what_is_gone_and_repeats_a_retried_occurrence(db: Database) -> None:
    """A retried occurrence gets its first nudge back; a done snoozed nudge or a cancelled reminder
    sends nothing."""
    created = await create(db)
    assert created is not None
    rid = created.reminder.id
    ideas = ["leave-a-note", "say-thanks"]
    first = await service.next_nudge(
        db, reminder_id=rid, snoozed_nudge_id=None, occurrence_key="k1", idea_ids=ideas, now=NOW
    )
    retry = await service.next_nudge(
        db, reminder_id=rid, snoozed_nudge_id=None, occurrence_key="k1", idea_ids=ideas, now=NOW
    )
    assert first is not None and first == retry
    _, nudge = first
    await service.mark_done(db, nudge, created.reminder, NOW)
    assert (
        await service.next_nudge(
            db, reminder_id=rid, snoozed_nudge_id=nudge.id, occurrence_key="k2", idea_ids=ideas, now=NOW
        )
        is None
    )
    await service.cancel(db, rid, ALICE)
    assert (
        await service.next_nudge(
            db, reminder_id=rid, snoozed_nudge_id=None, occurrence_key="k3", idea_ids=ideas, now=NOW
        )
        is None
    )

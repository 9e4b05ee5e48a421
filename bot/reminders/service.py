"""Appreciation reminders: their rules and their storage, one transaction per user action.

The cog parses Discord input, calls these and renders what they return. A
reminder is two rows (the reminder and its schedule); every action that writes
several rows writes them in one transaction, so a crash never leaves a reminder
that ``/remind list`` shows but that never fires. Nothing here talks to Discord.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Database, Transaction
from bot.db.repos import gratitude, reminders, schedules, users
from bot.db.repos.reminders import Nudge as Nudge
from bot.db.repos.reminders import Reminder as Reminder
from bot.db.repos.schedules import Schedule as Schedule
from bot.reminders.ideas import idea_rng, pick_idea
from bot.reminders.limits import MAX_ACTIVE_REMINDERS, at_reminder_cap
from bot.schedule.kinds import OwnerKey, OwnerVariant, ReminderPayload, ScheduleKind
from bot.schedule.recurrence import Recurrence

log = logging.getLogger(__name__)

SCHEDULE_KIND = ScheduleKind.APPRECIATION


def owner_key(reminder_id: int) -> OwnerKey:
    """Return the schedule owner key of a reminder."""
    return OwnerKey.record(SCHEDULE_KIND, reminder_id)


def snooze_owner_key(reminder_id: int) -> OwnerKey:
    """Return the owner key of a reminder's pending snooze (one at a time; a new one replaces it)."""
    return OwnerKey.record(SCHEDULE_KIND, reminder_id, OwnerVariant.SNOOZE)


@dataclass(frozen=True)
class Listed:
    """One of a person's reminders with its schedule (None if that is gone)."""

    reminder: Reminder
    schedule: Schedule | None


@dataclass(frozen=True)
class Created:
    """A new reminder and the schedule that makes it fire."""

    reminder: Reminder
    schedule: Schedule


# --- reading --------------------------------------------------------------------------------------


async def saved_timezone(db: Database, user_id: int) -> str | None:
    """Return the timezone a person chose before, if any."""
    record = await users.get(db, user_id)
    return record.timezone if record is not None and record.timezone else None


async def at_cap(db: Database, user_id: int) -> bool:
    """Return whether the person already has as many reminders as anyone may."""
    return at_reminder_cap(await reminders.count_for_user(db, user_id))


async def listing(db: Database, user_id: int) -> list[Listed]:
    """Return the person's reminders, oldest first, each with its schedule."""
    return [
        Listed(reminder, await schedules.get_by_owner_key(db, owner_key(reminder.id)))
        for reminder in await reminders.for_user(db, user_id)
    ]


async def own_nudge(db: Database, nudge_id: int, user_id: int) -> tuple[Nudge, Reminder] | None:
    """Return a nudge and its reminder if ``user_id`` owns them (someone else's is as good as gone)."""
    nudge = await reminders.get_nudge(db, nudge_id)
    reminder = None if nudge is None else await reminders.get_own(db, nudge.reminder_id, user_id)
    return None if nudge is None or reminder is None else (nudge, reminder)


async def reminder_timezone(db: Database, reminder: Reminder, default: str) -> str:
    """Return the timezone a reminder runs in (its schedule's, else the person's, else ``default``)."""
    schedule = await schedules.get_by_owner_key(db, owner_key(reminder.id))
    if schedule is not None and schedule.timezone:
        return schedule.timezone
    return await saved_timezone(db, reminder.user_id) or default


async def has_gratitude_channel(db: Database, guild_id: int) -> bool:
    """Return whether the server has set up a gratitude channel to thank people in."""
    return await gratitude.get_config(db, guild_id) is not None


# --- writing: each function is one user action and one transaction -----------------------------------


async def create(
    db: Database,
    *,
    user_id: int,
    guild_id: int | None,
    target_id: int,
    target_name: str,
    rule: Recurrence,
    remember_timezone: bool,
    now: datetime,
) -> Created | None:
    """Store a reminder and its schedule together, or nothing if the person is at the cap.

    A reminder is how someone says DMs reach them again, so their reminders
    that paused because DMs failed resume too.
    """
    async with db.transaction() as tx:
        reminder = await reminders.create(
            tx,
            user_id=user_id,
            guild_id=guild_id,
            target_id=target_id,
            target_name=target_name,
            now=now,
            cap=MAX_ACTIVE_REMINDERS,
        )
        if reminder is None:
            return None
        if remember_timezone:
            await users.set_timezone(tx, user_id, rule.timezone, now)
        schedule = await schedules.upsert_recurring(
            tx,
            kind=SCHEDULE_KIND,
            owner_key=owner_key(reminder.id),
            rule=rule,
            now=now,
            guild_id=guild_id,
            user_id=user_id,
            payload=ReminderPayload(reminder.id).encode(),
        )
        await _resume_paused(tx, user_id, now)
    log.info("Appreciation reminder %s created by user %s", reminder.id, user_id)
    return Created(reminder, schedule)


async def _resume_paused(tx: Transaction, user_id: int, now: datetime) -> None:
    """Restart the person's reminders that paused because DMs failed."""
    for reminder in await reminders.for_user(tx, user_id):
        schedule = await schedules.get_by_owner_key(tx, owner_key(reminder.id))
        if schedule is not None and schedule.paused:
            await schedules.resume(tx, schedule.id, now)
            log.info("Appreciation reminder %s resumed", reminder.id)


async def cancel(db: Database, reminder_id: int, user_id: int) -> bool:
    """Delete one of the person's reminders and its schedules; False if they have no such reminder."""
    async with db.transaction() as tx:
        if not await reminders.delete_own(tx, reminder_id, user_id):
            return False
        await schedules.delete_by_owner_key(tx, owner_key(reminder_id))
        await schedules.delete_by_owner_key(tx, snooze_owner_key(reminder_id))
    log.info("Appreciation reminder %s cancelled by its owner", reminder_id)
    return True


async def snooze(
    db: Database, nudge: Nudge, reminder: Reminder, *, until: datetime, timezone: str, now: datetime
) -> None:
    """Bring the nudge back at ``until`` (a one-shot schedule), replacing any earlier snooze."""
    async with db.transaction() as tx:
        await schedules.create_one_shot(
            tx,
            kind=SCHEDULE_KIND,
            owner_key=snooze_owner_key(reminder.id),
            run_at=until,
            now=now,
            guild_id=reminder.guild_id,
            user_id=reminder.user_id,
            timezone=timezone,
            payload=ReminderPayload(reminder.id, nudge_id=nudge.id).encode(),
        )
        await reminders.snooze_nudge(tx, nudge.id, until)


async def mark_done(db: Database, nudge: Nudge, reminder: Reminder, now: datetime) -> bool:
    """Record that the nudge was acted on and drop its pending snooze; False if it already was."""
    async with db.transaction() as tx:
        if not await reminders.mark_done(tx, nudge.id, now):
            return False
        snoozed = await schedules.get_by_owner_key(tx, snooze_owner_key(reminder.id))
        if snoozed is not None and ReminderPayload.decode(snoozed.payload).nudge_id == nudge.id:
            await schedules.delete(tx, snoozed.id)
    log.info("Appreciation nudge %s done", nudge.id)
    return True


async def next_nudge(
    db: Database,
    *,
    reminder_id: int,
    snoozed_nudge_id: int | None,
    occurrence_key: str,
    idea_ids: Sequence[str],
    now: datetime,
) -> tuple[Reminder, Nudge] | None:
    """Return what a due reminder sends: the snoozed nudge again, or a new one with a fresh idea.

    None when there is nothing to send: the reminder was cancelled, or the
    snoozed nudge was done meanwhile. A retry of one occurrence gets the same
    nudge (and idea) back.
    """
    reminder = await reminders.get(db, reminder_id)
    if reminder is None:
        return None
    if snoozed_nudge_id is not None:
        nudge = await reminders.get_nudge(db, snoozed_nudge_id)
        if nudge is None or nudge.done_at is not None:
            return None
        return reminder, nudge
    async with db.transaction() as tx:
        history = await reminders.idea_history(tx, reminder.id)
        idea_id = pick_idea(idea_ids, history, idea_rng(reminder.id, occurrence_key))
        nudge = await reminders.record_nudge(tx, reminder.id, occurrence_key, idea_id, now)
    return reminder, nudge

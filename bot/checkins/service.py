"""Running check-ins: saving them, their DM schedule, history and consent-based sharing.

Nothing here logs or raises anything that contains what someone wrote or
chose; log lines carry schedule ids at most.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.checkins.chart import render_score_chart
from bot.checkins.form import CheckinAnswers
from bot.checkins.sharing import share_text
from bot.checkins.summary import Entry, format_average, summarise, summary_text
from bot.db.repos import checkins, schedules, users
from bot.db.repos.checkins import Checkin, ShareStatus
from bot.db.repos.checkins import CheckinSource as CheckinSource
from bot.db.repos.schedules import Schedule
from bot.db.timestamps import to_unix
from bot.delivery import SEND_FAILURES, DmUndeliverableError, send_dm
from bot.schedule.kinds import OwnerKey, OwnerVariant, ScheduleKind
from bot.schedule.recurrence import Recurrence, is_valid_timezone

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

SCHEDULE_KIND = ScheduleKind.DM_CHECKIN
SNOOZE_DELAY = timedelta(hours=1)
# A scheduled check-in's buttons answer for this long after it was sent.
DM_CHECKIN_LIFETIME = timedelta(hours=24)
DEFAULT_HISTORY_DAYS = 30
MAX_HISTORY_DAYS = 365
CHART_FILENAME = "checkins.png"


def owner_key(user_id: int) -> OwnerKey:
    """Return the owner key of a person's recurring DM check-in schedule."""
    return OwnerKey.user(SCHEDULE_KIND, user_id)


def snooze_owner_key(user_id: int) -> OwnerKey:
    """Return the owner key of a person's one-shot "Later" check-in."""
    return OwnerKey.user(SCHEDULE_KIND, user_id, OwnerVariant.LATER)


def prompt_key(schedule_id: int, sent_at: int) -> str:
    """Return the key tying an answer to the one DM it answers (schedule id and send time)."""
    return f"{schedule_id}:{sent_at}"


def is_expired(sent_at: int, now: datetime) -> bool:
    """Return whether a DM check-in sent at unix second ``sent_at`` is too old to answer."""
    return to_unix(now) - sent_at > DM_CHECKIN_LIFETIME.total_seconds()


async def user_zone_name(bot: HearthBot, user_id: int) -> str | None:
    """Return the timezone a person chose, if any."""
    record = await users.get(bot.db, user_id)
    if record is None or record.timezone is None or not is_valid_timezone(record.timezone):
        return None
    return record.timezone


async def save_checkin(
    bot: HearthBot,
    user_id: int,
    answers: CheckinAnswers,
    source: CheckinSource,
    *,
    key: str | None = None,
) -> Checkin | None:
    """Store a check-in; None if ``key`` (one DM's answer) was already answered."""
    return await checkins.add(
        bot.db,
        bot.cipher,
        user_id=user_id,
        score=answers.score,
        feelings=answers.feelings,
        needs=answers.needs,
        note=answers.note,
        source=source,
        now=bot.clock.now(),
        prompt_key=key,
    )


async def own_checkin(bot: HearthBot, checkin_id: int, user_id: int) -> Checkin | None:
    """Return a check-in if ``user_id`` wrote it (someone else's is as good as missing)."""
    return await checkins.get(bot.db, checkin_id, user_id)


async def answer_to(bot: HearthBot, user_id: int, key: str) -> Checkin | None:
    """Return the person's check-in that answered the scheduled DM ``key``, if any."""
    return await checkins.by_prompt(bot.db, user_id, key)


async def update_details(
    bot: HearthBot,
    checkin_id: int,
    user_id: int,
    *,
    feelings: Sequence[str],
    needs: Sequence[str],
    note: str | None,
) -> Checkin | None:
    """Add feelings, needs and a note to the author's own check-in; None if it isn't theirs."""
    return await checkins.update_details(
        bot.db,
        bot.cipher,
        checkin_id,
        user_id,
        feelings=feelings,
        needs=needs,
        note=note,
        now=bot.clock.now(),
    )


# --- the DM schedule ----------------------------------------------------------------------------------


async def start_schedule(bot: HearthBot, user_id: int, rule: Recurrence) -> Schedule:
    """Save (or replace) a person's DM check-ins, unpaused, and remember their timezone, all at once."""
    now = bot.clock.now()
    async with bot.db.transaction() as tx:
        await users.set_timezone(tx, user_id, rule.timezone, now)
        await schedules.delete_by_owner_key(tx, snooze_owner_key(user_id))
        schedule = await schedules.upsert_recurring(
            tx, kind=SCHEDULE_KIND, owner_key=owner_key(user_id), rule=rule, now=now, user_id=user_id
        )
        if schedule.paused:
            resumed = await schedules.resume(tx, schedule.id, now)
            if resumed is not None:
                schedule = resumed
    log.info("DM check-in schedule %s saved", schedule.id)
    return schedule


async def stop_schedule(bot: HearthBot, user_id: int) -> bool:
    """Remove a person's DM check-ins (and any pending "Later"); return whether there were any."""
    async with bot.db.transaction() as tx:
        stopped = await schedules.delete_by_owner_key(tx, owner_key(user_id))
        snoozed = await schedules.delete_by_owner_key(tx, snooze_owner_key(user_id))
    return stopped or snoozed


async def snooze(bot: HearthBot, user_id: int) -> Schedule:
    """Ask again in an hour, once; nothing counts as missed."""
    now = bot.clock.now()
    return await schedules.create_one_shot(
        bot.db,
        kind=SCHEDULE_KIND,
        owner_key=snooze_owner_key(user_id),
        run_at=now + SNOOZE_DELAY,
        now=now,
        user_id=user_id,
        timezone=await user_zone_name(bot, user_id),
    )


# --- history ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class History:
    """The history reply: its text, and the chart when there is anything to draw."""

    text: str
    chart: bytes | None


async def history(bot: HearthBot, user_id: int, days: int, *, checkin_mention: str) -> History:
    """Summarise the author's check-ins of the last ``days`` days and draw their scores."""
    content = bot.content.checkins
    since = bot.clock.now() - timedelta(days=days)
    own = await checkins.list_for_user(bot.db, user_id, since=since)
    summary = summarise([Entry(item.created_at, item.score, item.feelings, item.needs) for item in own])
    if summary is None:
        return History(content.texts("history.empty", days=days, checkin=checkin_mention), None)
    zone = ZoneInfo(await user_zone_name(bot, user_id) or bot.settings.default_timezone)
    chart = await asyncio.to_thread(
        render_score_chart,
        [(item.created_at, item.score) for item in own],
        zone,
        title=content.texts("history.chart_title"),
        average=summary.average,
        average_label=content.texts("history.chart_average", average=format_average(summary.average)),
    )
    return History(summary_text(summary, days, content), chart)


# --- sharing ----------------------------------------------------------------------------------------


@dataclass
class ShareOutcome:
    """Who received a shared summary, who already had it, whose DMs were closed, and who failed."""

    sent: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


async def share(bot: HearthBot, checkin: Checkin, author: str, recipients: list[int]) -> ShareOutcome:
    """DM a summary of ``checkin`` (never its note) to each chosen person, once each."""
    outcome = ShareOutcome()
    text = share_text(checkin, author, bot.content.checkins)
    earlier = await checkins.share_statuses(bot.db, checkin.id)
    for recipient in recipients:
        if earlier.get(recipient) is ShareStatus.SENT:
            outcome.already.append(recipient)
            continue
        now = bot.clock.now()
        try:
            await send_dm(bot, bot.db, recipient, now, content=text)
        except DmUndeliverableError:
            await checkins.record_share(bot.db, checkin.id, recipient, ShareStatus.DM_CLOSED, now)
            outcome.closed.append(recipient)
            continue
        except SEND_FAILURES as error:
            log.warning("A shared check-in summary could not be sent (%s)", type(error).__name__)
            outcome.failed.append(recipient)
            continue
        await checkins.record_share(bot.db, checkin.id, recipient, ShareStatus.SENT, now)
        outcome.sent.append(recipient)
    return outcome

"""When a snoozed appreciation nudge comes back: in an hour, this evening, or tomorrow."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import StrEnum

from bot.schedule.recurrence import Recurrence, local_date_of, occurrence_on

EVENING = time(19, 0)
# "This evening" is offered only while the evening is at least this far away.
EVENING_MIN_LEAD = timedelta(minutes=30)
HOUR = timedelta(hours=1)


class Snooze(StrEnum):
    """How long a nudge is put off."""

    HOUR = "hour"
    EVENING = "evening"
    TOMORROW = "tomorrow"


def snooze_until(choice: Snooze, now: datetime, timezone: str) -> datetime | None:
    """Return when a nudge snoozed at ``now`` comes back (UTC), or None if the choice is not possible.

    "This evening" is 19:00 local time today, if that is at least half an
    hour away. "Tomorrow" is the same local wall time on the next local day
    (so a DST change does not move it), shifted forward if that time does
    not exist that day.
    """
    if choice is Snooze.HOUR:
        return now + HOUR
    evening_rule = Recurrence(timezone, EVENING)
    today = local_date_of(evening_rule, now)
    if choice is Snooze.EVENING:
        evening = occurrence_on(evening_rule, today)
        if evening is None or evening - now < EVENING_MIN_LEAD:
            return None
        return evening
    wall_time = now.astimezone(evening_rule.zone).time().replace(second=0, microsecond=0, tzinfo=None)
    tomorrow = occurrence_on(Recurrence(timezone, wall_time), today + timedelta(days=1))
    return tomorrow if tomorrow is not None else now + timedelta(days=1)


def available_snoozes(now: datetime, timezone: str) -> list[Snooze]:
    """Return the snooze choices that make sense at ``now`` in ``timezone``."""
    return [choice for choice in Snooze if snooze_until(choice, now, timezone) is not None]

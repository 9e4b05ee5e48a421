"""Pure, DST-exact recurrence maths for "every <weekdays> at HH:MM in <zone>".

The rules, applied in the rule's own IANA zone with :mod:`zoneinfo`:

* A fire time exists on each allowed local date (0 = Monday … 6 = Sunday).
* An ambiguous wall time (clocks fall back) fires at its FIRST instance only.
* A wall time that does not exist (clocks spring forward) is shifted forward
  by the length of the gap: 02:30 on a New York spring-forward day fires at
  03:30 EDT. This is exactly what converting ``fold=0`` to UTC yields.
* If that shift would carry the fire time onto the next local date (a gap
  that straddles midnight, or a date a zone skipped entirely), the date has
  no fire time, so no local date ever gets two.

APScheduler's ``CronTrigger`` is deliberately not used: it fires twice on a
fall-back night and can return a time in the past.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ALL_WEEKDAYS: frozenset[int] = frozenset(range(7))

# Host-specific or placeholder keys that zoneinfo accepts but no person lives in.
_UNUSABLE_ZONE_KEYS = frozenset({"localtime", "posixrules", "Factory"})

# Seven days cover any weekday mask; the extra days absorb dates without a fire
# time (skipped dates, gaps across midnight). The one day on the near side covers
# a fall-back across midnight, where the local date briefly runs backwards.
_NEAR_SIDE_DAYS = 1
_FAR_SIDE_DAYS = 15

# 19:30, 19.30, 7:30 pm, 7.30pm, 9am (after lowercasing and turning "p.m." into "pm").
_LOCAL_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))? ?(?P<half>am|pm)?$", re.ASCII)


def is_valid_timezone(name: str) -> bool:
    """Return whether ``name`` is an IANA time zone key that zoneinfo can load."""
    if not name or name != name.strip() or name in _UNUSABLE_ZONE_KEYS:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a key such as "America" names a directory of the tz database.
        return False
    return True


# What someone typed is echoed back in an error at most this long, so the reply stays within Discord's limits.
ECHO_LIMIT = 40


def echo(text: str) -> str:
    """Return typed input, spaces folded and shortened, as it is quoted back in an error message."""
    text = " ".join(text.split())
    return text if len(text) <= ECHO_LIMIT else text[: ECHO_LIMIT - 1] + "…"


def parse_local_time(text: str) -> time:
    """Parse a wall-clock time as typed (19:30, 19.30, 7:30 pm, 9am), explaining kindly what is wrong."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ValueError("Please give a time such as 19:30 or 7:30 pm.")
    match = _LOCAL_TIME.match(cleaned.lower().replace("a.m.", "am").replace("p.m.", "pm"))
    # Without am/pm the minutes are needed: a bare "7" could be morning or evening.
    if match is None or (match["minute"] is None and match["half"] is None):
        raise ValueError(
            f"I couldn't read {echo(cleaned)!r} as a time. Please write it like 19:30, 19.30, 7:30 pm or 9am."
        )
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["half"] is not None:
        if not 1 <= hour <= 12:
            raise ValueError(
                f"{echo(cleaned)!r} isn't a time of day: with am or pm, hours go from 1 to 12 (try 7:30 pm)."
            )
        hour = hour % 12 + (12 if match["half"] == "pm" else 0)
    if hour > 23:
        raise ValueError(
            f"{echo(cleaned)!r} isn't a time of day: hours go from 00 to 23 (try 07:30 or 19:00)."
        )
    if minute > 59:
        raise ValueError(
            f"{echo(cleaned)!r} isn't a time of day: minutes go from 00 to 59 (try 07:30 or 19:00)."
        )
    return time(hour, minute)


def format_local_time(value: time) -> str:
    """Format a wall-clock time as ``HH:MM``."""
    return f"{value.hour:02d}:{value.minute:02d}"


def weekdays_to_mask(weekdays: frozenset[int]) -> int:
    """Encode weekdays (0 = Monday) as a bitmask with bit 0 for Monday."""
    mask = 0
    for day in weekdays:
        if not 0 <= day <= 6:
            raise ValueError(f"weekday {day} is out of range (0 = Monday … 6 = Sunday)")
        mask |= 1 << day
    return mask


def mask_to_weekdays(mask: int) -> frozenset[int]:
    """Decode a weekday bitmask (bit 0 = Monday) into a set of weekdays."""
    if not 0 <= mask <= 0b1111111:
        raise ValueError(f"weekday mask {mask} is out of range")
    return frozenset(day for day in range(7) if mask & (1 << day))


@dataclass(frozen=True)
class Recurrence:
    """Fire at ``local_time`` on each of ``weekdays`` (0 = Monday; all seven = daily) in ``timezone``."""

    timezone: str
    local_time: time
    weekdays: frozenset[int] = ALL_WEEKDAYS
    zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.weekdays:
            raise ValueError("a recurrence needs at least one weekday")
        if not self.weekdays <= ALL_WEEKDAYS:
            raise ValueError("weekdays go from 0 (Monday) to 6 (Sunday)")
        if self.local_time.tzinfo is not None:
            raise ValueError("local_time is a wall-clock time and must not carry a tzinfo")
        if not is_valid_timezone(self.timezone):
            raise ValueError(f"unknown time zone {self.timezone!r}; use an IANA name such as Europe/London")
        # Frozen dataclass: object.__setattr__ is the sanctioned way to fill a derived field.
        object.__setattr__(self, "zone", ZoneInfo(self.timezone))


def _require_aware(moment: datetime) -> None:
    """Reject naive datetimes, whose meaning depends on the host's zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("expected an aware datetime")


def local_date_of(rule: Recurrence, moment: datetime) -> date:
    """Return the calendar date that ``moment`` falls on in the rule's zone."""
    _require_aware(moment)
    return moment.astimezone(rule.zone).date()


def occurrence_on(rule: Recurrence, local_date: date) -> datetime | None:
    """Return the UTC fire time on ``local_date``, or None if that date has none."""
    if local_date.weekday() not in rule.weekdays:
        return None
    # fold=0 gives the first instance of an ambiguous time and, for a time inside a
    # gap, the pre-transition offset, which lands the instant after the gap by its length.
    wall = datetime.combine(local_date, rule.local_time, tzinfo=rule.zone).replace(fold=0)
    fire = wall.astimezone(UTC)
    if fire.astimezone(rule.zone).date() != local_date:
        return None
    return fire


def _candidates(rule: Recurrence, around: datetime, *, behind: int, ahead: int) -> list[datetime]:
    """Return the fire times on the local dates from ``behind`` days before to ``ahead`` after ``around``."""
    centre = local_date_of(rule, around)
    fires: list[datetime] = []
    for offset in range(-behind, ahead + 1):
        fire = occurrence_on(rule, centre + timedelta(days=offset))
        if fire is not None:
            fires.append(fire)
    return fires


def next_occurrence(rule: Recurrence, after: datetime) -> datetime:
    """Return the first fire time (aware, UTC) strictly after ``after``."""
    _require_aware(after)
    fires = _candidates(rule, after, behind=_NEAR_SIDE_DAYS, ahead=_FAR_SIDE_DAYS)
    later = [fire for fire in fires if fire > after]
    if not later:
        raise RuntimeError(f"no fire time within {_FAR_SIDE_DAYS} days for {rule!r}")
    return min(later)


def previous_occurrence(rule: Recurrence, at: datetime) -> datetime:
    """Return the last fire time (aware, UTC) at or before ``at``."""
    _require_aware(at)
    fires = _candidates(rule, at, behind=_FAR_SIDE_DAYS, ahead=_NEAR_SIDE_DAYS)
    earlier = [fire for fire in fires if fire <= at]
    if not earlier:
        raise RuntimeError(f"no fire time within {_FAR_SIDE_DAYS} days for {rule!r}")
    return max(earlier)

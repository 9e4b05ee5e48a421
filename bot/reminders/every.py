"""Reading "how often" (daily, weekdays, weekly with a day, or a set of days) and saying it back."""

from __future__ import annotations

from bot.replies import join_names
from bot.schedule.days import DAY_NAMES, WEEKDAYS, WEEKEND, day_index, parse_day_set
from bot.schedule.recurrence import ALL_WEEKDAYS, echo

__all__ = [
    "DAY_NAMES",
    "WEEKDAYS",
    "WEEKEND",
    "describe_days",
    "every_suggestions",
    "parse_day",
    "parse_every",
]

DAILY = "daily"
WEEKLY = "weekly"
# What the `every` option suggests before anything is typed.
STANDARD_CHOICES = (DAILY, "weekdays", "weekends", WEEKLY)
EXAMPLE_SET = "mon, wed, fri"


def parse_day(text: str) -> int:
    """Return the weekday (0 = Monday) that ``text`` names, e.g. "Tue" or "thursday"."""
    index = day_index(text)
    if index is None:
        raise ValueError(
            f"I couldn't read {echo(text)!r} as a day of the week. Try a name such as Monday or Fri."
        )
    return index


def parse_every(every: str, day: str | None = None) -> frozenset[int]:
    """Return the weekdays (0 = Monday) a reminder fires on, explaining kindly what is wrong.

    ``every`` is "daily", "weekdays", "weekends", "weekly" (then ``day`` says
    which day) or a set of days such as "mon, wed, fri".
    """
    cleaned = " ".join(every.strip().lower().split())
    chosen_day = None if day is None or not day.strip() else parse_day(day)
    if not cleaned:
        raise ValueError(
            f"Please say how often: daily, weekdays, weekly (with a day) or days like {EXAMPLE_SET}."
        )
    if cleaned in (WEEKLY, "every week", "once a week"):
        if chosen_day is None:
            raise ValueError("For a weekly reminder, please also pick the `day` it should come on.")
        return frozenset({chosen_day})
    parsed = parse_day_set(cleaned)
    if parsed is None:
        raise ValueError(
            f"I couldn't read {echo(every)!r} as how often. Please use daily, weekdays, weekends, "
            f"weekly (with a day), or a set of days such as {EXAMPLE_SET}."
        )
    days = parsed
    if chosen_day is not None and days != frozenset({chosen_day}):
        raise ValueError(
            f"`day` goes with weekly reminders. For several days, list them in `every`, e.g. {EXAMPLE_SET}."
        )
    return days


def describe_days(weekdays: frozenset[int]) -> str:
    """Say which days a reminder comes on: "every day", "on weekdays", "every Monday", ..."""
    if weekdays == ALL_WEEKDAYS:
        return "every day"
    if weekdays == WEEKDAYS:
        return "on weekdays"
    if weekdays == WEEKEND:
        return "at weekends"
    names = [DAY_NAMES[day] for day in sorted(weekdays)]
    return "every " + join_names(names)


def every_suggestions(current: str) -> list[tuple[str, str]]:
    """Return (label, value) choices for the `every` option: the standard ones, or what was typed."""
    needle = " ".join(current.strip().lower().split())
    standard = [(choice, choice) for choice in STANDARD_CHOICES if choice.startswith(needle)]
    if needle and not standard:
        try:
            days = parse_every(needle)
        except ValueError:
            return []
        if needle != WEEKLY:
            return [(f"{needle[:60]} ({describe_days(days)})"[:100], needle[:100])]
    if not needle:
        standard.append((f"{EXAMPLE_SET} (a set of days)", EXAMPLE_SET))
    return standard

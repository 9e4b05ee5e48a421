"""Which weekdays scheduled check-ins come on: parsing what people type, and saying it back."""

from __future__ import annotations

from bot.content.checkins import CheckinTexts
from bot.replies import join_names
from bot.schedule.days import DAY_NAMES, WEEKDAYS, WEEKEND, parse_day_set
from bot.schedule.recurrence import ALL_WEEKDAYS

# Autocomplete suggestions: (shown name, value the command receives).
COMMON_CHOICES = (
    ("Every day", "daily"),
    ("Weekdays (Monday to Friday)", "weekdays"),
    ("Weekends (Saturday and Sunday)", "weekends"),
    ("Monday, Wednesday, Friday", "mon,wed,fri"),
    ("Tuesday, Thursday", "tue,thu"),
    ("Sunday", "sun"),
)


def parse_days(text: str | None) -> frozenset[int]:
    """Return weekdays (0 = Monday) from "daily", "weekdays", "weekends" or day names like "mon, fri".

    Raises ValueError when nothing or something unknown is given.
    """
    if not (text or "").strip():
        return ALL_WEEKDAYS
    days = parse_day_set(text or "")
    if days is None:
        raise ValueError("unknown day")
    return days


def encode_days(days: frozenset[int]) -> str:
    """Return the short form of a weekday set ("daily", "weekdays", "weekends" or "mon,wed")."""
    for name, named_set in (("daily", ALL_WEEKDAYS), ("weekdays", WEEKDAYS), ("weekends", WEEKEND)):
        if days == named_set:
            return name
    return ",".join(DAY_NAMES[day].lower()[:3] for day in sorted(days))


def describe_days(days: frozenset[int], texts: CheckinTexts) -> str:
    """Return the weekdays in words: "every day", "on weekdays", "on Monday and Friday"."""
    if days == ALL_WEEKDAYS:
        return texts("schedule.days_every")
    if days == WEEKDAYS:
        return texts("schedule.days_weekdays")
    if days == WEEKEND:
        return texts("schedule.days_weekends")
    return texts("schedule.days_list", days=join_names([DAY_NAMES[day] for day in sorted(days)]))


def day_choices(current: str) -> list[tuple[str, str]]:
    """Return (name, value) suggestions for what was typed: common sets, or the typed days if valid."""
    needle = current.strip().lower()
    choices = [choice for choice in COMMON_CHOICES if needle in choice[0].lower() or needle in choice[1]]
    try:
        typed = parse_days(current) if needle else None
    except ValueError:
        typed = None
    if typed is not None:
        value = encode_days(typed)
        if all(value != choice[1] for choice in choices):
            names = ", ".join(DAY_NAMES[day] for day in sorted(typed))
            choices.insert(0, (names, value))
    return choices[:25]

"""Sets of weekdays for recurring schedules: read as typed ("weekdays", "mon, wed, fri"), said in words."""

from __future__ import annotations

import re

from bot.content.texts import TextTable
from bot.replies import join_names
from bot.schedule.recurrence import ALL_WEEKDAYS

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS: frozenset[int] = frozenset(range(5))
WEEKEND: frozenset[int] = frozenset({5, 6})

DAY_SET_ALIASES: dict[str, frozenset[int]] = {
    "daily": ALL_WEEKDAYS,
    "every day": ALL_WEEKDAYS,
    "everyday": ALL_WEEKDAYS,
    "each day": ALL_WEEKDAYS,
    "all": ALL_WEEKDAYS,
    "weekdays": WEEKDAYS,
    "weekday": WEEKDAYS,
    "every weekday": WEEKDAYS,
    "workdays": WEEKDAYS,
    "weekends": WEEKEND,
    "weekend": WEEKEND,
    "every weekend": WEEKEND,
}


def _day_tokens() -> dict[str, int]:
    """Return every spelling of a day that is read: "monday", "mon", "mondays", "tues", ..."""
    tokens = {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
    for index, name in enumerate(DAY_NAMES):
        lower = name.lower()
        for token in (lower, lower[:3], lower + "s", lower[:3] + "s"):
            tokens[token] = index
    return tokens


DAY_TOKENS = _day_tokens()
_SEPARATORS = re.compile(r"[\s,;/&+]+|\band\b")


def day_index(token: str) -> int | None:
    """Return the weekday (0 = Monday) one word names ("Tue", "thursday."), or None."""
    return DAY_TOKENS.get(token.strip().lower().rstrip("."))


def parse_day_set(text: str) -> frozenset[int] | None:
    """Return the weekdays a phrase names ("weekends", "mon, wed and fri"), or None if it can't be read."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in DAY_SET_ALIASES:
        return DAY_SET_ALIASES[cleaned]
    tokens = [token for token in _SEPARATORS.split(cleaned) if token and token.strip()]
    days = [day_index(token) for token in tokens]
    if not days or None in days:
        return None
    return frozenset(day for day in days if day is not None)


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


def describe_days(days: frozenset[int], texts: TextTable, section: str) -> str:
    """Return the weekdays in words: "every day", "on weekdays", "on Monday and Friday".

    The words are the feature's own texts ``<section>.days_every``, ``days_weekdays``,
    ``days_weekends`` and ``days_list`` (with ``{days}``).
    """
    if days == ALL_WEEKDAYS:
        return texts(f"{section}.days_every")
    if days == WEEKDAYS:
        return texts(f"{section}.days_weekdays")
    if days == WEEKEND:
        return texts(f"{section}.days_weekends")
    return texts(f"{section}.days_list", days=join_names([DAY_NAMES[day] for day in sorted(days)]))


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

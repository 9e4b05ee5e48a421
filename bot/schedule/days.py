"""Reading sets of weekdays that people type ("weekdays", "mon, wed, fri") for recurring schedules."""

from __future__ import annotations

import re

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

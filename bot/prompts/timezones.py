"""Finding IANA timezones by city or region for autocomplete."""

from __future__ import annotations

import functools
import zoneinfo

from bot.schedule.recurrence import is_valid_timezone

MAX_CHOICES = 25
# Zones people pick first when they haven't typed anything yet.
POPULAR = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Asia/Singapore",
    "Australia/Sydney",
    "Africa/Lagos",
)


@functools.cache
def all_timezones() -> tuple[str, ...]:
    """Return every usable IANA zone name, sorted, without legacy aliases like ``US/Eastern``."""
    names = [
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/")) and is_valid_timezone(name)
    ]
    return tuple(sorted([*names, "UTC"]))


def _words(name: str) -> str:
    """Return a zone name as lowercase words: ``America/Sao_Paulo`` -> ``america sao paulo``."""
    return name.replace("/", " ").replace("_", " ").replace("-", " ").lower()


def search_timezones(query: str, limit: int = MAX_CHOICES) -> list[str]:
    """Return up to ``limit`` zone names matching ``query``, city-name matches first."""
    needle = " ".join(query.replace("_", " ").replace("/", " ").lower().split())
    if not needle:
        return list(POPULAR[:limit])
    city_prefix: list[str] = []
    word_prefix: list[str] = []
    anywhere: list[str] = []
    for name in all_timezones():
        city = _words(name.rsplit("/", 1)[-1])
        words = _words(name)
        if city.startswith(needle):
            city_prefix.append(name)
        elif any(word.startswith(needle) for word in words.split()) or words.startswith(needle):
            word_prefix.append(name)
        elif needle in words:
            anywhere.append(name)
    return (city_prefix + word_prefix + anywhere)[:limit]

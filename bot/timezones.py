"""Finding IANA timezones by city or region for autocomplete."""

from __future__ import annotations

import functools
import unicodedata
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


def fold(text: str) -> str:
    """Return text as lowercase words without accents: ``  São_Paulo`` -> ``sao paulo``."""
    decomposed = unicodedata.normalize("NFKD", text.replace("/", " ").replace("_", " ").replace("-", " "))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


@functools.cache
def _by_city() -> dict[str, str]:
    """Map each zone's folded last component to its zone; where two share one, the first in sorted order."""
    cities: dict[str, str] = {}
    for name in all_timezones():
        cities.setdefault(fold(name.rsplit("/", 1)[-1]), name)
    return cities


@functools.cache
def _by_folded_name() -> dict[str, str]:
    """Map each zone's folded full name (``europe london``) to the zone."""
    return {fold(name): name for name in all_timezones()}


def resolve_timezone(text: str) -> str | None:
    """Return the IANA zone someone meant: a zone name in any case, or a city ("London", "são paulo")."""
    typed = text.strip()
    if typed in all_timezones():
        return typed
    needle = fold(text)
    found = _by_folded_name().get(needle) or _by_city().get(needle)
    # Legacy aliases such as US/Eastern are never offered but still work when typed exactly.
    return found or (typed if is_valid_timezone(typed) else None)


def search_timezones(query: str, limit: int = MAX_CHOICES) -> list[str]:
    """Return up to ``limit`` zone names matching ``query``: the zone it names first, then city prefixes."""
    needle = fold(query)
    if not needle:
        return list(POPULAR[:limit])
    exact = resolve_timezone(query)
    city_prefix: list[str] = [exact] if exact else []
    word_prefix: list[str] = []
    anywhere: list[str] = []
    for name in all_timezones():
        city = fold(name.rsplit("/", 1)[-1])
        words = fold(name)
        if name == exact:
            continue
        if city.startswith(needle):
            city_prefix.append(name)
        elif any(word.startswith(needle) for word in words.split()) or words.startswith(needle):
            word_prefix.append(name)
        elif needle in words:
            anywhere.append(name)
    return (city_prefix + word_prefix + anywhere)[:limit]

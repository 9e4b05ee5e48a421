"""Property tests for what people type: times of day and timezones (hypothesis)."""

from __future__ import annotations

import unicodedata
from datetime import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.schedule.recurrence import format_local_time, parse_local_time
from bot.timezones import all_timezones, fold, resolve_timezone, search_timezones

TIMES = st.builds(time, st.integers(0, 23), st.integers(0, 59))
SPACES = st.sampled_from(["", " ", "  "])


def twelve_hour(value: time) -> tuple[int, str]:
    """Return a time's 12-hour clock hour and its am/pm."""
    return (value.hour % 12 or 12), ("am" if value.hour < 12 else "pm")


@settings(deadline=None)  # no timing: the machine may be busy
@given(TIMES, st.sampled_from([":", "."]), st.booleans(), SPACES)
def test_24_hour_times_round_trip(value: time, separator: str, pad: bool, space: str) -> None:
    """19:30, 19.30, 07:30 and 7:30, with spaces around, all read back as the same time."""
    hour = f"{value.hour:02d}" if pad else str(value.hour)
    assert parse_local_time(f"{space}{hour}{separator}{value.minute:02d}{space}") == value


@settings(deadline=None)  # no timing: the machine may be busy
@given(TIMES, st.sampled_from(["", " "]), st.sampled_from(["am", "AM", "Am", "a.m."]), st.booleans())
def test_12_hour_times_round_trip(value: time, space: str, suffix: str, colon: bool) -> None:
    """7:30 pm, 7.30PM, 12 a.m. and the like read as the time they mean."""
    hour, half = twelve_hour(value)
    written = suffix.replace("a", "p") if half == "pm" else suffix
    written = written.replace("A", "P") if half == "pm" else written
    minutes = f"{':' if colon else '.'}{value.minute:02d}"
    assert parse_local_time(f"{hour}{minutes}{space}{written}") == value
    if value.minute == 0:
        assert parse_local_time(f"{hour}{space}{written}") == value


@settings(deadline=None)  # no timing: the machine may be busy
@given(TIMES)
def test_formatting_and_parsing_agree(value: time) -> None:
    """What Hearth shows (HH:MM) it can read back."""
    assert parse_local_time(format_local_time(value)) == value


@settings(deadline=None)  # no timing: the machine may be busy
@given(st.text(max_size=20))
def test_anything_typed_parses_or_explains(text: str) -> None:
    """Any text gives a time or a ValueError with a message; never another exception."""
    try:
        parsed = parse_local_time(text)
    except ValueError as error:
        assert str(error)
    else:
        assert isinstance(parsed, time)


@settings(deadline=None)  # no timing: the machine may be busy
@given(st.integers(24, 99), st.integers(0, 59))
def test_impossible_hours_are_refused(hour: int, minute: int) -> None:
    with pytest.raises(ValueError, match="hours go from 00 to 23"):
        parse_local_time(f"{hour}:{minute:02d}")


@settings(deadline=None)  # no timing: the machine may be busy
@given(st.integers(13, 99), st.sampled_from(["am", "pm"]))
def test_12_hour_clock_stops_at_12(hour: int, half: str) -> None:
    with pytest.raises(ValueError, match="from 1 to 12"):
        parse_local_time(f"{hour}{half}")


ZONES = st.sampled_from(all_timezones())


def shout_or_whisper(text: str, upper: bool) -> str:
    return text.upper() if upper else text.lower()


@settings(deadline=None)  # no timing: the machine may be busy
@given(ZONES, st.booleans())
def test_zone_names_resolve_in_any_case(zone: str, upper: bool) -> None:
    """A zone name resolves to itself, typed as is or in another case."""
    assert resolve_timezone(zone) == zone
    assert resolve_timezone(f" {shout_or_whisper(zone, upper)} ") == zone


@settings(deadline=None)  # no timing: the machine may be busy
@given(ZONES, st.booleans())
def test_a_city_resolves_to_a_zone_of_that_city(zone: str, upper: bool) -> None:
    """The last component of any offered zone, typed with spaces and in any case, names a zone with that
    city (the first in sorted order, where several regions share one)."""
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    found = resolve_timezone(shout_or_whisper(city, upper))
    assert found is not None
    assert fold(found.rsplit("/", 1)[-1]) == fold(city)


@settings(deadline=None)  # no timing: the machine may be busy
@given(ZONES)
def test_accents_do_not_matter(zone: str) -> None:
    """Adding accents to a city's letters (as "Zürich" or "São Paulo" are written) finds the same zone."""
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    accented = "".join(unicodedata.normalize("NFC", c + "\u0301") if c.isalpha() else c for c in city)
    assert resolve_timezone(accented) == resolve_timezone(city)


@settings(deadline=None)  # no timing: the machine may be busy
@given(ZONES)
def test_autocomplete_offers_the_resolved_zone_first(zone: str) -> None:
    """Whatever a typed text resolves to is the first choice autocomplete shows."""
    city = zone.rsplit("/", 1)[-1]
    found = resolve_timezone(city)
    assert search_timezones(city)[0] == found


@settings(deadline=None)  # no timing: the machine may be busy
@given(st.text(max_size=40))
def test_resolving_anything_gives_a_zone_or_none(text: str) -> None:
    """Any text resolves to a loadable zone or to None; autocomplete never offers more than 25."""
    found = resolve_timezone(text)
    assert found is None or found in all_timezones() or found == text.strip()
    assert len(search_timezones(text)) <= 25


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("London", "Europe/London"),
        ("london", "Europe/London"),
        ("Zürich", "Europe/Zurich"),
        ("são paulo", "America/Sao_Paulo"),
        ("new york", "America/New_York"),
        ("utc", "UTC"),
        ("US/Eastern", "US/Eastern"),
        ("Narnia", None),
        ("America", None),
    ],
)
def test_examples(typed: str, zone: str | None) -> None:
    assert resolve_timezone(typed) == zone

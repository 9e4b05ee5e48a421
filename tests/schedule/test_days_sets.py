"""Weekday sets for recurring schedules: parsed kindly, said back in each feature's words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content.library import load_content
from bot.schedule.days import day_choices, describe_days, encode_days, parse_days
from bot.schedule.recurrence import ALL_WEEKDAYS


@pytest.mark.parametrize(
    ("text", "days"),
    [
        (None, ALL_WEEKDAYS),
        ("", ALL_WEEKDAYS),
        ("Every day", ALL_WEEKDAYS),
        ("daily", ALL_WEEKDAYS),
        ("weekdays", frozenset(range(5))),
        ("Weekends", frozenset({5, 6})),
        ("mon, wed,fri", frozenset({0, 2, 4})),
        ("Tuesday thursday", frozenset({1, 3})),
        ("thurs/sun.", frozenset({3, 6})),
    ],
)
def test_parse_days_understands_sets_and_names(text: str | None, days: frozenset[int]) -> None:
    """Named sets and day names (short or long, any case) become weekdays, Monday = 0."""
    assert parse_days(text) == days


@pytest.mark.parametrize("text", ["someday", "mo", "mon, funday", ",,"])
def test_parse_days_refuses_unknown_words(text: str) -> None:
    """Anything that isn't a day name or a known set is refused."""
    with pytest.raises(ValueError, match="day"):
        parse_days(text)


@given(st.frozensets(st.integers(0, 6), min_size=1))
def test_encode_days_round_trips(days: frozenset[int]) -> None:
    """The short form of any weekday set parses back to the same set."""
    assert parse_days(encode_days(days)) == days


def test_describe_days_reads_naturally() -> None:
    """Sets are named; other days are listed with "and"."""
    texts = load_content().checkins.texts
    assert describe_days(ALL_WEEKDAYS, texts, "schedule") == "every day"
    assert describe_days(frozenset(range(5)), texts, "schedule") == "on weekdays"
    assert describe_days(frozenset({0, 4}), texts, "schedule") == "on Monday and Friday"
    assert describe_days(frozenset({0, 2, 4}), texts, "schedule") == "on Monday, Wednesday and Friday"


def test_day_choices_offer_common_sets_and_what_was_typed() -> None:
    """Autocomplete shows matching sets, and the typed days when they parse; never more than 25."""
    assert ("Weekdays (Monday to Friday)", "weekdays") in day_choices("week")
    assert day_choices("sat, sun")[0][1] == "weekends"
    assert day_choices("mon tue")[0] == ("Monday, Tuesday", "mon,tue")
    assert day_choices("zzz") == []
    assert len(day_choices("")) <= 25


def test_prompt_days_read_in_the_prompts_own_words() -> None:
    """/setup days says the days back with the daily prompt texts."""
    texts = load_content().daily_prompts
    assert describe_days(ALL_WEEKDAYS, texts, "setup") == "every day"
    assert describe_days(frozenset({1, 3}), texts, "setup") == "on Tuesday and Thursday"

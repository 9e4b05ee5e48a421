"""Weekday sets for scheduled check-ins: parsed kindly, said back in words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.checkins.days import day_choices, describe_days, encode_days, parse_days
from bot.content.checkins import CheckinContent
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


def test_describe_days_reads_naturally(content: CheckinContent) -> None:
    """Sets are named; other days are listed with "and"."""
    texts = content.texts
    assert describe_days(ALL_WEEKDAYS, texts) == "every day"
    assert describe_days(frozenset(range(5)), texts) == "on weekdays"
    assert describe_days(frozenset({0, 4}), texts) == "on Monday and Friday"
    assert describe_days(frozenset({0, 2, 4}), texts) == "on Monday, Wednesday and Friday"


def test_day_choices_offer_common_sets_and_what_was_typed() -> None:
    """Autocomplete shows matching sets, and the typed days when they parse; never more than 25."""
    assert ("Weekdays (Monday to Friday)", "weekdays") in day_choices("week")
    assert day_choices("sat, sun")[0][1] == "weekends"
    assert day_choices("mon tue")[0] == ("Monday, Tuesday", "mon,tue")
    assert day_choices("zzz") == []
    assert len(day_choices("")) <= 25

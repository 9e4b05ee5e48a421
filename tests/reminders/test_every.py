"""Reading "how often" for /remind appreciation: table tests and a round-trip property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.reminders.every import (
    describe_days,
    every_suggestions,
    parse_day,
    parse_every,
)
from bot.schedule.days import DAY_NAMES, WEEKDAYS, WEEKEND
from bot.schedule.recurrence import ALL_WEEKDAYS

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


@pytest.mark.parametrize(
    ("every", "day", "expected"),
    [
        ("daily", None, ALL_WEEKDAYS),
        ("  Every   Day ", None, ALL_WEEKDAYS),
        ("weekdays", None, WEEKDAYS),
        ("WEEKENDS", None, WEEKEND),
        ("weekly", "friday", frozenset({FRI})),
        ("weekly", "Tue", frozenset({TUE})),
        ("mon, wed, fri", None, frozenset({MON, WED, FRI})),
        ("Monday and Thursday", None, frozenset({MON, THU})),
        ("tues/thurs", None, frozenset({TUE, THU})),
        ("sundays", None, frozenset({SUN})),
        ("sat sun", None, WEEKEND),
        ("mon; mon", None, frozenset({MON})),
        ("wed", "wednesday", frozenset({WED})),
        ("daily", "", ALL_WEEKDAYS),
    ],
)
def test_parse_every_reads_each_form(every: str, day: str | None, expected: frozenset[int]) -> None:
    """Daily, weekdays, weekends, weekly with a day, and sets of days all read as the right weekdays."""
    assert parse_every(every, day) == expected


@pytest.mark.parametrize(
    ("every", "day", "problem"),
    [
        ("", None, "how often"),
        ("weekly", None, "pick the `day`"),
        ("fortnightly", None, "couldn't read 'fortnightly'"),
        ("mon, funday", None, "couldn't read"),
        ("daily", "monday", "`day` goes with weekly"),
        ("mon, wed", "friday", "`day` goes with weekly"),
        ("weekly", "someday", "day of the week"),
        ("x" * 300, None, "…"),
    ],
)
def test_parse_every_refuses_kindly(every: str, day: str | None, problem: str) -> None:
    """Unreadable or contradictory choices raise a ValueError that explains what to type."""
    with pytest.raises(ValueError) as caught:
        parse_every(every, day)
    assert problem in str(caught.value)
    assert len(str(caught.value)) < 250


def test_parse_day_accepts_names_and_abbreviations() -> None:
    """Full names, three-letter abbreviations and plurals name the same day."""
    for index, name in enumerate(DAY_NAMES):
        assert parse_day(name) == parse_day(name[:3]) == parse_day(name.lower() + "s") == index


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (ALL_WEEKDAYS, "every day"),
        (WEEKDAYS, "on weekdays"),
        (WEEKEND, "at weekends"),
        (frozenset({MON}), "every Monday"),
        (frozenset({FRI, MON}), "every Monday and Friday"),
        (frozenset({SUN, WED, MON}), "every Monday, Wednesday and Sunday"),
    ],
)
def test_describe_days_says_it_plainly(days: frozenset[int], text: str) -> None:
    """A set of weekdays is described in plain words, days in week order."""
    assert describe_days(days) == text


@given(st.frozensets(st.integers(min_value=0, max_value=6), min_size=1))
def test_parse_every_round_trips_any_set_of_days(days: frozenset[int]) -> None:
    """Any set of days, written as abbreviations, reads back as the same set."""
    written = ", ".join(DAY_NAMES[day][:3] for day in sorted(days))
    assert parse_every(written) == days


def test_every_suggestions_offer_standard_choices_then_what_was_typed() -> None:
    """Empty input lists the standard choices and an example; typed days are confirmed; junk gets none."""
    assert [value for _, value in every_suggestions("")] == [
        "daily",
        "weekdays",
        "weekends",
        "weekly",
        "mon, wed, fri",
    ]
    assert every_suggestions("week") == [
        ("weekdays", "weekdays"),
        ("weekends", "weekends"),
        ("weekly", "weekly"),
    ]
    [(label, value)] = every_suggestions("tue, thu")
    assert value == "tue, thu" and "every Tuesday and Thursday" in label
    assert every_suggestions("whenever") == []
    assert all(len(label) <= 100 and len(value) <= 100 for label, value in every_suggestions("mon " * 60))

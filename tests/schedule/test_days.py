from hypothesis import given
from hypothesis import strategies as st

from bot.replies import join_names
from bot.schedule.days import DAY_NAMES, WEEKDAYS, WEEKEND, parse_day_set
from bot.schedule.recurrence import ALL_WEEKDAYS


def test_parse_day_set_reads_aliases_and_lists() -> None:
    """Named sets and lists of day names (any spelling, any separator) are read."""
    assert parse_day_set("Every Day") == ALL_WEEKDAYS
    assert parse_day_set("weekdays") == WEEKDAYS
    assert parse_day_set("weekend") == WEEKEND
    assert parse_day_set("Mon, wed and FRIDAYS") == frozenset({0, 2, 4})
    assert parse_day_set("tues/thurs") == frozenset({1, 3})


def test_parse_day_set_refuses_unknown_words() -> None:
    """Anything that is not a day or a known set gives None."""
    for text in ("", "someday", "mo", "mon, funday", ",,"):
        assert parse_day_set(text) is None


@given(st.sets(st.integers(0, 6), min_size=1))
def test_parse_day_set_round_trips_day_names(days: set[int]) -> None:
    """Listing any set of day names reads back as that set."""
    assert parse_day_set(join_names([DAY_NAMES[day] for day in sorted(days)])) == frozenset(days)

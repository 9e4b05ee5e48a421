"""Snoozing a nudge: in an hour, this evening (19:00 local) or tomorrow at the same local time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.reminders.limits import MAX_ACTIVE_REMINDERS, at_reminder_cap
from bot.reminders.snooze import Snooze, available_snoozes, snooze_until

LONDON = "Europe/London"


def at(zone: str, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """Return a local wall time in ``zone`` as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def test_snooze_an_hour_is_exactly_an_hour() -> None:
    """In 1 hour is sixty minutes of real time, whatever the zone."""
    now = at(LONDON, 2026, 3, 29, 0, 30)
    assert snooze_until(Snooze.HOUR, now, LONDON) == now + timedelta(hours=1)


def test_snooze_this_evening_is_seven_pm_local() -> None:
    """This evening is 19:00 local time today, offered until half an hour before."""
    morning = at("America/New_York", 2026, 11, 27, 9, 0)
    assert snooze_until(Snooze.EVENING, morning, "America/New_York") == at(
        "America/New_York", 2026, 11, 27, 19, 0
    )
    late = at("America/New_York", 2026, 11, 27, 18, 40)
    assert snooze_until(Snooze.EVENING, late, "America/New_York") is None
    assert available_snoozes(late, "America/New_York") == [Snooze.HOUR, Snooze.TOMORROW]
    assert available_snoozes(morning, "America/New_York") == list(Snooze)


@pytest.mark.parametrize(
    ("zone", "now", "expected"),
    [
        # A normal day.
        ("Asia/Kolkata", (2026, 11, 27, 8, 15), (2026, 11, 28, 8, 15)),
        # Across spring-forward: same wall time, 23 real hours later.
        (LONDON, (2026, 3, 28, 9, 0), (2026, 3, 29, 9, 0)),
        # Across fall-back: same wall time, 25 real hours later.
        (LONDON, (2026, 10, 24, 9, 0), (2026, 10, 25, 9, 0)),
    ],
)
def test_snooze_tomorrow_keeps_the_local_wall_time(
    zone: str, now: tuple[int, int, int, int, int], expected: tuple[int, int, int, int, int]
) -> None:
    """Tomorrow is the same local time on the next local date, across DST changes too."""
    assert snooze_until(Snooze.TOMORROW, at(zone, *now), zone) == at(zone, *expected)


def test_snooze_tomorrow_inside_a_gap_shifts_forward() -> None:
    """If tomorrow's wall time does not exist (spring forward), it comes just after the gap."""
    now = at("America/New_York", 2026, 3, 7, 2, 30)
    assert snooze_until(Snooze.TOMORROW, now, "America/New_York") == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)


INSTANTS = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 (hypothesis bounds are naive; the values are aware)
    max_value=datetime(2037, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@given(
    INSTANTS,
    st.sampled_from([LONDON, "America/New_York", "Australia/Adelaide", "Pacific/Chatham", "Asia/Kolkata"]),
)
def test_snoozes_always_lie_in_the_future(now: datetime, zone: str) -> None:
    """Every offered snooze is later than now and at most about a day and an hour away."""
    for choice in available_snoozes(now, zone):
        until = snooze_until(choice, now, zone)
        assert until is not None
        assert now < until <= now + timedelta(hours=26)


def test_reminder_cap_is_twenty_five() -> None:
    """The 25th reminder is allowed; a 26th is not."""
    assert MAX_ACTIVE_REMINDERS == 25
    assert not at_reminder_cap(24)
    assert at_reminder_cap(25)

"""The per-day cap on repair requests to the same person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.repair.limits import MAX_REQUESTS_PER_DAY, REQUEST_WINDOW, next_request_at, window_start

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)


def test_next_request_at_allows_three_a_day() -> None:
    """Up to two earlier attempts in 24 h allow another; a third closes it until the oldest is a day old."""
    assert MAX_REQUESTS_PER_DAY == 3
    hours = [NOW - timedelta(hours=h) for h in (20, 5)]
    assert next_request_at(hours, NOW) is None
    three = [*hours, NOW - timedelta(minutes=1)]
    assert next_request_at(three, NOW) == NOW - timedelta(hours=20) + REQUEST_WINDOW


def test_next_request_at_ignores_attempts_older_than_a_day() -> None:
    """An attempt exactly 24 h ago no longer counts."""
    old = [NOW - REQUEST_WINDOW, NOW - timedelta(hours=2), NOW - timedelta(hours=1)]
    assert next_request_at(old, NOW) is None
    assert window_start(NOW) == NOW - REQUEST_WINDOW


@given(st.lists(st.integers(min_value=0, max_value=48 * 60), max_size=10))
def test_next_request_at_is_when_the_window_has_room(minutes_ago: list[int]) -> None:
    """The time returned is in the future and, at that time, fewer than three attempts are in the window."""
    attempts = [NOW - timedelta(minutes=m) for m in minutes_ago]
    retry = next_request_at(attempts, NOW)
    if retry is None:
        assert sum(a > window_start(NOW) for a in attempts) < MAX_REQUESTS_PER_DAY
        return
    assert retry > NOW
    assert next_request_at(attempts, retry) is None
    assert next_request_at(attempts, retry - timedelta(seconds=1)) is not None
